"""fixdep: add the CONFIG_ options an object's sources mention to its depfile.

The kernel's scripts/basic/fixdep, for ninja.  After a compile with ``-MD -MF
DEPFILE``, this rewrites DEPFILE (make syntax, which ninja reads with
``deps = gcc``) so that the object depends on

- every file gcc listed (the source and the headers), except
  ``include/generated/autoconf.h``: it changes whenever any option changes,
  which would rebuild everything (the kernel's fixdep drops it too);
- ``include/config/<SYMBOL>`` for every ``CONFIG_<SYMBOL>`` word in those files
  (``CONFIG_FOO_MODULE`` counts as ``FOO``; a word preceded by a letter, digit
  or ``_`` does not count).  syncconfig touches exactly the stamps of the
  options whose value changed, so exactly the objects that mention them are
  rebuilt.

Stamps that do not exist yet (options that have never had a value, or words
that are no option at all) are created with an old timestamp: ninja rebuilds
an object whose depfile input is missing, and an old stamp never makes a
clean object dirty.

Only files in the source or build tree are scanned for CONFIG_ words (system
headers are kept as dependencies but not read).

Run as ``python -S fixdep.py STAMPDIR [SCANROOT...] DEPFILE TARGET``; the module imports
nothing from kbuild so that it starts fast (one run per compile).
"""

from __future__ import annotations

import os
import re
import sys

__all__ = ["config_symbols", "parse_depfile", "fixdep", "OLD_STAMP_TIME"]

_CONFIG = re.compile(rb"CONFIG_([A-Za-z0-9_]+)")
_IGNORED = ("include/generated/autoconf.h",)
# 2000-01-01: older than any object (and not 0, which ninja reads as "missing")
OLD_STAMP_TIME = 946684800


def config_symbols(data: bytes) -> list[str]:
    """The option names fixdep takes from a file's text, in first-seen order."""
    seen: dict[str, None] = {}
    for m in _CONFIG.finditer(data):
        s = m.start()
        if s > 0:
            c = data[s - 1]
            if c == 95 or 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122:
                continue
        name = m.group(1).decode("ascii")
        if name.endswith("_MODULE"):
            name = name[:-7]
        if name:
            seen.setdefault(name)
    return list(seen)


def parse_depfile(text: str) -> tuple[str, list[str]]:
    """(target, prerequisites) of a gcc depfile (one rule; ``\\ `` escapes a space)."""
    text = text.replace("\\\n", " ")
    colon = text.find(": ")
    if colon < 0:
        colon = text.rfind(":")
    target = text[:colon].strip()
    deps = []
    for word in re.findall(r"(?:\\.|[^\s\\])+", text[colon + 1:]):
        word = re.sub(r"\\(.)", r"\1", word)
        if word:
            deps.append(word)
    return target, deps


def _escape(path: str) -> str:
    return path.replace("\\", "\\\\").replace(" ", "\\ ").replace("#", "\\#").replace("$", "$$")


def fixdep(depfile: str, target: str, stampdir: str = "include/config",
           scan_roots: tuple[str, ...] | None = None) -> list[str]:
    """Rewrite ``depfile`` for ``target``; returns the option names found."""
    with open(depfile, encoding="utf-8", errors="surrogateescape") as f:
        _, deps = parse_depfile(f.read())
    kept = []
    symbols: dict[str, None] = {}
    for dep in deps:
        if dep.endswith(_IGNORED):
            continue
        kept.append(dep)
        if dep.startswith("/") and scan_roots is not None and not dep.startswith(scan_roots):
            continue
        try:
            with open(dep, "rb") as f:
                data = f.read()
        except OSError:
            continue
        if b"CONFIG_" in data:
            for name in config_symbols(data):
                symbols.setdefault(name)
    stamps = []
    for name in symbols:
        stamp = stampdir + "/" + name
        if not os.path.exists(stamp):
            os.makedirs(stampdir, exist_ok=True)
            with open(stamp, "wb"):
                pass
            os.utime(stamp, (OLD_STAMP_TIME, OLD_STAMP_TIME))
        stamps.append(stamp)
    out = [_escape(target) + ":"]
    out += [" \\\n  " + _escape(d) for d in kept + stamps]
    tmp = depfile + ".tmp"
    with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("".join(out) + "\n")
    os.replace(tmp, depfile)
    return list(symbols)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        sys.stderr.write("usage: fixdep STAMPDIR [SCANROOT...] DEPFILE TARGET\n")
        return 2
    stampdir = argv[0]
    roots = tuple(r.rstrip("/") + "/" for r in argv[1:-2]) or None
    argv = argv[-2:]
    try:
        fixdep(argv[0], argv[1], stampdir, roots)
    except OSError as e:
        sys.stderr.write("fixdep: %s: %s\n" % (e.filename, e.strerror))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
