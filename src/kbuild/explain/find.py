"""Where symbols are: definitions (file:line), types, prompts and menu locations.

Also the small helpers the other services share (menu paths, value text).
"""

from __future__ import annotations

import re

from ..kconfig.symbol import SYMBOL_CONST, TYPE_NAMES

TRI = "nmy"


def menu_path(kc, menu, include_self=True):
    """"Boot options -> Kexec system call": the prompts of the menus above a menu node (and its
    own prompt), as menuconfig shows the way there.  Nodes without a prompt (if-blocks) are left
    out; a prompt-less symbol's own node is named by the symbol."""
    parts = []
    m = menu if include_self else menu.parent
    while m is not None and m is not kc.rootmenu:
        if m.prompt is not None:
            parts.append(m.prompt.text)
        elif m is menu and m.sym is not None and m.sym.name:
            parts.append(m.sym.name)
        m = m.parent
    return " -> ".join(reversed(parts))


def where(menu_or_prop):
    return "%s:%d" % (menu_or_prop.filename, menu_or_prop.lineno)


def value_text(sym):
    sym.calc_value()
    return sym.str_value()


def prompts(sym):
    return [p.text for p in sym.props if p.text is not None]


def user_settable(kc, sym):
    """Can the user set this symbol in menuconfig right now (a visible prompt)."""
    sym.calc_value()
    return sym.visible > 0 and any(p.text is not None for p in sym.props)


def symbol_summary(kc, sym):
    """A JSON-ready description of a symbol: definitions, prompts, locations, value."""
    sym.calc_value()
    defs = []
    for m in sym.menus:
        defs.append({
            "file": m.filename, "line": m.lineno,
            "prompt": m.prompt.text if m.prompt is not None else None,
            "location": menu_path(kc, m),
        })
    return {
        "name": sym.name,
        "type": TYPE_NAMES.get(sym.type, "unknown"),
        "value": sym.str_value(),
        "visible": TRI[sym.visible],
        "user_set": sym.has_value(),
        "definitions": defs,
    }


def find(kc, pattern):
    """Symbols whose name matches ``pattern`` (a regular expression, case-insensitive) or whose
    prompt contains it as text.  Exact name first, then names, then prompt matches."""
    try:
        rx = re.compile(pattern, re.I)
    except re.error:
        rx = re.compile(re.escape(pattern), re.I)
    text = pattern.lower()
    exact, by_name, by_prompt = [], [], []
    for sym in kc.named_symbols():
        if sym.flags & SYMBOL_CONST or not sym.menus:
            continue
        if sym.name.upper() == pattern.upper().removeprefix("CONFIG_"):
            exact.append(sym)
        elif rx.search(sym.name):
            by_name.append(sym)
        elif any(text in p.lower() or rx.search(p) for p in prompts(sym)):
            by_prompt.append(sym)
    key = lambda s: s.name  # noqa: E731
    return exact + sorted(by_name, key=key) + sorted(by_prompt, key=key)


def format_find(kc, syms):
    out = []
    for sym in syms:
        s = symbol_summary(kc, sym)
        for d in s["definitions"]:
            line = "%s:%d: %s (%s) [=%s]" % (d["file"], d["line"], s["name"], s["type"], s["value"])
            out.append(line)
            if d["prompt"] is not None:
                out.append("    %s" % d["location"])
            else:
                parent = d["location"].rsplit(" -> ", 1)[0] if " -> " in d["location"] else ""
                out.append("    (no prompt%s)" % (", in: " + parent if parent else ""))
    return "\n".join(out) + ("\n" if out else "")
