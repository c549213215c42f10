"""Help text of a menu entry as menuconfig and conf show it (menu_get_ext_help())."""

from __future__ import annotations

from .expr import MOD, NO, YES, expr_eq, expr_str_values, is_yes, revdep_str
from .symbol import P_IMPLY, P_SELECT, S_HEX, S_INT, TYPE_NAMES

NO_HELP = "There is no help available for this option."


def _dep_str(e, prefix):
    if is_yes(e):
        return ""
    return prefix + expr_str_values(e) + "\n"


def _prompt_str(kc, prop):
    out = ["  Prompt: %s\n" % prop.text, _dep_str(prop.menu.dep, "  Depends on: ")]
    if not expr_eq(prop.menu.dep, prop.visible_expr):
        out.append(_dep_str(prop.visible_expr, "  Visible if: "))
    chain = []
    menu = prop.menu
    while menu is not kc.rootmenu and len(chain) < 8:
        chain.append(menu)
        if kc.menu_is_visible(menu):
            pass
        menu = menu.parent
    out.append("  Location:\n")
    for j, menu in enumerate(reversed(chain)):
        indent = 2 * j + 4
        line = "%s-> %s" % (" " * indent, menu.prompt_text())
        if menu.sym is not None:
            line += " (%s [=%s])" % (menu.sym.name if menu.sym.name is not None else "<choice>",
                                     menu.sym.str_value())
        out.append(line + "\n")
    return "".join(out)


def _props_str(sym, ptype, prefix):
    items = [expr_str_values(p.expr) for p in sym.props if p.type == ptype]
    if not items:
        return ""
    return prefix + " && ".join(items) + "\n"


def symbol_str(kc, sym):
    """get_symbol_str(): the Symbol/Type/Defined at/... block of a help screen."""
    out = []
    if sym.name is not None:
        out.append("Symbol: %s [=%s]\n" % (sym.name, sym.str_value()))
        out.append("Type  : %s\n" % TYPE_NAMES[sym.type])
        if sym.type in (S_INT, S_HEX):
            p = sym.range_prop()
            if p is not None:
                out.append("Range : %s\n" % expr_str_values(p.expr))
    for menu in sym.menus:
        if menu.prompt is not None:
            out.append("Defined at %s:%d\n" % (menu.filename, menu.lineno))
            out.append(_prompt_str(kc, menu.prompt))
    for menu in sym.menus:
        if menu.prompt is None:
            out.append("Defined at %s:%d\n" % (menu.filename, menu.lineno))
            out.append(_dep_str(menu.dep, "  Depends on: "))
    out.append(_props_str(sym, P_SELECT, "Selects: "))
    calc = kc.calc_expr
    if sym.rev_dep is not None:
        out.append(revdep_str(sym.rev_dep, calc, YES, "Selected by [y]:\n"))
        out.append(revdep_str(sym.rev_dep, calc, MOD, "Selected by [m]:\n"))
        out.append(revdep_str(sym.rev_dep, calc, NO, "Selected by [n]:\n"))
    out.append(_props_str(sym, P_IMPLY, "Implies: "))
    if sym.implied is not None:
        out.append(revdep_str(sym.implied, calc, YES, "Implied by [y]:\n"))
        out.append(revdep_str(sym.implied, calc, MOD, "Implied by [m]:\n"))
        out.append(revdep_str(sym.implied, calc, NO, "Implied by [n]:\n"))
    out.append("\n\n")
    return "".join(out)


def ext_help(kc, menu):
    """menu_get_ext_help(): the full help text of a menu entry."""
    sym = menu.sym
    out = []
    text = NO_HELP
    if menu.help is not None:
        if sym.name is not None:
            out.append("CONFIG_%s:\n\n" % sym.name)
        text = menu.help
    out.append(text + "\n")
    if sym is not None:
        out.append(symbol_str(kc, sym))
    return "".join(out)
