"""The one error type of kbuild.build."""

from __future__ import annotations


class BuildError(Exception):
    """A problem in the project's Kbuild input; ``str()`` is ``file:line: message``."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message, self.file, self.line = message, file, line

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"
