"""Why a symbol is not at a value: each unmet condition, which term of it is false and why,
recursing through prompt-less helper symbols down to options the user can change.

The answer is a tree of nodes (plain dicts, JSON-ready)::

    {"text": "...", "symbol": "SMP" | None, "value": "y", "need": ">=y" | "<=n",
     "settable": bool, "file": ..., "line": ..., "location": "Kernel Features -> ...",
     "mode": "all" | "any" | None, "children": [...]}

``mode`` says how the children combine: "all" (every one must change) or "any" (one suffices).
Leaves with ``settable`` true are the options a user can change in menuconfig now.
"""

from __future__ import annotations

from ..kconfig.expr import (E_AND, E_EQUAL, E_GEQ, E_GTH, E_LEQ, E_LTH, E_NOT, E_OR, E_SYMBOL,
                           E_UNEQUAL, expr_str,
                           expr_str_values, expr_symbols)
from ..kconfig.symbol import P_DEFAULT, S_BOOLEAN, S_TRISTATE, S_UNKNOWN, SYMBOL_CONST
from .find import TRI, menu_path, where
from .show import first_symbol, or_terms, value_origin

MAX_DEPTH = 12
MAX_SELECTORS = 4     # of more selecting terms, only the closest are followed
_FAR = 1000


def _flatten(e, t):
    if e is not None and e[0] == t:
        return _flatten(e[1], t) + _flatten(e[2], t)
    return [e]


def _first_menu(sym):
    for m in sym.menus:
        if m.prompt is not None:
            return m
    return sym.menus[0] if sym.menus else None


def _has_prompt(sym):
    return any(p.text is not None for p in sym.props)


def _positive_symbols(sym):
    """``sym`` and the symbols its `depends on` and prompt conditions need on (not under a `!`)."""
    out = {sym.name}

    def walk(e):
        if e is None:
            return
        if e[0] in (E_AND, E_OR):
            walk(e[1])
            walk(e[2])
        elif e[0] == E_SYMBOL and e[1].name is not None:
            out.add(e[1].name)
    walk(sym.dir_dep)
    for p in sym.props:
        if p.text is not None:
            walk(p.visible_expr)
    return out


def _literal(sym):
    """A value written in the expression: "quoted", y/m/n, or an unquoted number (which Kconfig
    reads as the name of a symbol no file defines; its value is its name)."""
    if sym.flags & SYMBOL_CONST:
        return True
    return not sym.menus and sym.type == S_UNKNOWN and bool(sym.name) and sym.name[0] in "-0123456789"


_RELATIONS = {E_EQUAL: lambda a, b: a == b, E_UNEQUAL: lambda a, b: a != b,
              E_LTH: lambda a, b: a < b, E_LEQ: lambda a, b: a <= b,
              E_GTH: lambda a, b: a > b, E_GEQ: lambda a, b: a >= b}


def _visible_if_text(menu):
    return 'the menu "%s" (%s:%s) is shown only if %s:' % (
        menu.prompt_text(), menu.filename, menu.lineno, expr_str_values(menu.visibility))


def _leaves(node, acc):
    if node is not None:
        if node.get("settable") and node.get("symbol"):
            acc.add((node["symbol"], node.get("need")))
        for c in node.get("children", ()):
            _leaves(c, acc)
    return acc


def _drop_repeated_leaves(parts):
    """Of the terms that must all hold, a settable option already named inside another term's
    answer is not listed again."""
    inner = set()
    for n in parts:
        if n is not None and n.get("children"):
            _leaves(n, inner)
    return [n for n in parts if n is None or n.get("children") or not n.get("settable")
            or (n.get("symbol"), n.get("need")) not in inner]


def _lowers(node, names):
    """Whether the way ``node`` turns one of ``names`` off (or down)."""
    if node is None:
        return False
    if node.get("settable") and node.get("symbol") in names and (
            node.get("need", "").startswith("<=") or node.get("need") == "n"):
        return True
    return any(_lowers(c, names) for c in node.get("children", ()))


class Why:
    def __init__(self, kc):
        self.kc = kc
        self.calc = kc.calc_expr
        self.seen = {}
        self.keep = []

    # --- nodes ----------------------------------------------------------------
    def _sym_node(self, sym, text, need):
        sym.calc_value()
        node = {"text": text, "symbol": sym.name, "value": sym.str_value(), "need": need,
                "settable": False, "mode": None, "children": []}
        m = _first_menu(sym)
        if m is not None:
            node["file"], node["line"] = m.filename, m.lineno
            node["location"] = menu_path(self.kc, m)
        return node

    def _order(self, nodes):
        """Alternatives that turn off what an option being raised depends on go last."""
        kept = set().union(*self.keep) if self.keep else set()
        if not kept:
            return nodes
        return sorted(nodes, key=lambda n: _lowers(n, kept))

    @staticmethod
    def _group(nodes, mode, text=None):
        nodes = [n for n in nodes if n is not None]
        if not nodes:
            return None
        if len(nodes) == 1 and text is None:
            return nodes[0]
        return {"text": text or ("one of:" if mode == "any" else "all of:"), "symbol": None,
                "settable": False, "mode": mode, "children": nodes}

    def _settable_leaf(self, sym, want_text):
        node = self._sym_node(sym, "", want_text)
        node["settable"] = True
        origin = value_origin(self.kc, sym)["text"]
        loc = node.get("location") or "(no menu)"
        node["text"] = "%s [=%s] must be %s: you can set it at %s (%s:%s); now %s" % (
            sym.name, sym.str_value(), want_text, loc, node.get("file"), node.get("line"), origin)
        return node

    # --- raising ----------------------------------------------------------------
    def sym_at_least(self, sym, want, depth=0):
        """Why ``sym`` is below ``want`` (1 = m, 2 = y), or None if it is not."""
        sym.calc_value()
        if sym.curr_tri >= want:
            return None
        if want == 1 and sym.get_type() == S_BOOLEAN and not sym.flags & SYMBOL_CONST:
            want = 2          # a bool that must be at least m must be y
        wtext = TRI[want]
        if sym.flags & SYMBOL_CONST or sym.name is None:
            return {"text": "%s is the constant %s" % (sym.name, sym.str_value()), "symbol": None,
                    "settable": False, "mode": None, "children": []}
        if not sym.menus:
            node = self._sym_node(sym, "%s [=n] is not defined by any Kconfig file" % sym.name, wtext)
            return node
        if _has_prompt(sym) and sym.visible >= want and sym.choice_menu is None:
            return self._settable_leaf(sym, wtext)
        key = (sym.name, "up", want)
        if key in self.seen or depth > MAX_DEPTH:
            node = self._sym_node(sym, "%s [=%s] must be %s (see above)" % (
                sym.name, sym.str_value(), wtext), wtext)
            return node
        self.seen[key] = True
        # while raising it, the symbols it depends on are better not lowered on the way
        self.keep.append(_positive_symbols(sym))
        try:
            return self._raise(sym, want, depth)
        finally:
            self.keep.pop()

    def _raise(self, sym, want, depth):
        calc = self.calc
        wtext = TRI[want]
        ways = []
        if sym.choice_menu is not None:
            return self._choice_member(sym, want, depth)
        if _has_prompt(sym):
            # the prompts (one per definition) are alternatives; a `visible if` of an enclosing
            # menu hides them all (it is usually part of the prompt's condition already)
            prompt_needs = [self._prompt_need(p, want, depth + 1)
                            for p in sym.props if p.text is not None]
            need = self._group(prompt_needs, "any")
            menu_needs = []
            if need is None:
                m = _first_menu(sym)
                anc = m.parent if m is not None else None
                while anc is not None and anc is not self.kc.rootmenu:
                    if anc.visibility is not None and calc(anc.visibility) < want:
                        menu_needs.append(self._group(
                            [self.expr_at_least(anc.visibility, want, depth + 1)], "all",
                            _visible_if_text(anc)))
                    anc = anc.parent
                need = self._group(menu_needs, "all")
            if need is not None:
                way = self._group([need], "all", "its prompt \"%s\" %s (then set it) when:" % (
                    next(p.text for p in sym.props if p.text is not None),
                    "allows %s" % wtext if sym.visible > 0 else "is shown"))
                way["then_set"] = [sym.name, wtext]
                ways.append(way)
        earlier = []      # the defaults before this one: the first that applies wins
        for p in sym.props:
            if p.type != P_DEFAULT:
                continue
            blocking = [q for q in earlier if calc(q.visible_expr) > 0]
            earlier.append(p)
            if p.expr is not None and p.expr[0] == E_SYMBOL and p.expr[1].flags & SYMBOL_CONST:
                # `default n`, or `default m` of a tristate asked for y: never this way
                v = calc(p.expr)
                if v == 0 or (v < want and sym.get_type() == S_TRISTATE):
                    continue
            if blocking:
                # an earlier default applies (and gives less than wanted, or it would be that
                # value already); this one counts only once that one's condition fails
                parts = [self._group([self.expr_at_most(q.visible_expr, 0, depth + 1)], "all",
                                     "the earlier `default %s%s` (%s) must stop applying:" % (
                                         expr_str(q.expr), "" if q.visible_expr is None
                                         else " if %s" % expr_str(q.visible_expr), where(q)))
                         for q in blocking]
            else:
                parts = []
            if p.visible_expr is not None and calc(p.visible_expr) < want:
                parts.append(self.expr_at_least(p.visible_expr, want, depth + 1))
            if calc(p.expr) < want:
                parts.append(self.expr_at_least(p.expr, want, depth + 1))
            parts = [x for x in parts if x is not None]
            if parts:
                cond = "" if p.visible_expr is None else " if %s" % expr_str(p.visible_expr)
                ways.append(self._group(parts, "all", "it defaults to %s via `default %s%s` (%s), which needs:"
                                        % (wtext, expr_str(p.expr), cond, where(p))))
        for label, e in (("selected", sym.rev_dep), ("implied", sym.implied)):
            terms = or_terms(e)
            if not terms:
                continue
            others = None
            if len(terms) > MAX_SELECTORS:
                # many selectors: follow the few that look closest (fewest unmet terms, each
                # one an option the user can set), name the others
                ranked = sorted(terms, key=lambda t: self._cost(t, want))
                near = [t for t in ranked[:MAX_SELECTORS] if self._cost(t, want) < _FAR]
                rest = [t for t in terms if t not in near]
                if rest:
                    names = ", ".join(sorted({"%s [=%s]" % (s.name, s.str_value()) for s in
                                              (first_symbol(t) for t in rest) if s is not None}))
                    others = ({"text": "it would %sbe %s if %s by one of: %s" % (
                                     "also " if near else "", wtext, label, names),
                               "symbol": None, "settable": False, "mode": None, "children": []})
                terms = near
            for t in terms:
                n = self.expr_at_least(t, want, depth + 1)
                parts = [n]
                if label == "implied" and sym.dir_dep_tri < want:
                    # an imply, unlike a select, never goes past the symbol's own `depends on`
                    # (the terms the implying expression already holds are not repeated)
                    held = _flatten(t, E_AND)
                    own = [self.expr_at_least(c, want, depth + 1)
                           for c in _flatten(sym.dir_dep, E_AND) if c not in held]
                    parts.append(self._group(own, "all", "and its own dependencies (depends on %s):"
                                             % expr_str_values(sym.dir_dep)))
                parts = [x for x in parts if x is not None]
                if parts:
                    ways.append(self._group(parts, "all", "it would be %s if %s by %s, which needs:"
                                            % (wtext, label, expr_str(t))))
            if others is not None:
                ways.append(others)
        if not _has_prompt(sym):
            head = "%s [=%s] must be %s; it has no prompt, so it is set only by its defaults, " \
                   "selects or implies" % (sym.name, sym.str_value(), wtext)
        elif sym.visible > 0:
            head = "%s [=%s] must be %s, but its dependencies allow at most %s" % (
                sym.name, sym.str_value(), wtext, TRI[sym.visible])
        else:
            head = "%s [=%s] must be %s, but its prompt is hidden" % (sym.name, sym.str_value(), wtext)
        node = self._sym_node(sym, head, wtext)
        ways = [w for w in ways if w is not None]
        if not ways:
            node["text"] += " (nothing can make it %s)" % wtext
        node["mode"] = "any" if len(ways) > 1 else "all"
        node["children"] = ways
        if len(ways) > 1:
            node["children"] = [self._group(ways, "any", "any one of these:")]
            node["mode"] = "all"
        return node

    def _prompt_need(self, prop, want, depth):
        """Why the prompt ``prop`` is hidden (or limited below ``want``): its own `depends on`
        terms, and apart from them the `visible if` of each enclosing menu that hides it (the
        parser folds those into the prompt's condition)."""
        e = prop.visible_expr
        if e is None or self.calc(e) >= want:
            return None
        rest = _flatten(e, E_AND)
        parts = []
        anc = prop.menu.parent if prop.menu is not None else None
        while anc is not None and anc is not self.kc.rootmenu:
            vis = anc.visibility
            if vis is not None and self.calc(vis) < want:
                vf = _flatten(vis, E_AND)
                if any(f in vf for f in rest):
                    rest = [f for f in rest if f not in vf]
                    parts.append(self._group([self.expr_at_least(vis, want, depth)], "all",
                                             _visible_if_text(anc)))
            anc = anc.parent
        parts = [self.expr_at_least(f, want, depth) for f in rest] + parts
        return self._group(parts, "all")

    def _cost(self, e, want):
        """A rough count of the changes that would make ``e`` reach ``want`` (_FAR: none can)."""
        cost = 0
        for f in _flatten(e, E_AND):
            if self.calc(f) >= want:
                continue
            if f[0] == E_SYMBOL or (f[0] == E_NOT and f[1][0] == E_SYMBOL):
                s = f[1] if f[0] == E_SYMBOL else f[1][1]
                s.calc_value()
                if s.flags & SYMBOL_CONST or s.name is None or not s.menus:
                    return _FAR
                if f[0] == E_SYMBOL and _has_prompt(s) and s.visible >= want and s.choice_menu is None:
                    cost += 1
                elif f[0] == E_NOT and _has_prompt(s) and s.visible > 0 and s.rev_dep_tri == 0:
                    cost += 1
                else:
                    cost += 3
            else:
                cost += 2
        return cost

    def _choice_member(self, sym, want, depth):
        """A member of a choice is y only when it is the one picked there: the choice and the
        member's entry must be visible, then the user picks it.  (Its value comes from the
        choice alone: selects do not reach a choice member.)"""
        choice = sym.choice_menu
        csym = choice.sym
        csym.calc_value()
        node = self._sym_node(sym, "", TRI[want])
        chosen = [m.sym.name for m in choice.walk() if m.sym is not None and m.sym is not sym
                  and m.sym.curr_tri == 2]
        the_choice = "the choice \"%s\" (%s:%s)" % (choice.prompt_text(), choice.filename,
                                                  choice.lineno)
        node["choice"] = {"prompt": choice.prompt_text(), "file": choice.filename,
                          "line": choice.lineno, "location": menu_path(self.kc, choice),
                          "picked": chosen[0] if chosen else None}
        if sym.visible > 0 and csym.visible > 0:
            node["settable"] = True
            node["text"] = "%s [=%s] must be %s: pick it in %s%s" % (
                sym.name, sym.str_value(), TRI[want], the_choice,
                ", where %s is picked now" % chosen[0] if chosen else "")
            return node
        node["text"] = "%s [=%s] must be %s, but its entry in a choice is hidden" % (
            sym.name, sym.str_value(), TRI[want])
        # the member's prompt condition holds the choice's own dependencies too; list each
        # unmet term once
        exprs = [p.visible_expr for p in sym.props if p.text is not None]
        exprs += [p.visible_expr for p in csym.props if p.text is not None]
        needs, seen = [], set()
        for e in exprs:
            n = self.expr_at_least(e, want, depth + 1)
            if n is None:
                continue
            for part in (n["children"] if n.get("symbol") is None and n.get("text") == "all of:"
                         else [n]):
                key = (part.get("symbol"), part.get("need"), part.get("text"))
                if key not in seen:
                    seen.add(key)
                    needs.append(part)
        way = self._group(needs, "all", "pick it in %s once its entry there is shown, which needs:"
                          % the_choice)
        if way is None:
            node["text"] += " (nothing can make it %s)" % TRI[want]
        else:
            way["then_set"] = [sym.name, TRI[want]]
        node["children"] = [way] if way is not None else []
        node["mode"] = "all"
        return node

    def _choice_member_off(self, sym, limit):
        """A picked member of a choice goes off when another member is picked there."""
        choice = sym.choice_menu
        choice.sym.calc_value()
        the_choice = "the choice \"%s\" (%s:%s)" % (choice.prompt_text(), choice.filename,
                                                  choice.lineno)
        node = self._sym_node(sym, "%s [=%s] must be %s, but it is the member picked in a choice" % (
            sym.name, sym.str_value(), TRI[limit]), "<=" + TRI[limit])
        node["choice"] = {"prompt": choice.prompt_text(), "file": choice.filename,
                          "line": choice.lineno, "location": menu_path(self.kc, choice),
                          "picked": sym.name}
        others = []
        for m in choice.walk():      # in menu order (the first is usually the plainest)
            o = m.sym
            if o is not None and o is not sym and o.choice_menu is choice and o not in others:
                o.calc_value()
                if o.visible > 0:
                    others.append(o)
        if not others or choice.sym.visible == 0:
            node["text"] = "%s [=%s] must be %s, but it is the member picked in %s, and no other " \
                "member can be picked now" % (sym.name, sym.str_value(), TRI[limit], the_choice)
            return node
        picks = []
        for o in others[:MAX_SELECTORS]:
            leaf = self._sym_node(o, "", "y")
            leaf["settable"] = True
            leaf["text"] = "%s [=%s]: pick it instead at %s (%s:%s)" % (
                o.name, o.str_value(), leaf.get("location"), leaf.get("file"), leaf.get("line"))
            picks.append(leaf)
        if len(others) > MAX_SELECTORS:
            picks.append({"text": "or one of: %s" % ", ".join(o.name for o in others[MAX_SELECTORS:]),
                          "symbol": None, "settable": False, "mode": None, "children": []})
        node["children"] = [self._group(picks, "any", "it is the member picked in %s; pick "
                                        "another one there, one of:" % the_choice)]
        node["mode"] = "all"
        return node

    # --- lowering ---------------------------------------------------------------
    def sym_at_most(self, sym, limit, depth=0):
        """Why ``sym`` is above ``limit``, or None if it is not."""
        calc = self.calc
        sym.calc_value()
        if sym.curr_tri <= limit:
            return None
        wtext = TRI[limit]
        if sym.flags & SYMBOL_CONST or sym.name is None:
            return {"text": "%s is the constant %s" % (sym.name, sym.str_value()), "symbol": None,
                    "settable": False, "mode": None, "children": []}
        if sym.choice_menu is not None:
            return self._choice_member_off(sym, limit)
        if _has_prompt(sym) and sym.visible > 0 and sym.rev_dep_tri <= limit:
            return self._settable_leaf(sym, wtext)
        key = (sym.name, "down", limit)
        if key in self.seen or depth > MAX_DEPTH:
            return self._sym_node(sym, "%s [=%s] must be %s (see above)" % (
                sym.name, sym.str_value(), wtext), "<=" + wtext)
        self.seen[key] = True
        needs = []
        if sym.rev_dep_tri > limit:
            terms = [t for t in or_terms(sym.rev_dep) if calc(t) > limit]
            sub = [self._group([self.expr_at_most(t, limit, depth + 1)], "all",
                               "it is selected by %s [=%s], which needs:" % (expr_str(t), TRI[calc(t)]))
                   for t in terms]
            needs += sub
        if not (_has_prompt(sym) and sym.visible > 0):
            origin = value_origin(self.kc, sym)
            for p in sym.props:
                if p.type == P_DEFAULT and calc(p.visible_expr) > 0:
                    if calc(p.expr) > limit and calc(p.visible_expr) > limit:
                        alt = self._order([self.expr_at_most(p.visible_expr, limit, depth + 1),
                                           self.expr_at_most(p.expr, limit, depth + 1)])
                        # (an unconditional default of a constant cannot be stopped)
                        alt = [a for a in alt if a is not None and a["text"] != "always true"
                               and " is the constant " not in a["text"]]
                        cond = "" if p.visible_expr is None else " if %s" % expr_str(p.visible_expr)
                        if alt:
                            needs.append(self._group(alt, "any", "its `default %s%s` (%s) applies; to "
                                                     "stop it, one of:" % (expr_str(p.expr), cond, where(p))))
                        else:
                            needs.append({"text": "its `default %s%s` (%s) always applies" % (
                                expr_str(p.expr), cond, where(p)), "symbol": None, "settable": False,
                                "mode": None, "children": []})
                    break
            if origin["kind"] == "imply" and sym.rev_dep_tri <= limit:
                terms = [t for t in or_terms(sym.implied) if calc(t) > limit]
                needs += [self._group([self.expr_at_most(t, limit, depth + 1)], "all",
                                      "it is implied by %s, which needs:" % expr_str(t)) for t in terms]
        head = "%s [=%s] must be %s" % (sym.name, sym.str_value(), wtext)
        if not _has_prompt(sym):
            head += "; it has no prompt"
        elif sym.visible == 0:
            head += "; its prompt is hidden"
        elif sym.rev_dep_tri > limit:
            head += "; a select holds it at %s" % TRI[sym.rev_dep_tri]
        node = self._sym_node(sym, head, "<=" + wtext)
        node["children"] = [n for n in needs if n is not None]
        node["mode"] = "all"
        return node

    # --- expressions ----------------------------------------------------------------
    def expr_at_least(self, e, want, depth=0):
        if e is None or self.calc(e) >= want:
            return None
        t = e[0]
        if t == E_SYMBOL:
            return self.sym_at_least(e[1], want, depth)
        if t == E_AND:
            parts = [self.expr_at_least(c, want, depth) for c in _flatten(e, E_AND)]
            return self._group(_drop_repeated_leaves(parts), "all")
        if t == E_OR:
            parts = [self.expr_at_least(c, want, depth) for c in _flatten(e, E_OR)]
            return self._group(parts, "any", "one of (%s):" % expr_str_values(e))
        if t == E_NOT:
            return self.expr_at_most(e[1], 2 - want, depth)
        return self._compare(e, depth)

    def expr_at_most(self, e, limit, depth=0):
        if e is None:
            return {"text": "always true", "symbol": None, "settable": False, "mode": None,
                    "children": []}
        if self.calc(e) <= limit:
            return None
        t = e[0]
        if t == E_SYMBOL:
            return self.sym_at_most(e[1], limit, depth)
        if t == E_OR:
            parts = [self.expr_at_most(c, limit, depth) for c in _flatten(e, E_OR)]
            return self._group(parts, "all")
        if t == E_AND:
            parts = self._order([self.expr_at_most(c, limit, depth) for c in _flatten(e, E_AND)])
            return self._group(parts, "any", "one of (to make %s false):" % expr_str_values(e))
        if t == E_NOT:
            return self.expr_at_least(e[1], 2 - limit, depth)
        return self._compare(e, depth)

    def _tri_compare(self, e, depth):
        """A comparison of bool/tristate values (`A>=B`, `A!=n`, `A=m`, ...) that must flip:
        each non-constant side moved to the nearest value that flips it is one way."""
        t, l, r = e
        vals = []
        for s in (l, r):
            s.calc_value()
            if s.flags & SYMBOL_CONST:
                v = s.str_value()
                if v not in ("n", "m", "y"):
                    return None
                vals.append("nmy".index(v))
            elif s.type in (S_BOOLEAN, S_TRISTATE):
                vals.append(s.curr_tri)
            else:
                return None
        rel = _RELATIONS[t]
        flip_to = not rel(*vals)
        ways = []
        for i, s in enumerate((l, r)):
            if s.flags & SYMBOL_CONST:
                continue
            cur = vals[i]
            steps = (0, 2) if s.get_type() == S_BOOLEAN else (0, 1, 2)
            fits = [v for v in steps
                    if rel(*((v, vals[1]) if i == 0 else (vals[0], v))) == flip_to]
            if not fits:
                continue
            v = min(fits, key=lambda v: abs(v - cur))
            n = self.sym_at_least(s, v, depth + 1) if v > cur else self.sym_at_most(s, v, depth + 1)
            if n is not None:
                ways.append(n)
        return {"text": "%s is %s" % (expr_str_values(e), "false" if flip_to else "true"),
                "symbol": None, "settable": False, "mode": "any", "children": self._order(ways)}

    def _compare(self, e, depth):
        node = self._tri_compare(e, depth)
        if node is not None:
            return node
        # a comparison of int/hex/string values
        node = {"text": "%s is %s" % (expr_str_values(e), "true" if self.calc(e) else "false"),
                "symbol": None, "settable": False, "mode": "all", "children": []}
        # `A=const`: the value A needs is known
        need = None
        t, l, r = e
        if t == E_EQUAL and _literal(l) != _literal(r) and self.calc(e) == 0:
            var, const = (r, l) if _literal(l) else (l, r)
            const.calc_value()
            need = (var, const.str_value())
        for s in expr_symbols(e):
            if _literal(s) or not s.menus:
                continue
            s.calc_value()
            leaf = self._sym_node(s, "", "")
            leaf["settable"] = _has_prompt(s) and s.visible > 0
            where_ = "%s (%s:%s)" % (leaf.get("location"), leaf.get("file"), leaf.get("line"))
            if need is not None and need[0] is s and leaf["settable"]:
                leaf["need"] = need[1]
                leaf["compare"] = True
                leaf["text"] = "%s [=%s] must be %s: you can set it at %s" % (
                    s.name, s.str_value(), need[1], where_)
            elif need is not None and need[0] is s and _has_prompt(s):
                shown = self._group([self._prompt_need(p, 1, depth + 1) for p in s.props
                                     if p.text is not None], "any")
                leaf["text"] = "%s [=%s] must be %s, but its prompt is hidden" % (
                    s.name, s.str_value(), need[1])
                if shown is not None:
                    way = self._group([shown], "all", "its prompt \"%s\" is shown (then set it "
                                      "to %s) when:" % (next(p.text for p in s.props
                                                             if p.text is not None), need[1]))
                    way["then_set"] = [s.name, need[1]]
                    leaf["children"], leaf["mode"] = [way], "all"
            elif not _has_prompt(s):
                leaf["text"] = "%s [=%s] has no prompt: its value is the %s" % (
                    s.name, s.str_value(), value_origin(self.kc, s)["text"])
            else:
                leaf["text"] = "%s [=%s]%s at %s" % (
                    s.name, s.str_value(), " can be changed" if leaf["settable"] else " (hidden)",
                    where_)
            node["children"].append(leaf)
        if need is not None:
            node["mode"] = "any"      # the known value is the way; the rest is context
            node["children"].sort(key=lambda n: n.get("symbol") != need[0].name)
        return node


def why(kc, sym, want="y"):
    """The answer for ``kbuild why SYM [=want]`` as a JSON-ready dict."""
    want_tri = "nmy".index(want)
    w = Why(kc)
    sym.calc_value()
    rec = {"symbol": sym.name, "value": sym.str_value(), "want": want, "visible": TRI[sym.visible]}
    m = _first_menu(sym)
    if m is not None:
        rec["file"], rec["line"], rec["location"] = m.filename, m.lineno, menu_path(kc, m)
    if sym.type not in (S_BOOLEAN, S_TRISTATE):
        # int/hex/string: the question is whether the user can change it at all
        rec["want"] = "a value"
        if _has_prompt(sym) and sym.visible > 0:
            tree = w._settable_leaf(sym, "changed")
        else:
            tree = w._sym_node(sym, "%s [=%s] cannot be changed: %s" % (
                sym.name, sym.str_value(), "its prompt is hidden" if _has_prompt(sym)
                else "it has no prompt (its value comes from its defaults)"), "changed")
            needs = [w.expr_at_least(p.visible_expr, 1) for p in sym.props if p.text is not None]
            g = w._group(needs, "any")
            tree["children"] = [g] if g is not None else []
            tree["mode"] = "all"
        rec["reason"] = tree
        rec["ok"] = bool(tree.get("settable"))
        rec["settable"] = settable_leaves(tree)
        return rec
    if want_tri == 1 and sym.get_type() != S_TRISTATE:
        ms = kc.modules_sym
        if sym.type == S_TRISTATE and ms is not None and ms is not kc.n and ms.menus:
            tree = {"text": "%s cannot be m while module support is off" % sym.name,
                    "symbol": None, "settable": False, "mode": "all",
                    "children": [c for c in [w.sym_at_least(ms, 2)] if c is not None]}
        else:
            tree = {"text": "%s is a %s: it cannot be m" % (sym.name, "bool" if sym.type != S_TRISTATE
                                                              else "tristate without modules"),
                    "symbol": None, "settable": False, "mode": None, "children": []}
    elif want_tri == 0:
        tree = w.sym_at_most(sym, 0)
    elif sym.curr_tri >= want_tri and not (want_tri == 1 and sym.curr_tri == 2):
        tree = None
    elif want_tri == 1 and sym.curr_tri == 2:
        tree = w.sym_at_most(sym, 1)
    else:
        tree = w.sym_at_least(sym, want_tri)
    rec["reason"] = tree
    rec["ok"] = tree is None or bool(tree.get("settable"))
    rec["settable"] = settable_leaves(tree)
    return rec


def settable_leaves(node, acc=None):
    """The names of the options a user can change, anywhere in the tree."""
    if acc is None:
        acc = []
    if node is None:
        return acc
    if node.get("settable") and node.get("symbol") and node["symbol"] not in acc:
        acc.append(node["symbol"])
    for c in node.get("children", ()):
        settable_leaves(c, acc)
    return acc


def format_tree(node, indent=0, out=None):
    if out is None:
        out = []
    if node is None:
        return out
    line = "  " * indent + node["text"]
    if node.get("symbol") and not node.get("settable") and node.get("file") and "(" not in node["text"][-1:]:
        line += "  [%s:%s%s]" % (node["file"], node["line"],
                                 ", " + node["location"] if node.get("location") else "")
    out.append(line)
    for c in node.get("children", ()):
        format_tree(c, indent + 1, out)
    return out


def format_why(kc, rec):
    name, val, want = rec["symbol"], rec["value"], rec["want"]
    where_ = " (%s:%s, %s)" % (rec.get("file"), rec.get("line"), rec.get("location")) if rec.get("file") else ""
    tree = rec["reason"]
    if tree is None:
        return "%s is %s%s: nothing stands in the way of %s=%s.\n" % (name, val, where_, name, want)
    if tree.get("settable") and tree.get("symbol") == name and tree.get("choice"):
        return "%s is %s%s: %s\n" % (name, val, where_, tree["text"].split(": ", 1)[1])
    if tree.get("settable") and tree.get("symbol") == name:
        return "%s is %s%s and can be set to %s directly: %s\n" % (name, val, where_, want,
                                                                  tree.get("location"))
    out = ["%s is %s and cannot be set to %s%s:" % (name, val, want, where_)]
    for c in tree.get("children", ()) or [tree]:
        format_tree(c, 1, out)
    if rec["settable"]:
        out.append("Options you can change: %s" % ", ".join(rec["settable"]))
    return "\n".join(out) + "\n"


_DEAD_ENDS = ("nothing can make it", "is the constant", "is not defined by any Kconfig file")


def _index(node, idx):
    if node is None:
        return idx
    if node.get("symbol") and "(see above)" not in node.get("text", ""):
        idx.setdefault((node["symbol"], node.get("need")), node)
    for k in node.get("children", ()):
        _index(k, idx)
    return idx


def _plan(node, acc, idx, active=()):
    """Collect (symbol, value) changes for one way through ``node``; False if there is none."""
    if node is None:
        return True
    text = node.get("text", "")
    if any(d in text for d in _DEAD_ENDS):
        return False
    if "(see above)" in text:
        key = (node.get("symbol"), node.get("need"))
        full = idx.get(key)
        if full is None or key in active:
            return False
        return _plan(full, acc, idx, active + (key,))
    if node.get("settable"):
        value = node.get("need", "").removeprefix("<=")
        if node.get("symbol") and (value in ("y", "m", "n") or node.get("compare")) \
                and "pick another member" not in text:
            acc.append((node["symbol"], value))
            return True
        return False
    kids = node.get("children", [])
    if node.get("mode") == "any":
        for k in kids:
            trial = []
            if _plan(k, trial, idx, active):
                acc.extend(trial)
                return True
        return False
    if not kids:
        return False
    key = (node.get("symbol"), node.get("need"))
    if node.get("symbol"):
        active = active + (key,)
    for k in kids:
        if not _plan(k, acc, idx, active):
            return False
    if node.get("then_set"):
        acc.append(tuple(node["then_set"]))
    return True


def fix_plan(rec):
    """One set of changes the answer of :func:`why` suggests (the first workable alternative at
    each choice point), as [(symbol name, value)], or None if the tree offers none."""
    tree = rec.get("reason")
    if tree is None:
        return []
    acc = []
    if not _plan(tree, acc, _index(tree, {})):
        return None
    # one value per symbol: where one way needs it at m and another at y, y serves both
    out = {}
    for name, value in acc:
        if name not in out:
            out[name] = value
        elif {out[name], value} == {"m", "y"}:
            out[name] = "y"
    return list(out.items())
