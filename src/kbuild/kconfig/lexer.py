"""Tokenizer for Kconfig files, with the same token rules as scripts/kconfig/lexer.l.

Input is read a physical line at a time; a statement is the list of tokens up to the end of line
(backslash-newline continues it).  ``$(...)`` references inside words and strings are expanded as
the C lexer does, without re-scanning the expansion.
"""

from __future__ import annotations

import re

from .preprocess import MacroError

# token kinds
(T_EOL, T_WORD, T_WORD_QUOTE, T_ASSIGN_VAL, T_HELPTEXT, T_OR, T_AND, T_EQUAL, T_UNEQUAL, T_LESS,
 T_LESS_EQUAL, T_GREATER, T_GREATER_EQUAL, T_NOT, T_OPEN_PAREN, T_CLOSE_PAREN, T_COLON_EQUAL,
 T_PLUS_EQUAL, T_BOOL, T_CHOICE, T_COMMENT, T_CONFIG, T_DEF_BOOL, T_DEF_TRISTATE, T_DEFAULT,
 T_DEPENDS, T_ENDCHOICE, T_ENDIF, T_ENDMENU, T_HELP, T_HEX, T_IF, T_IMPLY, T_INT, T_MAINMENU,
 T_MENU, T_MENUCONFIG, T_MODULES, T_ON, T_PROMPT, T_RANGE, T_SELECT, T_SOURCE, T_STRING,
 T_TRISTATE, T_VISIBLE, T_EOF) = range(47)

KEYWORDS = {
    "bool": T_BOOL, "choice": T_CHOICE, "comment": T_COMMENT, "config": T_CONFIG,
    "def_bool": T_DEF_BOOL, "def_tristate": T_DEF_TRISTATE, "default": T_DEFAULT,
    "depends": T_DEPENDS, "endchoice": T_ENDCHOICE, "endif": T_ENDIF, "endmenu": T_ENDMENU,
    "help": T_HELP, "hex": T_HEX, "if": T_IF, "imply": T_IMPLY, "int": T_INT,
    "mainmenu": T_MAINMENU, "menu": T_MENU, "menuconfig": T_MENUCONFIG, "modules": T_MODULES,
    "on": T_ON, "prompt": T_PROMPT, "range": T_RANGE, "select": T_SELECT, "source": T_SOURCE,
    "string": T_STRING, "tristate": T_TRISTATE, "visible": T_VISIBLE,
}

OPERATORS = {
    "||": T_OR, "&&": T_AND, "=": T_EQUAL, "!=": T_UNEQUAL, "<": T_LESS, "<=": T_LESS_EQUAL,
    ">": T_GREATER, ">=": T_GREATER_EQUAL, "!": T_NOT, "(": T_OPEN_PAREN, ")": T_CLOSE_PAREN,
    ":=": T_COLON_EQUAL, "+=": T_PLUS_EQUAL,
}

TOKEN_NAMES = {v: k for k, v in KEYWORDS.items()}
TOKEN_NAMES.update({v: k for k, v in OPERATORS.items()})
TOKEN_NAMES.update({T_EOL: "end of line", T_WORD: "word", T_WORD_QUOTE: "string", T_EOF: "end of file"})

# One scan step in the INITIAL state.  Group 1: word (maybe with '$'), 2: operator, 3: quote.
_SCAN = re.compile(r"""[ \t]+|\#[^\n]*|\\\n|([A-Za-z0-9_$-]+)|(&&|\|\||!=|<=|>=|:=|\+=|[=<>!()])|(["'])|(\n)|(.)""")
# No possessive quantifiers: Python 3.11.2 (Debian 12's) lets '(?:"x*+")*+' match a lone quote.
# Every token is matched whole (a word cannot stop inside a word, '!' cannot leave its '='), so
# a line that fails is not tried again in other splits.
_FAST_OK = re.compile(r'[ \t]*(?:(?:[A-Za-z0-9_-]+(?![A-Za-z0-9_-])|&&|\|\||[!<>](?:=|(?!=))|[=()]'
                      r'|"[^"\\$\n]*")[ \t]*)*\n?\Z').match
_FAST_TOK = re.compile(r'[A-Za-z0-9_-]+|&&|\|\||[!<>]=|[=<>!()]|"[^"\\$\n]*"').findall
_PLAIN_WORDS = re.compile(r"[A-Za-z0-9_ \t-]*\n\Z").match
_NAME_NL = re.compile(r"[A-Za-z0-9_-]+\n\Z").match
_EOL_TOK = (T_EOL, None)
_EOF_TOK = (T_EOF, None)
_CONFIG_TOK = (T_CONFIG, "config")
_WORD_STRING = re.compile(r'[ \t]*([A-Za-z0-9_-]+)[ \t]+"([^"\\$\n]*)"[ \t]*\n\Z').match
_KIND_GET = {**KEYWORDS, **{k: v for k, v in OPERATORS.items() if k not in (":=", "+=")}}.get
_STR_RUN = {'"': re.compile(r"""[^$'"\\\n]+"""), "'": re.compile(r"""[^$'"\\\n]+""")}


_NOTHING = []      # a blank or comment line


def split_lines(text):
    """The lines of ``text`` with their newlines.  Only '\\n' ends a line, as in the C lexer
    (str.splitlines() also breaks at '\\r', '\\f', '\\v', '\\x1c'...)."""
    # (each 'in' is a memchr(): far cheaper than counting the newlines)
    if not ("\r" in text or "\x0b" in text or "\x0c" in text or "\x1c" in text
            or "\x1d" in text or "\x1e" in text
            or (not text.isascii() and ("\x85" in text or "\u2028" in text or "\u2029" in text))):
        return text.splitlines(True)
    parts = text.split("\n")
    last = parts.pop()
    lines = [p + "\n" for p in parts]
    if last:
        lines.append(last)
    return lines


class FileBuffer:
    """A file being read: its lines, the next one's index, the file below it on the stack."""

    __slots__ = ("name", "lines", "idx", "parent", "source_lineno", "via")

    def __init__(self, name, lines, parent, source_lineno, via=None):
        self.name = name
        self.lines = lines
        self.idx = 0
        self.parent = parent
        self.source_lineno = source_lineno      # the line of the 'source' that opened it
        self.via = via      # the file that 'source' ended (no newline after it), else None

    def chain(self):
        """This file and those it was sourced from, innermost first (a file that a 'source'
        ended, no longer on the stack, before the one that sourced it)."""
        out = []
        b = self
        while b is not None:
            out.append(b)
            b = b.via if b.via is not None else b.parent
        return out


class Lexer:
    """Produces statements (token lists) from a stack of Kconfig files."""

    def __init__(self, preprocessor, warn):
        self.pp = preprocessor
        self.warn = warn
        self.buf = None
        self.filename = None
        self.lineno = 0         # yylineno: the physical line being read
        self.cur_lineno = 0     # the line of the first token of the current statement
        # on_eof(warning, index, buffer, tokens): called for a statement that the end of a
        # file (FileBuffer) without a newline ended (None: the warning is printed at once)
        self.on_eof = None
        self._known = {}        # line -> its statement's tokens, False (slow path) or _NOTHING

    def where(self):
        return self.filename, self.lineno

    def push(self, name, text, source_lineno, via=None):
        self.buf = FileBuffer(name, split_lines(text), self.buf, source_lineno, via)
        self.filename = name
        self.lineno = 1

    def _pop(self):
        b = self.buf
        self.buf = b.parent
        if self.buf is None:
            # the end of the input: the C parser's line is then the top file's newlines + 1
            n = len(b.lines)
            self.cur_lineno = n + 1 if n == 0 or b.lines[-1].endswith("\n") else n
        if self.buf is not None:
            self.filename = self.buf.name
            self.lineno = self.buf.idx + 1 if self.buf.idx < len(self.buf.lines) else self.buf.idx + 1

    def next_statement(self):
        """Return (tokens, lineno) of the next non-empty statement, or (None, lineno) at the end.

        A statement's tokens end with T_EOL.  End of an included file also yields T_EOL (like
        the C lexer), so a statement never spans files.
        """
        while True:
            b = self.buf
            if b is None:
                return None, self.cur_lineno
            # fast path: blank lines, comments and complete plain one-line statements
            lines = b.lines
            idx = b.idx
            n = len(lines)
            known = self._known
            while idx < n:
                line = lines[idx]
                # half the lines of a tree repeat ("\thelp", "\tdefault y", ...): the token
                # lists of short lines are kept and shared (nobody changes one)
                got = known.get(line)
                if got is None:
                    # Three shapes cover most lines and need no token regex: 'config NAME'
                    # (a seventh of all lines), words only (split() finds them), and a word
                    # with one plain string ('bool "X"').
                    if line.startswith("config ") and _NAME_NL(line, 7) is not None:
                        name = line[7:-1]
                        idx += 1
                        b.idx = idx
                        self.lineno = self.cur_lineno = idx
                        return [_CONFIG_TOK, (_KIND_GET(name, T_WORD), name), _EOL_TOK], idx
                    if _PLAIN_WORDS(line) is not None:
                        raw = line.split()
                        if not raw:
                            if len(line) < 40:
                                known[line] = _NOTHING
                            idx += 1
                            continue
                        got = [(_KIND_GET(t, T_WORD), t) for t in raw]
                    else:
                        m = _WORD_STRING(line)
                        if m is not None:
                            word, text = m.groups()
                            got = [(_KIND_GET(word, T_WORD), word), (T_WORD_QUOTE, text)]
                        else:
                            body = line
                            if "#" in body and '"' not in body:
                                body = body[:body.index("#")] + "\n"
                            if not line.endswith("\n") or _FAST_OK(body) is None:
                                known[line] = False
                                break
                            raw = _FAST_TOK(body)
                            if not raw:
                                if len(line) < 40:
                                    known[line] = _NOTHING
                                idx += 1
                                continue
                            got = [(T_WORD_QUOTE, t[1:-1]) if t[0] == '"' else (_KIND_GET(t, T_WORD), t)
                                   for t in raw]
                            if len(got) >= 2 and got[0][0] == T_WORD and got[1][0] == T_EQUAL:
                                known[line] = False
                                break
                    got.append(_EOL_TOK)
                    # Short lines repeat ('\tdefault y', 'endmenu'); 'config FOO' lines and
                    # prompts almost never do: kept, they would only fill memory.
                    if len(line) < 40 and line[0] != "c" and got[-2][0] != T_WORD_QUOTE:
                        known[line] = got
                elif got is False:
                    break
                elif got is _NOTHING:
                    idx += 1
                    continue
                idx += 1
                b.idx = idx
                self.lineno = self.cur_lineno = idx
                return got, idx
            b.idx = idx
            if idx >= n:
                self._pop()
                if self.buf is None:
                    return None, self.cur_lineno
                continue
            toks = self._scan_statement(b)
            if toks:
                return toks, self.cur_lineno

    def _scan_statement(self, b):
        toks = []
        lines = b.lines
        first = True
        while b.idx < len(lines):
            line = lines[b.idx]
            lineno = b.idx + 1
            self.lineno = lineno
            b.idx += 1
            missing_nl = not line.endswith("\n")
            if missing_nl:
                line += "\n"
            before = len(toks)
            cont = self._scan_line(line, lineno, toks, first and not toks)
            if missing_nl and len(toks) > before:
                # The C lexer warns when it reads the end of the file, which its parser asks
                # for after the statement's last token (on_eof gets the position), and ends
                # only a sourced file with an end of line: the top file's last statement
                # stays unterminated (a syntax error).  A sourced file is left at that
                # moment: the statement's own actions already see the including file.
                warning = "%s:%d:warning: no new line at end of file\n" % (b.name, lineno)
                if self.on_eof is None:
                    self.warn(warning)
                else:
                    self.on_eof(warning, len(toks), b, toks)
                if b.parent is None:
                    toks.append(_EOF_TOK)
                else:
                    toks.append(_EOL_TOK)
                    self._pop()
                    return toks
            if toks and first:
                first = False
            if not cont:
                if toks:
                    toks.append(_EOL_TOK)
                return toks
            if toks:
                first = False
        if toks:
            toks.append(_EOL_TOK)
        return toks

    def _scan_line(self, line, lineno, toks, at_start):
        """Scan one physical line into ``toks``; True if it ends with a backslash continuation."""
        # fast path: a line of words, operators and plain strings (most of them)
        body = line
        if "#" in body and '"' not in body:
            body = body[:body.index("#")]
        if _FAST_OK(body) is not None:
            raw = _FAST_TOK(body)
            if raw:
                got = [(T_WORD_QUOTE, t[1:-1]) if t[0] == '"' else (_KIND_GET(t, T_WORD), t) for t in raw]
                if not toks:
                    self.cur_lineno = lineno
                    if len(got) >= 2 and got[0][0] == T_WORD and got[1][0] == T_EQUAL:
                        # an assignment: the value is the raw rest of the line
                        return self._scan_slow(line, lineno, toks)
                toks.extend(got)
            return False
        return self._scan_slow(line, lineno, toks)

    def _scan_slow(self, line, lineno, toks):
        pos = 0
        n = len(line)
        scan = _SCAN.match
        pp = self.pp
        while pos < n:
            mo = scan(line, pos)
            word, op, quote, eol, other = mo.groups()
            pos = mo.end()
            if word is not None:
                if "$" in word:
                    try:
                        text, pos = pp.expand_token(line[:-1], mo.start())
                    except MacroError as e:
                        raise _located(e, self.filename, lineno)
                    if not text:
                        continue
                    kind = T_WORD
                else:
                    text = word
                    kind = KEYWORDS.get(word, T_WORD)
                if not toks:
                    self.cur_lineno = lineno
                toks.append((kind, text))
            elif op is not None:
                if not toks:
                    self.cur_lineno = lineno
                kind = OPERATORS[op]
                toks.append((kind, op))
                if (len(toks) == 2 and toks[0][0] == T_WORD
                        and kind in (T_EQUAL, T_COLON_EQUAL, T_PLUS_EQUAL)):
                    rest = line[pos:].rstrip("\n")
                    rest = rest.lstrip(" \t")
                    toks.append((T_ASSIGN_VAL, rest))
                    return False
            elif quote is not None:
                if not toks:
                    self.cur_lineno = lineno
                text, pos = self._scan_string(line, pos, quote, lineno)
                toks.append((T_WORD_QUOTE, text))
            elif eol is not None:
                return False
            elif other is not None:
                self.warn("%s:%d:warning: ignoring unsupported character '%s'\n"
                          % (self.filename, lineno, other))
            elif line.startswith("\\\n", mo.start()):
                return True
        return False

    def _scan_string(self, line, pos, quote, lineno):
        out = []
        n = len(line)
        run = _STR_RUN[quote].match
        while pos < n:
            c = line[pos]
            if c == quote:
                return "".join(out), pos + 1
            if c == "\n":
                self.warn("%s:%d:warning: multi-line strings not supported\n"
                          % (self.filename, self.cur_lineno))
                return "".join(out), pos
            if c == "$":
                try:
                    text, pos = self.pp.expand_dollar(line[:-1], pos + 1)
                except MacroError as e:
                    raise _located(e, self.filename, lineno)
                out.append(text)
                continue
            if c == "\\":
                if pos + 1 < n and line[pos + 1] != "\n":
                    out.append(line[pos + 1])
                    pos += 2
                else:
                    pos += 1
                continue
            if c == "'" or c == '"':
                out.append(c)
                pos += 1
                continue
            mo = run(line, pos)
            out.append(mo.group())
            pos = mo.end()
        return "".join(out), pos

    def skip_help(self, keep=True):
        """Move past a help text after 'help' as read_help() would, without formatting it.

        Returns (text, blank): ``text`` turns into read_help()'s string with str(), which
        only those who read help texts pay for (None unless ``keep``); ``blank`` says whether
        it is all white space."""
        # ('help' at the end of a sourced file without a newline: the lexer has left that
        # file already, and the help text is read from the including one, as in C)
        b = self.buf
        lines = b.lines
        n = len(lines)
        start = i = b.idx
        first_ts = 0
        last_ts = 0
        prefix = None
        end_line = None
        while i < n:
            line = lines[i]
            if prefix is not None and (line.startswith(prefix) or line == "\n"):
                # indented at least as far as the first line, or empty: help text (only the
                # file's last line can lack its newline, and after it the loop ends anyway)
                i += 1
                continue
            if i > start and line[:1] not in (" ", "\t", "\n"):
                break                       # the line before was the last one
            body = line.rstrip("\n")
            stripped = body.lstrip(" \t")
            if stripped:
                indent = body[:len(body) - len(stripped)]
                if indent:
                    # columns, a tab going to the next multiple of 8
                    last_ts = ts = len(indent.expandtabs(8))
                    if first_ts and ts < first_ts:
                        # read_help() leaves the rest of the line to the normal scanner
                        end_line = line
                        lines[i] = line[len(indent):]
                        break
                if not first_ts:
                    first_ts = last_ts
                    if first_ts:
                        prefix = indent
            i += 1
            if not line.endswith("\n"):
                break
        b.idx = i
        if i > start:
            self.lineno = i
        if not keep:
            # (a help text's first line is hardly ever blank: no need to look at the rest)
            return None, i == start or (not lines[start].strip(" \f\n\r\t\v")
                                        and not "".join(lines[start:i]).strip(" \f\n\r\t\v"))
        # one string, not the file's line objects: those would keep every line alive
        body = "".join(lines[start:i])
        after = end_line if end_line is not None else lines[i] if i < n else ""
        return _LazyHelp(body, after), not body.strip(" \f\n\r\t\v")

    def read_help(self):
        """Read a help text after 'help': the HELP state of lexer.l."""
        b = self.buf
        lines = b.lines
        out = []
        first_ts = 0
        last_ts = 0
        while b.idx < len(lines):
            line = lines[b.idx]
            body = line.rstrip("\n")
            stripped = body.lstrip(" \t")
            if not stripped:
                # blank line: ends the help if the next line starts with a non-blank
                b.idx += 1
                self.lineno = b.idx
                nxt = lines[b.idx] if b.idx < len(lines) else ""
                if nxt[:1] not in (" ", "\t", "\n") and nxt != "":
                    return "".join(out)
                if not line.endswith("\n"):
                    return "".join(out)
                out.append("\n")
                continue
            indent = body[:len(body) - len(stripped)]
            if indent:
                last_ts = ts = len(indent.expandtabs(8))
                if first_ts:
                    if ts < first_ts:
                        # leave the rest of the line to the normal scanner
                        lines[b.idx] = line[len(indent):]
                        return "".join(out)
                    ts -= first_ts
                    while ts > 8:
                        out.append("        ")
                        ts -= 8
                    out.append(" " * ts)
            text = stripped.rstrip(" \t")
            out.append(text)
            if not first_ts:
                first_ts = last_ts
            b.idx += 1
            self.lineno = b.idx
            if not line.endswith("\n"):
                return "".join(out)
            nxt = lines[b.idx] if b.idx < len(lines) else ""
            if nxt and nxt[:1] not in (" ", "\t", "\n"):
                return "".join(out)
            out.append("\n")
        return "".join(out)


class _LazyHelp:
    """A help text's lines (and the line after them), formatted by read_help() on first use."""

    __slots__ = ("text", "after")

    def __init__(self, text, after):
        self.text = text
        self.after = after

    def __str__(self):
        lx = Lexer(None, None)
        lx.buf = FileBuffer("", split_lines(self.text + self.after), None, 0)
        return lx.read_help()

    def __reduce__(self):
        return (str, (str(self),))


def _located(err, filename, lineno):
    from .model import KconfigError
    return KconfigError(str(err), filename, lineno)
