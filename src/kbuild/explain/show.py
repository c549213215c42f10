"""Everything menuconfig's help screen shows for a symbol, plus its value and where it came from."""

from __future__ import annotations

from ..kconfig.expr import E_OR, E_SYMBOL, expr_str
from ..kconfig.help import ext_help
from ..kconfig.symbol import P_DEFAULT, S_BOOLEAN, S_TRISTATE
from .find import TRI, symbol_summary, where


def or_terms(e):
    """The terms of an OR chain (the select/imply expressions are ORs of 'X && deps')."""
    if e is None:
        return []
    if e[0] == E_OR:
        return or_terms(e[1]) + or_terms(e[2])
    return [e]


def first_symbol(e):
    while e is not None and e[0] != E_SYMBOL:
        e = e[1]
    return e[1] if e is not None else None


def active_terms(kc, e, at_least=1):
    return [t for t in or_terms(e) if kc.calc_expr(t) >= at_least]


def value_origin(kc, sym):
    """Where the current value comes from: a dict with "kind" (user, select, imply, default,
    choice, none) and a one-line "text"."""
    sym.calc_value()
    tristate = sym.type in (S_BOOLEAN, S_TRISTATE)
    if sym.choice_menu is not None:
        chosen = [m.sym for m in sym.choice_menu.walk() if m.sym is not None and m.sym.curr_tri == 2]
        how = "chosen in .config" if sym.has_value() else "the choice's default"
        if sym.curr_tri == 2:
            return {"kind": "choice", "text": "the selected member of its choice (%s)" % how}
        return {"kind": "choice", "text": "not the selected member of its choice (%s is)" %
                (chosen[0].name if chosen else "none")}
    if tristate and sym.rev_dep_tri > 0 and sym.rev_dep_tri >= sym.curr_tri:
        names = [expr_str(t) for t in active_terms(kc, sym.rev_dep)]
        return {"kind": "select", "text": "selected by " + ", ".join(names), "by": names}
    if sym.has_value() and sym.visible > 0:
        val = sym.user_val if not tristate else TRI[sym.user_tri]
        if tristate and sym.user_tri > sym.visible:
            return {"kind": "user", "text": "%s in .config, limited to %s by its dependencies"
                    % (val, TRI[sym.visible])}
        return {"kind": "user", "text": "set in .config (%s)" % val}
    note = ""
    if sym.has_value() and sym.visible == 0 and any(p.text is not None for p in sym.props):
        # (a prompt-less symbol's line in .config is only what conf wrote last time)
        note = " (the .config value %s is ignored: the prompt is hidden)" % (
            TRI[sym.user_tri] if tristate else sym.user_val)
    if tristate and sym.implied_tri > 0 and sym.implied_tri >= sym.curr_tri and sym.curr_tri > 0:
        names = [expr_str(t) for t in active_terms(kc, sym.implied)]
        return {"kind": "imply", "text": "implied by " + ", ".join(names) + note, "by": names}
    for p in sym.props:
        if p.type != P_DEFAULT:
            continue
        if kc.calc_expr(p.visible_expr) == 0:
            continue
        cond = "" if p.visible_expr is None else " (condition %s)" % expr_str(p.visible_expr)
        return {"kind": "default", "text": "default %s at %s%s%s"
                % (expr_str(p.expr), where(p), cond, note), "file": p.filename, "line": p.lineno}
    return {"kind": "none", "text": "no default applies%s" % note}


def show(kc, sym):
    """A JSON-ready record: the summary, the origin of the value and menuconfig's help text."""
    rec = symbol_summary(kc, sym)
    rec["origin"] = value_origin(kc, sym)
    menus = [m for m in sym.menus if m.prompt is not None] or sym.menus[:1]
    rec["help"] = ext_help(kc, menus[0]) if menus else ""
    return rec


def format_show(kc, sym):
    rec = show(kc, sym)
    out = ["%s = %s  (%s)" % (sym.name, rec["value"], rec["origin"]["text"])]
    if rec["visible"] == "n" and any(d["prompt"] for d in rec["definitions"]):
        out.append("(hidden: try `kbuild why %s`)" % sym.name)
    out.append("")
    out.append(rec["help"].rstrip("\n"))
    return "\n".join(out) + "\n"
