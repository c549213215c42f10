"""Kconfig parser: builds symbols, properties and the raw menu tree (scripts/kconfig/parser.y).

The grammar is that of Linux 6.12.  Older syntax still met in other trees is accepted as well:
``option env=/defconfig_list/modules/allnoconfig_y``, ``---help---``, ``boolean``, ``optional``
in choices; and newer: ``transitional`` and ``depends on A if B``.
"""

from __future__ import annotations

import os

from .expr import (E_AND, E_EQUAL, E_GEQ, E_GTH, E_LEQ, E_LTH, E_NOT, E_OR, E_RANGE, E_SYMBOL,
                   E_UNEQUAL, alloc_and)
from .lexer import (T_AND, T_ASSIGN_VAL, T_BOOL, T_CHOICE, T_CLOSE_PAREN, T_COLON_EQUAL,
                    T_COMMENT, T_CONFIG, T_DEF_BOOL, T_DEF_TRISTATE, T_DEFAULT, T_DEPENDS,
                    T_ENDCHOICE, T_ENDIF, T_ENDMENU, T_EOL, T_EQUAL, T_GREATER,
                    T_GREATER_EQUAL, T_HELP, T_HEX, T_IF, T_IMPLY, T_INT, T_LESS, T_LESS_EQUAL,
                    T_MAINMENU, T_MENU, T_MENUCONFIG, T_MODULES, T_NOT, T_ON, T_OPEN_PAREN, T_OR,
                    T_PLUS_EQUAL, T_PROMPT, T_RANGE, T_SELECT, T_SOURCE, T_STRING, T_TRISTATE,
                    T_UNEQUAL, T_VISIBLE, T_WORD, T_WORD_QUOTE, _EOF_TOK, Lexer)
from .model import KconfigError
from .preprocess import VAR_APPEND, VAR_RECURSIVE, VAR_SIMPLE, MacroError, Preprocessor
from .symbol import (P_COMMENT, P_DEFAULT, P_IMPLY, P_MENU, P_PROMPT, P_RANGE, P_SELECT,
                     S_BOOLEAN, S_HEX, S_INT, S_STRING, S_TRISTATE, S_UNKNOWN, SYMBOL_TRANSITIONAL, SYMBOL_NO_WRITE,
                     SYMBOL_ALLNOCONFIG_Y, SYMBOL_OPTIONAL,
                     TYPE_NAMES, Menu, Property)

_TYPES = {T_BOOL: S_BOOLEAN, T_TRISTATE: S_TRISTATE, T_INT: S_INT, T_HEX: S_HEX, T_STRING: S_STRING}
_CMP = {T_LESS: E_LTH, T_LESS_EQUAL: E_LEQ, T_GREATER: E_GTH, T_GREATER_EQUAL: E_GEQ,
        T_EQUAL: E_EQUAL, T_UNEQUAL: E_UNEQUAL}
_END_NAMES = {T_ENDMENU: "menu", T_ENDCHOICE: "choice", T_ENDIF: "if"}
# Syntax that the C tool of Linux 6.12 rejects: removed before it, or added after it.
_OLD_WORDS = frozenset(("option", "---help---", "boolean", "optional"))
_NEW_WORDS = frozenset(("transitional",))
_COMPAT_WORDS = _OLD_WORDS | _NEW_WORDS
_REFERENCE = (6, 12)


def syntax_of(version):
    """(words accepted beside 6.12's keywords, whether 'depends on A if B' and a tristate
    choice are accepted) for a tree of ``version``.  6.12 itself gets exactly its C tool's
    grammar; an older tree also the syntax removed before 6.12, a newer one also that added
    after it (the exact versions in between are not told apart: the lenient side is taken)."""
    if version is None:
        return _COMPAT_WORDS, True, True
    if version < _REFERENCE:
        return _OLD_WORDS, False, True
    if version > _REFERENCE:
        return _NEW_WORDS, True, False
    return frozenset(), False, False
# statements that end an entry's option list: the next entry or block
_NOT_OPTIONS = frozenset((T_CONFIG, T_MENUCONFIG, T_CHOICE, T_ENDCHOICE, T_COMMENT, T_MENU, T_ENDMENU,
                          T_IF, T_ENDIF, T_SOURCE, T_MAINMENU))


class _SyntaxError(Exception):
    pass


def read_text(path):
    """Read a Kconfig or .config file as text; bytes that are not UTF-8 are kept as they are."""
    # os.read() without the io objects of open(): a tree is ~1,600 small files
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks).decode("utf-8", "surrogateescape")


class Parser:
    """Parses a Kconfig tree into a :class:`~kbuild.kconfig.model.Kconfig`."""

    def __init__(self, kc, shell_cache=None, keep_help=True):
        self.kc = kc
        self.keep_help = keep_help
        self._eof_note = None   # see _note_eof()
        self._left = None       # (statement, FileBuffer) of a file the lexer left at its end
        self._assign_where = None   # (file, line) for messages while a value is assigned
        self.pp = Preprocessor(kc.environ, self._where, kc.stdout, self._err, shell_cache)
        self.lexer = Lexer(self.pp, self._err)
        self.lexer.on_eof = self._note_eof
        self.errors = 0
        self.current_entry = kc.rootmenu
        self.current_menu = kc.rootmenu
        self.last_ptr = (kc.rootmenu, "list")
        self.current_choice = None
        self.tokens = None
        self.pos = 0
        self.lineno = 0
        self.srctree = kc.environ.get("srctree")
        self._compat_words, self._depends_if, self._tristate_choice = syntax_of(
            kc.version)
        self._file_set = set()
        self.texts = {}
        self._parsed = {}       # see _option()
        self._eof_error = False
        self._unclosed = []     # blocks (Menus) the end of the input left open
        self._after_error = None    # the statement right after a syntax error (see _recover)
        self._quiet_eof = False

    def _where(self):
        return self._assign_where or self.lexer.where()

    # --- diagnostics -----------------------------------------------------------

    def _note_eof(self, warning, index, buffer, tokens):
        """The lexer met the end of a file without a newline after token ``index`` of the
        statement ``tokens`` it is about to return.  C's lexer warns when its parser asks for
        the token there: before the messages of the statement's actions, but after a syntax
        error found at an earlier token (see _err, _syntax_error)."""
        self._err("")
        self._eof_note = (warning, index, buffer.name, tokens)
        self._left = (tokens, buffer)

    def _err(self, text):
        """Print ``text`` (a message of the parse) after a held-back end-of-file warning that
        C's lexer has printed by now: all but one for a token of the current statement that
        the parser has not reached yet."""
        if self._before_eof() is None:
            self._flush_eof()
        if text:
            self.kc.stderr(text)

    def _flush_eof(self):
        note = self._eof_note
        if note is not None:
            self._eof_note = None
            self.kc.stderr(note[0])

    def _before_eof(self):
        """The held-back end-of-file note if the parser is still before that end in the current
        statement (C's lexer still in the file), else None."""
        note = self._eof_note
        if note is not None and note[3] is self.tokens and self.pos < note[1]:
            return note
        return None

    def _file(self):
        """cur_filename: the file of the statement, or the one that sourced it once C's lexer
        has read the end of it (see _note_eof)."""
        note = self._before_eof()
        return note[2] if note is not None else self.lexer.filename

    def warn_at(self, filename, lineno, msg):
        self._err("%s:%d:warning: %s\n" % (filename, lineno, msg))

    def zconfprint(self, msg):
        self._err("%s:%d: %s\n" % (self._file(), self.lineno, msg))

    def zconf_error(self, msg):
        self.errors += 1
        self._err("%s:%d: %s\n" % (self._file(), self.lineno, msg))

    # --- files -----------------------------------------------------------------

    def _open(self, name):
        t = self.texts.pop(name, None)
        if t is not None:
            return t
        if self.srctree and not name.startswith("/"):
            t = self.texts.pop(os.path.join(self.srctree, name), None)
            if t is not None and not os.path.exists(name):
                return t
        try:
            return read_text(name)
        except FileNotFoundError:
            pass
        except IsADirectoryError:
            return None
        except OSError as e:
            raise KconfigError("%s: %s" % (name, e.strerror))
        if self.srctree and not name.startswith("/"):
            try:
                return read_text(os.path.join(self.srctree, name))
            except OSError:
                return None
        return None

    def _file_lookup(self, name):
        if name not in self._file_set:
            self._file_set.add(name)
            self.kc.files.append(name)

    def _check_text(self, name, text):
        i = text.find("\0")
        if i >= 0:
            line = text.count("\n", 0, i) + 1
            raise KconfigError("error: binary data (NUL byte) in Kconfig file", name, line)

    def open_root(self, name):
        text = self._open(name)
        if text is None:
            raise KconfigError("can't find file %s" % name)
        self._check_text(name, text)
        self._file_lookup(name)
        self.lexer.push(name, text, 0)

    def open_source(self, name):
        lx = self.lexer
        text = self._open(name)
        if text is None:
            raise KconfigError('can\'t open file "%s"' % name, lx.filename, self.lineno)
        left = self._left
        via = None
        if left is not None and left[0] is self.tokens:
            # The 'source' ended its file without a newline: C's lexer has left the file, and
            # a file sourced there that sources it again the same way loops for ever in C
            # (here: a recursive inclusion).
            via = left[1]
            chain = via.chain()
        else:
            chain = lx.buf.chain()
        if any(b.name == name for b in chain):
            lines = ["Recursive inclusion detected.", "Inclusion path:", "  current file : %s" % name]
            src = self.lineno
            for b in chain:
                lines.append("  included from: %s:%d" % (b.name, src))
                src = b.source_lineno
                if b.name == name and self.kc.pre611:
                    break       # (the C tools before 6.11 stop at the file itself)
            raise KconfigError("\n".join(lines))
        self._check_text(name, text)
        self._file_lookup(name)
        lx.push(name, text, self.lineno, via)

    # --- token stream -------------------------------------------------------------

    def _next_stmt(self):
        toks, lineno = self.lexer.next_statement()
        self.tokens = toks
        self.pos = 0
        self.lineno = lineno
        return toks

    def _peek(self):
        return self.tokens[self.pos][0]

    def _take(self):
        t = self.tokens[self.pos]
        self.pos += 1
        return t

    def _expect(self, kind):
        t = self.tokens[self.pos]
        if t[0] != kind:
            raise _SyntaxError()
        self.pos += 1
        return t[1]

    def _expect_eol(self):
        if self.tokens[self.pos][0] != T_EOL:
            raise _SyntaxError()

    # --- menu construction (menu.c) -------------------------------------------------

    def menu_add_entry(self, sym, kind):
        m = Menu(sym, self.current_menu, self.lexer.filename, self.lineno, kind)
        owner, attr = self.last_ptr
        setattr(owner, attr, m)
        self.last_ptr = (m, "next")
        self.current_entry = m
        if sym is not None:
            sym.menus.append(m)
        return m

    def menu_add_menu(self):
        self.last_ptr = (self.current_entry, "list")
        self.current_menu = self.current_entry
        return self.current_menu

    def menu_end_menu(self):
        self.last_ptr = (self.current_menu, "next")
        self.current_menu = self.current_menu.parent

    def menu_add_dep(self, dep):
        self.current_entry.dep = alloc_and(self.current_entry.dep, dep)

    def menu_set_type(self, typ):
        sym = self.current_entry.sym
        if sym.type == typ:
            return
        if sym.type == S_UNKNOWN:
            sym.type = typ
            return
        e = self.current_entry
        self.warn_at(e.filename, e.lineno, "ignoring type redefinition of '%s' from '%s' to '%s'"
                     % (sym.name if sym.name is not None else "<choice>",
                        TYPE_NAMES[sym.type], TYPE_NAMES[typ]))

    def menu_add_prop(self, typ, expr, dep):
        e = self.current_entry
        p = Property(typ, expr, dep, e, self.lexer.filename, self.lineno)
        if e.sym is not None:
            e.sym.props.append(p)
        return p

    def menu_add_prompt(self, typ, text, dep):
        p = self.menu_add_prop(typ, None, dep)
        if text[:1].isspace():
            self.warn_at(p.filename, p.lineno, "leading whitespace ignored")
            text = text.lstrip(" \t\n\r\f\v")
        e = self.current_entry
        if e.prompt is not None:
            self.warn_at(p.filename, p.lineno, "prompt redefined")
        if typ == P_PROMPT:
            m = e.parent
            while m is not None:
                if m.visibility is not None:
                    p.visible_expr = alloc_and(p.visible_expr, m.visibility)
                m = m.parent
        e.prompt = p
        p.text = text
        return p

    # --- expressions ------------------------------------------------------------------

    def _symbol(self, const_ok=True):
        kind, val = self.tokens[self.pos]
        if kind == T_WORD:
            self.pos += 1
            return self.kc.lookup(val)
        if kind == T_WORD_QUOTE and const_ok:
            self.pos += 1
            return self.kc.lookup(val, const=True)
        raise _SyntaxError()

    def _expr(self):
        e = self._and_expr()
        while self.tokens[self.pos][0] == T_OR:
            self.pos += 1
            e = (E_OR, e, self._and_expr())
        return e

    def _and_expr(self):
        e = self._unary()
        while self.tokens[self.pos][0] == T_AND:
            self.pos += 1
            e = (E_AND, e, self._unary())
        return e

    def _unary(self):
        kind = self.tokens[self.pos][0]
        if kind == T_NOT:
            self.pos += 1
            return (E_NOT, self._unary(), None)
        if kind == T_OPEN_PAREN:
            self.pos += 1
            e = self._expr()
            self._expect(T_CLOSE_PAREN)
            return e
        s = self._symbol()
        op = _CMP.get(self.tokens[self.pos][0])
        if op is not None:
            self.pos += 1
            return (op, s, self._symbol())
        return (E_SYMBOL, s, None)

    def _if_expr(self):
        if self.tokens[self.pos][0] == T_IF:
            self.pos += 1
            return self._expr()
        return None

    # --- statements -----------------------------------------------------------------------

    def parse(self, filename):
        """conf_parse() up to (not including) menu finalization."""
        self.open_root(filename)
        try:
            toks = self._next_stmt()
            if toks is not None and toks[0][0] == T_MAINMENU:
                try:
                    self.pos = 1
                    text = self._expect(T_WORD_QUOTE)
                    self._expect_eol()
                    self.menu_add_prompt(P_MENU, text, None)
                    self._next_stmt()
                except _SyntaxError:
                    # yacc has no statement list yet to recover in: it gives up (before it
                    # reads any further)
                    self.errors += 1
                    self._err("%s:%d: syntax error\n" % (self._file(), self.lineno))
                    if self._before_eof() is not None:
                        self._eof_note = None
                    self.tokens = None
                    return
            self._stmt_list(None)
        finally:
            self._err("")       # a warning still held back (see _note_eof)

    def _syntax_error(self, unknown=True):
        """yyerror() and the error rules, for a statement found wrong at token ``self.pos``.
        The caller goes on with _recover()."""
        self.errors += 1
        # yacc stays quiet about an error until two tokens after the last one went well
        if not (self.tokens is self._after_error and self.pos < 2):
            # (at a token before the end of a file that C's lexer has not read yet, its
            # warning comes after this: see _err)
            self._err("%s:%d: syntax error\n" % (self._file(), self.lineno))
        # the recovery reads on to the end of the line (and of the file, if it ends there)
        self._flush_eof()
        if self.tokens and self.tokens[-2] is _EOF_TOK:
            self._eof_error = True
            return      # the end of the input: no statement to recover at (the C parser stops)
        first = self.tokens[0] if self.tokens else None
        if unknown and first is not None and first[0] == T_WORD:
            self.zconf_error('unknown statement "%s"' % first[1])
            self.errors -= 1
        else:
            self.zconf_error("invalid statement")
            self.errors -= 1

    def _stmt_list(self, block, in_choice=False):
        """Parse statements until the end token of ``block`` (a Menu) or end of input.
        ``in_choice``: the list is in a choice block, maybe in an 'if' block in it (yacc's
        stmt_list_in_choice: only config, comment and if statements).

        ``self.tokens`` holds the current (unconsumed) statement on entry and on return.
        """
        while True:
            toks = self.tokens
            if toks is None:
                if block is not None:
                    self._unclosed.append(block)
                return
            kind = toks[0][0]
            try:
                if kind == T_CONFIG or (kind == T_MENUCONFIG and not in_choice):
                    self._config_stmt(kind == T_MENUCONFIG)
                    continue
                if kind in _END_NAMES:
                    if block is None:
                        self.pos = 0
                        raise _SyntaxError()
                    self.pos = 1
                    self._expect_eol()
                    name = _END_NAMES[kind]
                    if block.kind == "choice":
                        self.current_choice = None
                    # any end statement ends the block for the grammar; a wrong one leaves the
                    # entries that follow inside it (no menu_end_menu())
                    if self._endtoken(name, block.kind):
                        self.menu_end_menu()
                    self._next_stmt()
                    return
                if kind == T_IF:
                    self.pos = 1
                    dep = self._expr()
                    self._expect_eol()
                    self.menu_add_entry(None, "if")
                    self.menu_add_dep(dep)
                    m = self.menu_add_menu()
                    self._next_stmt()
                    self._stmt_list(m, in_choice)
                    continue
                if kind == T_COMMENT:
                    self._comment_stmt()
                    continue
                if in_choice:
                    self.pos = 0
                    raise _SyntaxError()
                if kind == T_SOURCE:
                    self.pos = 1
                    name = self._expect(T_WORD_QUOTE)
                    self._expect_eol()
                    self.open_source(name)
                    self._next_stmt()
                    continue
                if kind == T_MENU:
                    self._menu_stmt()
                    continue
                if kind == T_CHOICE:
                    self._choice_stmt()
                    continue
                if kind == T_WORD and len(toks) > 1 and toks[1][0] in (T_EQUAL, T_COLON_EQUAL, T_PLUS_EQUAL):
                    name = toks[0][1]
                    flavor = {T_EQUAL: VAR_RECURSIVE, T_COLON_EQUAL: VAR_SIMPLE,
                              T_PLUS_EQUAL: VAR_APPEND}[toks[1][0]]
                    value = toks[2][1] if toks[2][0] == T_ASSIGN_VAL else ""
                    self.pos = 3 if toks[2][0] == T_ASSIGN_VAL else 2
                    self._expect_eol()      # (the end of the top file is not one)
                    # C assigns after reading the end of the line: messages name the next line
                    # (unless the end of a sourced file ended it: then the including file's)
                    left = self._left
                    ended = left is not None and left[0] is toks
                    self._assign_where = where = (
                        self.lexer.filename, self.lexer.lineno + (0 if ended else 1))
                    try:
                        self.pp.add_variable(name, value, flavor)
                    except MacroError as e:
                        raise KconfigError(str(e), *where)
                    finally:
                        self._assign_where = None
                    self._next_stmt()
                    continue
                # (a word could still start an assignment: yacc fails at the token after it)
                self.pos = 1 if kind == T_WORD else 0
                raise _SyntaxError()
            except _SyntaxError:
                # (a choice block's statement list has no rule for an unknown word)
                self._syntax_error(unknown=not in_choice)
                self._recover()
        # not reached

    def _recover(self):
        """Go on after a syntax error with the next statement, marked as the one right after
        an error (see _syntax_error).  yacc's recovery drops whatever entry or block the
        statement was in the middle of: the caller returns to the enclosing statement list."""
        old = self._next_stmt()
        if old is None:
            self._quiet_eof = True      # the end of the input right after an error: no message
        else:
            # (a copy: statements of identical lines share one token list)
            toks = self.tokens = list(old)
            note = self._eof_note
            if note is not None and note[3] is old:
                self._eof_note = note[:3] + (toks,)
            if self._left is not None and self._left[0] is old:
                self._left = (toks, self._left[1])
            self._after_error = toks

    def _endtoken(self, name, expected):
        if name != expected:
            self.zconf_error("unexpected '%s' within %s block" % (name, expected))
            return False
        cm = self.current_menu
        if cm.filename != self.lexer.filename:
            self.zconf_error("'%s' in different file than '%s'" % (name, expected))
            self._err("%s:%d: location of the '%s'\n" % (cm.filename, cm.lineno, expected))
            return False
        return True

    def _config_stmt(self, is_menuconfig):
        self.pos = 1
        name_tok = self._take()
        if name_tok[0] != T_WORD:
            self.pos = 1
            raise _SyntaxError()
        self._expect_eol()
        sym = self.kc.lookup(name_tok[1])
        entry = self.menu_add_entry(sym, "menuconfig" if is_menuconfig else "config")
        if self._config_options(entry):
            return      # a syntax error in an option: no end of the entry for yacc
        if is_menuconfig:
            if entry.prompt is not None:
                entry.prompt.type = P_MENU
            else:
                self.zconfprint("warning: menuconfig statement without prompt")
        if self.current_choice is not None:
            if entry.prompt is None:
                self._err("%s:%d: error: choice member must have a prompt\n"
                          % (entry.filename, entry.lineno))
                self.errors += 1
            if sym.type != S_BOOLEAN and not self.kc.pre611:
                self._err("%s:%d: error: choice member must be bool\n"
                          % (entry.filename, entry.lineno))
                self.errors += 1
            if not sym.in_choice:
                sym.in_choice = True
                self.current_choice.choice_members.append(sym)

    def _config_options(self, entry):
        """_option_list(entry, "config") from the next statement on.  Half the statements of a
        tree are one of five plain shapes ('select X', 'depends on X', 'bool "text"', 'bool',
        'default X'): those are built here directly, the rest go through _option().  True if
        a syntax error ended the options (as in _option_list)."""
        next_statement = self.lexer.next_statement
        lookup = self.kc.lookup
        sym = entry.sym
        props = sym.props
        while True:
            toks, lineno = next_statement()
            if toks is None:
                self.tokens = None
                self.pos = 0
                self.lineno = lineno
                return False
            # (the fast shapes below need no parser state: it is set for the others)
            kind = toks[0][0]
            n = len(toks)
            if n == 3:
                second = toks[1]
                if second[0] == T_WORD:
                    if kind == T_SELECT:
                        props.append(Property(P_SELECT, (E_SYMBOL, lookup(second[1]), None), None,
                                              entry, self.lexer.filename, lineno))
                        continue
                    if kind == T_DEFAULT:
                        props.append(Property(P_DEFAULT, (E_SYMBOL, lookup(second[1]), None), None,
                                              entry, self.lexer.filename, lineno))
                        continue
                elif second[0] == T_WORD_QUOTE and (kind == T_TRISTATE or kind == T_BOOL):
                    self.tokens = toks
                    self.pos = 2        # (the parser has read the end of the line: see _err)
                    self.lineno = lineno
                    self.menu_add_prompt(P_PROMPT, second[1], None)
                    typ = S_TRISTATE if kind == T_TRISTATE else S_BOOLEAN
                    if sym.type != typ:
                        self.menu_set_type(typ)
                    continue
            elif n == 4:
                if kind == T_DEPENDS and toks[1][0] == T_ON and toks[2][0] == T_WORD:
                    dep = (E_SYMBOL, lookup(toks[2][1]), None)
                    entry.dep = dep if entry.dep is None else (E_AND, entry.dep, dep)
                    continue
            elif n == 2:
                if kind == T_HELP:
                    self.tokens = toks
                    self.pos = 1
                    self.lineno = lineno
                    self._help(entry)
                    continue
                if kind == T_TRISTATE or kind == T_BOOL:
                    typ = S_TRISTATE if kind == T_TRISTATE else S_BOOLEAN
                    if sym.type != typ:
                        self.menu_set_type(typ)
                    continue
            self.tokens = toks
            self.pos = 0
            self.lineno = lineno
            if kind in _NOT_OPTIONS:
                return False    # the next entry (a third of all statements are 'config')
            if kind == T_WORD and toks[0][1] in self._compat_words:
                kind = toks[0][1]
            try:
                if not self._option(kind, entry, "config"):
                    self.pos = 0
                    return False
            except _SyntaxError:
                self._syntax_error(unknown=False)
                self._recover()
                return True

    def _option_list(self, entry, what):
        """Options of a config/choice/menu/comment entry, until a statement that is not one;
        True if a syntax error ended them (yacc then drops the entry's statement)."""
        while self.tokens is not None:
            kind = self.tokens[0][0]
            if kind == T_WORD and self.tokens[0][1] in self._compat_words and what in ("config", "choice"):
                kind = self.tokens[0][1]
            try:
                if not self._option(kind, entry, what):
                    self.pos = 0        # (not read past the statement's first token)
                    return False
            except _SyntaxError:
                self._syntax_error(unknown=False)
                self._recover()
                return True
            self._next_stmt()
        return False

    def _option(self, kind, entry, what):
        """Handle one option statement; False if the statement is not an option here."""
        self.pos = 1
        if kind == T_DEPENDS:
            # A statement's expressions depend on its tokens only, and a third of these
            # statements repeat one seen before: those take the expression built then.
            key = tuple(self.tokens)
            dep = self._parsed.get(key)
            if dep is None:
                self._expect(T_ON)
                dep = self._expr()
                if self.tokens[self.pos][0] == T_IF and self._depends_if:
                    # 'depends on A if B' (newer kernels): the dependency only holds when B holds
                    self.pos += 1
                    cond = self._expr()
                    dep = (E_OR, dep, (E_NOT, cond, None))
                self._expect_eol()
                self._parsed[key] = dep
            self.menu_add_dep(dep)
            return True
        if what == "menu":
            if kind == T_VISIBLE:
                vis = self._if_expr()
                self._expect_eol()
                entry.visibility = alloc_and(entry.visibility, vis)
                return True
            return False
        if what == "comment":
            return False
        if kind == T_HELP or kind == "---help---":
            self._expect_eol()
            self._help(entry)
            return True
        if what == "choice":
            if kind == T_PROMPT or kind == T_BOOL or kind == "boolean" or (
                    kind == T_TRISTATE and self._tristate_choice):
                text = self._expect(T_WORD_QUOTE)
                dep = self._if_expr()
                self._expect_eol()
                self.menu_add_prompt(P_PROMPT, text, dep)
                if kind == T_TRISTATE:
                    entry.sym.type = S_TRISTATE
                elif kind != T_PROMPT and self.kc.pre611:
                    self.menu_set_type(S_BOOLEAN)
                return True
            if kind == T_DEFAULT:
                sym = self._symbol(const_ok=False)
                dep = self._if_expr()
                self._expect_eol()
                self.menu_add_prop(P_DEFAULT, (E_SYMBOL, sym, None), dep)
                return True
            if kind == "optional":
                self._expect_eol()
                entry.sym.flags |= SYMBOL_OPTIONAL
                return True
            return False
        # config / menuconfig options
        typ = _TYPES.get(kind)
        if typ is None and kind == "boolean":
            typ = S_BOOLEAN
        if typ is not None:
            if self.tokens[self.pos][0] == T_WORD_QUOTE:
                text = self._take()[1]
                dep = self._if_expr()
                # the prompt is yacc's 'prompt_stmt_opt', added when the token after it is
                # read, before the parser finds that that token is not the end of the line
                note = self._before_eof()
                if note is None:
                    self.menu_add_prompt(P_PROMPT, text, dep)
                else:
                    # (and before the end of a sourced file: the prompt is still in it)
                    lx = self.lexer
                    was, lx.filename = lx.filename, note[2]
                    try:
                        self.menu_add_prompt(P_PROMPT, text, dep)
                    finally:
                        lx.filename = was
                self._expect_eol()
            else:
                self._expect_eol()
            self.menu_set_type(typ)
            return True
        if kind == T_PROMPT:
            text = self._expect(T_WORD_QUOTE)
            dep = self._if_expr()
            self._expect_eol()
            self.menu_add_prompt(P_PROMPT, text, dep)
            return True
        if kind == T_DEFAULT or kind == T_DEF_BOOL or kind == T_DEF_TRISTATE:
            key = tuple(self.tokens)
            got = self._parsed.get(key)
            if got is None:
                e = self._expr()
                dep = self._if_expr()
                self._expect_eol()
                got = self._parsed[key] = (e, dep)
            self.menu_add_prop(P_DEFAULT, got[0], got[1])
            if kind == T_DEF_BOOL:
                self.menu_set_type(S_BOOLEAN)
            elif kind == T_DEF_TRISTATE:
                self.menu_set_type(S_TRISTATE)
            return True
        if kind == T_SELECT or kind == T_IMPLY:
            key = tuple(self.tokens)
            got = self._parsed.get(key)
            if got is None:
                sym = self._symbol(const_ok=False)
                dep = self._if_expr()
                self._expect_eol()
                got = self._parsed[key] = ((E_SYMBOL, sym, None), dep)
            self.menu_add_prop(P_SELECT if kind == T_SELECT else P_IMPLY, got[0], got[1])
            return True
        if kind == T_RANGE:
            a = self._symbol()
            b = self._symbol()
            dep = self._if_expr()
            self._expect_eol()
            self.menu_add_prop(P_RANGE, (E_RANGE, a, b), dep)
            return True
        if kind == T_MODULES:
            self._expect_eol()
            self._set_modules(entry)
            return True
        if kind == "transitional":
            self._expect_eol()
            entry.sym.flags |= SYMBOL_TRANSITIONAL
            return True
        if kind == "option":
            self._old_option(entry)
            return True
        return False

    def _help(self, entry):
        text, blank = self.lexer.skip_help(self.keep_help)
        if entry._help is not None or blank:
            # The C parser reports these at the line where the help text ended: the line
            # after it (at the end of the file: the number of newlines + 1)
            b = self.lexer.buf
            i = b.idx
            line = i + 1 if i < len(b.lines) or b.lines[-1].endswith("\n") else i
            name = entry.sym.name if entry.sym is not None and entry.sym.name else "<choice>"
            if entry._help is not None:
                self._err("%s:%d: warning: '%s' defined with more than one help text -- only the "
                               "last one will be used\n" % (self._file(), line, name))
            if blank:
                self._err("%s:%d: warning: '%s' defined with blank help text\n"
                               % (self._file(), line, name))
        entry.help = text if text is not None else ""

    def _set_modules(self, entry):
        kc = self.kc
        if kc.modules_sym is not None:     # (even the same symbol again, as in C)
            self.zconf_error("symbol '%s' redefines option 'modules' already defined by symbol '%s'"
                             % (entry.sym.name, kc.modules_sym.name))
        kc.modules_sym = entry.sym

    def _old_option(self, entry):
        """'option ...' of kernels before 5.x."""
        word = self._take()[1]
        if word is None:
            self.pos -= 1
            raise _SyntaxError()
        arg = None
        if self.tokens[self.pos][0] == T_EQUAL:
            self.pos += 1
            arg = self._take()[1]
        self._expect_eol()
        if word == "modules":
            self._set_modules(entry)
        elif word == "env" and arg is not None:
            # the symbol's default is the environment variable's value
            value = self.pp._env_expand(arg)
            if value is not None:
                c = self.kc.lookup(value, const=True)
                self.menu_add_prop(P_DEFAULT, (E_SYMBOL, c, None), None)
            entry.sym.flags |= SYMBOL_NO_WRITE
        elif word == "defconfig_list":
            self.kc.defconfig_list_sym = entry.sym
        elif word == "allnoconfig_y":
            entry.sym.flags |= SYMBOL_ALLNOCONFIG_Y
        else:
            self.zconfprint("warning: ignoring unknown option %s" % word)

    def _choice_stmt(self):
        self.pos = 1
        self._expect_eol()
        sym = self.kc.lookup(None)
        entry = self.menu_add_entry(sym, "choice")
        if not self.kc.pre611:
            self.menu_set_type(S_BOOLEAN)
        # (before 6.11 a choice takes its type from its prompt or its first member: finalize())
        entry.choice_members = []
        self._next_stmt()
        if self._option_list(entry, "choice"):
            return      # a syntax error in an option: yacc never got to the choice's block
        if entry.prompt is None and not self.kc.pre611:
            self._err("%s:%d: error: choice must have a prompt\n" % (entry.filename, entry.lineno))
            self.errors += 1
        m = self.menu_add_menu()
        self.current_choice = entry
        self._stmt_list(m, True)

    def _menu_stmt(self):
        self.pos = 1
        text = self._expect(T_WORD_QUOTE)
        self._expect_eol()
        entry = self.menu_add_entry(None, "menu")
        self.menu_add_prompt(P_MENU, text, None)
        self._next_stmt()
        if self._option_list(entry, "menu"):
            return
        m = self.menu_add_menu()
        self._stmt_list(m)

    def _comment_stmt(self):
        self.pos = 1
        text = self._expect(T_WORD_QUOTE)
        self._expect_eol()
        entry = self.menu_add_entry(None, "comment")
        self.menu_add_prompt(P_COMMENT, text, None)
        self._next_stmt()
        self._option_list(entry, "comment")

    def finish(self):
        """Report blocks left open at the end of input."""
        open_blocks = self._unclosed      # innermost first, as yacc's destructors run
        if open_blocks:
            if not self._eof_error and not self._quiet_eof:     # (as yacc: see _syntax_error)
                self._err("%s:%d: syntax error\n" % (self._file() or "", self.lineno))
            for m in open_blocks:
                self._err("%s:%d: missing end statement for this entry\n" % (m.filename, m.lineno))
            self.errors += 1


def parse_expr(kc, text):
    """Parse a Kconfig expression such as ``"SMP && !PM_SLEEP"`` against ``kc``'s symbols.

    Unknown names become (undefined) symbols, as in a Kconfig file; raises KconfigError on bad
    syntax.
    """
    p = Parser.__new__(Parser)
    p.kc = kc
    lx = Lexer(Preprocessor({}, lambda: ("<expr>", 1), lambda s: None, lambda s: None), lambda s: None)
    lx.filename = "<expr>"
    toks = []
    lx._scan_slow(text.replace("\n", " ") + "\n", 1, toks)
    toks.append((T_EOL, None))
    p.tokens = toks
    p.pos = 0
    try:
        e = p._expr()
        if p.tokens[p.pos][0] != T_EOL:
            raise _SyntaxError()
    except _SyntaxError:
        raise KconfigError("invalid expression: %s" % text) from None
    return e
