"""Dependency-aware edits of a configuration (like scripts/config, but through the Kconfig rules):
set values as menuconfig would, in passes until nothing more sticks, and report every value that
did not stick together with the reason."""

from __future__ import annotations

from ..kconfig.expr import NO
from ..kconfig.symbol import S_BOOLEAN, S_TRISTATE, SYMBOL_DEF_USER


def _apply(kc, sym, value):
    if sym.type in (S_BOOLEAN, S_TRISTATE):
        if value[:1] in ("y", "Y") and sym.choice_menu is not None:
            sym.calc_value()
            if sym.visible == 0:
                return False
            kc.choice_set_value(sym.choice_menu, sym)
            return True
    return kc.set_value(sym.name, value)


def _stuck(sym, value):
    sym.calc_value()
    if sym.type in (S_BOOLEAN, S_TRISTATE):
        return sym.str_value() == value[:1].lower()
    return sym.str_value() == value


def apply_edits(kc, edits):
    """Apply ``edits`` [(Symbol, value text)] in order, repeating the ones that were refused while
    others still change something (enabling one option can make the next one visible).
    Returns [(Symbol, value, ok)] in the order given."""
    pending = list(edits)
    for _ in range(len(edits) + 1):
        progress = False
        rest = []
        for sym, value in pending:
            if _stuck(sym, value) and sym.has_value():
                continue
            if _apply(kc, sym, value):
                progress = True
            else:
                rest.append((sym, value))
        pending = rest
        if not pending or not progress:
            break
    return [(sym, value, _stuck(sym, value)) for sym, value in edits]


def undefine(kc, syms):
    """Forget the user values of ``syms`` (like deleting their lines from .config): they go
    back to their defaults.  (The engine has no call for this; it is the flag conf_read sets.)"""
    for sym in syms:
        sym.flags &= ~SYMBOL_DEF_USER
        sym.user_val = None
        sym.user_tri = NO
    kc.clear_all_valid()
