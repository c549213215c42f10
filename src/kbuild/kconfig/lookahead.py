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
        lines = text.split("\n")
        i = 0
        n = len(lines)
        while i < n:
            line = lines[i]
            i += 1
            while line.endswith("\\") and i < n:
                line = line[:-1] + lines[i]
                i += 1
            if "help" in line and _HELP.match(line):
                first = None
                while i < n:
                    body = lines[i]
                    stripped = body.lstrip(" \t")
                    if not stripped:
                        i += 1
                        continue
                    ind = len(body.expandtabs(8)) - len(stripped.expandtabs(8))
                    if first is None:
                        if ind == 0:
                            break
                        first = ind
                    elif ind < first:
                        break
                    i += 1
                continue
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
