"""A quick look-ahead over a Kconfig tree that finds the $(shell ...) commands the parse will run
and starts them early (see preprocess.ShellRunner).  It follows 'source' and variable assignments
but skips help texts and comments, so it never starts a command the parse would not run unless
the command's text came out the same."""

from __future__ import annotations

import os
import re

from .preprocess import SPECULATIVE, VAR_APPEND, VAR_RECURSIVE, VAR_SIMPLE, MacroError, Preprocessor

_ASSIGN = re.compile(r"[ \t]*([A-Za-z0-9_-]+)[ \t]*(:=|\+=|=)[ \t]*(.*)")
_SOURCE = re.compile(r'[ \t]*source[ \t]+"([^"]*)"')
_HELP = re.compile(r"[ \t]*(help|---help---)[ \t]*(#.*)?$")
_FLAVORS = {"=": VAR_RECURSIVE, ":=": VAR_SIMPLE, "+=": VAR_APPEND}


def _strip_comment(line):
    quote = None
    depth = 0
    i = 0
    n = len(line)
    while i < n:
        c = line[i]
        if depth:
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
        elif quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
            elif c == "$" and line[i + 1:i + 2] == "(":
                depth = 1
                i += 1
        else:
            if c == "#":
                return line[:i]
            if c in "\"'":
                quote = c
            elif c == "$" and line[i + 1:i + 2] == "(":
                depth = 1
                i += 1
        i += 1
    return line


_SOURCE_LINE = re.compile(r"[ \t]*source[ \t]").match
_ASSIGN_LINE = re.compile(r"[ \t]*[A-Za-z0-9_-]+[ \t]*(?::=|\+=|=)").match


def _skip_help(text, pos):
    """Position of the first line after the help text that starts at ``pos``."""
    n = len(text)
    first = None
    prefix = None
    while pos < n:
        if prefix is not None:
            # lines that start like the first one stay in the help text (two string calls
            # a line: a regex over them would go through every character)
            while text.startswith(prefix, pos):
                pos = text.find("\n", pos) + 1
                if pos == 0:
                    return n
            if pos >= n:
                break
        le = text.find("\n", pos)
        if le < 0:
            le = n
        body = text[pos:le]
        stripped = body.lstrip(" \t")
        if stripped:
            blanks = body[:len(body) - len(stripped)]
            ind = len(blanks.expandtabs(8))
            if first is None:
                if ind == 0:
                    break
                first = ind
                prefix = blanks
            elif ind < first:
                break
        pos = le + 1
    return min(pos, n)


def _prev_help_line(text, pos):
    """(start, end) of the last 'help' line before ``pos`` (a line start), or None."""
    i = pos
    while True:
        i = text.rfind("help", 0, i)
        if i < 0:
            return None
        hs = text.rfind("\n", 0, i) + 1
        he = text.find("\n", i)
        if he < 0:
            he = len(text)
        if _HELP.match(text, hs, he):
            return hs, he
        i = hs


_COLUMN0 = re.compile(r"\n[^ \t\n]").search


def _help_end(text, ls, memo, depth=0):
    """The end of the help text that the line starting at ``ls`` belongs to, or 0 if it is
    not part of one.  Only the nearest 'help' line before it can have started that help text,
    unless that line is help text itself: then it is the one around that line or none.  A
    line in column 0 between them ends any help text (the usual case: no measuring)."""
    r = memo.get(ls)
    if r is not None:
        return r
    h = _prev_help_line(text, ls)
    if h is None:
        r = 0
    else:
        hs, he = h
        if _COLUMN0(text, he, ls) is not None:
            r = 0
        elif depth > 50:
            r = len(text)       # help lines nested beyond reason: take it as help text (no probe)
        else:
            outer = _help_end(text, hs, memo, depth + 1) if text[hs:hs + 1] in (" ", "\t") else 0
            r = outer if outer else _skip_help(text, he + 1)
            if r <= ls:
                r = 0
    memo[ls] = r
    return r


def _statement_lines(text):
    """The lines outside help texts that the walk looks at (a superset of those with a '$', a
    source or an assignment, in order), for a text without backslash continuations.  Plain
    string searches find them; only the help texts just before an indented one are measured
    (a line that starts in column 0 always ends a help text, so it is never part of one)."""
    n = len(text)
    starts = set()
    for needle, check in (("$", None), ("source", _SOURCE_LINE), ("=", _ASSIGN_LINE)):
        i = text.find(needle)
        while i >= 0:
            ls = text.rfind("\n", 0, i) + 1
            if ls not in starts and (check is None or check(text, ls)):
                starts.add(ls)
            i = text.find(needle, i + 1)
    memo = {}
    for ls in sorted(starts):
        if text[ls:ls + 1] in (" ", "\t") and _help_end(text, ls, memo):
            continue            # inside a help text
        le = text.find("\n", ls)
        yield text[ls:le if le >= 0 else n]


def prefetch(root, environ, runner, texts, read):
    """Walk the tree from ``root``; remember file texts in ``texts``; start shell commands."""
    pp = Preprocessor(environ, lambda: ("", 0), lambda s: None, lambda s: None)
    pp.runner = runner
    pp.speculative = True
    pp._do_error_if = lambda args: ""
    srctree = environ.get("srctree")
    seen = set()

    def load(name):
        t = texts.get(name)
        if t is None:
            t = read(name)
            if t is None and srctree and not name.startswith("/"):
                t = read(os.path.join(srctree, name))
            if t is None:
                return None
            texts[name] = t
        return t

    def walk(name, depth):
        if name in seen or depth > 64:
            return
        seen.add(name)
        text = load(name)
        if text is None:
            return
        # two files in three (the drivers' small ones) have nothing the walk looks for
        if "$" not in text and "source" not in text and "=" not in text:
            return
        if "\\\n" in text:
            # Joining every continuation also joins help lines that end in a backslash, which
            # can only hide the statement after one (a lost prefetch), never show help text.
            text = text.replace("\\\n", "")
        for line in _statement_lines(text):
            try:
                m = _ASSIGN.match(line) if "=" in line else None
                if m:
                    flavor = _FLAVORS[m.group(2)]
                    # a ':=' value is used to build later commands: wait for its probes
                    pp.speculative = "wait" if flavor == VAR_SIMPLE else True
                    try:
                        pp.add_variable(m.group(1), m.group(3), flavor)
                    finally:
                        pp.speculative = True
                    continue
                m = _SOURCE.match(line) if "source" in line else None
                if m:
                    target = pp.expand_string(m.group(1))
                    if SPECULATIVE not in target:
                        walk(target, depth + 1)
                    continue
                if "$" in line:
                    pp.expand_string(_strip_comment(line))
            except (MacroError, RecursionError):
                continue

    walk(root, 0)
