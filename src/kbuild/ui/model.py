"""What menuconfig shows and does, without a terminal: the entries of a menu (mconf's build_conf()),
the keys' effect on a symbol, help text, search results and one-line reasons for hidden entries.

The screens (app.py) only draw what this module computes, so the menu tree can be tested (and
compared with mconf's) without Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..kconfig.expr import E_AND, MOD, NO, YES, expr_str_values
from ..kconfig.help import ext_help
from ..kconfig.symbol import (P_COMMENT, P_MENU, S_BOOLEAN, S_HEX, S_INT, S_STRING, S_TRISTATE,
                              SYMBOL_CONST)

MENU_INSTRUCTIONS = (
    "Arrow keys navigate the menu.  <Enter> selects submenus ---> (or empty submenus ----).  "
    "<Y> includes, <N> excludes, <M> modularizes features.  <Esc> goes back, <?> help, "
    "</> search, <Z> hidden entries.  Legend: [*] built-in  [ ] excluded  <M> module  "
    "< > module capable")

SETMOD_TEXT = ("This feature depends on another which has been configured as a module.\n"
               "As a result, this feature will be built as a module.")

SAVE_QUESTION = ("Do you wish to save your new configuration?\n"
                 "(Press <ESC><ESC> to continue kernel configuration.)")

# tags of mconf's items: 'm' a menu, 't' a bool/tristate symbol or a choice with a member,
# 's' an int/hex/string symbol, ':' text only (comments, "---" lines, a choice without a member)


@dataclass
class Entry:
    """One line of a menu as mconf draws it."""
    menu: object            # the Menu node
    text: str               # the exact item text of mconf ("[*] Enable loadable module support")
    tag: str                # 'm', 't', 's' or ':'
    visible: bool = True    # False: shown only because hidden entries are shown (z)

    @property
    def sym(self):
        return self.menu.sym


def menu_is_empty(kc, menu):
    """menu_is_empty(): no visible child."""
    return not any(kc.menu_is_visible(c) for c in menu.children())


def build_entries(kc, menu, show_all=False):
    """The items mconf's build_conf() makes for ``menu`` (the menu being shown), in order."""
    out = []
    _build(kc, menu, menu, show_all, 0, out)
    return out


def _build(kc, menu, current, show_all, indent, out):
    visible = kc.menu_is_visible(menu)      # also computes the symbol's value
    if show_all and menu.prompt is None:
        return
    if not show_all and not visible:
        return
    sym = menu.sym
    prop = menu.prompt
    doint = 2
    pad = " " * (indent + 1)
    if sym is None:
        if prop is not None and menu is not current:
            text = menu.prompt_text()
            if prop.type == P_MENU:
                out.append(Entry(menu, "   %s%s  %s" % (pad, text,
                                                        "----" if menu_is_empty(kc, menu) else "--->"),
                                 "m", visible))
                return
            if prop.type == P_COMMENT:
                if text:
                    out.append(Entry(menu, "   %s*** %s ***" % (pad, text), ":", visible))
            elif text:
                out.append(Entry(menu, "---%s%s" % (pad, text), ":", visible))
        else:
            doint = 0
    elif sym.is_choice:
        active = kc.calc_choice(menu)
        def_menu = None
        for child in menu.children():
            if kc.menu_is_visible(child) and child.sym is active:
                def_menu = child
        text = "   " + pad + menu.prompt_text()
        if def_menu is not None:
            text += " (%s)  --->" % def_menu.prompt_text()
        out.append(Entry(menu, text, "t" if def_menu is not None else ":", visible))
        return
    else:
        if menu is current:
            out.append(Entry(menu, "---%s%s" % (pad, menu.prompt_text()), ":", visible))
        else:
            t = sym.get_type()
            val = sym.curr_tri
            new = "" if (sym.has_value() or not sym.is_changeable()) else " (NEW)"
            if t == S_BOOLEAN or t == S_TRISTATE:
                ch = " " if val == NO else ("M" if val == MOD else "*")
                if t == S_BOOLEAN:
                    ch = " " if val == NO else "*"
                    marker = ("[%s]" if sym.is_changeable() else "-%s-") % ch
                elif sym.is_changeable():
                    marker = ("{%s}" if sym.rev_dep_tri == MOD else "<%s>") % ch
                else:
                    marker = "-%s-" % ch
                text = marker + pad + menu.prompt_text() + new
                if prop.type == P_MENU:
                    text += "  " + ("----" if menu_is_empty(kc, menu) else "--->")
                    out.append(Entry(menu, text, "t", visible))
                    return
                out.append(Entry(menu, text, "t", visible))
            else:
                value = sym.str_value() or ""
                gap = max(indent - (2 + len(value)) + 4, 1)
                out.append(Entry(menu, "(%s)%s%s%s" % (value, " " * gap, menu.prompt_text(), new),
                                 "s", visible))
    indent += doint
    c = menu.list
    while c is not None:
        _build(kc, c, current, show_all, indent, out)
        c = c.next


# --- what the keys do -----------------------------------------------------------------------

def is_submenu(entry):
    """Does Enter open a submenu (a menu, or a menuconfig symbol)?"""
    if entry.tag == "m":
        return True
    return entry.tag == "t" and entry.sym is not None and not entry.sym.is_choice \
        and entry.menu.prompt is not None and entry.menu.prompt.type == P_MENU


def first_alpha(text, exempt="YyNnMmHh"):
    """lxdialog's first_alpha(): the index of an item's hotkey (the first letter outside
    brackets that is not exempt), 0 if none."""
    in_paren = 0
    for i, c in enumerate(text):
        c = c.lower()
        if c in "<[(":
            in_paren += 1
        if c in ">])" and in_paren > 0:
            in_paren -= 1
        if not in_paren and c.isalpha() and c.isascii() and c not in exempt:
            return i
    return 0


def hotkey_target(entries, cursor, key):
    """The entry a letter jumps to: the next one (after the cursor, then from the top) whose
    hotkey is that letter, as mconf's menubox; None if there is none."""
    key = key.lower()
    n = len(entries)
    start = -1 if cursor is None else cursor
    for i in list(range(start + 1, n)) + list(range(0, start + 1)):
        t = entries[i].text
        if t and t[first_alpha(t)].lower() == key:
            return i
    return None


def set_tristate(kc, entry, key):
    """The effect of Y, M, N on an entry (mconf's conf()): returns None, or a message to show."""
    if entry.tag != "t" or entry.sym is None:
        return None
    sym = entry.sym
    if key == "y":
        if sym.set_tristate_value(YES):
            return None
        if sym.set_tristate_value(MOD):
            return SETMOD_TEXT
    elif key == "n":
        sym.set_tristate_value(NO)
    elif key == "m":
        sym.set_tristate_value(MOD)
    return None


def toggle(kc, entry):
    """The space bar: sym_toggle_tristate_value() (n -> m -> y -> n, skipping what is not allowed)."""
    if entry.tag != "t" or entry.sym is None:
        return
    sym = entry.sym
    if sym.choice_menu is not None:
        kc.choice_set_value(sym.choice_menu, sym)
        return
    sym.calc_value()
    old = new = sym.curr_tri
    while True:
        new = {NO: MOD, MOD: YES, YES: NO}[new]
        if sym.set_tristate_value(new):
            break
        if new == old:
            break


def choice_items(kc, choice):
    """The radiolist of a choice (conf_choice()): [(menu, text, is_member, is_active)]."""
    active = kc.calc_choice(choice)
    out = []
    for child in choice.children():
        if not kc.menu_is_visible(child):
            continue
        if child.sym is not None:
            out.append((child, child.prompt_text(), True, child.sym is active))
        else:
            out.append((child, "*** %s ***" % child.prompt_text(), False, False))
    return out


def input_heading(sym):
    t = sym.get_type()
    if t == S_INT:
        return "Please enter a decimal value. Fractions will not be accepted."
    if t == S_HEX:
        return "Please enter a hexadecimal value."
    if t == S_STRING:
        return "Please enter a string value."
    return "Internal mconf error!"


# --- undo -----------------------------------------------------------------------------------

class Undo:
    """The user values before each change, to take changes back one by one.

    A configuration is a function of the user values (and, for a choice, of the order in which
    its members were picked), so restoring those of the symbols a change touched and
    recomputing gives the state before the change."""

    def __init__(self, kc):
        self.kc = kc
        self.stack = []

    @staticmethod
    def _state(sym):
        from ..kconfig.symbol import SYMBOL_DEF_USER
        return (sym, sym.flags & SYMBOL_DEF_USER, sym.user_tri, sym.user_val)

    def record(self, entry):
        """Remember what a change of ``entry`` may touch; call before changing it."""
        sym = entry.sym
        if sym is None:
            return
        menu = entry.menu if sym.is_choice else sym.choice_menu
        states = [self._state(sym)]
        order = None
        if menu is not None and menu.choice_members is not None:
            states += [self._state(m) for m in menu.choice_members]
            order = (menu, list(menu.choice_members))
        self.stack.append((states, order, sym.name or entry.menu.prompt_text()))

    def discard_if_unchanged(self):
        """Drop the last record if it changed nothing."""
        if not self.stack:
            return
        states, order, _ = self.stack[-1]
        if all(self._state(st[0]) == st for st in states) and \
                (order is None or order[0].choice_members == order[1]):
            self.stack.pop()

    def undo(self):
        """Take the last change back; returns the name of what changed, or None."""
        from ..kconfig.symbol import SYMBOL_DEF_USER
        if not self.stack:
            return None
        states, order, name = self.stack.pop()
        for sym, user, tri, val in states:
            sym.flags = (sym.flags & ~SYMBOL_DEF_USER) | user
            sym.user_tri = tri
            sym.user_val = val
        if order is not None:
            order[0].choice_members[:] = order[1]
        self.kc.values_changed([st[0] for st in states])
        return name


# --- changes since load ---------------------------------------------------------------------

def snapshot(kc):
    """The value of every symbol that has a menu entry, to mark entries changed since load."""
    out = {}
    for sym in kc.named_symbols():
        if sym.menus:
            sym.calc_value()
            out[sym] = sym.str_value()
    return out


def changed_symbols(kc, before):
    """[(symbol, old value, new value)] for the symbols whose value differs from ``before``."""
    out = []
    for sym, old in before.items():
        sym.calc_value()
        new = sym.str_value()
        if new != old:
            out.append((sym, old, new))
    return out


# --- why an entry is hidden -----------------------------------------------------------------

def _and_terms(e):
    if e is not None and e[0] == E_AND:
        return _and_terms(e[1]) + _and_terms(e[2])
    return [e]


def _false_terms(kc, e):
    return [t for t in _and_terms(e) if t is not None and kc.calc_expr(t) == NO]


def hidden_reason(kc, menu):
    """One line saying why ``menu`` is not shown (or '' when it is visible)."""
    if menu.prompt is None:
        return "it has no prompt: only defaults and selects set it"
    if kc.menu_is_visible(menu):
        return ""
    if menu.visibility is not None and kc.calc_expr(menu.visibility) == NO:
        return "its `visible if` is false: " + \
            " && ".join(expr_str_values(t) for t in _false_terms(kc, menu.visibility))
    terms = _false_terms(kc, menu.prompt.visible_expr)
    if terms:
        return "depends on " + " && ".join(expr_str_values(t) for t in terms)
    return "no visible entry inside"


def location_hidden_reason(kc, menu):
    """Why an entry cannot be reached now: its own reason, else the first hidden menu above it."""
    r = hidden_reason(kc, menu) if menu.prompt is not None else ""
    if r:
        return r
    m = menu.parent
    while m is not None and m is not kc.rootmenu:
        if m.prompt is not None and not kc.menu_is_visible(m):
            return 'inside "%s", which is hidden: %s' % (m.prompt_text(), hidden_reason(kc, m))
        m = m.parent
    return ""


def options_to_change(kc, menu, limit=4):
    """The options a user can change to show a hidden entry (from `kbuild why`), or []."""
    sym = menu.sym
    if sym is None or sym.name is None or menu.prompt is None:
        return []
    from ..explain.why import why
    try:
        rec = why(kc, sym, "y" if sym.type in (S_BOOLEAN, S_TRISTATE) else "y")
    except RecursionError:
        return []
    return [n for n in rec.get("settable", []) if n != sym.name][:limit]


def hidden_hint(kc, menu):
    """The one-line reason for a hidden entry, with the options to change: "depends on A [=n];
    change: B, C"."""
    reason = location_hidden_reason(kc, menu)
    if not reason:
        return ""
    names = options_to_change(kc, menu)
    return reason + ("; change: " + ", ".join(names) if names else "")


# --- where an entry is shown ----------------------------------------------------------------

def display_menu(kc, menu):
    """The menu whose screen shows ``menu``: the nearest menu, menuconfig entry or the root above
    it (implicit submenus are drawn indented in their parent's screen)."""
    m = menu.parent
    while m is not None and m is not kc.rootmenu:
        if m.prompt is not None and m.prompt.type == P_MENU:
            return m
        if m.sym is not None and m.sym.is_choice:
            return display_menu(kc, m)      # the choice's line is in its parent's screen
        m = m.parent
    return kc.rootmenu


def jump_target(kc, menu):
    """The entry to highlight for ``menu``: a choice member is reached through its choice."""
    m = menu
    while m.parent is not None and m.parent.sym is not None and m.parent.sym.is_choice:
        m = m.parent
    return m


def location(kc, menu):
    """"Boot options -> Kexec ..." (the prompts of the menus above ``menu``)."""
    parts = []
    m = menu.parent
    while m is not None and m is not kc.rootmenu:
        if m.prompt is not None:
            parts.append(m.prompt_text())
        m = m.parent
    return " -> ".join(reversed(parts)) or "(main menu)"


def prompt_menus(sym):
    return [m for m in sym.menus if m.prompt is not None]


@dataclass
class SearchResult:
    sym: object
    menu: object            # the entry shown for it (a prompt's node, or the first definition)
    text: str               # one line: name, prompt, value
    where: str              # location
    hidden: str             # '' or why it is hidden
    jump: bool = field(default=True)


def find_symbols(kc, pattern):
    """Symbols whose name matches (regex, CONFIG_ prefix optional) or whose prompt contains the
    text, exact name first (what matches does not depend on values)."""
    from ..explain.find import find
    pattern = pattern.strip()
    if not pattern:
        return []
    if pattern[:7].upper() == "CONFIG_":
        pattern = pattern[7:]
    return find(kc, pattern)


def search(kc, pattern, limit=500, found=None):
    """The symbols :func:`find_symbols` gives for ``pattern`` (or ``found``, a list it gave
    before), each with its value, location and why it is hidden."""
    if found is None:
        found = find_symbols(kc, pattern)
    out = []
    for sym in found[:limit]:
        if sym.flags & SYMBOL_CONST:
            continue
        sym.calc_value()
        menus = prompt_menus(sym)
        menu = menus[0] if menus else sym.menus[0]
        for m in menus:         # prefer a definition the user can reach now
            if not location_hidden_reason(kc, m):
                menu = m
                break
        if menu.prompt is not None:
            prompt = menu.prompt.text
            hidden = location_hidden_reason(kc, menu)
        else:
            from ..explain.show import value_origin
            prompt = "(no prompt)"
            hidden = "no prompt; its value: " + value_origin(kc, sym)["text"]
        text = "%s [=%s]  %s" % (sym.name, sym.str_value(), prompt)
        out.append(SearchResult(sym, menu, text, location(kc, menu), hidden,
                                jump=menu.prompt is not None))
    return out


# --- help -----------------------------------------------------------------------------------

def _calc_help_values(kc, menu):
    """Compute the values the help text prints (the expressions of the symbol and the menus
    above it), as mconf has them computed from drawing the menus."""
    from ..kconfig.expr import expr_symbols
    exprs = []
    sym = menu.sym
    if sym is not None:
        sym.calc_value()
        exprs += [sym.dir_dep, sym.rev_dep, sym.implied]
        for p in sym.props:
            exprs += [p.expr, p.visible_expr]
        for m in sym.menus:
            exprs += [m.dep, m.visibility]
    m = menu
    while m is not None:
        if m.sym is not None:
            m.sym.calc_value()
        if m.prompt is not None:
            exprs.append(m.prompt.visible_expr)
        exprs += [m.dep, m.visibility]
        m = m.parent
    for e in exprs:
        if e is not None and isinstance(e, tuple):
            for s in expr_symbols(e):
                s.calc_value()


def help_text(kc, menu):
    """mconf's help text (menu_get_ext_help()), then the value's origin and `kbuild why`.
    Returns (text, [symbol names the user can change, in the order of the answer])."""
    _calc_help_values(kc, menu)
    text = ext_help(kc, menu)
    sym = menu.sym
    if sym is None or sym.name is None or sym.flags & SYMBOL_CONST:
        return text, []
    from ..explain.show import value_origin
    from ..explain.why import format_why, why
    sym.calc_value()
    lines = [text.rstrip("\n"), "", "-" * 60,
             "%s = %s  (%s)" % (sym.name, sym.str_value(), value_origin(kc, sym)["text"])]
    reason = location_hidden_reason(kc, menu)
    if reason:
        lines.append("Hidden: " + reason)
    if sym.type in (S_BOOLEAN, S_TRISTATE):
        want = "n" if sym.curr_tri == YES and sym.visible != NO else "y"
    else:
        want = "y"
    rec = why(kc, sym, want)
    lines.append("")
    lines.append("Why (kbuild why %s=%s):" % (sym.name, want) if rec["want"] != "a value"
                 else "Why (kbuild why %s):" % sym.name)
    lines.append(format_why(kc, rec).rstrip("\n"))
    leaves = [n for n in rec.get("settable", []) if n != sym.name]
    if leaves:
        lines.append("")
        lines.append("Jump to an option you can change:")
        for i, name in enumerate(leaves[:9], 1):
            lines.append("  (%d) %s" % (i, name))
    return "\n".join(lines) + "\n", leaves[:9]
