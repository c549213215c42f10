"""Make text compiled once into templates that expand quickly.

``compile_text(s)`` turns unexpanded make text into either a plain ``str``
(no ``$`` in it) or a tuple of parts: strings and reference nodes.  Nodes are
tuples with an int tag:

* ``(VAR, name)``: ``$(name)`` with a literal name and no substitution;
* ``(VARX, name_template)``: a computed name, a substitution reference or both;
* ``(FUNC, impl, args, lazy, name)``: a builtin function call, ``args`` are
  templates; ``lazy`` functions get the templates, the others expanded text.

Compiled templates are cached by text: the kernel's makefiles expand the same
few hundred texts thousands of times.
"""

from __future__ import annotations

import re

from .errors import MakeError

VAR, VARX, FUNC = 0, 1, 2

_FUNC_NAME = re.compile(r"([a-z][a-z-]*)[ \t\n]")
_BLANKS = re.compile(r"[ \t\n]*")
_ARG_SCAN = {"(": re.compile(r"[(),]"), "{": re.compile(r"[{},]")}
_PAREN_SCAN = {"(": re.compile(r"[()]"), "{": re.compile(r"[{}]")}

# name -> (implementation, max args (0: unlimited), min args, lazy); filled by functions.py
FUNCTIONS: dict[str, tuple] = {}

_CACHE: dict[str, object] = {}


def compile_text(s: str):
    """The template of make text ``s`` (cached)."""
    hit = _CACHE.get(s)
    if hit is not None:
        return hit
    if "$" not in s:
        return s
    t = _compile(s)
    if len(_CACHE) > 200000:
        _CACHE.clear()
    _CACHE[s] = t
    return t


def _compile(s: str):
    parts: list = []
    pos = 0
    n = len(s)
    i = s.find("$")
    while i >= 0:
        if i > pos:
            parts.append(s[pos:i])
        if i + 1 >= n:
            parts.append("$")  # a lone '$' at the end stays
            pos = n
            break
        c = s[i + 1]
        if c == "$":
            parts.append("$")
            pos = i + 2
        elif c == "(" or c == "{":
            node, pos = _compile_reference(s, i + 2, c)
            parts.append(node)
        else:
            parts.append((VAR, c))
            pos = i + 2
        i = s.find("$", pos)
    if pos < n:
        parts.append(s[pos:])
    # Merge adjacent literals.
    merged: list = []
    for p in parts:
        if p.__class__ is str and merged and merged[-1].__class__ is str:
            merged[-1] += p
        elif p != "":
            merged.append(p)
    if all(p.__class__ is str for p in merged):
        return "".join(merged)
    return tuple(merged)


def _compile_reference(s: str, start: int, opener: str):
    """Compile the reference whose text starts at ``s[start]`` (after ``$(``)."""
    closer = ")" if opener == "(" else "}"
    m = _FUNC_NAME.match(s, start)
    if m is not None:
        entry = FUNCTIONS.get(m.group(1))
        if entry is not None:
            return _compile_function(s, m.group(1), entry, _BLANKS.match(s, m.end()).end(),
                                     opener, closer)
    depth = 0
    end = -1
    for mm in _PAREN_SCAN[opener].finditer(s, start):
        if mm.group() == opener:
            depth += 1
        elif depth == 0:
            end = mm.start()
            break
        else:
            depth -= 1
    if end < 0:
        end = s.find(closer, start)
        if end < 0:
            raise MakeError("unterminated variable reference")
    name = s[start:end]
    if "$" in name or ":" in name:
        return (VARX, compile_text(name)), end + 1
    return (VAR, name), end + 1


def _compile_function(s: str, fname: str, entry, beg: int, opener: str, closer: str):
    impl, maxargs, minargs, lazy = entry
    args = []
    depth = 0
    argstart = beg
    end = -1
    for mm in _ARG_SCAN[opener].finditer(s, beg):
        ch = mm.group()
        if ch == ",":
            if depth == 0 and (maxargs == 0 or len(args) < maxargs - 1):
                args.append(s[argstart:mm.start()])
                argstart = mm.end()
        elif ch == opener:
            depth += 1
        elif depth == 0:
            end = mm.start()
            break
        else:
            depth -= 1
    if end < 0:
        raise MakeError(f"unterminated call to function '{fname}': missing '{closer}'")
    args.append(s[argstart:end])
    if len(args) < minargs:
        raise MakeError(f"insufficient number of arguments ({len(args)}) to function '{fname}'")
    if fname == "if":
        args[0] = args[0].strip()
    elif fname == "or" or fname == "and":
        args = [a.strip() for a in args]
    return (FUNC, impl, tuple(compile_text(a) for a in args), lazy, fname), end + 1
