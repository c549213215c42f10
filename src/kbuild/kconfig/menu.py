"""Menu tree finalization (dependency propagation, implicit submenus) and recursive dependency
checks, with the semantics and messages of scripts/kconfig/menu.c and symbol.c."""

from __future__ import annotations

from . import expr as _expr
from .expr import (_COMPARISONS, E_AND, E_EQUAL, E_NOT, E_OR, E_SYMBOL, E_UNEQUAL,
                   alloc_and, alloc_or, contains_symbol, depends_symbol, eliminate_dups,
                   eliminate_eq, is_yes, symbols_of, trans_compare, transform)
from .symbol import (P_PROMPT, P_DEFAULT, P_IMPLY, P_RANGE, P_SELECT, PROP_NAMES, S_BOOLEAN, S_HEX,
                     S_INT, S_STRING, S_TRISTATE, S_UNKNOWN, SYMBOL_CHECK, SYMBOL_CHECKED,
                     SYMBOL_CONST, SYMBOL_WARNED, P_UNKNOWN, SYMBOL_CHOICEVAL, SYMBOL_OPTIONAL,
                     string_valid)


def _rewrite_m(kc, e):
    """'m' becomes 'm && MODULES' so that it reads as n without modules."""
    if e is None:
        return e
    t = e[0]
    if t == E_SYMBOL:
        if e[1] is kc.m:
            return (E_AND, e, (E_SYMBOL, kc.modules_sym, None))
        return e
    if t == E_NOT:
        a = _rewrite_m(kc, e[1])
        return e if a is e[1] else (E_NOT, a, None)
    if t == E_OR or t == E_AND:
        a = _rewrite_m(kc, e[1])
        b = _rewrite_m(kc, e[2])
        return e if a is e[1] and b is e[2] else (t, a, b)
    return e


_UNSET = object()


def _validate_number(sym, sym2):
    return sym2.type == S_INT or sym2.type == S_HEX or (
        sym2.type == S_UNKNOWN and string_valid(sym.type, sym2.name))


def _warn(kc, p, msg):
    kc.stderr("%s:%d:warning: %s\n" % (p.filename, p.lineno, msg))


def _check_prop(kc, sym):
    for p in sym.props:
        t = p.type
        if t == P_DEFAULT:
            if sym.type in (S_STRING, S_INT, S_HEX) and p.expr[0] != E_SYMBOL:
                _warn(kc, p, "default for config symbol '%s' must be a single symbol" % sym.name)
            if p.expr[0] != E_SYMBOL:
                continue
            sym2 = p.expr[1]
            if sym.type == S_HEX or sym.type == S_INT:
                if not _validate_number(sym, sym2):
                    _warn(kc, p, "'%s': number is invalid" % sym.name)
            if sym.name is None:
                choice = _choice_menu_of(sym2)
                if choice is None or choice.sym is not sym:
                    _warn(kc, p, "choice default symbol '%s' is not contained in the choice" % sym2.name)
        elif t == P_SELECT or t == P_IMPLY:
            use = "select" if t == P_SELECT else "imply"
            sym2 = p.expr[1]
            if sym.type != S_BOOLEAN and sym.type != S_TRISTATE:
                _warn(kc, p, "config symbol '%s' uses %s, but is not bool or tristate" % (sym.name, use))
            elif sym2.type not in (S_UNKNOWN, S_BOOLEAN, S_TRISTATE):
                _warn(kc, p, "'%s' has wrong type. '%s' only accept arguments of bool and tristate type"
                      % (sym2.name, use))
        elif t == P_RANGE:
            if sym.type != S_INT and sym.type != S_HEX:
                _warn(kc, p, "range is only allowed for int or hex symbols")
            if not _validate_number(sym, p.expr[1]) or not _validate_number(sym, p.expr[2]):
                _warn(kc, p, "range is invalid")


def _own_symbols(e, taken, out):
    """Add the symbols of ``e`` to ``out``; False if one is constant or in ``taken``."""
    while True:
        t = e[0]
        if t == E_SYMBOL:
            s = e[1]
            if s.flags & SYMBOL_CONST or s in taken:
                return False
            out.add(s)
            return True
        if t == E_NOT:
            e = e[1]
            continue
        if t == E_AND or t == E_OR:
            if not _own_symbols(e[2], taken, out):
                return False
            e = e[1]
            continue
        for s in (e[1], e[2]):
            if s.flags & SYMBOL_CONST or s in taken:
                return False
            out.add(s)
        return True


def _contains_beyond(e, sym, pdep):
    """contains_symbol(e, sym) for an ``e`` built on ``pdep`` (``(pdep && a) && b``...),
    sym not being in pdep: only the operands above pdep are looked at."""
    while e is not pdep:
        if e is None:
            return False
        if e[0] != E_AND:
            return contains_symbol(e, sym)
        if contains_symbol(e[2], sym):
            return True
        e = e[1]
    return False


def _and_dups(base, e, taken, also=()):
    """(eliminate_dups(alloc_and(base, e)), e's symbols or None) for a ``base`` that came out
    of eliminate_dups() and whose symbols are ``taken`` and ``also`` (``taken`` None: unknown).
    When no symbol of e is among them (most 'depends on'), no operand of base can join one of
    e (a join needs the same symbol), so the result is base && eliminate_dups(e), built as it
    is; unless e reduces to y or n (A || !A), which the pair would absorb."""
    if taken is not None and not _expr.pre611:
        syms = set()
        if _own_symbols(e, taken, syms) and syms.isdisjoint(also):
            r = eliminate_dups(e)
            if r[0] != E_SYMBOL or not r[1].flags & SYMBOL_CONST:
                return (r if base is None else (E_AND, base, r)), syms
    return eliminate_dups(alloc_and(base, e)), None


def _finalize(kc, parent, inside_choice, out, epdep=None, epsyms=None):
    """menu_finalize() of ``parent``; epdep, epsyms: the dependency its own parent gave it
    and that dependency's symbols (None: unknown)."""
    sym = parent.sym
    if parent.list is not None:
        pdep = parent.dep
        if kc.pre611 and sym is not None and sym.name is None:
            pdep = _choice_611(kc, parent, sym)
        # the symbols of pdep, for _and_dups() (None: pdep is y or n, no shortcut)
        psyms = set()
        if pdep is not None:
            if pdep[0] == E_SYMBOL and pdep[1].flags & SYMBOL_CONST:
                psyms = None
            else:
                symbols_of(pdep, psyms)
        menu = parent.list
        while menu is not None:
            # parent.dep came out of eliminate_dups() already, which a second time changes
            # nothing: an entry (or property) without a condition of its own just takes it
            basedep = menu.dep
            own = ()        # the symbols basedep adds to pdep (None: not known)
            if basedep is not None:
                basedep, own = _and_dups(pdep, transform(_rewrite_m(kc, basedep), out), psyms)
            else:
                basedep = pdep
            menu.dep = basedep
            props = menu.sym.props if menu.sym is not None else (
                [menu.prompt] if menu.prompt is not None else [])
            for p in props:
                if p.menu is not menu:
                    continue
                dep = p.visible_expr
                if dep is not None:
                    dep = _and_dups(basedep, transform(_rewrite_m(kc, dep), out),
                                    psyms if own is not None else None, own)[0]
                else:
                    dep = basedep
                p.visible_expr = dep
                if p.type == P_SELECT:
                    es = p.expr[1]
                    es.rev_dep = alloc_or(es.rev_dep, (E_AND, (E_SYMBOL, menu.sym, None), dep) if dep is not None
                                          else (E_SYMBOL, menu.sym, None))
                elif p.type == P_IMPLY:
                    es = p.expr[1]
                    es.implied = alloc_or(es.implied, (E_AND, (E_SYMBOL, menu.sym, None), dep) if dep is not None
                                          else (E_SYMBOL, menu.sym, None))
            menu = menu.next
        choice = sym is not None and sym.name is None
        menu = parent.list
        while menu is not None:
            # (before 6.11, implicit submenus were made inside choices too)
            _finalize(kc, menu, choice and not kc.pre611, out, pdep, psyms)
            menu = menu.next
    elif not inside_choice and sym is not None:
        # Computed only when an entry that follows mentions sym (most do not).  Deferring it
        # cannot lose a note: the prompt's condition went through transform() above, which left
        # no bool symbol compared with 'm', and trans_compare() adds comparisons with 'n' only.
        basedep = _UNSET
        last_menu = None
        menu = parent.next
        # the entries that follow were built on the same parent dependency: when sym is not
        # in that, only what they add to it can mention sym
        beyond = epsyms is not None and epdep is not None and sym not in epsyms
        while menu is not None:
            dep = menu.prompt.visible_expr if menu.prompt is not None else menu.dep
            if not (_contains_beyond(dep, sym, epdep) if beyond else contains_symbol(dep, sym)):
                break
            if not depends_symbol(dep, sym):
                if basedep is _UNSET:
                    basedep = parent.prompt.visible_expr if parent.prompt is not None else None
                    basedep = trans_compare(basedep, E_UNEQUAL, kc.n)
                    basedep = eliminate_dups(transform(basedep, out))
                dep = trans_compare(dep, E_UNEQUAL, kc.n)
                dep = eliminate_dups(transform(dep, out))
                dep, dep2 = eliminate_eq(dep, basedep)
                if not is_yes(dep2):
                    break
            _finalize(kc, menu, False, out, epdep, epsyms)
            menu.parent = parent
            last_menu = menu
            menu = menu.next
        if last_menu is not None:
            parent.list = parent.next
            parent.next = last_menu.next
            last_menu.next = None
        sym.dir_dep = alloc_or(sym.dir_dep, parent.dep)
    menu = parent.list
    while menu is not None:
        if menu.list is not None and (menu.prompt is None or menu.prompt.text is None):
            last = menu.list
            while True:
                last.parent = parent
                if last.next is None:
                    break
                last = last.next
            last.next = menu.next
            menu.next = menu.list
            menu.list = None
        menu = menu.next
    if kc.pre611 and sym is not None and sym.name is None:
        _choice_members_611(kc, parent, sym)
    if sym is not None and not sym.flags & SYMBOL_WARNED:
        if sym.type == S_UNKNOWN:
            kc.stderr("%s:%d:warning: config symbol defined without type\n" % (parent.filename, parent.lineno))
        if kc.pre611 and sym.name is None and parent.prompt is None:
            kc.stderr("%s:%d:warning: choice must have a prompt\n" % (parent.filename, parent.lineno))
        _check_prop(kc, sym)
        sym.flags |= SYMBOL_WARNED
    if kc.pre611 and sym is not None and sym.name is None and parent.prompt is not None \
            and not sym.flags & SYMBOL_OPTIONAL:
        # a choice that is not optional cannot be n where it is visible: a select of
        # '<visibility> && m'
        sym.rev_dep = alloc_or(sym.rev_dep, alloc_and(parent.prompt.visible_expr,
                                                      (E_SYMBOL, kc.m, None)))


def _choice_611(kc, parent, sym):
    """Before 6.11 a choice is a symbol: its type is that of its prompt or of its first typed
    member (and the members without one take it), and its value is the dependency of its
    members.  Returns that dependency."""
    if sym.type == S_UNKNOWN:
        m = parent.list
        while m is not None:
            if m.sym is not None and m.sym.type != S_UNKNOWN:
                sym.type = m.sym.type
                break
            m = m.next
    m = parent.list
    while m is not None:
        if m.sym is not None and m.sym.type == S_UNKNOWN:
            m.sym.type = sym.type
        m = m.next
    return (E_SYMBOL, sym, None)


def _choice_members_611(kc, parent, sym):
    """The checks and the member list of a pre-6.11 choice (menu_finalize() of its menu)."""
    members = []
    m = parent.list
    while m is not None:
        s = m.sym
        if s is not None and not s.flags & SYMBOL_CHOICEVAL:
            s.flags |= SYMBOL_CHOICEVAL
            if m.prompt is None:
                kc.stderr("%s:%d:warning: choice value must have a prompt\n" % (m.filename, m.lineno))
            for p in s.props:
                if p.type == P_DEFAULT:
                    kc.stderr("%s:%d:warning: defaults for choice values not supported\n"
                              % (p.filename, p.lineno))
                if p.menu is m:
                    continue
                if p.type == P_PROMPT and p.menu.parent.sym is not sym:
                    kc.stderr("%s:%d:warning: choice value used outside its choice group\n"
                              % (p.filename, p.lineno))
            if sym.type == S_TRISTATE and s.type != S_TRISTATE:
                # a bool member of a tristate choice needs the choice at y
                base = (E_EQUAL, sym, kc.y)
                m.dep = alloc_and(base, m.dep)
                for p in s.props:
                    if p.menu is m:
                        p.visible_expr = alloc_and(base, p.visible_expr)
            members.append(s)
        m = m.next
    parent.choice_members = members


def _choice_menu_of(sym):
    """sym_get_choice_menu(): the choice menu a symbol's prompt sits in, or None."""
    menu = None
    for m in sym.menus:
        if m.prompt is not None:
            menu = m
            break
    if menu is None:
        return None
    menu = menu.parent
    while menu is not None and menu.sym is None:
        menu = menu.parent
    if menu is not None and menu.sym is not None and menu.sym.name is None:
        return menu
    return None


def finalize(kc):
    """menu_finalize() and the checks conf_parse() runs after it.  Returns the error count."""
    import sys
    lim = sys.getrecursionlimit()
    if lim < 20000:
        sys.setrecursionlimit(20000)
    from . import expr as _expr
    _expr._dups_cache.clear()
    _expr._transform_cache.clear()
    _expr.pre611 = kc.pre611
    try:
        _finalize(kc, kc.rootmenu, False, kc.stdout)
    finally:
        _expr.pre611 = False
        _expr._dups_cache.clear()
        _expr._transform_cache.clear()
    for s in kc._all:
        # only a symbol defined in a choice block can have its prompt in one
        if s.in_choice:
            if kc.pre611 and not s.flags & SYMBOL_CHOICEVAL:
                s.in_choice = False     # under a member's implicit submenu: not a member
                continue
            s.choice_menu = _choice_menu_of(s)
    # choice members are exactly the symbols whose prompt sits in a choice
    errors = 0
    checker = _DepChecker(kc)
    if kc.pre611:
        # (in symbol-table order then)
        for sym in kc.all_symbols():
            if checker.check(sym) is not None:
                errors += 1
    for menu in kc.rootmenu.walk():
        sym = menu.sym
        if kc.pre611:
            continue
        if sym is not None and checker.check(sym) is not None:
            errors += 1
        if sym is not None and sym.name is None and not kc.pre611:
            for child in menu.walk():
                if child.sym is not None and _choice_check_sanity(kc, child):
                    errors += 1
    return errors


def _choice_check_sanity(kc, menu):
    ret = False
    for p in menu.sym.props:
        if p.type == P_DEFAULT:
            kc.stderr("%s:%d: error: defaults for choice values not supported\n" % (p.filename, p.lineno))
            ret = True
        if p.menu is not menu and p.type == P_PROMPT and p.menu.parent is not menu.parent:
            kc.stderr("%s:%d: error: choice value has a prompt outside its choice group\n"
                      % (p.filename, p.lineno))
            ret = True
    return ret


_ON_PATH_OR_DONE = SYMBOL_CHECK | SYMBOL_CHECKED


def _loop_line_611(sym, prop, kind, next_sym, first):
    """A line of the dependency-loop report before 6.11: at the file:line of the property (or
    of the entry: then every entry had a 'symbol' property first), choices and their members
    named as such; ``first`` adds the header."""
    if prop is None or sym.name is None or sym.choice_menu is not None:
        prop = sym.menus[0]
        ptype = P_UNKNOWN       # (not printed: the stack holds no property then)
    else:
        ptype = prop.type
    name = sym.name if sym.name is not None else "<choice>"
    nname = next_sym.name if next_sym.name is not None else "<choice>"
    where = "%s:%d:" % (prop.filename, prop.lineno)
    head = "%serror: recursive dependency detected!\n" % where if first else ""
    if sym.name is None:
        return "%s%s\tchoice %s contains symbol %s\n" % (head, where, name, nname)
    if sym.choice_menu is not None:
        return "%s%s\tsymbol %s is part of choice %s\n" % (head, where, name, nname)
    if kind == "dir":
        what = "depends on"
    elif kind == "rev":
        what = "is selected by"
    elif kind == "implied":
        what = "is implied by"
    elif kind == "prop":
        what = "%s value contains" % PROP_NAMES[ptype]
    else:
        what = "%s is visible depending on" % PROP_NAMES[ptype]
    return "%s%s\tsymbol %s %s %s\n" % (head, where, name, what, nname)


class _DepChecker:
    """sym_check_deps(): find dependency loops and print the C tool's report."""

    def __init__(self, kc):
        self.kc = kc
        self.stack = []   # entries: [sym, prop, expr_kind]
        self.done = set()  # ids of expressions walked without finding a loop

    def _print(self, last_sym):
        kc = self.kc
        stack = self.stack
        pushed = False
        choice = last_sym.choice_menu
        if choice is not None:
            stack.append([last_sym, None, None])
            pushed = True
            last_sym = choice.sym
        idx = None
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] is last_sym:
                idx = i
                break
        out = []
        if idx is None:
            out.append("unexpected recursive dependency error\n")
        else:
            for i in range(idx, len(stack)):
                sym, prop, kind = stack[i]
                next_sym = stack[i + 1][0] if i + 1 < len(stack) else last_sym
                if kc.pre611:
                    out.append(_loop_line_611(sym, prop, kind, next_sym, sym is last_sym))
                    continue
                ptype = prop.type if prop is not None else P_UNKNOWN
                name = sym.name if sym.name is not None else "<choice>"
                if sym is last_sym:
                    out.append("error: recursive dependency detected!\n")
                if next_sym.name is None:
                    cm = next_sym.menus[0]
                    out.append("\tsymbol %s is part of choice block at %s:%d\n" % (name, cm.filename, cm.lineno))
                elif kind == "dir":
                    out.append("\tsymbol %s depends on %s\n" % (name, next_sym.name))
                elif kind == "rev":
                    out.append("\tsymbol %s is selected by %s\n" % (sym.name, next_sym.name))
                elif kind == "implied":
                    out.append("\tsymbol %s is implied by %s\n" % (sym.name, next_sym.name))
                elif kind == "prop":
                    out.append("\tsymbol %s %s value contains %s\n" % (name, PROP_NAMES[ptype], next_sym.name))
                else:
                    out.append("\tsymbol %s %s is visible depending on %s\n" % (name, PROP_NAMES[ptype], next_sym.name))
            out.append("For a resolution refer to Documentation/kbuild/kconfig-language.rst\n"
                       "subsection \"Kconfig recursive dependency limitations\"\n\n")
        kc.stderr("".join(out))
        if pushed:
            stack.pop()

    def _expr(self, e):
        if e is None:
            return None
        t = e[0]
        if t == E_SYMBOL:
            s = e[1]
            if (s.flags & _ON_PATH_OR_DONE) == SYMBOL_CHECKED:
                return None             # checked before and not on the path: check() says so
            return self.check(s)
        # Menu dependencies are shared subtrees: once one was walked without finding a loop,
        # all its symbols are checked and none can be on the stack again, so a second walk
        # would find nothing either.  (Every expression walked lives in the tree, so its id
        # stays its own during the check.)
        key = id(e)
        done = self.done
        if key in done:
            return None
        if t == E_OR or t == E_AND:
            # the leaves inline: most operands are symbols checked long ago
            a = e[1]
            if a[0] != E_SYMBOL or (a[1].flags & _ON_PATH_OR_DONE) != SYMBOL_CHECKED:
                r = self._expr(a)
                if r is not None:
                    return r
            a = e[2]
            if a[0] != E_SYMBOL or (a[1].flags & _ON_PATH_OR_DONE) != SYMBOL_CHECKED:
                r = self._expr(a)
                if r is not None:
                    return r
        elif t == E_NOT:
            r = self._expr(e[1])
            if r is not None:
                return r
        elif t in _COMPARISONS:
            r = self.check(e[1]) or self.check(e[2])
            if r is not None:
                return r
        done.add(key)
        return None

    def _sym_deps(self, sym):
        entry = [sym, None, "dir"]
        self.stack.append(entry)
        try:
            r = self._expr(sym.dir_dep)
            if r is not None:
                return r
            if sym.rev_dep is not None:
                entry[2] = "rev"
                r = self._expr(sym.rev_dep)
                if r is not None:
                    return r
            if sym.implied is not None:
                entry[2] = "implied"
                r = self._expr(sym.implied)
                if r is not None:
                    return r
            entry[2] = None
            done = self.done
            for p in sym.props:
                if p.type == P_SELECT or p.type == P_IMPLY:
                    continue
                entry[1] = p
                e = p.visible_expr
                # (most are the menu dependency, walked already: no call for those)
                if e is not None and id(e) not in done:
                    r = self._expr(e)
                    if r is not None:
                        return r
                if p.type != P_DEFAULT or sym.name is None:
                    continue
                entry[2] = "prop"
                r = self._expr(p.expr)
                if r is not None:
                    return r
                entry[2] = None
            return None
        finally:
            self.stack.pop()

    def _choice_deps(self, choice):
        self.stack.append([choice, None, None])
        cmenu = choice.menus[0]
        if self.kc.pre611:
            subs = cmenu.choice_members
        else:
            subs = [m.sym for m in cmenu.walk() if m.sym is not None]
        for s in subs:
            s.flags |= SYMBOL_CHECK | SYMBOL_CHECKED
        choice.flags |= SYMBOL_CHECK | SYMBOL_CHECKED
        r = self._sym_deps(choice)
        choice.flags &= ~SYMBOL_CHECK
        if r is None:
            for s in subs:
                r = self._sym_deps(s)
                if r is not None:
                    break
        for s in subs:
            s.flags &= ~SYMBOL_CHECK
        if r is not None and r.choice_menu is cmenu:
            r = choice
        self.stack.pop()
        return r

    def check(self, sym):
        if sym.flags & SYMBOL_CHECK:
            self._print(sym)
            return sym
        if sym.flags & SYMBOL_CHECKED:
            return None
        choice = sym.choice_menu
        if choice is not None:
            self.stack.append([sym, None, None])
            r = self.check(choice.sym)
            self.stack.pop()
            return r
        if sym.name is None:
            return self._choice_deps(sym)
        sym.flags |= SYMBOL_CHECK | SYMBOL_CHECKED
        r = self._sym_deps(sym)
        sym.flags &= ~SYMBOL_CHECK
        return r
