"""Reading and writing configurations: .config, the minimal defconfig and the files the build
reads (include/config/auto.conf, auto.conf.cmd, autoconf.h, rustc_cfg and the per-symbol stamps),
byte-identical to scripts/kconfig/confdata.c."""

from __future__ import annotations

import os

from .expr import E_SYMBOL, MOD, NO, YES
from .parser import read_text
from .symbol import (P_DEFAULT, P_MENU, S_BOOLEAN, S_HEX, S_INT, S_STRING, S_TRISTATE, S_UNKNOWN,
                     SYMBOL_CHOICEVAL, SYMBOL_DEF_AUTO, SYMBOL_DEF_USER, SYMBOL_OPTIONAL, SYMBOL_NO_WRITE, SYMBOL_TRANSITIONAL, SYMBOL_VALID,
                     SYMBOL_WRITE, SYMBOL_WRITTEN, TRI_CHARS, string_valid)

CONFIG_ = "CONFIG_"


def _fopen_text(kc, name):
    """zconf_fopen(): ``name``, else $srctree/name for relative names; None if unreadable."""
    for path in (name,) if name.startswith("/") or not kc.srctree else (name, os.path.join(kc.srctree, name)):
        try:
            return read_text(path)
        except IsADirectoryError:
            return None
        except FileNotFoundError:
            continue
        except PermissionError:
            continue
    return None


def _escape(val):
    return '"' + val.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ConfReader:
    """conf_read_simple() state for one file."""

    def __init__(self, kc, filename):
        self.kc = kc
        self.filename = filename
        self.lineno = 0

    def warning(self, msg):
        self.kc.stderr("%s:%d:warning: %s\n" % (self.filename, self.lineno, msg))
        self.kc.conf_warnings += 1


def _set_sym_val(reader, sym, auto, p):
    t = sym.type
    if t == S_TRISTATE or t == S_BOOLEAN:
        c = p[:1]
        if c == "m" and t == S_TRISTATE:
            tri = MOD
        elif c == "y":
            tri = YES
        elif c == "n":
            tri = NO
        else:
            if not auto:
                reader.warning("symbol value '%s' invalid for %s" % (p, sym.name))
            return False
        if auto:
            sym.auto_tri = tri
            sym.flags |= SYMBOL_DEF_AUTO
        else:
            sym.user_tri = tri
            sym.flags |= SYMBOL_DEF_USER
        return True
    if t == S_STRING and not auto:
        if p[:1] != '"':
            return True
        out = []
        i = 1
        n = len(p)
        closed = False
        while i < n:
            c = p[i]
            if c == '"':
                closed = True
                break
            if c == "\\":
                i += 1
                if i < n:
                    out.append(p[i])
                    i += 1
                continue
            out.append(c)
            i += 1
        if not closed:
            reader.warning("invalid string found")
            return False
        p = "".join(out)
    if t in (S_STRING, S_INT, S_HEX):
        if string_valid(t, p):
            if auto:
                sym.auto_val = p
                sym.flags |= SYMBOL_DEF_AUTO
            else:
                sym.user_val = p
                sym.flags |= SYMBOL_DEF_USER
            return True
        if not auto:
            reader.warning("symbol value '%s' invalid for %s" % (p, sym.name))
        return False
    return True


def read_simple(kc, name, auto=False, on_missing_auto=None):
    """conf_read_simple(): load user (or, with ``auto``, auto.conf) values.  False if unreadable.

    With ``name`` None, the configuration file and then KCONFIG_DEFCONFIG_LIST are tried.
    """
    env = kc.environ
    if not auto:
        kc.values_fresh = False
    warn_unknown = env.get("KCONFIG_WARN_UNKNOWN_SYMBOLS")
    text = None
    if name is not None:
        text = _fopen_text(kc, name)
    else:
        name = env.get("KCONFIG_CONFIG") or ".config"
        if "KCONFIG_CONFIG" in env:
            name = env["KCONFIG_CONFIG"]
        text = _fopen_text(kc, name)
        if text is None:
            kc.changed = True
            lst = env.get("KCONFIG_DEFCONFIG_LIST")
            if lst is None:
                cands = _defconfig_list_symbol(kc)
                if not cands:
                    return False
            else:
                cands = lst.split()
            for cand in cands:
                text = _fopen_text(kc, cand)
                if text is not None:
                    kc.conf_message("using defaults found in %s" % cand)
                    name = cand
                    break
    if text is None:
        return False
    reader = ConfReader(kc, name)
    kc.conf_warnings = 0
    flag = SYMBOL_DEF_AUTO if auto else SYMBOL_DEF_USER
    syms = kc.all_symbols()
    for s in syms:
        s.flags &= ~flag
        if auto:
            s.auto_val = None
            s.auto_tri = NO
        else:
            s.user_val = None
            s.user_tri = NO
    if not auto:
        for s in syms:
            s.flags &= ~SYMBOL_VALID
        if kc.pre611:
            # a choice has a value of its own, built from its members' lines below
            for s in syms:
                if s.name is None:
                    s.flags |= SYMBOL_DEF_USER
    find = kc.find
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        reader.lineno += 1
        if line.endswith("\r"):
            line = line[:-1]
        if not line:
            continue
        if line[0] == "#":
            if not line.startswith("# CONFIG_"):
                continue
            rest = line[9:]
            sp = rest.find(" ")
            if sp < 0:
                continue
            if rest[sp + 1:] != "is not set":
                continue
            sym_name = rest[:sp]
            val = "n"
        else:
            if not line.startswith(CONFIG_):
                reader.warning("unexpected data: %s" % line)
                continue
            rest = line[7:]
            eq = rest.find("=")
            if eq < 0:
                reader.warning("unexpected data: %s" % line)
                continue
            sym_name = rest[:eq]
            val = rest[eq + 1:]
        sym = find(sym_name) if sym_name else None
        if sym is None:
            if auto:
                if on_missing_auto is not None:
                    on_missing_auto(sym_name)
            else:
                if warn_unknown:
                    reader.warning("unknown symbol: %s" % sym_name)
                kc.changed = True
            continue
        if sym.flags & flag:
            reader.warning("override: reassigning to symbol %s" % sym.name)
        if not _set_sym_val(reader, sym, auto, val):
            continue
        if auto:
            continue
        choice = sym.choice_menu
        if choice is not None and kc.pre611:
            cs = choice.sym
            t = sym.user_tri
            if t == MOD:
                if cs.user_tri == YES:
                    reader.warning("%s creates inconsistent choice state" % sym.name)
                    cs.flags &= ~SYMBOL_DEF_USER
            elif t == YES:
                if cs.user_tri != NO:
                    reader.warning("override: %s changes choice state" % sym.name)
                cs.user_val = sym
            if t > cs.user_tri:
                cs.user_tri = t
        elif choice is not None:
            members = choice.choice_members
            members.remove(sym)
            members.insert(0, sym)
    return True


def _defconfig_list_symbol(kc):
    """Older kernels name the fallback configurations in the defaults of the symbol that has
    'option defconfig_list'."""
    sym = kc.defconfig_list_sym
    if sym is None:
        return []
    out = []
    for p in sym.props:
        if p.type == P_DEFAULT and p.expr[0] == E_SYMBOL and kc.calc_expr(p.visible_expr) != NO:
            out.append(p.expr[1].name)
    return out


def read(kc, name=None):
    """conf_read(): load a configuration and note whether it differs from the computed one."""
    kc.changed = False
    kc.values_fresh = False
    if not read_simple(kc, name):
        kc.modules_sym.calc_value()
        return False
    # read_simple() left every value invalid: the loop computes them all from scratch
    unmet = kc.sym_warnings
    kc.modules_sym.calc_value()
    pre611 = kc.pre611
    unsaved = False
    for s in kc.all_symbols():
        f = s.flags
        if not f & SYMBOL_VALID:     # (most were computed as another's dependency)
            s.calc_value()
            f = s.flags
        if s.name is None or (pre611 and f & SYMBOL_NO_WRITE):
            continue
        if f & SYMBOL_DEF_USER and f & SYMBOL_WRITE:
            if s.type == S_BOOLEAN or s.type == S_TRISTATE:
                if s.user_tri == s.curr_tri:
                    continue
            elif s.curr_val == s.user_val:
                continue
        elif not f & SYMBOL_DEF_USER and not f & SYMBOL_WRITE:
            continue
        unsaved = True
    if pre611:
        unsaved = _forget_stale_values(kc, unsaved)
    if unsaved:
        kc.changed = True
    kc.values_fresh = kc.sym_warnings == unmet
    if kc.conf_warnings:
        kc.changed = True
    return True


def _forget_stale_values(kc, unsaved):
    """The end of conf_read() before 6.11: where the configuration was up to date
    (``unsaved`` false), the values of symbols that are not visible are forgotten (they come
    back as new when they become visible), and a number or string out of its range is dropped
    for its default.  Returns ``unsaved``, true too if a value was dropped."""
    for s in kc.all_symbols():
        f = s.flags
        if not f & SYMBOL_DEF_USER or f & SYMBOL_CHOICEVAL:
            continue
        if s.visible == NO and not unsaved:
            s.flags = f = f & ~SYMBOL_DEF_USER
        if s.type in (S_STRING, S_INT, S_HEX) and not s.string_within_range(s.user_val):
            s.flags = f & ~(SYMBOL_VALID | SYMBOL_DEF_USER)
            unsaved = True
    return unsaved


def _dotconfig_line(sym):
    t = sym.type
    if t == S_UNKNOWN:
        return ""
    if t == S_BOOLEAN or t == S_TRISTATE:
        v = sym.curr_tri
        if v == NO:
            return "# CONFIG_%s is not set\n" % sym.name
        return "CONFIG_%s=%s\n" % (sym.name, TRI_CHARS[v])
    val = sym.curr_val
    if t == S_STRING:
        val = _escape(val)
    return "CONFIG_%s=%s\n" % (sym.name, val)


def heading(kc, style):
    text = kc.rootmenu.prompt.text
    if style == "#":
        return "#\n# Automatically generated file; DO NOT EDIT.\n# %s\n#\n" % text
    return "/*\n * Automatically generated file; DO NOT EDIT.\n * %s\n */\n" % text


def config_text(kc):
    """The text conf_write() puts in .config for the current values."""
    out = [heading(kc, "#")]
    if not kc.changed:
        kc.clear_all_valid_for_write()
    need_newline = False
    root = kc.rootmenu
    menu = root.list
    visible = kc.menu_is_visible
    written = []
    while menu is not None:
        sym = menu.sym
        if sym is None:
            if visible(menu):
                out.append("\n#\n# %s\n#\n" % menu.prompt_text())
                need_newline = False
        elif sym.name is not None and not sym.flags & SYMBOL_WRITTEN:
            sym.calc_value()
            if sym.flags & SYMBOL_WRITE and not sym.flags & (SYMBOL_TRANSITIONAL | SYMBOL_NO_WRITE):
                if need_newline:
                    out.append("\n")
                    need_newline = False
                sym.flags |= SYMBOL_WRITTEN
                written.append(sym)
                out.append(_dotconfig_line(sym))
        if menu.list is not None:
            menu = menu.list
            continue
        while True:
            if (menu.sym is None and menu is not root and visible(menu)
                    and menu.prompt.type == P_MENU):
                out.append("# end of %s\n" % menu.prompt_text())
                need_newline = True
            if menu.next is not None:
                menu = menu.next
                break
            menu = menu.parent
            if menu is None:
                break
    for s in written:
        s.flags &= ~SYMBOL_WRITTEN
    return "".join(out)


def _write_file(path, text):
    with open(path, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
        f.write(text)


def _make_parent_dir(path):
    d = os.path.dirname(path)
    if d and not os.path.isdir(d):
        os.makedirs(d, 0o755, exist_ok=True)


def write(kc, name=None):
    """conf_write(): write .config atomically, keeping .config.old.  Returns 0 on success."""
    env = kc.environ
    if name is None:
        name = env["KCONFIG_CONFIG"] if "KCONFIG_CONFIG" in env else ".config"
    if not name:
        kc.stderr("config name is empty\n")
        return -1
    if os.path.isdir(name):
        kc.stderr("%s: Is a directory\n" % name)
        return -1
    try:
        _make_parent_dir(name)
    except OSError:
        return -1
    text = config_text(kc)
    data = text.encode("utf-8", "surrogateescape")
    overwrite = env.get("KCONFIG_OVERWRITECONFIG")
    try:
        if overwrite:
            with open(name, "wb") as f:
                f.write(data)
        else:
            tmp = "%s.%d.tmp" % (name, os.getpid())
            try:
                with open(tmp, "wb") as f:
                    f.write(data)
                try:
                    with open(name, "rb") as f:
                        same = f.read() == data
                except OSError:
                    same = False
                if same:
                    kc.conf_message("No change to %s" % name)
                    kc.changed = False
                    return 0
                # .config.old becomes the previous .config (as C's rename does) while .config
                # itself stays in place until the new one replaces it atomically, so an
                # interruption at any point leaves a complete .config.
                if os.path.lexists(name):
                    oldtmp = "%s.old.%d.tmp" % (name, os.getpid())
                    try:
                        os.link(name, oldtmp, follow_symlinks=False)
                        os.replace(oldtmp, name + ".old")
                    except OSError:
                        pass
                os.replace(tmp, name)
            finally:
                if os.path.lexists(tmp):
                    os.unlink(tmp)
    except OSError:
        return 1
    kc.conf_message("configuration written to %s" % name)
    kc.changed = False
    return 0


def defconfig_text(kc):
    """The minimal configuration conf_write_defconfig() writes."""
    kc.clear_all_valid_for_write()
    out = []
    for menu in kc.rootmenu.walk():
        sym = menu.sym
        if sym is None or sym.name is None:
            continue
        sym.calc_value()
        if not sym.flags & SYMBOL_WRITE:
            continue
        sym.flags &= ~SYMBOL_WRITE
        if not sym.is_changeable():
            continue
        if sym.flags & (SYMBOL_TRANSITIONAL | SYMBOL_NO_WRITE):
            continue
        if sym.str_value() == sym.string_default():
            continue
        choice = sym.choice_menu
        if choice is not None and sym.curr_tri == YES and sym is kc.choice_default(choice):
            # the default member at y; before 6.11 only a bool one, and not in an optional choice
            if not kc.pre611 or (sym.type == S_BOOLEAN and not choice.sym.flags & SYMBOL_OPTIONAL):
                continue
        out.append(_dotconfig_line(sym))
    # the SYMBOL_WRITE flags taken off above stay off until the next recompute
    kc.values_fresh = False
    return "".join(out)


def write_defconfig(kc, filename):
    """conf_write_defconfig().  Returns 0 on success."""
    try:
        f = open(filename, "w", encoding="utf-8", errors="surrogateescape", newline="")
    except OSError:
        return 1
    with f:
        f.write(defconfig_text(kc))
    return 0


# --- files for the build ---------------------------------------------------------

def autoconf_cmd_text(kc, autoconf_name):
    if kc.pre611:
        # newest file first, the target named in each rule
        parts = ["deps_config := \\\n"]
        parts.extend("\t%s \\\n" % f for f in reversed(kc.files))
        parts.append("\n%s: $(deps_config)\n\n" % autoconf_name)
        parts.extend('ifneq "$(%s)" "%s"\n%s: FORCE\nendif\n' % (k, v, autoconf_name)
                     for k, v in kc.env_used)
        parts.append("\n$(deps_config): ;\n")
        return "".join(parts)
    parts = ["autoconfig := %s\n" % autoconf_name, "\ndeps_config := \\\n"]
    parts.extend("\t%s \\\n" % f for f in kc.files)
    parts.append("\n$(autoconfig): $(deps_config)\n$(deps_config): ;\n")
    parts.extend('\nifneq "$(%s)" "%s"\n$(autoconfig): FORCE\nendif\n' % (k, v)
                 for k, v in kc.env_used)
    return "".join(parts)


def _c_line(sym):
    t = sym.type
    if t == S_UNKNOWN:
        return ""
    if t == S_BOOLEAN or t == S_TRISTATE:
        v = sym.curr_tri
        if v == NO:
            return ""
        return "#define CONFIG_%s%s 1\n" % (sym.name, "_MODULE" if v == MOD else "")
    val = sym.curr_val
    prefix = ""
    if t == S_HEX:
        if not (val[:1] == "0" and val[1:2] in ("x", "X")):
            prefix = "0x"
    elif t == S_STRING:
        val = _escape(val)
    return "#define CONFIG_%s %s%s\n" % (sym.name, prefix, val)


def _rustc_line(sym):
    t = sym.type
    if t == S_UNKNOWN:
        return ""
    out = ""
    val = sym.str_value()
    if t == S_BOOLEAN or t == S_TRISTATE:
        if val == "n":
            return ""
        out = "--cfg=CONFIG_%s\n" % sym.name
    elif t == S_HEX:
        if not (val[:1] == "0" and val[1:2] in ("x", "X")):
            val = "0x" + val
    return out + "--cfg=CONFIG_%s=%s\n" % (sym.name, _escape(val))


def _auto_line(sym):
    t = sym.type
    if t == S_UNKNOWN:
        return ""
    if t == S_BOOLEAN or t == S_TRISTATE:
        v = sym.curr_tri
        if v == NO:
            return ""
        return "CONFIG_%s=%s\n" % (sym.name, TRI_CHARS[v])
    return "CONFIG_%s=%s\n" % (sym.name, sym.curr_val)


def _write_atomic(path, text):
    _make_parent_dir(path)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
        f.write(text)
    os.rename(tmp, path)


def write_autoconf(kc, overwrite):
    """conf_write_autoconf(): auto.conf(.cmd), autoconf.h, rustc_cfg and the symbol stamps.

    Returns 0 on success.  Without ``overwrite`` nothing is done if auto.conf exists.
    """
    env = kc.environ
    autoconf = env["KCONFIG_AUTOCONFIG"] if "KCONFIG_AUTOCONFIG" in env else "include/config/auto.conf"
    if not overwrite and os.path.exists(autoconf):
        return 0
    try:
        _write_atomic(autoconf + ".cmd", autoconf_cmd_text(kc, autoconf))
    except OSError as e:
        kc.stderr("fopen: %s\n" % e.strerror)
        return -1
    syms = kc.all_symbols()
    for s in syms:
        s.calc_value()
    # touch include/config/<SYMBOL> for every symbol whose value changed since the last auto.conf
    slash = autoconf.rfind("/")
    prefix = autoconf[:slash + 1] if slash >= 0 else ""

    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC

    def touch(name):
        try:
            os.close(os.open(prefix + name, flags, 0o644))
        except OSError:
            raise _TouchError()

    try:
        read_simple(kc, autoconf, auto=True, on_missing_auto=touch)
        for s in syms:
            if s.name is None:
                continue
            f = s.flags
            if f & SYMBOL_WRITE:
                if f & SYMBOL_DEF_AUTO:
                    t = s.type
                    if t == S_BOOLEAN or t == S_TRISTATE:
                        if s.curr_tri == s.auto_tri:
                            continue
                    elif t in (S_STRING, S_HEX, S_INT):
                        if s.str_value() == s.auto_val:
                            continue
                else:
                    if (s.type == S_BOOLEAN or s.type == S_TRISTATE) and s.curr_tri == NO:
                        continue
            elif not f & SYMBOL_DEF_AUTO:
                continue
            touch(s.name)
    except _TouchError:
        return 1
    written = [s for s in syms if s.flags & SYMBOL_WRITE and s.name is not None]
    header = env["KCONFIG_AUTOHEADER"] if "KCONFIG_AUTOHEADER" in env else "include/generated/autoconf.h"
    rustc = env["KCONFIG_RUSTCCFG"] if "KCONFIG_RUSTCCFG" in env else "include/generated/rustc_cfg"
    try:
        _write_atomic(header, heading(kc, "c") + "".join(_c_line(s) for s in written))
        _write_atomic(rustc, "".join(_rustc_line(s) for s in written))
        _write_atomic(autoconf, heading(kc, "#") + "".join(_auto_line(s) for s in written))
    except OSError as e:
        kc.stderr("fopen: %s\n" % e.strerror)
        return -1
    return 0


class _TouchError(Exception):
    pass
