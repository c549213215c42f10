"""The configuration in formats other build systems read: C header, make, CMake, JSON, and the
menu tree as JSON.

The symbols written are the ones .config gets (those with a value to write), in definition order.
Formats:
  header      autoconf.h lines: ``#define CONFIG_X 1``, ``#define CONFIG_X_MODULE 1``, strings
              quoted; n is left out
  make        auto.conf lines: ``CONFIG_X=y``; n is left out
  cmake       ``set(CONFIG_X "y")`` for every value that is not n
  json        ``{"X": value}`` for every written symbol: "y"/"m"/"n" for bool and tristate,
              a number for int, a string for hex and string
  json-menus  the menu tree: [{"kind", "prompt", "symbol", "type", "value", "visible", "file",
              "line", "children"}]
"""

from __future__ import annotations

import json

from ..kconfig import confdata
from ..kconfig.symbol import (S_BOOLEAN, S_HEX, S_INT, S_STRING, S_TRISTATE, SYMBOL_CONST,
                              SYMBOL_NO_WRITE, SYMBOL_TRANSITIONAL, SYMBOL_WRITE, TYPE_NAMES)
from .find import TRI

FORMATS = ("header", "make", "cmake", "json", "json-menus")


def written_symbols(kc):
    out = []
    for sym in kc.named_symbols():
        if sym.flags & SYMBOL_CONST or not sym.menus:
            continue
        sym.calc_value()
        if sym.flags & SYMBOL_WRITE and not sym.flags & (SYMBOL_TRANSITIONAL | SYMBOL_NO_WRITE):
            out.append(sym)
    return out


def _cmake_quote(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")


def _json_value(sym):
    if sym.type in (S_BOOLEAN, S_TRISTATE):
        return TRI[sym.curr_tri]
    if sym.type == S_INT:
        try:
            return int(sym.curr_val)
        except ValueError:
            return sym.curr_val
    return sym.curr_val


def _menu_tree(kc, menu):
    out = []
    for m in menu.children():
        sym = m.sym
        if sym is not None:
            sym.calc_value()
        node = {
            "kind": m.kind or ("choice" if sym is not None and sym.name is None
                               else "config" if sym is not None else "menu"),
            "prompt": m.prompt.text if m.prompt is not None else None,
            "symbol": sym.name if sym is not None else None,
            "type": TYPE_NAMES.get(sym.type) if sym is not None else None,
            "value": _json_value(sym) if sym is not None and sym.name is not None else None,
            "visible": kc.menu_is_visible(m),
            "file": m.filename, "line": m.lineno,
        }
        kids = _menu_tree(kc, m)
        if kids:
            node["children"] = kids
        out.append(node)
    return out


def generate(kc, fmt):
    """The text of the configuration in format ``fmt`` (one of FORMATS)."""
    if fmt == "json-menus":
        return json.dumps({"title": kc.mainmenu_text(), "menus": _menu_tree(kc, kc.rootmenu)},
                          indent=1) + "\n"
    syms = written_symbols(kc)
    if fmt == "header":
        return confdata.heading(kc, "/*") + "".join(confdata._c_line(s) for s in syms)
    if fmt == "make":
        return confdata.heading(kc, "#") + "".join(confdata._auto_line(s) for s in syms)
    if fmt == "cmake":
        lines = ["# Automatically generated file; DO NOT EDIT.\n# %s\n" % kc.mainmenu_text()]
        for s in syms:
            if s.type in (S_BOOLEAN, S_TRISTATE):
                if s.curr_tri:
                    lines.append("set(CONFIG_%s %s)\n" % (s.name, _cmake_quote(TRI[s.curr_tri])))
            elif s.type in (S_INT, S_HEX, S_STRING):
                lines.append("set(CONFIG_%s %s)\n" % (s.name, _cmake_quote(s.curr_val)))
        return "".join(lines)
    if fmt == "json":
        return json.dumps({s.name: _json_value(s) for s in syms}, indent=1) + "\n"
    raise ValueError(fmt)
