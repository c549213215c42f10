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

from ..kconfig.expr import (E_AND, E_EQUAL, E_NOT, E_OR, E_SYMBOL, E_UNEQUAL, expr_str,
                           expr_str_values, expr_symbols)
from ..kconfig.symbol import P_DEFAULT, S_BOOLEAN, S_TRISTATE, SYMBOL_CONST
from .find import TRI, menu_path, where
from .show import or_terms, value_origin

MAX_DEPTH = 12
MAX_SELECTORS = 4     # a symbol selected by more terms lists them without recursing


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


class Why:
    def __init__(self, kc):
        self.kc = kc
        self.calc = kc.calc_expr
        self.seen = {}

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
        calc = self.calc
        sym.calc_value()
        if sym.curr_tri >= want:
            return None
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
        ways = []
        if sym.choice_menu is not None:
            return self._choice_member(sym, want, depth)
        if _has_prompt(sym):
            # the prompts (one per definition) are alternatives; a `visible if` of an enclosing
            # menu hides them all (it is usually part of the prompt's condition already)
            prompt_needs = [self.expr_at_least(p.visible_expr, want, depth + 1)
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
                            'menu "%s" is visible if %s' % (anc.prompt_text(),
                                                           expr_str_values(anc.visibility))))
                    anc = anc.parent
                need = self._group(menu_needs, "all")
            if need is not None:
                way = self._group([need], "all", "its prompt \"%s\" is shown (then set it) when:" %
                                  next(p.text for p in sym.props if p.text is not None))
                way["then_set"] = [sym.name, wtext]
                ways.append(way)
        for p in sym.props:
            if p.type != P_DEFAULT:
                continue
            if p.expr is not None and p.expr[0] == E_SYMBOL and p.expr[1] is self.kc.n:
                continue
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
            if len(terms) > MAX_SELECTORS:
                names = ", ".join("%s [=%s]" % (expr_str(t), TRI[calc(t)]) for t in terms)
                ways.append({"text": "it would be %s if %s by one of: %s" % (wtext, label, names),
                             "symbol": None, "settable": False, "mode": None, "children": []})
                continue
            for t in terms:
                n = self.expr_at_least(t, want, depth + 1)
                if n is not None:
                    ways.append(self._group([n], "all", "it would be %s if %s by %s, which needs:"
                                            % (wtext, label, expr_str(t))))
        if not _has_prompt(sym):
            head = "%s [=%s] must be %s; it has no prompt, so it is set only by its defaults, " \
                   "selects or implies" % (sym.name, sym.str_value(), wtext)
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

    def _choice_member(self, sym, want, depth):
        choice = sym.choice_menu
        node = self._sym_node(sym, "", TRI[want])
        if sym.visible > 0 and choice.sym.visible > 0:
            node["settable"] = True
            node["text"] = "%s [=%s] is a member of the choice \"%s\": pick it at %s (%s:%s)" % (
                sym.name, sym.str_value(), choice.prompt_text(), node.get("location"),
                node.get("file"), node.get("line"))
            return node
        node["text"] = "%s [=%s] is a member of the choice \"%s\", which is hidden" % (
            sym.name, sym.str_value(), choice.prompt_text())
        needs = [self.expr_at_least(p.visible_expr, want, depth + 1)
                 for p in sym.props if p.text is not None]
        needs += [self.expr_at_least(p.visible_expr, want, depth + 1)
                  for p in choice.sym.props if p.text is not None]
        g = self._group(needs, "all")
        node["children"] = [g] if g else []
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
            node = self._sym_node(sym, "%s [=y] is the selected member of the choice \"%s\": pick "
                                  "another member there" % (sym.name, sym.choice_menu.prompt_text()),
                                  "<=" + wtext)
            node["settable"] = sym.visible > 0
            return node
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
                        alt = [self.expr_at_most(p.visible_expr, limit, depth + 1),
                               self.expr_at_most(p.expr, limit, depth + 1)]
                        cond = "" if p.visible_expr is None else " if %s" % expr_str(p.visible_expr)
                        needs.append(self._group(alt, "any", "its `default %s%s` (%s) applies; "
                                                 "to stop it, one of:" % (expr_str(p.expr), cond, where(p))))
                    break
            if origin["kind"] == "imply" and sym.rev_dep_tri <= limit:
                terms = [t for t in or_terms(sym.implied) if calc(t) > limit]
                needs += [self._group([self.expr_at_most(t, limit, depth + 1)], "all",
                                      "it is implied by %s, which needs:" % expr_str(t)) for t in terms]
        head = "%s [=%s] must be %s" % (sym.name, sym.str_value(), wtext)
        if not _has_prompt(sym):
            head += "; it has no prompt"
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
            return self._group(parts, "all")
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
            parts = [self.expr_at_most(c, limit, depth) for c in _flatten(e, E_AND)]
            return self._group(parts, "any", "one of (to make %s false):" % expr_str_values(e))
        if t == E_NOT:
            return self.expr_at_least(e[1], 2 - limit, depth)
        return self._compare(e, depth)

    def _compare(self, e, depth):
        node = {"text": "%s is %s" % (expr_str_values(e), "true" if self.calc(e) else "false"),
                "symbol": None, "settable": False, "mode": "all", "children": []}
        # `A=const` (and `A!=const` for a bool): the value A needs is known
        need = None
        t, l, r = e
        if t in (E_EQUAL, E_UNEQUAL) and (l.flags & SYMBOL_CONST) != (r.flags & SYMBOL_CONST):
            var, const = (r, l) if l.flags & SYMBOL_CONST else (l, r)
            const.calc_value()
            if t == E_EQUAL and self.calc(e) == 0:
                need = (var, const.str_value())
            elif t == E_UNEQUAL and self.calc(e) == 0 and var.type == S_BOOLEAN:
                need = (var, "n" if const.str_value() == "y" else "y")
        for s in expr_symbols(e):
            if s.flags & SYMBOL_CONST or not s.menus:
                continue
            s.calc_value()
            leaf = self._sym_node(s, "", "")
            leaf["settable"] = _has_prompt(s) and s.visible > 0
            if need is not None and need[0] is s and leaf["settable"]:
                leaf["need"] = need[1]
                leaf["compare"] = True
                leaf["text"] = "%s [=%s] must be %s: you can set it at %s (%s:%s)" % (
                    s.name, s.str_value(), need[1], leaf.get("location"), leaf.get("file"),
                    leaf.get("line"))
            elif need is not None and need[0] is s:
                sub = self.sym_at_least(s, "nmy".index(need[1]), depth + 1) \
                    if s.type in (S_BOOLEAN, S_TRISTATE) and need[1] in ("y", "m") else None
                if sub is not None:
                    node["children"].append(sub)
                    continue
                leaf["text"] = "%s [=%s] (hidden) at %s (%s:%s)" % (
                    s.name, s.str_value(), leaf.get("location"), leaf.get("file"), leaf.get("line"))
            else:
                leaf["text"] = "%s [=%s]%s at %s (%s:%s)" % (
                    s.name, s.str_value(), " can be changed" if leaf["settable"] else " (hidden)",
                    leaf.get("location"), leaf.get("file"), leaf.get("line"))
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
    out = []
    for item in acc:
        if item not in out:
            out.append(item)
    return out
