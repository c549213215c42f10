"""Kconfig expressions: construction, simplification, evaluation and printing.

An expression is a tuple ``(type, left, right)``.  Leaves hold symbols: ``(E_SYMBOL, sym, None)``
and comparisons ``(E_EQUAL, sym1, sym2)``; ``E_NOT`` holds one sub-expression in ``left``;
``E_AND``/``E_OR`` hold two.  Tuples compare structurally and symbols by identity, which is the
same notion of equality as the C tools' hash-consed expression nodes, so every transformation here
produces the same trees (and therefore the same printed text and evaluation order) as
scripts/kconfig/expr.c.

``None`` stands for "no expression", which means y where a condition is expected.
"""

from __future__ import annotations

# Same numbering as the C enum; only the relative order matters for printing.
E_NONE, E_OR, E_AND, E_NOT, E_EQUAL, E_UNEQUAL, E_LTH, E_LEQ, E_GTH, E_GEQ, E_LIST, E_SYMBOL, E_RANGE = range(13)

NO, MOD, YES = 0, 1, 2

# symbol types (the same numbering as symbol.py, which imports this module)
S_UNKNOWN, S_BOOLEAN, S_TRISTATE = 0, 1, 2
SYMBOL_CONST = 0x0001

_COMPARISONS = frozenset((E_EQUAL, E_UNEQUAL, E_LTH, E_LEQ, E_GTH, E_GEQ))


class _Consts:
    """The three constant symbols, bound by symbol.py once they exist."""

    yes = None
    mod = None
    no = None


consts = _Consts()


def sym_expr(sym):
    """The expression consisting of just ``sym``."""
    return (E_SYMBOL, sym, None)


def expr_depth(e):
    """How deeply ``e`` nests (0 for None, 1 for a leaf), counted without recursion so that it
    works on the expressions too deep for the recursive functions here."""
    depth = 0
    todo = [(e, 1)] if e is not None else []
    while todo:
        e, d = todo.pop()
        if d > depth:
            depth = d
        t = e[0]
        if t == E_NOT:
            todo.append((e[1], d + 1))
        elif t == E_AND or t == E_OR:
            todo.append((e[1], d + 1))
            todo.append((e[2], d + 1))
    return depth


def alloc_and(e1, e2):
    if e1 is None:
        return e2
    return (E_AND, e1, e2) if e2 is not None else e1


def alloc_or(e1, e2):
    if e1 is None:
        return e2
    return (E_OR, e1, e2) if e2 is not None else e1


def is_yes(e):
    return e is None or (e[0] == E_SYMBOL and e[1] is consts.yes)


def is_no(e):
    return e is not None and e[0] == E_SYMBOL and e[1] is consts.no


class _Counter:
    __slots__ = ("n",)

    def __init__(self):
        self.n = 0


_trans = _Counter()


def _eliminate_eq_inner(typ, e1, e2):
    if e1[0] == typ:
        l = _eliminate_eq_inner(typ, e1[1], e2)
        l, e2 = l
        r, e2 = _eliminate_eq_inner(typ, e1[2], e2)
        return (typ, l, r), e2
    if e2[0] == typ:
        e1, l = _eliminate_eq_inner(typ, e1, e2[1])
        e1, r = _eliminate_eq_inner(typ, e1, e2[2])
        return e1, (typ, l, r)
    if e1[0] == E_SYMBOL and e2[0] == E_SYMBOL and e1[1] is e2[1] and (
            e1[1] is consts.yes or e1[1] is consts.no):
        return e1, e2
    if not expr_eq(e1, e2):
        return e1, e2
    _trans.n += 1
    if typ == E_OR:
        n = (E_SYMBOL, consts.no, None)
        return n, n
    if typ == E_AND:
        y = (E_SYMBOL, consts.yes, None)
        return y, y
    return e1, e2


def eliminate_eq(e1, e2):
    """Remove operands common to ``e1`` and ``e2``; returns the rewritten pair."""
    if e1 is None or e2 is None:
        return e1, e2
    t1 = e1[0]
    if t1 == E_OR or t1 == E_AND:
        e1, e2 = _eliminate_eq_inner(t1, e1, e2)
    if e1[0] != e2[0] and (e2[0] == E_OR or e2[0] == E_AND):
        e1, e2 = _eliminate_eq_inner(e2[0], e1, e2)
    return eliminate_yn(e1), eliminate_yn(e2)


def expr_eq(e1, e2):
    """Equality after minor simplification, as expr_eq() in C."""
    if e1 is None or e2 is None:
        return is_yes(e1) and is_yes(e2)
    t = e1[0]
    if t != e2[0]:
        return False
    if t in _COMPARISONS:
        return e1[1] is e2[1] and e1[2] is e2[2]
    if t == E_SYMBOL:
        return e1[1] is e2[1]
    if t == E_NOT:
        return expr_eq(e1[1], e2[1])
    if t == E_AND or t == E_OR:
        if e1 == e2:
            # Identical trees reduce to the same leaf on both sides.
            return True
        old = _trans.n
        a, b = eliminate_eq(e1, e2)
        _trans.n = old
        return a[0] == E_SYMBOL and b[0] == E_SYMBOL and a[1] is b[1]
    return False


# True while menu finalization works on a tree older than 6.11, whose C tools simplified in
# place: eliminate_yn() kept what it did to the operands, and eliminate_dups() joined the
# operands of the whole expression against each other (see _eliminate_dups_611)
pre611 = False


def eliminate_yn(e):
    if e is None:
        return e
    t = e[0]
    if t == E_AND or t == E_OR:
        l = eliminate_yn(e[1])
        r = eliminate_yn(e[2])
        if pre611 and (l is not e[1] or r is not e[2]):
            e = (t, l, r)
        return _eliminate_yn_top(e, t, l, r)
    return e


def _eliminate_yn_top(e, t, l, r):
    """eliminate_yn() at the top of ``e = (t, ...)`` whose operands, through eliminate_yn(),
    are ``l`` and ``r``: an operand y or n decides; otherwise ``e`` as it is (as in C 6.12)."""
    if t == E_AND:
        if l[0] == E_SYMBOL:
            if l[1] is consts.no:
                return l
            if l[1] is consts.yes:
                return r
        if r[0] == E_SYMBOL:
            if r[1] is consts.no:
                return r
            if r[1] is consts.yes:
                return l
    else:
        if l[0] == E_SYMBOL:
            if l[1] is consts.no:
                return r
            if l[1] is consts.yes:
                return l
        if r[0] == E_SYMBOL:
            if r[1] is consts.no:
                return l
            if r[1] is consts.yes:
                return r
    return e


_JOINABLE = frozenset((E_EQUAL, E_UNEQUAL, E_SYMBOL, E_NOT))


def _join_syms(e1, e2):
    """The symbols two join candidates talk about, or None when they cannot be joined."""
    if e1[0] not in _JOINABLE or e2[0] not in _JOINABLE:
        return None
    if e1[0] == E_NOT:
        tmp = e1[1]
        if tmp[0] not in (E_EQUAL, E_UNEQUAL, E_SYMBOL):
            return None
        sym1 = tmp[1]
    else:
        sym1 = e1[1]
    if e2[0] == E_NOT:
        if e2[1][0] != E_SYMBOL:
            return None
        sym2 = e2[1][1]
    else:
        sym2 = e2[1]
    if sym1 is not sym2:
        return None
    return sym1


def _join_or(e1, e2):
    if expr_eq(e1, e2):
        return e1
    sym1 = _join_syms(e1, e2)
    if sym1 is None:
        return None
    if sym1.type != S_BOOLEAN and sym1.type != S_TRISTATE:
        return None
    y, m, n = consts.yes, consts.mod, consts.no
    t1, t2 = e1[0], e2[0]
    if sym1.type == S_TRISTATE:
        if t1 == E_EQUAL and t2 == E_EQUAL:
            r1, r2 = e1[2], e2[2]
            if (r1 is y and r2 is m) or (r1 is m and r2 is y):
                return (E_UNEQUAL, sym1, n)
            if (r1 is y and r2 is n) or (r1 is n and r2 is y):
                return (E_UNEQUAL, sym1, m)
            if (r1 is m and r2 is n) or (r1 is n and r2 is m):
                return (E_UNEQUAL, sym1, y)
    if sym1.type == S_BOOLEAN:
        if ((t1 == E_NOT and e1[1][0] == E_SYMBOL and t2 == E_SYMBOL)
                or (t2 == E_NOT and e2[1][0] == E_SYMBOL and t1 == E_SYMBOL)):
            return (E_SYMBOL, y, None)
    return None


def _join_and(e1, e2):
    if expr_eq(e1, e2):
        return e1
    sym1 = _join_syms(e1, e2)
    if sym1 is None:
        return None
    if sym1.type != S_BOOLEAN and sym1.type != S_TRISTATE:
        return None
    y, m, n = consts.yes, consts.mod, consts.no
    t1, t2 = e1[0], e2[0]
    if (t1 == E_SYMBOL and t2 == E_EQUAL and e2[2] is y) or (t2 == E_SYMBOL and t1 == E_EQUAL and e1[2] is y):
        return (E_EQUAL, sym1, y)
    if (t1 == E_SYMBOL and t2 == E_UNEQUAL and e2[2] is n) or (t2 == E_SYMBOL and t1 == E_UNEQUAL and e1[2] is n):
        return (E_SYMBOL, sym1, None)
    if (t1 == E_SYMBOL and t2 == E_UNEQUAL and e2[2] is m) or (t2 == E_SYMBOL and t1 == E_UNEQUAL and e1[2] is m):
        return (E_EQUAL, sym1, y)
    if sym1.type == S_TRISTATE:
        if t1 == E_EQUAL and t2 == E_UNEQUAL:
            sym2 = e1[2]
            if (e2[2].flags & SYMBOL_CONST) and (sym2.flags & SYMBOL_CONST):
                return (E_EQUAL, sym1, sym2) if sym2 is not e2[2] else (E_SYMBOL, n, None)
        if t1 == E_UNEQUAL and t2 == E_EQUAL:
            sym2 = e2[2]
            if (e1[2].flags & SYMBOL_CONST) and (sym2.flags & SYMBOL_CONST):
                return (E_EQUAL, sym1, sym2) if sym2 is not e1[2] else (E_SYMBOL, n, None)
        if t1 == E_UNEQUAL and t2 == E_UNEQUAL:
            r1, r2 = e1[2], e2[2]
            if (r1 is y and r2 is n) or (r1 is n and r2 is y):
                return (E_EQUAL, sym1, m)
            if (r1 is y and r2 is m) or (r1 is m and r2 is y):
                return (E_EQUAL, sym1, n)
            if (r1 is m and r2 is n) or (r1 is n and r2 is m):
                return (E_EQUAL, sym1, y)
    return None


def _eliminate_dups1(typ, e1, e2):
    # an unchanged operand is returned as it came, so that shared subtrees stay shared
    if e1[0] == typ:
        l, e2 = _eliminate_dups1(typ, e1[1], e2)
        r, e2 = _eliminate_dups1(typ, e1[2], e2)
        return (e1 if l is e1[1] and r is e1[2] else (typ, l, r)), e2
    if e2[0] == typ:
        e1, l = _eliminate_dups1(typ, e1, e2[1])
        e1, r = _eliminate_dups1(typ, e1, e2[2])
        return e1, (e2 if l is e2[1] and r is e2[2] else (typ, l, r))
    if typ == E_OR:
        tmp = _join_or(e1, e2)
        if tmp is not None:
            _trans.n += 1
            return (E_SYMBOL, consts.no, None), tmp
    elif typ == E_AND:
        tmp = _join_and(e1, e2)
        if tmp is not None:
            _trans.n += 1
            return (E_SYMBOL, consts.yes, None), tmp
    return e1, e2


_dups_cache = {}


def eliminate_dups(e):
    """Join duplicate and redundant operands (A || B || A -> A || B)."""
    if e is None or e[0] == E_SYMBOL:
        return e
    r = _dups_cache.get(e)
    if r is None:
        r = _dups_cache[e] = _eliminate_dups(e)
    return r


def _eliminate_dups_611(e):
    """expr_eliminate_dups() before 6.11: the expression's operands joined pairwise in place
    (the tree passed as both sides), and y/n eliminated only after a join.  The C code's
    aliasing is kept by working on a mutable copy, where a place is (node, index)."""
    old = _trans.n
    root = [_thaw(e)]
    while True:
        _trans.n = 0
        t = root[0][0]
        if t == E_OR or t == E_AND:
            _dups1_611(t, root, 0, root, 0)
        if not _trans.n:
            break
        root[0] = _thaw(eliminate_yn(_freeze(root[0])))
    _trans.n = old
    return _freeze(root[0])


def _thaw(e):
    t = e[0]
    if t == E_AND or t == E_OR:
        return [t, _thaw(e[1]), _thaw(e[2])]
    if t == E_NOT:
        return [t, _thaw(e[1]), None]
    return [t, e[1], e[2]]


def _freeze(n):
    t = n[0]
    if t == E_AND or t == E_OR:
        return (t, _freeze(n[1]), _freeze(n[2]))
    if t == E_NOT:
        return (t, _freeze(n[1]), None)
    return (t, n[1], n[2])


def _dups1_611(typ, c1, i1, c2, i2):
    e1 = c1[i1]
    if e1[0] == typ:
        _dups1_611(typ, e1, 1, c2, i2)
        _dups1_611(typ, e1, 2, c2, i2)
        return
    e2 = c2[i2]
    if e2[0] == typ:
        _dups1_611(typ, c1, i1, e2, 1)
        _dups1_611(typ, c1, i1, e2, 2)
        return
    if e1 is e2:
        return
    if e1[0] == E_OR or e1[0] == E_AND:
        _dups1_611(e1[0], c1, i1, c1, i1)
    if typ == E_OR:
        tmp = _join_or(_freeze(c1[i1]), _freeze(c2[i2]))
        if tmp is not None:
            c1[i1] = [E_SYMBOL, consts.no, None]
            c2[i2] = _thaw(tmp)
            _trans.n += 1
    elif typ == E_AND:
        tmp = _join_and(_freeze(c1[i1]), _freeze(c2[i2]))
        if tmp is not None:
            c1[i1] = [E_SYMBOL, consts.yes, None]
            c2[i2] = _thaw(tmp)
            _trans.n += 1


def _eliminate_dups(e):
    if pre611:
        return _eliminate_dups_611(e)
    old = _trans.n
    while True:
        _trans.n = 0
        t = e[0]
        if t == E_OR or t == E_AND:
            l = eliminate_dups(e[1])
            r = eliminate_dups(e[2])
            l, r = _eliminate_dups1(t, l, r)
            if l is not e[1] or r is not e[2]:
                e = (t, l, r)
            if _trans.n:
                e = eliminate_yn(e)
            else:
                # No join touched l and r, which came out of eliminate_yn() (through
                # eliminate_dups()): applied again it gives them back as they are, so only
                # the top of the tree is left to look at.
                e = _eliminate_yn_top(e, t, l, r)
        # (anything else eliminate_yn() gives back unchanged)
        if not _trans.n:
            break
    _trans.n = old
    return e


_transform_cache = {}


def transform(e, out=None):
    """Normalise comparisons of bools and push negations inward, as expr_transform()."""
    if e is None:
        return None
    if e[0] == E_SYMBOL:
        return e
    r = _transform_cache.get(e)
    if r is not None:
        return r
    return _transform_new(e, out)


def _transform_new(e, out):
    # (apart from transform(): its closure would cost every call two cells)
    printed = []

    def record(text):
        printed.append(text)
        if out is not None:
            out(text)
    r = _transform(e, record)
    if not printed:
        # a transformation that printed a note must print it again next time, as C does
        _transform_cache[e] = r
    return r


def _transform(e, out):
    t = e[0]
    if t == E_AND or t == E_OR or t == E_NOT:
        if t == E_NOT:
            e = (t, transform(e[1], out), None)
        else:
            # the C tool's expr_alloc_two(type, expr_transform(left), expr_transform(right)):
            # gcc evaluates those arguments right to left, which orders the notes it prints
            r = transform(e[2], out)
            e = (t, transform(e[1], out), r)
    t = e[0]
    y, m, n = consts.yes, consts.mod, consts.no
    if t == E_EQUAL:
        if e[1].type != S_BOOLEAN:
            return e
        if e[2] is n:
            return (E_NOT, (E_SYMBOL, e[1], None), None)
        if e[2] is m:
            if out is not None:
                out("boolean symbol %s tested for 'm'? test forced to 'n'\n" % e[1].name)
            return (E_SYMBOL, n, None)
        if e[2] is y:
            return (E_SYMBOL, e[1], None)
        return e
    if t == E_UNEQUAL:
        if e[1].type != S_BOOLEAN:
            return e
        if e[2] is n:
            return (E_SYMBOL, e[1], None)
        if e[2] is m:
            if out is not None:
                out("boolean symbol %s tested for 'm'? test forced to 'y'\n" % e[1].name)
            return (E_SYMBOL, y, None)
        if e[2] is y:
            return (E_NOT, (E_SYMBOL, e[1], None), None)
        return e
    if t == E_NOT:
        sub = e[1]
        st = sub[0]
        if st == E_NOT:
            return sub[1]
        if st == E_EQUAL or st == E_UNEQUAL:
            return (E_UNEQUAL if st == E_EQUAL else E_EQUAL, sub[1], sub[2])
        if st == E_LEQ or st == E_GEQ:
            return (E_GTH if st == E_LEQ else E_LTH, sub[1], sub[2])
        if st == E_LTH or st == E_GTH:
            return (E_GEQ if st == E_LTH else E_LEQ, sub[1], sub[2])
        if st == E_OR:
            return transform((E_AND, (E_NOT, sub[1], None), (E_NOT, sub[2], None)), out)
        if st == E_AND:
            return transform((E_OR, (E_NOT, sub[1], None), (E_NOT, sub[2], None)), out)
        if st == E_SYMBOL:
            s = sub[1]
            if s is y:
                return (E_SYMBOL, n, None)
            if s is m:
                return (E_SYMBOL, m, None)
            if s is n:
                return (E_SYMBOL, y, None)
    return e


def symbols_of(e, out):
    """Add the symbols of expression ``e`` (comparisons: both sides) to the set ``out``."""
    while e is not None:
        t = e[0]
        if t == E_SYMBOL:
            out.add(e[1])
            return
        if t == E_NOT:
            e = e[1]
            continue
        if t == E_AND or t == E_OR:
            # (menu dependencies are left-deep: the loop goes down the left side)
            symbols_of(e[2], out)
            e = e[1]
            continue
        out.add(e[1])
        out.add(e[2])
        return


def contains_symbol(e, sym):
    if e is None:
        return False
    t = e[0]
    if t == E_AND or t == E_OR:
        return contains_symbol(e[1], sym) or contains_symbol(e[2], sym)
    if t == E_SYMBOL:
        return e[1] is sym
    if t in _COMPARISONS:
        return e[1] is sym or e[2] is sym
    if t == E_NOT:
        return contains_symbol(e[1], sym)
    return False


def depends_symbol(e, sym):
    if e is None:
        return False
    t = e[0]
    if t == E_AND:
        return depends_symbol(e[1], sym) or depends_symbol(e[2], sym)
    if t == E_SYMBOL:
        return e[1] is sym
    if t == E_EQUAL:
        return e[1] is sym and (e[2] is consts.yes or e[2] is consts.mod)
    if t == E_UNEQUAL:
        return e[1] is sym and e[2] is consts.no
    return False


def trans_compare(e, typ, sym):
    """Rewrite ``e`` into ``e = sym`` (typ E_EQUAL) or ``e != sym`` form, as expr_trans_compare()."""
    y, m, n = consts.yes, consts.mod, consts.no
    if e is None:
        e = (E_SYMBOL, sym, None)
        if typ == E_UNEQUAL:
            e = (E_NOT, e, None)
        return e
    t = e[0]
    if t == E_AND or t == E_OR:
        e1 = trans_compare(e[1], E_EQUAL, sym)
        e2 = trans_compare(e[2], E_EQUAL, sym)
        if sym is y:
            e = (t, e1, e2)
        if sym is n:
            e = (E_OR if t == E_AND else E_AND, e1, e2)
        if typ == E_UNEQUAL:
            e = (E_NOT, e, None)
        return e
    if t == E_NOT:
        return trans_compare(e[1], E_UNEQUAL if typ == E_EQUAL else E_EQUAL, sym)
    if t in _COMPARISONS:
        if typ == E_EQUAL:
            if sym is y:
                return e
            if sym is m:
                return (E_SYMBOL, n, None)
            if sym is n:
                return (E_NOT, e, None)
        else:
            if sym is y:
                return (E_NOT, e, None)
            if sym is m:
                return (E_SYMBOL, y, None)
            if sym is n:
                return e
        return None
    if t == E_SYMBOL:
        return (typ, e[1], sym)
    return None


def expr_symbols(e, acc=None):
    """All symbols referenced by ``e``, in order of appearance (duplicates kept out)."""
    if acc is None:
        acc = []
    if e is None:
        return acc
    t = e[0]
    if t == E_AND or t == E_OR:
        expr_symbols(e[1], acc)
        expr_symbols(e[2], acc)
    elif t == E_NOT:
        expr_symbols(e[1], acc)
    elif t == E_SYMBOL:
        if e[1] not in acc:
            acc.append(e[1])
    else:
        for s in (e[1], e[2]):
            if s not in acc:
                acc.append(s)
    return acc


# --- printing ---------------------------------------------------------------

def _compare_type(t1, t2):
    if t1 == t2:
        return 0
    if t1 in (E_LEQ, E_LTH, E_GEQ, E_GTH):
        if t2 == E_EQUAL or t2 == E_UNEQUAL:
            return 1
        t1 = E_EQUAL
    if t1 == E_EQUAL or t1 == E_UNEQUAL:
        if t2 == E_NOT:
            return 1
        t1 = E_NOT
    if t1 == E_NOT:
        if t2 == E_AND:
            return 1
        t1 = E_AND
    if t1 == E_AND:
        if t2 == E_OR:
            return 1
    return 0


_OPS = {E_EQUAL: "=", E_UNEQUAL: "!=", E_LTH: "<", E_LEQ: "<=", E_GTH: ">", E_GEQ: ">="}


def expr_print(e, fn, prevtoken=E_NONE):
    """Print ``e`` through ``fn(sym_or_None, text)`` exactly as expr_print() in C."""
    if e is None:
        fn(None, "y")
        return
    t = e[0]
    paren = _compare_type(prevtoken, t) > 0
    if paren:
        fn(None, "(")
    if t == E_SYMBOL:
        s = e[1]
        if s.name is not None:
            fn(s, s.name)
        else:
            fn(None, "<choice>")
    elif t == E_NOT:
        fn(None, "!")
        expr_print(e[1], fn, E_NOT)
    elif t in _OPS:
        s = e[1]
        if s.name is not None:
            fn(s, s.name)
        else:
            fn(None, "<choice>")
        fn(None, _OPS[t])
        fn(e[2], e[2].name)
    elif t == E_OR:
        expr_print(e[1], fn, E_OR)
        fn(None, " || ")
        expr_print(e[2], fn, E_OR)
    elif t == E_AND:
        expr_print(e[1], fn, E_AND)
        fn(None, " && ")
        expr_print(e[2], fn, E_AND)
    elif t == E_RANGE:
        fn(None, "[")
        fn(e[1], e[1].name)
        fn(None, " ")
        fn(e[2], e[2].name)
        fn(None, "]")
    else:
        fn(None, "<unknown type %d>" % t)
    if paren:
        fn(None, ")")


def expr_str(e):
    """Plain text of ``e`` (no values), as expr_fprint()."""
    parts = []
    expr_print(e, lambda s, txt: parts.append(txt))
    return "".join(parts)


def expr_str_values(e):
    """Text of ``e`` with each symbol's value, as menuconfig's help ("A [=y] && B [=n]")."""
    parts = []

    def fn(sym, txt):
        parts.append(txt)
        if sym is not None and sym.type != S_UNKNOWN:
            parts.append(" [=%s]" % sym.str_value())
    expr_print(e, fn)
    return "".join(parts)


def revdep_str(e, calc, pr_type, title):
    """The 'Selected by [y]:' style listing of the OR terms of ``e`` whose value is ``pr_type``."""
    parts = []
    state = [title]

    def fn(sym, txt):
        parts.append(txt)
        if sym is not None and sym.type != S_UNKNOWN:
            parts.append(" [=%s]" % sym.str_value())

    def walk(x):
        if x[0] == E_OR:
            walk(x[1])
            walk(x[2])
        elif calc(x) == pr_type:
            if state[0]:
                parts.append(state[0])
                state[0] = None
            parts.append("  - ")
            expr_print(x, fn)
            parts.append("\n")
    walk(e)
    return "".join(parts)
