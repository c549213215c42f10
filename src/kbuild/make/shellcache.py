"""Remembering ``$(shell ...)`` results, in memory and (for toolchain probes) on disk.

:class:`ShellCache` is a dict that :class:`~kbuild.make.Make` accepts as its
``shell_cache`` (keys ``(command, cwd)``, values ``(output, status)``).  With a
``path`` it also keeps, between runs, the results of the commands that only ask
the toolchain a question -- kbuild's ``try-run`` probes (``cc-option``,
``ld-option``, ``as-instr``...) and ``--version`` queries -- so that a second
evaluation of the kernel's makefiles starts no compiler at all.

A remembered result is used only if

* the command text and working directory are the same,
* the environment the command sees is the same (a hash of it is stored), and
* every program the command names (each word that ``PATH`` resolves) is the
  same file: same resolved path, size and modification time.

Anything else (``find``, ``test -e``, ``cat``...) depends on the file system,
not on the tools, and is kept in memory only.  ``ShellCache(path=None)`` never
touches the disk; passing no cache to Make at all disables caching.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from typing import Mapping

__all__ = ["ShellCache", "is_toolchain_probe"]

_FORMAT = 1
_WORD = re.compile(r"(?<![\w./$-])([A-Za-z_][\w.+-]*)")
_TRY_RUN = re.compile(r"\bTMP=.*\btrap\b")


def is_toolchain_probe(command: str) -> bool:
    """True for commands whose output depends only on the tools they run."""
    return bool(_TRY_RUN.search(command)) or (
        "--version" in command and ">" not in command.replace("2>/dev/null", ""))


class ShellCache(dict):
    """A ``$(shell)`` result cache; see the module docstring."""

    def __init__(self, path: str | os.PathLike | None = None,
                 environ: Mapping[str, str] | None = None):
        super().__init__()
        self.path = os.fspath(path) if path is not None else None
        env = dict(os.environ if environ is None else environ)
        self.env_hash = hashlib.sha256(
            json.dumps(sorted(env.items())).encode("utf-8", "surrogateescape")).hexdigest()
        self._path_dirs = env.get("PATH", os.defpath)
        self._which: dict[str, str | None] = {}
        self._stat: dict[str, list | None] = {}
        self.loaded = 0
        if self.path is not None:
            self.load()

    # Tool identities ------------------------------------------------------

    def _fingerprint(self, path: str):
        fp = self._stat.get(path, False)
        if fp is False:
            try:
                st = os.stat(path)
                fp = [os.path.realpath(path), st.st_size, st.st_mtime_ns]
            except OSError:
                fp = None
            self._stat[path] = fp
        return fp

    def tools(self, command: str) -> list[list]:
        """The programs ``command`` names, with their identities."""
        out = []
        for word in dict.fromkeys(_WORD.findall(command)):
            p = self._which.get(word, False)
            if p is False:
                p = shutil.which(word, path=self._path_dirs)
                self._which[word] = p
            if p is not None:
                out.append([word, self._fingerprint(p)])
        return out

    # Persistence ------------------------------------------------------------

    def load(self) -> None:
        try:
            with open(self.path, encoding="utf-8") as f:  # type: ignore[arg-type]
                data = json.load(f)
        except (OSError, ValueError):
            return
        if data.get("format") != _FORMAT or data.get("env") != self.env_hash:
            return
        for command, cwd, out, status, tools in data.get("entries", []):
            if self.tools(command) == tools:
                self[(command, cwd)] = (out, status)
                self.loaded += 1

    def save(self) -> None:
        """Write the toolchain probes' results (atomically: temporary file, rename)."""
        if self.path is None:
            return
        entries = [[cmd, cwd, out, status, self.tools(cmd)]
                   for (cmd, cwd), (out, status) in self.items() if is_toolchain_probe(cmd)]
        data = {"format": _FORMAT, "env": self.env_hash, "entries": entries}
        d = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(d, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".shellcache.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
