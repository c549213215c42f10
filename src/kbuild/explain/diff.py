"""Differences between two .config files (scripts/diffconfig's format), and their causes.

:func:`explain` sorts the changes into a forest: the roots are the changes a user made (a value of
a symbol that was visible before and after), every other change hangs below the change that caused
it (a dependency that flipped, a select, a default), so a cascade reads from what the user did.
"""

from __future__ import annotations

from ..kconfig.expr import expr_str, expr_symbols
from ..kconfig.symbol import P_DEFAULT
from .find import TRI, menu_path
from .show import active_terms, first_symbol, value_origin


def read_config_file(path):
    """{name: value} like diffconfig's readconfig(): "# CONFIG_X is not set" is n."""
    d = {}
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("CONFIG_") and "=" in line:
                name, val = line[7:].split("=", 1)
                d[name] = val
            elif line.startswith("# CONFIG_") and line.endswith(" is not set"):
                d[line[9:-11]] = "n"
    return d


def diff(a, b):
    """The changes as diffconfig lists them: removed, changed, then added; each sorted."""
    out = [{"op": "-", "symbol": k, "old": a[k], "new": None} for k in sorted(a) if k not in b]
    out += [{"op": "->", "symbol": k, "old": a[k], "new": b[k]} for k in sorted(a)
            if k in b and a[k] != b[k]]
    out += [{"op": "+", "symbol": k, "old": None, "new": b[k]} for k in sorted(b) if k not in a]
    return out


def _line(c):
    if c["op"] == "-":
        return "-%s %s" % (c["symbol"], c["old"])
    if c["op"] == "+":
        return "+%s %s" % (c["symbol"], c["new"])
    return " %s %s -> %s" % (c["symbol"], c["old"], c["new"])


def format_diff(changes, merge_style=False):
    out = []
    for c in changes:
        if merge_style:
            if c["new"] is not None:
                out.append("# CONFIG_%s is not set" % c["symbol"] if c["new"] == "n"
                           else "CONFIG_%s=%s" % (c["symbol"], c["new"]))
        else:
            out.append(_line(c))
    return "".join(x + "\n" for x in out)


def _has_prompt(sym):
    return any(p.text is not None for p in sym.props)


def _refs(sym):
    """The expressions that decide a symbol's value other than the user: (label, expr)."""
    out = []
    for p in sym.props:
        if p.text is not None and p.visible_expr is not None:
            out.append(("depends on", p.visible_expr))
    if sym.dir_dep is not None:
        out.append(("depends on", sym.dir_dep))
    if sym.rev_dep is not None:
        out.append(("selected by", sym.rev_dep))
    if sym.implied is not None:
        out.append(("implied by", sym.implied))
    for p in sym.props:
        if p.type == P_DEFAULT:
            out.append(("default", p.expr))
            if p.visible_expr is not None:
                out.append(("default", p.visible_expr))
    return out


def explain(kc, changes, old_path=None, new_path=None):
    """The changes as a forest rooted in what the user changed.  ``kc`` has the new .config
    loaded; with ``old_path`` and ``new_path`` the old configuration is read first to learn which
    symbols were visible before (then the new one again)."""
    changed = {c["symbol"]: c for c in changes}
    old_visible = {}
    if old_path is not None and new_path is not None:
        kc.read_config(str(old_path))
        for name in changed:
            s = kc.symbols.get(name)
            if s is not None:
                s.calc_value()
                old_visible[name] = s.visible
        kc.read_config(str(new_path))
    calc = kc.calc_expr
    nodes = {}
    parents = {}
    for name, c in changed.items():
        sym = kc.symbols.get(name)
        node = {"symbol": name, "op": c["op"], "old": c["old"], "new": c["new"], "line": _line(c),
                "children": []}
        nodes[name] = node
        if sym is None or not sym.menus:
            node["cause"] = "not defined by the Kconfig files"
            parents[name] = []
            continue
        sym.calc_value()
        m = next((m for m in sym.menus if m.prompt is not None), sym.menus[0])
        node["location"] = menu_path(kc, m)
        node["file"], node["line_no"] = m.filename, m.lineno
        tri = sym.curr_tri
        if sym.rev_dep_tri > 0 and sym.rev_dep_tri >= tri and c["new"] not in (None, "n"):
            terms = active_terms(kc, sym.rev_dep)
            node["cause"] = "selected by " + ", ".join(expr_str(t) for t in terms)
            # the selecting symbols first: they are the direct cause
            selectors = [first_symbol(t).name for t in terms if first_symbol(t) is not None]
            ps = _changed_in(terms, changed, name)
            parents[name] = [p for p in selectors if p in ps] + [p for p in ps if p not in selectors]
            if parents[name]:
                continue
        visible_now = _has_prompt(sym) and sym.visible > 0
        was_visible = old_visible.get(name, sym.visible) > 0 and _has_prompt(sym)
        if sym.choice_menu is not None and c["new"] in (None, "n"):
            # a member that lost the choice: the member that won it (if that changed too)
            winners = [m.sym.name for m in sym.choice_menu.walk() if m.sym is not None
                       and m.sym.name in changed and m.sym.curr_tri == 2]
            if winners:
                node["cause"] = "another member of its choice was picked"
                parents[name] = winners
                continue
        if visible_now and sym.choice_menu is None and c["new"] is not None and \
                (was_visible or sym.string_default() != sym.str_value()):
            node["cause"] = "changed by you"
            parents[name] = []
            continue
        if visible_now and sym.choice_menu is not None and c["new"] == "y" and \
                (was_visible or kc.choice_default(sym.choice_menu) is not sym):
            node["cause"] = "picked by you"
            parents[name] = []
            continue
        # derived: find which changed symbols decide it
        refs = _refs(sym)
        ps = _changed_in([e for _, e in refs], changed, name)
        if not ps:
            ps = _changed_in_deep([e for _, e in refs], changed, name, kc)
        parents[name] = ps
        if not visible_now and _has_prompt(sym) and sym.curr_tri == 0:
            dep = next((p.visible_expr for p in sym.props if p.text is not None), None)
            node["cause"] = "hidden now: depends on %s" % (expr_str(dep) if dep is not None else "y")
        elif not visible_now and _has_prompt(sym):
            node["cause"] = "prompt hidden; " + value_origin(kc, sym)["text"]
        elif visible_now and not was_visible:
            node["cause"] = "newly visible, at its default"
        elif not _has_prompt(sym):
            seen, parts = set(), []
            for label, e in refs:
                text = expr_str(e)
                if text in seen or text in ("y", "n", "m"):
                    continue
                seen.add(text)
                parts.append("%s %s [=%s]" % (label, text, TRI[calc(e)]))
            node["cause"] = "no prompt: " + "; ".join(parts[:3])
        else:
            node["cause"] = "follows %s" % ", ".join(ps) if ps else "changed by you"
    # build the forest: each derived change under its first parent that leads to a root
    roots = [n for n in sorted(nodes) if not parents.get(n)]
    root_set = set(roots)
    attached = set(roots)
    pending = [n for n in sorted(nodes) if n not in attached]
    progress = True
    while pending and progress:
        progress = False
        rest = []
        for n in pending:
            ps = [p for p in parents[n] if p in attached]
            ps.sort(key=lambda p: p not in root_set)     # under a change the user made, if any
            if ps:
                nodes[ps[0]]["children"].append(nodes[n])
                others = [p for p in parents[n] if p != ps[0]]
                if others:
                    nodes[n]["also"] = others
                attached.add(n)
                progress = True
            else:
                rest.append(n)
        pending = rest
    for n in pending:          # cycles among derived changes: show them as roots
        nodes[n]["cause"] += " (cause not found among the changes)"
        roots.append(n)
    return {"roots": [nodes[r] for r in roots], "changes": len(changes)}


def _changed_in(exprs, changed, self_name):
    out = []
    for e in exprs:
        for s in expr_symbols(e):
            if s.name in changed and s.name != self_name and s.name not in out:
                out.append(s.name)
    return sorted(out)


def _changed_in_deep(exprs, changed, self_name, kc, depth=3):
    seen = set()
    frontier = list(exprs)
    for _ in range(depth):
        nxt = []
        for e in frontier:
            for s in expr_symbols(e):
                if s.name is None or s.name in seen:
                    continue
                seen.add(s.name)
                if s.name in changed and s.name != self_name:
                    continue
                nxt += [x for _, x in _refs(s)]
        found = _changed_in(frontier, changed, self_name)
        if found:
            return found
        frontier = nxt
    return []


def format_explained(rec):
    out = []

    def walk(node, indent):
        line = "  " * indent + node["line"]
        line += "    (%s%s)" % (node.get("cause", ""),
                                "; also " + ", ".join(node["also"]) if node.get("also") else "")
        out.append(line)
        for ch in sorted(node["children"], key=lambda n: n["symbol"]):
            walk(ch, indent + 1)

    for r in rec["roots"]:
        walk(r, 0)
    return "".join(x + "\n" for x in out)
