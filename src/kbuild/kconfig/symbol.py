"""Symbols, properties and menu nodes, and the value computation of scripts/kconfig/symbol.c.

Values are computed on demand and cached with a validity flag, exactly as the C tool does, so that
the order in which symbols are evaluated (which decides the order of warnings) is the same.
"""

from __future__ import annotations

from .expr import E_SYMBOL, MOD, NO, YES, revdep_str

S_UNKNOWN, S_BOOLEAN, S_TRISTATE, S_INT, S_HEX, S_STRING = range(6)

TYPE_NAMES = {S_BOOLEAN: "bool", S_TRISTATE: "tristate", S_INT: "integer", S_HEX: "hex",
              S_STRING: "string", S_UNKNOWN: "unknown"}

P_UNKNOWN, P_PROMPT, P_COMMENT, P_MENU, P_DEFAULT, P_SELECT, P_IMPLY, P_RANGE = range(8)

PROP_NAMES = {P_PROMPT: "prompt", P_COMMENT: "comment", P_MENU: "menu", P_DEFAULT: "default",
              P_SELECT: "select", P_IMPLY: "imply", P_RANGE: "range", P_UNKNOWN: "unknown"}

SYMBOL_CONST = 0x0001
SYMBOL_CHECK = 0x0008
SYMBOL_NEED_SET_CHOICE_VALUES = 0x1000000   # (before 6.11) see Conf._set_all_new_symbols_611
SYMBOL_CHOICEVAL = 0x0020     # a member of a pre-6.11 choice, once finalization has seen it
SYMBOL_VALID = 0x0080
SYMBOL_WRITE = 0x0200
SYMBOL_WRITTEN = 0x0800
SYMBOL_CHECKED = 0x2000
SYMBOL_WARNED = 0x8000
SYMBOL_DEF_USER = 0x10000
SYMBOL_DEF_AUTO = 0x20000
# Not in C 6.12: symbols marked 'transitional' (newer kernels) are read but never written.
SYMBOL_TRANSITIONAL = 0x100000
# Older kernels' options: 'option env=' symbols are never written; 'option allnoconfig_y'
# symbols are y in allnoconfig; 'optional' choices may have no member selected.
SYMBOL_NO_WRITE = 0x800000
SYMBOL_ALLNOCONFIG_Y = 0x200000
SYMBOL_OPTIONAL = 0x400000

TRI_CHARS = "nmy"

_NO_EXPR = object()   # matches no expression (None is one: "always y")


def fnv32(name):
    """The C tools' hash_str(): FNV-1 over signed chars, used to order the symbol table."""
    h = 2166136261
    for c in name.encode("utf-8", "surrogateescape"):
        if c >= 128:
            c -= 256
        h = ((h ^ (c & 0xFFFFFFFF)) * 0x01000193) & 0xFFFFFFFF
    return h


def hash_bucket(name):
    """fnv32(name) % (1 << 14), the symbol table bucket.  The low 14 bits of the hash depend
    only on the low 14 bits of its inputs, which keeps every number here a small int."""
    h = 2166136261 & 0x3FFF
    data = name.encode("utf-8", "surrogateescape")
    if name.isascii():
        for c in data:
            h = ((h ^ c) * 0x193) & 0x3FFF
    else:
        for c in data:
            h = ((h ^ (c - 256 if c >= 128 else c)) * 0x193) & 0x3FFF
    return h



def hash_buckets(names):
    """[hash_bucket(n) for n in names], computed for all names of one length at once: each
    name is a 32-bit lane of one big int, so a step of the hash is three big-int operations
    for the whole group instead of a Python loop step per character.  (A lane never carries
    into the next: a step's value stays below 2**23.)"""
    import array
    import sys

    out = [0] * len(names)
    groups = {}
    for i, name in enumerate(names):
        if name.isascii():
            g = groups.get(len(name))
            if g is None:
                g = groups[len(name)] = []
            g.append(i)
        else:
            out[i] = hash_bucket(name)
    basis = (2166136261 & 0x3FFF).to_bytes(2, "little") + b"\0\0"
    for length, idx in groups.items():
        m = len(idx)
        data = "".join([names[i] for i in idx]).encode("ascii")
        mask = int.from_bytes(b"\xff\x3f\0\0" * m, "little")
        h = int.from_bytes(basis * m, "little")
        chars = bytearray(4 * m)
        for pos in range(length):
            chars[0::4] = data[pos::length]
            h = ((h ^ int.from_bytes(chars, "little")) * 0x193) & mask
        lanes = array.array("I", h.to_bytes(4 * m, "little"))
        if sys.byteorder == "big":
            lanes.byteswap()
        for i, v in zip(idx, lanes):
            out[i] = v
    return out


class Property:
    """A prompt, default, select, imply or range of a symbol (or the prompt of a menu/comment)."""

    __slots__ = ("type", "text", "expr", "visible_expr", "visible_tri", "menu", "filename", "lineno")

    def __init__(self, type, expr, dep, menu, filename, lineno):
        self.type = type
        self.text = None
        self.expr = expr
        self.visible_expr = dep
        self.visible_tri = NO
        self.menu = menu
        self.filename = filename
        self.lineno = lineno

    def __repr__(self):
        return "<Property %s %s:%d>" % (PROP_NAMES[self.type], self.filename, self.lineno)


class Menu:
    """A node of the menu tree: a config/menuconfig entry, choice, menu, comment or if-block."""

    __slots__ = ("next", "parent", "list", "sym", "prompt", "visibility", "dep", "_help",
                 "filename", "lineno", "choice_members", "kind")

    def __init__(self, sym, parent, filename, lineno, kind=""):
        self.next = None
        self.parent = parent
        self.list = None
        self.sym = sym
        self.prompt = None
        self.visibility = None
        self.dep = None
        self._help = None
        self.filename = filename
        self.lineno = lineno
        self.choice_members = None
        self.kind = kind

    @property
    def help(self):
        """The help text, or None.  The parser keeps it unformatted until it is asked for."""
        h = self._help
        if h is None or type(h) is str:
            return h
        h = self._help = str(h)
        return h

    @help.setter
    def help(self, text):
        self._help = text

    def children(self):
        """The direct children, in order."""
        c = self.list
        while c is not None:
            yield c
            c = c.next

    def walk(self):
        """All descendants in depth-first order (menu_for_each_sub_entry)."""
        m = self.list
        if m is None:
            return
        while True:
            yield m
            if m.list is not None:
                m = m.list
                continue
            while m is not self and m.next is None:
                m = m.parent
            if m is self:
                return
            m = m.next

    def prompt_text(self):
        """menu_get_prompt(): the prompt text, else the symbol name."""
        if self.prompt is not None:
            return self.prompt.text
        if self.sym is not None:
            return self.sym.name
        return None

    def __repr__(self):
        return "<Menu %s %s:%d>" % (self.prompt_text(), self.filename, self.lineno)


class Symbol:
    """A Kconfig symbol.  ``name`` is None for choices; constant symbols carry SYMBOL_CONST."""

    __slots__ = ("name", "type", "flags", "curr_val", "curr_tri", "user_val", "user_tri",
                 "auto_val", "auto_tri", "visible", "dir_dep", "dir_dep_tri", "rev_dep",
                 "rev_dep_tri", "implied", "implied_tri", "props", "menus", "choice_menu",
                 "in_choice", "seq", "kc", "dir_raw", "__weakref__")

    def __init__(self, kc, name, flags, seq):
        self.kc = kc
        self.name = name
        self.type = S_UNKNOWN
        self.flags = flags
        self.curr_val = None
        self.curr_tri = NO
        self.user_val = None
        self.user_tri = NO
        self.auto_val = None
        self.auto_tri = NO
        self.visible = NO
        self.dir_dep = None
        self.dir_dep_tri = NO
        self.dir_raw = None     # dir_dep's value in the current calc_value() (None: unknown)
        self.rev_dep = None
        self.rev_dep_tri = NO
        self.implied = None
        self.implied_tri = NO
        self.props = []
        self.menus = []
        self.choice_menu = None
        self.in_choice = False
        self.seq = seq

    def __repr__(self):
        return "<Symbol %s>" % (self.name if self.name is not None else "<choice>")

    # --- queries -----------------------------------------------------------

    @property
    def is_choice(self):
        return self.name is None

    def has_value(self):
        """True if the user's configuration gave this symbol a value (sym_has_value)."""
        return bool(self.flags & SYMBOL_DEF_USER)

    def get_type(self):
        """The effective type: tristate reads as bool while modules are off."""
        t = self.type
        if t == S_TRISTATE and self.kc.modules_val == NO:
            return S_BOOLEAN
        return t

    def tri_value(self):
        """The computed tristate value (0, 1, 2)."""
        self.calc_value()
        return self.curr_tri

    def str_value(self):
        """The value as text: n/m/y for bool and tristate, else the string."""
        t = self.type
        if t == S_BOOLEAN or t == S_TRISTATE:
            return TRI_CHARS[self.curr_tri]
        return self.curr_val

    def value(self):
        """Compute and return the value as text."""
        self.calc_value()
        return self.str_value()

    def is_changeable(self):
        # (before 6.11 a choice has a value of its own to change)
        return (self.name is not None or self.kc.pre611) and self.visible > self.rev_dep_tri

    def defaults(self):
        return [p for p in self.props if p.type == P_DEFAULT]

    # --- value computation (symbol.c) ---------------------------------------

    def _default_prop(self, dir_dep_tri=None):
        # dir_dep_tri: the value calc_visibility() just found for dir_dep, which is most
        # defaults' condition too (the menu dependency, the same object)
        calc = self.kc.calc_expr
        dd = self.dir_dep if dir_dep_tri is not None else _NO_EXPR
        for p in self.props:
            if p.type == P_DEFAULT:
                e = p.visible_expr
                p.visible_tri = v = dir_dep_tri if e is dd else calc(e)
                if v != NO:
                    return p
        return None

    def range_prop(self):
        calc = self.kc.calc_expr
        for p in self.props:
            if p.type == P_RANGE:
                p.visible_tri = calc(p.visible_expr)
                if p.visible_tri != NO:
                    return p
        return None

    def calc_visibility(self):
        """sym_calc_visibility(); also leaves dir_dep's value before the bool adjustment in
        ``dir_raw`` (not computed in a choice)."""
        kc = self.kc
        if self.in_choice and kc.pre611:
            self._choice_value_visibility()
            return
        calc = kc.calc_expr
        tri = NO
        # An expression evaluated a second time gives the same value (the tree has no
        # dependency loops: conf_parse() fails on them), and the prompt's condition is usually
        # dir_dep itself (the same object): evaluated once.
        last_e = _NO_EXPR
        last_v = NO
        for p in self.props:
            if p.text is not None:
                e = p.visible_expr
                if e is not last_e:
                    last_v = calc(e)
                    last_e = e
                p.visible_tri = last_v
                if last_v > tri:
                    tri = last_v
        if tri == MOD and (self.type != S_TRISTATE or kc.modules_val == NO):
            tri = YES
        self.visible = tri
        if self.in_choice:
            return
        t = self.type
        boolean = t == S_BOOLEAN or (t == S_TRISTATE and kc.modules_val == NO)   # get_type()
        e = self.dir_dep
        self.dir_raw = tri = YES if e is None else last_v if e is last_e else calc(e)
        if tri == MOD and boolean:
            tri = YES
        self.dir_dep_tri = tri
        tri = NO if self.rev_dep is None else calc(self.rev_dep)
        if tri == MOD and boolean:
            tri = YES
        self.rev_dep_tri = tri
        tri = NO if self.implied is None else calc(self.implied)
        if tri == MOD and boolean:
            tri = YES
        self.implied_tri = tri

    def _choice_value_visibility(self):
        """sym_calc_visibility() of a member of a pre-6.11 choice: a tristate member visible
        as m is hidden while its choice is y (only one member can be y then)."""
        kc = self.kc
        cm = self.choice_menu
        cs = cm.sym if cm is not None else None
        tri = NO
        for p in self.props:
            if p.text is not None:
                v = kc.calc_expr(p.visible_expr)
                if v == MOD and cs is not None and self.type == S_TRISTATE and cs.curr_tri == YES:
                    v = NO
                p.visible_tri = v
                if v > tri:
                    tri = v
        if tri == MOD and (self.type != S_TRISTATE or kc.modules_val == NO):
            tri = YES
        self.visible = tri

    def calc_value(self):
        """sym_calc_value(): compute and cache this symbol's value."""
        flags = self.flags
        if flags & SYMBOL_VALID:
            return
        if flags & SYMBOL_NEED_SET_CHOICE_VALUES and self.name is not None:
            # a member of a pre-6.11 choice that all*config has to set: its choice first
            self.flags = flags = flags & ~SYMBOL_NEED_SET_CHOICE_VALUES
            self.choice_menu.sym.calc_value()
        self.flags = flags = flags | SYMBOL_VALID
        self.dir_raw = None
        old_val, old_tri = self.curr_val, self.curr_tri
        t = self.type
        new_tri = NO
        if t == S_BOOLEAN or t == S_TRISTATE:
            new_val = "n"
        elif t == S_INT:
            new_val = "" if self.kc.pre611 else "0"     # (no default: empty before 6.11)
        elif t == S_HEX:
            new_val = "" if self.kc.pre611 else "0x0"
        elif t == S_STRING:
            new_val = ""
        else:
            self.curr_val = self.name
            self.curr_tri = NO
            return
        kc = self.kc
        self.flags = flags = flags & ~SYMBOL_WRITE
        self.calc_visibility()
        if self.visible != NO:
            self.flags |= SYMBOL_WRITE
        self.curr_val, self.curr_tri = new_val, NO
        et = t     # get_type(), inline
        if t == S_TRISTATE and kc.modules_val == NO:
            et = S_BOOLEAN
        if et == S_BOOLEAN or et == S_TRISTATE:
            choice = self.choice_menu
            if choice is not None and not kc.pre611:
                kc.calc_choice(choice)
                new_tri = self.curr_tri
            elif choice is not None and self.visible == YES:
                # (before 6.11) the member its choice picked
                cs = choice.sym
                cs.calc_value()
                new_tri = YES if cs.curr_val is self else NO
            else:
                use_user = self.visible != NO and self.flags & SYMBOL_DEF_USER
                if use_user:
                    new_tri = self.user_tri if self.user_tri < self.visible else self.visible
                elif self.flags & SYMBOL_TRANSITIONAL and self.flags & SYMBOL_DEF_USER:
                    # a transitional symbol carries the old .config's value to its successor
                    new_tri = self.user_tri
                else:
                    if self.rev_dep_tri != NO:
                        self.flags |= SYMBOL_WRITE
                    if self.name is not None:
                        p = self._default_prop(self.dir_raw)
                        if p is not None:
                            v = kc.calc_expr(p.expr)
                            new_tri = v if v < p.visible_tri else p.visible_tri
                            if new_tri != NO:
                                self.flags |= SYMBOL_WRITE
                        if self.implied_tri != NO:
                            self.flags |= SYMBOL_WRITE
                            if self.implied_tri > new_tri:
                                new_tri = self.implied_tri
                            if self.dir_dep_tri < new_tri:
                                new_tri = self.dir_dep_tri
                if self.dir_dep_tri < self.rev_dep_tri:
                    kc.warn_unmet_dep(self)
                if self.rev_dep_tri > new_tri:
                    new_tri = self.rev_dep_tri
            if new_tri == MOD and self.get_type() == S_BOOLEAN:
                new_tri = YES
        elif et == S_STRING or et == S_HEX or et == S_INT:
            if self.flags & SYMBOL_DEF_USER and (self.visible != NO or self.flags & SYMBOL_TRANSITIONAL):
                new_val = self.user_val
            else:
                p = self._default_prop(self.dir_raw)
                if p is not None:
                    e = p.expr
                    if e[0] == E_SYMBOL:
                        ds = e[1]
                        self.flags |= SYMBOL_WRITE
                        ds.calc_value()
                        new_val = ds.curr_val
        self.curr_val, self.curr_tri = new_val, new_tri
        if t == S_INT or t == S_HEX:
            self._validate_range()
        if kc.modules_sym is self and (old_val, old_tri) != (self.curr_val, self.curr_tri):
            kc.modules_val = self.curr_tri
        if self.name is None:
            if kc.pre611:
                kc.calc_choice_611(self, new_tri)
            self.flags &= ~SYMBOL_WRITE
            if self.flags & SYMBOL_NEED_SET_CHOICE_VALUES:
                kc.set_all_choice_values(self)

    def _validate_range(self):
        base = 10 if self.type == S_INT else 16
        p = self.range_prop()
        if p is None:
            return
        val = strtoll(self.curr_val, base)
        lo = p.expr[1]
        v2 = lo.range_val(base)
        if val >= v2:
            hi = p.expr[2]
            v2 = hi.range_val(base)
            if val <= v2:
                return
            self.curr_val = hi.curr_val
        else:
            self.curr_val = lo.curr_val

    def range_val(self, base):
        self.calc_value()
        if self.type == S_INT:
            base = 10
        elif self.type == S_HEX:
            base = 16
        return strtoll(self.curr_val, base)

    # --- setting values ------------------------------------------------------

    def tristate_within_range(self, val):
        t = self.get_type()
        if self.visible == NO:
            return False
        if t != S_BOOLEAN and t != S_TRISTATE:
            return False
        if t == S_BOOLEAN and val == MOD:
            return False
        if self.visible <= self.rev_dep_tri:
            return False
        if self.choice_menu is not None and self.visible == YES and self.kc.pre611:
            return val == YES
        return self.rev_dep_tri <= val <= self.visible

    def set_tristate_value(self, val):
        """sym_set_tristate_value(): set a user value if it is within the allowed range."""
        if self.kc.pre611:
            return self._set_tristate_value_611(val)
        self.kc.values_fresh = False
        oldval = self.curr_tri
        if not self.tristate_within_range(val):
            return False
        if not (self.flags & SYMBOL_DEF_USER) or self.user_tri != val:
            self.user_tri = val
            self.flags |= SYMBOL_DEF_USER
        if oldval != val:
            self.kc.values_changed((self,))
        return True

    def _set_tristate_value_611(self, val):
        # before 6.11: picking a member at y is the user's value for the choice too, and
        # the visible members count as answered
        kc = self.kc
        kc.values_fresh = False
        oldval = self.curr_tri
        if oldval != val and not self.tristate_within_range(val):
            return False
        self.flags |= SYMBOL_DEF_USER
        if self.choice_menu is not None and val == YES:
            cs = self.choice_menu.sym
            cs.user_val = self
            cs.flags |= SYMBOL_DEF_USER
            for s in cs.menus[0].choice_members:
                if s.visible != NO:
                    s.flags |= SYMBOL_DEF_USER
        self.user_tri = val
        if oldval != val:
            kc.clear_all_valid()
        return True

    def string_valid(self, s):
        return string_valid(self.type, s)

    def string_within_range(self, s):
        t = self.type
        if t == S_STRING:
            return True
        if t == S_INT or t == S_HEX:
            if not string_valid(t, s):
                return False
            p = self.range_prop()
            if p is None:
                return True
            base = 10 if t == S_INT else 16
            val = strtoll(s, base)
            return p.expr[1].range_val(base) <= val <= p.expr[2].range_val(base)
        if t == S_BOOLEAN or t == S_TRISTATE:
            c = s[:1]
            if c in ("y", "Y"):
                return self.tristate_within_range(YES)
            if c in ("m", "M"):
                return self.tristate_within_range(MOD)
            if c in ("n", "N"):
                return self.tristate_within_range(NO)
        return False

    def set_string_value(self, newval):
        """sym_set_string_value(): parse and set a user value; False if it is not allowed."""
        self.kc.values_fresh = False
        t = self.type
        if t == S_BOOLEAN or t == S_TRISTATE:
            c = newval[:1]
            if c in ("y", "Y"):
                return self.set_tristate_value(YES)
            if c in ("m", "M"):
                return self.set_tristate_value(MOD)
            if c in ("n", "N"):
                return self.set_tristate_value(NO)
            return False
        if not self.string_within_range(newval):
            return False
        if not (self.flags & SYMBOL_DEF_USER):
            self.flags |= SYMBOL_DEF_USER
        if t == S_HEX and not (newval[:1] == "0" and newval[1:2] in ("x", "X")):
            newval = "0x" + newval
        elif self.user_val == newval:
            return True
        self.user_val = newval
        self.kc.values_changed((self,))
        return True

    def string_default(self):
        """sym_get_string_default(): the value this symbol would have without a user value."""
        kc = self.kc
        self.calc_visibility()
        kc.modules_sym.calc_value()
        val = NO
        s = ""
        p = self._default_prop()
        if p is not None:
            if self.type == S_BOOLEAN or self.type == S_TRISTATE:
                v = kc.calc_expr(p.expr)
                val = v if v < p.visible_tri else p.visible_tri
            else:
                e = p.expr
                if e[0] == E_SYMBOL:
                    e[1].calc_value()
                    s = e[1].curr_val
        if self.rev_dep_tri > val:
            val = self.rev_dep_tri
        if val == MOD and not self.in_choice and kc.modules_sym.curr_tri == NO:
            val = YES
        if self.type == S_BOOLEAN and val == MOD:
            val = YES
        if val < self.implied_tri:
            val = self.implied_tri
        t = self.type
        if t == S_BOOLEAN or t == S_TRISTATE:
            return TRI_CHARS[val]
        if t == S_INT:
            return s or "0"
        if t == S_HEX:
            return s or "0x0"
        return s


def string_valid(t, s):
    """sym_string_valid(): is ``s`` a well-formed value for type ``t``."""
    if t == S_STRING:
        return True
    if t == S_INT:
        i = 0
        if s[:1] == "-":
            i = 1
        if i >= len(s) or not s[i].isdigit() or not s[i].isascii():
            return False
        if s[i] == "0" and i + 1 < len(s):
            return False
        rest = s[i + 1:]
        return rest == "" or (rest.isdigit() and rest.isascii())
    if t == S_HEX:
        if s[:1] == "0" and s[1:2] in ("x", "X"):
            s = s[2:]
        if not s:
            return False
        return all(c in "0123456789abcdefABCDEF" for c in s)
    if t == S_BOOLEAN or t == S_TRISTATE:
        return s[:1] in ("y", "Y", "m", "M", "n", "N")
    return False


_HEXDIGITS = "0123456789abcdefABCDEF"


def _strtoull_parse(s, base):
    """Parse like strtoull(): returns (value, negative, consumed_any, rest, overflow)."""
    i = 0
    n = len(s)
    while i < n and s[i] in " \t\n\r\f\v":
        i += 1
    neg = False
    if i < n and s[i] in "+-":
        neg = s[i] == "-"
        i += 1
    if base == 0:
        if s[i:i + 2] in ("0x", "0X") and i + 2 < n and s[i + 2] in _HEXDIGITS:
            base = 16
            i += 2
        elif s[i:i + 1] == "0":
            base = 8
        else:
            base = 10
    elif base == 16:
        if s[i:i + 2] in ("0x", "0X") and i + 2 < n and s[i + 2] in _HEXDIGITS:
            i += 2
    start = i
    val = 0
    while i < n:
        c = s[i]
        d = _HEXDIGITS.find(c)
        if d >= 16:
            d -= 6
        if d < 0 or d >= base:
            break
        val = val * base + d
        i += 1
    if i == start:
        # "0x" with no digits parses the "0"
        return 0, False, False, s, False
    return val, neg, True, s[i:], False


def strtoll(s, base):
    """C strtoll() with saturation, for range checks."""
    val, neg, ok, rest, _ = _strtoull_parse(s, base)
    if not ok:
        return 0
    if neg:
        val = -val
    if val > 0x7FFFFFFFFFFFFFFF:
        return 0x7FFFFFFFFFFFFFFF
    if val < -0x8000000000000000:
        return -0x8000000000000000
    return val


def parse_number(s, t):
    """expr_parse_string(): ('s'|'i'|'u', value) the way comparisons see a value."""
    if t == S_BOOLEAN or t == S_TRISTATE:
        return "i", {"n": 0, "m": 1, "y": 2}.get(s, -1)
    if t == S_INT:
        base, kind = 10, "i"
    elif t == S_HEX:
        base, kind = 16, "u"
    else:
        base, kind = 0, "i"
    val, neg, ok, rest, _ = _strtoull_parse(s, base)
    if not ok or rest != "":
        # the C check is also "the last consumed char is a hex digit"
        return "s", None
    last = s[len(s) - len(rest) - 1] if len(s) > len(rest) else ""
    if last not in _HEXDIGITS:
        return "s", None
    if kind == "u":
        if val > 0xFFFFFFFFFFFFFFFF:
            return "s", None
        if neg:
            val = (-val) & 0xFFFFFFFFFFFFFFFF
        return "u", val
    if neg:
        val = -val
    if val > 0x7FFFFFFFFFFFFFFF or val < -0x8000000000000000:
        return "s", None
    return "i", val


__all__ = ["Symbol", "Menu", "Property", "revdep_str"]
