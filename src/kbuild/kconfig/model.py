"""The configuration database: symbols, the menu tree and evaluation state of one Kconfig tree."""

from __future__ import annotations

import os

from .expr import (E_AND, E_EQUAL, E_GEQ, E_GTH, E_LEQ, E_LTH, E_NOT, E_OR, E_SYMBOL, E_UNEQUAL,
                   MOD, NO, YES, consts, expr_depth, expr_str_values, revdep_str, symbols_of)
from .symbol import (S_STRING, S_TRISTATE, SYMBOL_CONST, SYMBOL_NEED_SET_CHOICE_VALUES,
                     SYMBOL_DEF_USER, SYMBOL_OPTIONAL, SYMBOL_VALID, SYMBOL_WRITE, P_DEFAULT, Menu, Symbol, fnv32, hash_buckets,
                     parse_number)



class KconfigError(Exception):
    """A fatal error in Kconfig input.  ``str()`` is the complete one-line message."""

    def __init__(self, message, filename=None, lineno=None, status=1):
        if filename is not None:
            message = "%s:%d: %s" % (filename, lineno or 0, message)
        super().__init__(message)
        self.filename = filename
        self.lineno = lineno
        self.status = status


def tree_version(environ):
    """(VERSION, PATCHLEVEL) of the Linux tree being configured, from the variables the top
    Makefile exports (and ``kbuild`` sets); None where they are absent or are not a Linux
    version (U-Boot's are years)."""
    try:
        version = (int(environ["VERSION"]), int(environ["PATCHLEVEL"]))
    except (KeyError, ValueError):
        return None
    return version if 2 <= version[0] < 100 else None


class Kconfig:
    """One parsed Kconfig tree and its configuration values.

    ``stdout``/``stderr`` are callables that receive the text the C tools would print on those
    streams (warnings, $(info ...)); by default the text is collected in ``self.messages``.
    """

    def __init__(self, stdout=None, stderr=None, environ=None):
        self.messages = []
        self.stdout = stdout or (lambda s: self.messages.append(("stdout", s)))
        self.stderr = stderr or (lambda s: self.messages.append(("stderr", s)))
        self.environ = os.environ if environ is None else environ
        self.symbols = {}
        self.const_symbols = {}
        self._all = []
        self._order = None
        self._seq = 0
        y = self._new_symbol("y", SYMBOL_CONST | SYMBOL_VALID, None)
        m = self._new_symbol("m", SYMBOL_CONST | SYMBOL_VALID, None)
        n = self._new_symbol("n", SYMBOL_CONST | SYMBOL_VALID, None)
        for s, tri in ((y, YES), (m, MOD), (n, NO)):
            s.type = S_TRISTATE
            s.curr_val = s.name
            s.curr_tri = tri
        self.y, self.m, self.n = y, m, n
        consts.yes, consts.mod, consts.no = y, m, n
        self.modules_sym = None
        self.modules_val = NO
        self.rootmenu = Menu(None, None, None, 0, "root")
        self.files = []          # Kconfig files in the order they were first read
        self.help_loaded = True  # False: load(help=False) kept no help texts
        self.env_deps = {}       # the environment variables the parse read: name -> value or None
        self.sym_warnings = 0
        self.conf_warnings = 0
        self.changed = False
        self.srctree = self.environ.get("srctree")
        # The tree's kernel version (None: not known) and whether its C tools are those from
        # before the rework of 6.11 (choices as symbols, tristate choices, the old file formats):
        # that behaviour is checked against Linux 6.1's C tools.
        self.version = tree_version(self.environ)
        self.pre611 = self.version is not None and self.version < (6, 11)
        self.warn_unmet = True
        self.env_used = []       # (name, value) of each environment variable read, for auto.conf.cmd
        self.defconfig_list_sym = None
        self.incremental = False     # see values_changed()
        self.generation = 0          # counts the changes of values, for views to know theirs
        self.values_fresh = False    # see clear_all_valid_for_write()
        self.restored_from = None    # the file kconfig.cache restored this tree from
        self._readers = None
        self._groups = None
        # conf_message(): "#\n# text\n#\n" on stdout; None silences it (conf -s)
        self.message_callback = lambda text: self.stdout("#\n# %s\n#\n" % text)

    # a parsed tree is kept on disk by kconfig.cache: the output callbacks and the environment
    # belong to the run, not to the tree
    _RUN_STATE = ("stdout", "stderr", "message_callback", "environ", "messages")

    def __getstate__(self):
        state = dict(self.__dict__)
        for k in self._RUN_STATE:
            state.pop(k, None)
        state["_readers"] = state["_groups"] = None
        state["restored_from"] = None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.messages = []
        self.stdout = lambda s: self.messages.append(("stdout", s))
        self.stderr = lambda s: self.messages.append(("stderr", s))
        self.message_callback = lambda text: self.stdout("#\n# %s\n#\n" % text)
        self.environ = {}

    def conf_message(self, text):
        if self.message_callback is not None:
            self.message_callback(text)

    # --- symbol table -------------------------------------------------------

    def _new_symbol(self, name, flags, hash_):
        s = Symbol(self, name, flags, self._seq)
        self._seq += 1
        self._all.append(s)
        self._order = None
        return s

    def lookup(self, name, const=False):
        """sym_lookup(): find or create a symbol (``const`` for quoted constants)."""
        if name is None:
            return self._new_symbol(None, 0, 0)
        table = self.const_symbols if const else self.symbols
        s = table.get(name)
        if s is None:
            # (y, m and n are in no table: known names are found first, at one lookup)
            if len(name) == 1 and name in "ymn":
                return self.y if name == "y" else self.m if name == "m" else self.n
            s = self._new_symbol(name, SYMBOL_CONST if const else 0, None)
            table[name] = s
        return s

    def find(self, name):
        """sym_find(): the non-constant symbol called ``name``, or None."""
        if len(name) == 1 and name in "ymn":
            return self.y if name == "y" else self.m if name == "m" else self.n
        return self.symbols.get(name)

    def all_symbols(self):
        """Every symbol in the C tools' hash-table order (for_all_symbols)."""
        if self._order is None:
            fixed = (self.y, self.m, self.n)
            syms = [s for s in self._all if s not in fixed]
            names = [s.name if s.name is not None else "" for s in syms]
            # before 6.11 the table had 9973 buckets, after it 1 << 14
            buckets = [fnv32(n) % 9973 for n in names] if self.pre611 else hash_buckets(names)
            # unnamed (choice) symbols sit in bucket 0; newer symbols first in each bucket
            keys = [((b if s.name is not None else 0) << 32) - s.seq for b, s in zip(buckets, syms)]
            order = sorted(range(len(syms)), key=keys.__getitem__)
            self._order = [syms[i] for i in order]
        return self._order

    def named_symbols(self):
        """The non-constant named symbols, in definition order."""
        return [s for s in self._all if s.name is not None and not s.flags & SYMBOL_CONST]

    # --- evaluation -----------------------------------------------------------

    def calc_expr(self, e):
        """expr_calc_value(): the tristate value of expression ``e`` (None is y)."""
        if e is None:
            return YES
        t = e[0]
        if t == E_SYMBOL:
            s = e[1]
            if not s.flags & SYMBOL_VALID:
                s.calc_value()
            return s.curr_tri
        # both sides are always evaluated, as expr_calc_value() does: evaluation computes
        # symbol values, whose order shows in warnings; plain symbols are read inline (most
        # operands are, and a call per operand is the cost of the hot path)
        if t == E_AND or t == E_OR:
            x = e[1]
            if x[0] == E_SYMBOL:
                s = x[1]
                if not s.flags & SYMBOL_VALID:
                    s.calc_value()
                a = s.curr_tri
                # 'S && <S's own dependency>', a select's term in a reverse dependency: that
                # value was just computed with S (no dependency loops: evaluated again, it
                # could only repeat, with no side effects)
                if e[2] is s.dir_dep and t == E_AND:
                    b = s.dir_raw
                    if b is not None:
                        return a if a < b else b
            else:
                a = self.calc_expr(x)
            x = e[2]
            if x[0] == E_SYMBOL:
                s = x[1]
                if not s.flags & SYMBOL_VALID:
                    s.calc_value()
                b = s.curr_tri
            else:
                b = self.calc_expr(x)
            if t == E_AND:
                return a if a < b else b
            return a if a > b else b
        if t == E_NOT:
            return 2 - self.calc_expr(e[1])
        return self._calc_compare(e)

    def _calc_compare(self, e):
        t, s1, s2 = e
        s1.calc_value()
        s2.calc_value()
        v1 = s1.str_value()
        v2 = s2.str_value()
        if s1.type != S_STRING or s2.type != S_STRING:
            k1, n1 = parse_number(v1, s1.type)
            k2, n2 = parse_number(v2, s2.type)
        else:
            k1 = k2 = "s"
        if k1 == "s" or k2 == "s":
            b1 = v1.encode("utf-8", "surrogateescape")
            b2 = v2.encode("utf-8", "surrogateescape")
            res = (b1 > b2) - (b1 < b2)
        elif k1 == "u" or k2 == "u":
            n1 &= 0xFFFFFFFFFFFFFFFF
            n2 &= 0xFFFFFFFFFFFFFFFF
            res = (n1 > n2) - (n1 < n2)
        else:
            res = (n1 > n2) - (n1 < n2)
        if t == E_EQUAL:
            return NO if res else YES
        if t == E_UNEQUAL:
            return YES if res else NO
        if t == E_GEQ:
            return YES if res >= 0 else NO
        if t == E_GTH:
            return YES if res > 0 else NO
        if t == E_LEQ:
            return YES if res <= 0 else NO
        if t == E_LTH:
            return YES if res < 0 else NO
        return NO

    def clear_all_valid(self):
        """sym_clear_all_valid(): invalidate every cached value."""
        self.values_fresh = False
        self.generation += 1
        for s in self.all_symbols():
            s.flags &= ~SYMBOL_VALID
        self.changed = True
        self.modules_sym.calc_value()

    def clear_all_valid_for_write(self):
        """sym_clear_all_valid() where conf_write() and conf_write_defconfig() call it.

        Right after conf_read() computed every value from scratch (``values_fresh``), the
        recompute could only repeat it: the tree has no dependency loops (it would not have
        loaded), so the values do not depend on the order they are computed in, and no symbol
        has unmet dependencies, so it would print nothing.  Then only the rest is done."""
        if not self.values_fresh:
            self.clear_all_valid()
            return
        self.generation += 1
        self.changed = True

    def values_changed(self, syms):
        """The user values of ``syms`` changed: bring the computed values up to date.

        Like the C tools this forgets every value, unless ``incremental`` is set (interactive
        front ends): then ``syms`` are recomputed at once and, whenever a value comes out
        different, the symbols that read it are recomputed too, until nothing changes.  The
        values are the same as after a whole-tree recompute (Kconfig dependencies have no
        cycles); a key press just costs a few symbols instead of the whole tree."""
        self.values_fresh = False
        if not self.incremental:
            self.clear_all_valid()
            return
        from collections import deque
        self.generation += 1
        readers = self.readers()
        groups = self._groups
        queue = deque(syms)
        queued = set(queue)
        budget = 4 * len(self._all)
        while queue:
            s = queue.popleft()
            queued.discard(s)
            budget -= 1
            if s is self.modules_sym or budget < 0:
                # MODULES changes the type of every tristate; a runaway means a cycle
                self.clear_all_valid()
                return
            # a choice's members are decided together
            unit = groups.get(s, (s,))
            before = [(m.curr_val, m.curr_tri) for m in unit]
            for m in unit:
                m.flags &= ~SYMBOL_VALID
            for m in unit:
                m.calc_value()
            for m, old in zip(unit, before):
                queued.discard(m)
                if (m.curr_val, m.curr_tri) != old:
                    for r in readers.get(m, ()):
                        if r not in queued:
                            queued.add(r)
                            queue.append(r)
        self.changed = True

    def readers(self):
        """{symbol: symbols whose value is computed from it} (a choice's symbol and members count
        as one: each member's value is decided with the others')."""
        if self._readers is not None:
            return self._readers
        from .symbol import P_IMPLY, P_SELECT
        out = {}
        groups = {}
        for s in self._all:
            if s.flags & SYMBOL_CONST:
                continue
            used = set()
            for p in s.props:
                if p.type != P_SELECT and p.type != P_IMPLY:
                    symbols_of(p.expr, used)
                symbols_of(p.visible_expr, used)
            symbols_of(s.dir_dep, used)
            symbols_of(s.rev_dep, used)
            symbols_of(s.implied, used)
            choice = s.choice_menu if s.choice_menu is not None else (
                s.menus[0] if s.is_choice and s.menus else None)
            if choice is not None:
                group = groups.get(s)
                if group is None:
                    group = tuple([m.sym for m in choice.walk() if m.sym is not None]
                                  + [choice.sym])
                    for m in group:
                        groups[m] = group
                used.update(group)
            else:
                group = (s,)
            for u in used:
                if not u.flags & SYMBOL_CONST:
                    r = out.get(u)
                    if r is None:
                        out[u] = set(group)
                    else:
                        r.update(group)
        self._readers = out
        self._groups = groups
        return out

    def calc_choice_611(self, cs, tri):
        """The end of sym_calc_value() for a pre-6.11 choice symbol ``cs`` whose value came
        out as ``tri``: at y its ``curr_val`` is the member it picks (the user's, else its
        default, else the first visible member; none: the choice is n), and a choice to be
        written has its visible members written."""
        members = cs.menus[0].choice_members
        cs.curr_val = None
        if tri == YES:
            flags = cs.flags
            for s in members:
                s.calc_visibility()
                if s.visible != NO:
                    flags &= s.flags
            # the user's pick stands only while every visible member had a value
            cs.flags &= flags | ~SYMBOL_DEF_USER
            pick = cs.user_val
            if pick is None or pick.visible == NO:
                pick = self.choice_default_611(cs, members)
                if pick is None:
                    cs.curr_tri = NO
            cs.curr_val = pick
        if cs.flags & SYMBOL_WRITE:
            for s in members:
                if s.visible != NO:
                    s.flags |= SYMBOL_WRITE

    def set_all_choice_values(self, cs):
        """(Before 6.11) a choice that all*config leaves alone gets a value of its own, to be
        computed again."""
        for s in cs.menus[0].choice_members:
            if not s.flags & SYMBOL_DEF_USER:
                s.user_tri = NO
        cs.flags = (cs.flags | SYMBOL_DEF_USER) & ~(SYMBOL_VALID | SYMBOL_NEED_SET_CHOICE_VALUES)

    def choice_default_611(self, cs, members):
        """sym_choice_default() before 6.11: the first default whose condition holds and whose
        member is visible, else the first visible member, else None."""
        calc = self.calc_expr
        for p in cs.props:
            if p.type == P_DEFAULT:
                p.visible_tri = calc(p.visible_expr)
                if p.visible_tri != NO and p.expr[1].visible != NO:
                    return p.expr[1]
        for s in members:
            if s.visible != NO:
                return s
        return None

    def choice_default(self, choice):
        """sym_choice_default(): the default member of a choice menu, or None."""
        if self.pre611:
            return self.choice_default_611(choice.sym, choice.choice_members)
        calc = self.calc_expr
        for p in choice.sym.props:
            if p.type != P_DEFAULT:
                continue
            p.visible_tri = calc(p.visible_expr)
            if p.visible_tri == NO:
                continue
            e = p.expr
            ds = e[1] if e[0] == E_SYMBOL else None
            if ds is not None and ds.visible != NO:
                return ds
        for m in choice.walk():
            if m.sym is not None and m.sym.visible != NO:
                return m.sym
        return None

    def calc_choice(self, choice):
        """sym_calc_choice(): decide which member of a choice is y (None: none is)."""
        if self.pre611:
            cs = choice.sym
            cs.calc_value()
            return cs.curr_val if cs.curr_tri == YES else None
        res = None
        for s in choice.choice_members:
            s.calc_visibility()
            if s.visible == NO:
                continue
            if s.flags & SYMBOL_DEF_USER and s.user_tri == YES:
                res = s
                break
        if res is None and choice.sym.flags & SYMBOL_OPTIONAL:
            # an optional choice (older kernels) stays off until the user picks a member
            for m in choice.walk():
                s = m.sym
                if s is not None and s.visible != NO:
                    s.curr_tri = NO
                    s.flags |= SYMBOL_VALID | SYMBOL_WRITE
            return None
        if res is None:
            res = self.choice_default(choice)
            if res is not None and res.flags & SYMBOL_DEF_USER and res.user_tri == NO:
                res = None
        if res is None:
            for m in choice.walk():
                s = m.sym
                if s is None or s.visible == NO or s.flags & SYMBOL_DEF_USER:
                    continue
                res = s
                break
        if res is None:
            for s in reversed(choice.choice_members):
                if s.visible == NO:
                    continue
                res = s
                break
        for m in choice.walk():
            s = m.sym
            if s is None or s.visible == NO:
                continue
            s.curr_tri = YES if s is res else NO
            s.flags |= SYMBOL_VALID | SYMBOL_WRITE
            if s.curr_val is None:
                # what calc_value() leaves in a bool's string: an int, hex or string symbol
                # defaulting to a member reads it (C reads a NULL there and crashes)
                s.curr_val = "n"
        return res

    def choice_set_value(self, choice, sym):
        """choice_set_value(): the user picks ``sym`` in ``choice``."""
        if self.pre611:
            sym.set_tristate_value(YES)     # (which set the choice too then)
            return
        self.values_fresh = False
        changed = False
        members = choice.choice_members
        for m in choice.walk():
            s = m.sym
            if s is None or s.visible == NO:
                continue
            val = YES if s is sym else NO
            if s.curr_tri != val:
                changed = True
            s.user_tri = val
            s.flags |= SYMBOL_DEF_USER
            members.remove(s)
            members.insert(0, s)
        if changed:
            self.values_changed([m.sym for m in choice.walk() if m.sym is not None])

    def warn_unmet_dep(self, sym):
        if not self.warn_unmet:
            self.sym_warnings += 1
            return
        parts = ["\nWARNING: unmet direct dependencies detected for %s\n" % sym.name,
                 "  Depends on [%s]: " % ("m" if sym.dir_dep_tri == MOD else "n"),
                 expr_str_values(sym.dir_dep), "\n",
                 revdep_str(sym.rev_dep, self.calc_expr, YES, "  Selected by [y]:\n"),
                 revdep_str(sym.rev_dep, self.calc_expr, MOD, "  Selected by [m]:\n")]
        self.stderr("".join(parts))
        self.sym_warnings += 1

    # --- menu helpers ---------------------------------------------------------

    def menu_is_visible(self, menu):
        """menu_is_visible(): is this menu node shown to the user."""
        if menu.prompt is None:
            return False
        if menu.visibility is not None and self.calc_expr(menu.visibility) == NO:
            return False
        sym = menu.sym
        if sym is not None:
            sym.calc_value()
            visible = menu.prompt.visible_tri
        else:
            visible = menu.prompt.visible_tri = self.calc_expr(menu.prompt.visible_expr)
        if visible != NO:
            return True
        if sym is None or sym.curr_tri == NO:
            return False
        c = menu.list
        while c is not None:
            if self.menu_is_visible(c):
                return True
            c = c.next
        return False

    def deepest_expr(self):
        """(filename, lineno, depth) of the most deeply nested expression in the tree, for the
        error message when one is too deep for the engine's recursion; None if there is none."""
        best = None
        for menu in self.rootmenu.walk():
            places = [(menu.dep, menu), (menu.visibility, menu)]
            sym = menu.sym
            if sym is not None:
                places += [(p.expr, p) for p in sym.props if p.menu is menu]
                places += [(p.visible_expr, p) for p in sym.props if p.menu is menu]
                if sym.menus and sym.menus[0] is menu:
                    places += [(sym.dir_dep, menu), (sym.rev_dep, menu), (sym.implied, menu)]
            elif menu.prompt is not None:
                places.append((menu.prompt.visible_expr, menu.prompt))
            for e, where in places:
                d = expr_depth(e)
                if d and (best is None or d > best[2]):
                    best = (where.filename, where.lineno, d)
        return best

    def walk_menus(self):
        """Every menu node below the root in depth-first order (menu_for_each_entry)."""
        return self.rootmenu.walk()

    def mainmenu_text(self):
        """The title given by 'mainmenu' ("Main menu" if there is none)."""
        return self.rootmenu.prompt.text

    # --- convenience API for front ends ----------------------------------------

    def __getitem__(self, name):
        """The symbol called ``name``; KeyError if the tree does not define it."""
        s = self.symbols.get(name)
        if s is None:
            raise KeyError(name)
        return s

    def __contains__(self, name):
        return name in self.symbols

    def read_config(self, path=None):
        """Load a configuration like conf_read(): ``path``, or .config and then
        KCONFIG_DEFCONFIG_LIST when None.  False if nothing could be read."""
        from . import confdata
        return confdata.read(self, path)

    def write_config(self, path=None):
        """Write .config (or ``path``) atomically, keeping ``.old``; 0 on success."""
        from . import confdata
        return confdata.write(self, path)

    def write_min_config(self, path):
        """Write the minimal configuration (savedefconfig); 0 on success."""
        from . import confdata
        return confdata.write_defconfig(self, path)

    def write_autoconf(self, sync=True):
        """Write include/config/auto.conf, autoconf.h, rustc_cfg and the symbol stamps."""
        from . import confdata
        return confdata.write_autoconf(self, sync)

    def config_text(self):
        """The text .config would get now."""
        from . import confdata
        return confdata.config_text(self)

    def set_value(self, name, value):
        """Set a user value as menuconfig would (n/m/y or text); False if it is not allowed."""
        sym = self[name]
        sym.calc_value()
        return sym.set_string_value(value)

    def eval_expr(self, text):
        """The tristate value (0, 1, 2) of an expression given as text, e.g. "SMP && !PM"."""
        from .parser import parse_expr
        return self.calc_expr(parse_expr(self, text))

    def parse_expr(self, text):
        """An expression tuple for ``text`` (see expr.py)."""
        from .parser import parse_expr
        return parse_expr(self, text)
