"""The one error type of the make engine."""

from __future__ import annotations


class MakeError(Exception):
    """An error in a makefile, with the file and line where make would report it.

    ``str(error)`` is ``file:line: message`` when the location is known.
    """

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def located(self, file: str | None, line: int | None) -> "MakeError":
        """Fill in the location if it is still unknown (returns self)."""
        if self.file is None:
            self.file, self.line = file, line
        return self

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"
