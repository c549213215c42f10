"""Checks of the Kbuild files against the Kconfig tree (build/ joins make/ and kconfig/).

``obj-$(CONFIG_TYPO) += foo.o`` builds nothing and says nothing under make: the
variable is empty, the line assigns ``obj-``.  :func:`unknown_symbols` finds
every ``CONFIG_<NAME>`` a Kbuild file mentions (outside comments) whose NAME no
Kconfig file defines, with its file and line, so that the build can stop before
anything is built (as scripts/checkkconfigsymbols.py reports for the kernel).
"""

from __future__ import annotations

import difflib
import os
import re
from typing import Iterable, Mapping

from .errors import BuildError

__all__ = ["kconfig_symbols", "unknown_symbols", "check_symbols"]

_WORD = re.compile(r"(?<![A-Za-z0-9_])CONFIG_([A-Za-z0-9_]+)")
_COMMENT = re.compile(r"(?<!\\)#.*")


def kconfig_symbols(srctree: str, objtree: str, kconfig: str = "Kconfig",
                    environ: Mapping[str, str] | None = None) -> set[str]:
    """The names of the symbols the Kconfig tree defines (a config/menuconfig entry)."""
    from ..kconfig import KconfigError, load
    env = dict(os.environ if environ is None else environ)
    env["srctree"] = "." if os.path.abspath(srctree) == os.path.abspath(objtree) else srctree
    env.setdefault("KBUILD_PREFETCH", "0")
    cwd = os.getcwd()
    os.chdir(objtree)
    try:
        kc = load(kconfig, environ=env, stdout=lambda s: None, stderr=lambda s: None)
    except KconfigError as e:
        raise BuildError("the Kconfig files have errors: %s" % e) from None
    finally:
        os.chdir(cwd)
    return {s.name for s in kc.named_symbols() if s.menus}


def unknown_symbols(kbuild_files: Iterable[str], symbols: set[str]
                    ) -> list[tuple[str, int, str]]:
    """(file, line, NAME) for every CONFIG_NAME mentioned but not defined."""
    found = []
    for path in kbuild_files:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        for i, line in enumerate(lines, 1):
            if "CONFIG_" not in line:
                continue
            for m in _WORD.finditer(_COMMENT.sub("", line)):
                name = m.group(1)
                if name.endswith("_MODULE") and name[:-7] in symbols:
                    continue
                if name not in symbols:
                    found.append((path, i, name))
    return found


def check_symbols(kbuild_files: Iterable[str], symbols: set[str]) -> None:
    """Raise :class:`BuildError` (file:line) for the first unknown CONFIG_ name."""
    for path, line, name in unknown_symbols(kbuild_files, symbols):
        rel = os.path.relpath(path)
        close = difflib.get_close_matches(name, sorted(symbols), 1)
        hint = " (did you mean CONFIG_%s?)" % close[0] if close else ""
        raise BuildError("CONFIG_%s: no such Kconfig symbol%s" % (name, hint),
                         path if rel.startswith("..") else rel, line)
