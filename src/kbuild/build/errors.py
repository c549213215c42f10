"""The one error type of kbuild.build."""

from __future__ import annotations

from ..make.errors import MakeError


class BuildError(MakeError):
    """A problem in the project's Kbuild input; ``str()`` is ``file:line: message`` (as the make
    engine's errors, which it takes over with their location)."""
