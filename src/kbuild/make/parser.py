"""Reading makefiles: logical lines, comments, directives, a statement tree.

A makefile is parsed once into a list of statements (tuples, cheap to walk);
conditionals become nested blocks, ``define`` bodies are kept verbatim, and
nothing is expanded here: expansion needs the variables, so it happens when
the evaluator (:mod:`kbuild.make.evaluator`) runs the statements.

Statement tuples (the first two items are always the tag and the line):

* ``(ASSIGN, line, name, op, value, mods)``
* ``(DEFINE, line, name, op, body, mods)``
* ``(UNDEFINE, line, name, mods)``
* ``(COND, line, branches, else_block)`` with branches ``[(kind, a, b, block)]``
* ``(INCLUDE, line, optional, names)``
* ``(EXPORT, line, names_or_None, export_flag)``  (``export``/``unexport`` directives)
* ``(RULE, line, text, inline_recipe, recipe_lines, colon)`` (``colon``: index of
  the first ``:`` outside references in ``text``, or -1)
* ``(VPATH, line, text)``

``name``, ``value``, ``names`` and ``text`` are unexpanded make text.
"""

from __future__ import annotations

import os
import re

from .errors import MakeError

ASSIGN, DEFINE, UNDEFINE, COND, INCLUDE, EXPORT, RULE, VPATH = range(8)

# Modifier bits of an assignment.
OVERRIDE, EXPORTED, PRIVATE = 1, 2, 4

_CONT_JOIN = re.compile(r"[ \t]*(?:\x00[ \t]*)+")
_ODD_BACKSLASHES = re.compile(r"(?<!\\)(?:\\\\)*\\$")
_COMMENT_SCAN = re.compile(r"[#$\\]")
_ASSIGN_SCAN = re.compile(r"[$=:+?!\s]")
_BLANKS = re.compile(r"[ \t]*")
_TOP_SCAN_COLON = re.compile(r"[$:;]")
_FIRST_WORD = re.compile(r"\S+")
_PARENS = {"(": re.compile(r"[()]"), "{": re.compile(r"[{}]")}

_CONDITIONALS = frozenset(("ifeq", "ifneq", "ifdef", "ifndef"))
_MODIFIERS = {"override": OVERRIDE, "export": EXPORTED, "private": PRIVATE}
_DEFINE_OPS = (":::=", "::=", ":=", "+=", "?=", "!=", "=")


def skip_reference(s: str, i: int) -> int:
    """Index just after the reference whose open paren or brace is at ``s[i]``.

    Only the same kind of bracket is counted, as make does; an unmatched one
    runs to the end of the text.
    """
    opener = s[i]
    closer = ")" if opener == "(" else "}"
    depth = 0
    for m in _PARENS[opener].finditer(s, i + 1):
        if m.group() == opener:
            depth += 1
        elif depth == 0:
            return m.end()
        else:
            depth -= 1
    return len(s)


def strip_comment(line: str) -> str:
    """Cut ``line`` at the first ``#`` that is not escaped and not inside a reference.

    ``\\#`` becomes a literal ``#``.
    """
    pos = 0
    out = []
    start = 0
    n = len(line)
    while True:
        m = _COMMENT_SCAN.search(line, pos)
        if m is None:
            break
        i = m.start()
        c = line[i]
        if c == "$":
            if i + 1 < n and line[i + 1] in "({":
                pos = skip_reference(line, i + 1)
            else:
                pos = i + 2
            continue
        if c == "\\":
            # A run of backslashes: only meaningful right before '#'.
            j = i
            while j < n and line[j] == "\\":
                j += 1
            if j < n and line[j] == "#":
                count = j - i
                # Pairs are backslashes, an odd one escapes the '#'.
                out.append(line[start:i])
                out.append("\\" * (count // 2))
                if count % 2:
                    out.append("#")
                    start = pos = j + 1
                    continue
                start = j
                return "".join(out)
            pos = j
            continue
        # '#'
        out.append(line[start:i])
        return "".join(out)
    if not out:
        return line
    out.append(line[start:])
    return "".join(out)


def split_assignment(s: str):
    """``(name, op, value)`` if ``s`` (no leading blanks) is a variable assignment, else None.

    ``name`` has surrounding blanks removed, ``value`` its leading blanks; the
    trailing blanks of the value are kept, as make keeps them.
    """
    pos = 0
    n = len(s)
    ws_at = -1
    while True:
        m = _ASSIGN_SCAN.search(s, pos)
        if m is None:
            return None
        i = m.start()
        c = s[i]
        if c == "$":
            if ws_at >= 0:
                return None
            if i + 1 < n and s[i + 1] in "({":
                pos = skip_reference(s, i + 1)
            else:
                pos = i + 2
            continue
        if c in " \t\n\r\f\v":
            j = _BLANKS.match(s, i + 1).end()
            if j >= n:
                return None
            if ws_at < 0:
                ws_at = i
            c2 = s[j]
            if c2 == "=" or (c2 in "+?!" and s.startswith("=", j + 1)) or (
                    c2 == ":" and (s.startswith(":=", j) or s.startswith("::=", j)
                                   or s.startswith(":::=", j))):
                pos = j
                continue
            return None
        end = ws_at if ws_at >= 0 else i
        if c == "=":
            return s[:end], "=", s[i + 1:].lstrip(" \t")
        if c == ":":
            for op in (":=", "::=", ":::="):
                if s.startswith(op, i):
                    return s[:end], op, s[i + len(op):].lstrip(" \t")
            return None
        # '+', '?', '!'
        if i + 1 < n and s[i + 1] == "=":
            return s[:end], c + "=", s[i + 2:].lstrip(" \t")
        if ws_at >= 0:
            return None
        pos = i + 1


def _split_define(rest: str):
    """``define NAME [op]`` -> (name, op)."""
    rest = rest.strip()
    for op in _DEFINE_OPS:
        if rest.endswith(op):
            name = rest[: -len(op)].rstrip()
            # "define a=" has name "a"; but a name like "x:" followed by "=" is ":=".
            if name:
                return name, op
    return rest, "="


def top_level_find(s: str, chars: str) -> int:
    """Index of the first of ``chars`` outside variable references, or -1."""
    pos = 0
    n = len(s)
    while True:
        i = -1
        for ch in chars:
            k = s.find(ch, pos)
            if k >= 0 and (i < 0 or k < i):
                i = k
        d = s.find("$", pos)
        if d < 0 or (i >= 0 and i < d):
            return i
        if d + 1 < n and s[d + 1] in "({":
            pos = skip_reference(s, d + 1)
        else:
            pos = d + 2


def _parse_ifeq_args(text: str):
    """Split the argument text of ifeq/ifneq into its two unexpanded strings, or None."""
    if not text:
        return None
    termin = text[0]
    if termin == "(":
        depth = 0
        i = 1
        n = len(text)
        while i < n:
            ch = text[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "," and depth <= 0:
                break
            i += 1
        if i >= n:
            return None
        a = text[1:i].rstrip(" \t")
        rest = text[i + 1:]
        b_start = len(rest) - len(rest.lstrip(" \t"))
        depth = 0
        j = b_start
        n = len(rest)
        while j < n:
            ch = rest[j]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth <= 0:
                    break
                depth -= 1
            j += 1
        if j >= n:
            return None
        b = rest[b_start:j]
        extra = rest[j + 1:].strip()
        return a, b, extra
    if termin in "\"'":
        k = text.find(termin, 1)
        if k < 0:
            return None
        a = text[1:k]
        rest = text[k + 1:].lstrip(" \t")
        if not rest or rest[0] not in "\"'":
            return None
        t2 = rest[0]
        k2 = rest.find(t2, 1)
        if k2 < 0:
            return None
        return a, rest[1:k2], rest[k2 + 1:].strip()
    return None


class _Frame:
    __slots__ = ("node", "outer", "has_else", "line")

    def __init__(self, node, outer, line):
        self.node = node
        self.outer = outer
        self.has_else = False
        self.line = line


def _logical_lines(text: str, first_line: int):
    """Yield ``(lineno, raw, physical_count)`` with backslash-newline continuations joined.

    ``raw`` keeps the continuations as ``\\x00`` markers so that callers can
    collapse them (make lines) or not (recipes).
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        lineno = i + first_line
        i += 1
        if line.endswith("\r"):
            line = line[:-1]
        if line.endswith("\\") and _ODD_BACKSLASHES.search(line):
            parts = [line[:-1]]
            while i < n:
                nxt = lines[i]
                i += 1
                if nxt.endswith("\r"):
                    nxt = nxt[:-1]
                if nxt.endswith("\\") and _ODD_BACKSLASHES.search(nxt):
                    parts.append(nxt[:-1])
                    continue
                parts.append(nxt)
                break
            yield lineno, "\x00".join(parts)
        else:
            yield lineno, line


def _collapse(raw: str) -> str:
    if "\x00" not in raw:
        return raw
    return _CONT_JOIN.sub(" ", raw)


def parse(text: str, filename: str = "<string>", first_line: int = 1) -> list:
    """Parse makefile text into a statement list (see the module docstring)."""
    root: list = []
    block = root
    stack: list[_Frame] = []
    rule = None  # the recipe list of the rule being read, if any
    it = _logical_lines(text, first_line)
    for lineno, raw in it:
        if rule is not None and raw.startswith("\t"):
            rule.append(raw[1:].replace("\x00", "\\\n"))
            continue
        line = _collapse(raw)
        if "#" in line:
            line = strip_comment(line)
        s = line.lstrip()
        if not s:
            continue
        m = _FIRST_WORD.match(s)
        word = m.group()
        rest = s[m.end():].lstrip()

        # Conditionals.
        if word in _CONDITIONALS:
            branch = _parse_condition(word, rest, filename, lineno)
            node = (COND, lineno, [branch], [])
            block.append(node)
            stack.append(_Frame(node, block, lineno))
            block = branch[3]
            continue
        if word == "else":
            if not stack:
                raise MakeError("extraneous 'else'", filename, lineno)
            fr = stack[-1]
            if fr.has_else:
                raise MakeError("only one 'else' per conditional", filename, lineno)
            if rest:
                w2 = _FIRST_WORD.match(rest).group()
                if w2 not in _CONDITIONALS:
                    raise MakeError("extraneous text after 'else' directive", filename, lineno)
                branch = _parse_condition(w2, rest[len(w2):].lstrip(), filename, lineno)
                fr.node[2].append(branch)
                block = branch[3]
            else:
                fr.has_else = True
                block = fr.node[3]
            continue
        if word == "endif":
            if not stack:
                raise MakeError("extraneous 'endif'", filename, lineno)
            block = stack.pop().outer
            continue

        # Assignments, with their modifiers; define/undefine.
        mods = 0
        body = s
        w = word
        r = rest
        kind = None
        while True:
            bit = _MODIFIERS.get(w)
            if bit is not None and r:
                mods |= bit
                body = r
                mm = _FIRST_WORD.match(r)
                w = mm.group()
                r = r[mm.end():].lstrip()
                continue
            if w in ("define", "undefine"):
                kind = w
            break
        if kind is None:
            asg = split_assignment(body)
            if asg is not None:
                name, op, value = asg
                if not name.strip():
                    raise MakeError("empty variable name", filename, lineno)
                block.append((ASSIGN, lineno, name.strip(), op, value, mods))
                rule = None
                continue
        elif kind == "define":
            name, op = _split_define(r)
            if not name:
                raise MakeError("empty variable name", filename, lineno)
            body_lines = []
            depth = 1
            for _lno, braw in it:
                if not braw.startswith("\t"):
                    bs = braw.lstrip()
                    if bs.startswith("define") and (len(bs) == 6 or bs[6] in " \t"):
                        depth += 1
                    elif bs.startswith("endef") and (len(bs) == 5 or bs[5] in " \t"):
                        depth -= 1
                        if depth == 0:
                            break
                body_lines.append(_collapse(braw))
            else:
                raise MakeError("missing 'endef', unterminated 'define'", filename, lineno)
            block.append((DEFINE, lineno, name, op, "\n".join(body_lines), mods))
            rule = None
            continue
        else:  # undefine
            block.append((UNDEFINE, lineno, r.strip(), mods))
            rule = None
            continue

        if word == "endef":
            raise MakeError("extraneous 'endef'", filename, lineno)
        if word in ("export", "unexport"):
            block.append((EXPORT, lineno, rest or None, word == "export"))
            rule = None
            continue
        if word in ("include", "-include", "sinclude"):
            block.append((INCLUDE, lineno, word != "include", rest))
            rule = None
            continue
        if word == "vpath":
            block.append((VPATH, lineno, rest))
            rule = None
            continue
        if word == "override" or word == "private":
            raise MakeError(f"invalid '{word}' directive", filename, lineno)

        # A rule, or text that has to expand to nothing (such as $(eval ...)).
        semi = top_level_find(s, ";")
        inline = None
        text_ = s
        if semi >= 0:
            text_, inline = s[:semi], s[semi + 1:]
        recipe: list = []
        if inline is not None:
            recipe.append(inline.lstrip())
        colon = top_level_find(text_, ":")
        block.append((RULE, lineno, text_, inline, recipe, colon))
        rule = recipe if colon >= 0 else None
    if stack:
        nlines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        raise MakeError("missing 'endif'", filename, first_line + nlines)
    return root


def _parse_condition(word: str, rest: str, filename: str, lineno: int):
    if word in ("ifdef", "ifndef"):
        if not rest:
            raise MakeError("invalid syntax in conditional", filename, lineno)
        return (word, rest.rstrip(), None, [])
    args = _parse_ifeq_args(rest)
    if args is None:
        raise MakeError("invalid syntax in conditional", filename, lineno)
    return (word, args[0], args[1], [])


# ---------------------------------------------------------------------------
# Parsed files are cached by path, size and modification time.

_FILE_CACHE: dict[str, tuple[int, int, list]] = {}
_TEXT_CACHE: dict[str, list] = {}


def parse_file(path: str) -> list:
    """Statements of the makefile at ``path`` (cached while the file is unchanged)."""
    st = os.stat(path)
    hit = _FILE_CACHE.get(path)
    if hit is not None and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
        return hit[2]
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    stmts = parse(text, path)
    _FILE_CACHE[path] = (st.st_mtime_ns, st.st_size, stmts)
    return stmts


def parse_cached(text: str, filename: str) -> list:
    """Statements of ``text`` given to ``$(eval)`` (cached by the text)."""
    hit = _TEXT_CACHE.get(text)
    if hit is None:
        hit = parse(text, filename)
        if len(_TEXT_CACHE) > 20000:
            _TEXT_CACHE.clear()
        _TEXT_CACHE[text] = hit
    return hit
