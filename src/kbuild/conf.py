"""``kbuild-conf``: a drop-in for the kernel's scripts/kconfig/conf, with its flags, messages,
environment variables, exit codes and files."""

from __future__ import annotations

import os
import sys
import time

from .kconfig import KconfigError, confdata, load
from .kconfig.expr import MOD, NO, YES
from .kconfig.help import ext_help
from .kconfig.symbol import (P_COMMENT, P_MENU, S_BOOLEAN, S_HEX, S_INT, S_STRING, S_TRISTATE,
                             SYMBOL_ALLNOCONFIG_Y, SYMBOL_CHOICEVAL, SYMBOL_DEF_USER, SYMBOL_VALID,
                             SYMBOL_NEED_SET_CHOICE_VALUES,
                             SYMBOL_NO_WRITE, SYMBOL_TRANSITIONAL)

MODES = ("oldaskconfig", "oldconfig", "syncconfig", "defconfig", "savedefconfig", "allnoconfig",
         "allyesconfig", "allmodconfig", "alldefconfig", "randconfig", "listnewconfig",
         "helpnewconfig", "olddefconfig", "yes2modconfig", "mod2yesconfig", "mod2noconfig")
_ARG_MODES = ("defconfig", "savedefconfig")
_LONG = ("help", "silent") + MODES

USAGE = """Usage: %s [options] <kconfig-file>

Generic options:
  -h, --help              Print this message and exit.
  -s, --silent            Do not print log.

Mode options:
  --listnewconfig         List new options
  --helpnewconfig         List new options and help text
  --oldaskconfig          Start a new configuration using a line-oriented program
  --oldconfig             Update a configuration using a provided .config as base
  --syncconfig            Similar to oldconfig but generates configuration in
                          include/{generated/,config/}
  --olddefconfig          Same as oldconfig but sets new symbols to their default value
  --defconfig <file>      New config with default defined in <file>
  --savedefconfig <file>  Save the minimal current configuration to <file>
  --allnoconfig           New config where all options are answered with no
  --allyesconfig          New config where all options are answered with yes
  --allmodconfig          New config where all options are answered with mod
  --alldefconfig          New config with all symbols set to default
  --randconfig            New config with random answer to all options
  --yes2modconfig         Change answers from yes to mod if possible
  --mod2yesconfig         Change answers from mod to yes if possible
  --mod2noconfig          Change answers from mod to no if possible
  (If none of the above is given, --oldaskconfig is the default)
"""


class Exit(Exception):
    def __init__(self, status):
        self.status = status


class GlibcRandom:
    """glibc's rand()/srand() (the TYPE_3 additive feedback generator), so that a KCONFIG_SEED
    gives the same configuration as the C tool."""

    def __init__(self, seed):
        seed &= 0xFFFFFFFF
        if seed == 0:
            seed = 1
        r = [0] * 34
        r[0] = seed - (1 << 32) if seed >= 1 << 31 else seed
        for i in range(1, 31):
            prev = r[i - 1]
            hi = int(prev / 127773)
            lo = prev - hi * 127773
            word = 16807 * lo - 2836 * hi
            if word < 0:
                word += 2147483647
            r[i] = word
        for i in range(31, 34):
            r[i] = r[i - 31]
        state = [x & 0xFFFFFFFF for x in r]
        for i in range(34, 344):
            state.append((state[i - 31] + state[i - 3]) & 0xFFFFFFFF)
        self.state = state[-34:]

    def rand(self):
        s = self.state
        v = (s[-31] + s[-3]) & 0xFFFFFFFF
        s.append(v)
        del s[0]
        return v >> 1


class Conf:
    """State of one conf run."""

    def __init__(self, mode, silent, environ, stdin, stdout, stderr):
        self.mode = mode
        self.environ = environ
        self.stdin = stdin
        self.out = stdout
        self.err = stderr
        self.silent = silent
        self.indent = 1
        self.conf_cnt = 0
        self.root_entry = None
        self.line = ""
        self.rng = None
        self.eof = False
        try:
            self.tty = os.isatty(stdin.fileno()) and os.isatty(stdout.fileno())
        except (AttributeError, OSError, ValueError):
            self.tty = False
        self.kc = None

    def p(self, s):
        self.out.write(s)

    # --- the line-oriented dialogue (conf.c) --------------------------------

    def _fgets(self, buf):
        """fgets() into a buffer holding ``buf``: on end of input the buffer is unchanged."""
        line = self.stdin.readline()
        if not line or not line.endswith("\n"):
            self.eof = True
        if not line:
            self.err.write("\nError in reading or end of file.\n")
            line = buf
        if not self.tty:
            self.p(line)
        return line

    def _askvalue(self, sym, default):
        if not sym.has_value():
            self.p("(NEW) ")
        self.line = "\n"
        if not sym.is_changeable():
            self.p("%s\n" % (default or ""))
            return False
        if self.mode in ("oldconfig", "syncconfig") and sym.has_value():
            self.p("%s\n" % (default or ""))
            return False
        self.out.flush()
        self.line = self._fgets(self.line)
        return True

    def _help(self, menu):
        self.p("\n%s\n" % ext_help(self.kc, menu))

    def _conf_string(self, menu):
        sym = menu.sym
        while True:
            self.p("%*s%s " % (self.indent - 1, "", menu.prompt.text))
            self.p("(%s) " % sym.name)
            default = sym.str_value()
            if default is not None:
                self.p("[%s] " % default)
            if not self._askvalue(sym, default):
                return
            line = self.line
            if line.startswith("\n"):
                pass
            elif line.startswith("?") and line[1:2] == "\n":
                self._help(menu)
                default = None
            else:
                default = line[:-1]
            if default is not None and sym.set_string_value(default):
                return
            if self.eof:
                self.err.write("\nerror: no value for new symbol '%s' at end of input\n" % sym.name)
                raise Exit(1)

    def _conf_sym(self, menu):
        sym = menu.sym
        while True:
            self.p("%*s%s " % (self.indent - 1, "", menu.prompt.text))
            if sym.name is not None:
                self.p("(%s) " % sym.name)
            self.p("[")
            oldval = sym.curr_tri
            self.p("NMY"[oldval])
            if oldval != NO and sym.tristate_within_range(NO):
                self.p("/n")
            if oldval != MOD and sym.tristate_within_range(MOD):
                self.p("/m")
            if oldval != YES and sym.tristate_within_range(YES):
                self.p("/y")
            self.p("/?] ")
            if not self._askvalue(sym, sym.str_value()):
                return
            line = self.line.strip(" \t\n\r\f\v")
            c = line[:1]
            if c in ("n", "N"):
                if line[1:] not in ("", "o"):
                    continue
                newval = NO
            elif c in ("m", "M"):
                if line[1:]:
                    continue
                newval = MOD
            elif c in ("y", "Y"):
                if line[1:] not in ("", "es"):
                    continue
                newval = YES
            elif c == "":
                newval = oldval
            elif c == "?":
                self._help(menu)
                continue
            else:
                continue
            if sym.set_tristate_value(newval):
                return
            self._help(menu)

    def _conf_choice(self, menu):
        """conf_choice(): ask for the member; before 6.11 first for the choice's own value
        (y, m or n where it can change), and after the member for the entries under it."""
        kc = self.kc
        sym = menu.sym
        if kc.pre611:
            is_new = not sym.has_value()
            if sym.is_changeable():
                self._conf_sym(menu)
                sym.calc_value()
                if sym.curr_tri != YES:
                    return
            elif sym.curr_tri == NO:
                return
            elif sym.curr_tri == MOD:
                self.p("%*s%s\n" % (self.indent - 1, "", menu.prompt_text()))
                return
            child = self._ask_choice(menu, is_new)
            if child is None:
                return
            child.sym.set_tristate_value(YES)
            self.indent += 2
            sub = child.list
            while sub is not None:
                self.conf(sub)
                sub = sub.next
            self.indent -= 2
            return
        child = self._ask_choice(menu, None)
        if child is not None:
            kc.choice_set_value(menu, child.sym)

    def _ask_choice(self, menu, is_new):
        """The member list and question of conf_choice(); the menu node picked, or None where
        no member shows (the C tool asks again for ever).  ``is_new`` None: new when a member
        has no value (6.11 on), else whether the choice had none."""
        kc = self.kc
        pre611 = kc.pre611
        if is_new is None:
            is_new = False
            by_member = True
        else:
            by_member = False
        while True:
            self.p("%*s%s\n" % (self.indent - 1, "", menu.prompt_text()))
            def_sym = menu.sym.curr_val if pre611 else kc.calc_choice(menu)
            cnt = default = 0
            self.line = ""
            child = menu.list
            while child is not None:
                if kc.menu_is_visible(child):
                    if child.sym is None:
                        self.p("%*s %s\n" % (self.indent, "*", child.prompt_text()))
                    else:
                        cnt += 1
                        if child.sym is def_sym:
                            default = cnt
                            self.p("%*s" % (self.indent, ">"))
                        else:
                            self.p("%*s" % (self.indent, " "))
                        self.p(" %d. %s (%s)" % (cnt, child.prompt_text(), child.sym.name))
                        if not child.sym.has_value():
                            is_new = is_new or by_member
                            self.p(" (NEW)")
                        self.p("\n")
                child = child.next
            self.p("%*schoice" % (self.indent - 1, ""))
            members = cnt
            if cnt == 1:
                self.p("[1]: 1\n")
            else:
                self.p("[1-%d?]: " % cnt)
                if self.mode in ("oldconfig", "syncconfig") and not is_new:
                    cnt = default
                    self.p("%d\n" % cnt)
                elif self.mode in ("oldconfig", "syncconfig", "oldaskconfig"):
                    self.out.flush()
                    self.line = self._fgets(self.line).strip(" \t\n\r\f\v")
                    if self.line[:1] == "?":
                        self._help(menu)
                        continue
                    if not self.line:
                        cnt = default
                    elif self.line[0].isdigit():
                        cnt = _atoi(self.line)
                    else:
                        continue
            child = menu.list
            while child is not None:
                if child.sym is not None and kc.menu_is_visible(child):
                    cnt -= 1
                    if cnt == 0:
                        break
                child = child.next
            if child is None:
                if not members:
                    return None
                continue
            if self.line and self.line[-1] == "?":
                self._help(child)
                continue
            return child

    def conf(self, menu):
        kc = self.kc
        if not kc.menu_is_visible(menu):
            return
        sym = menu.sym
        prop = menu.prompt
        if prop is not None:
            if prop.type == P_MENU and self.mode != "oldaskconfig" and self.root_entry is not menu:
                self.check_conf(menu)
                return
            if prop.type in (P_MENU, P_COMMENT):
                text = menu.prompt_text()
                if text:
                    self.p("%*s\n%*s %s\n%*s\n" % (self.indent, "*", self.indent, "*", text,
                                                   self.indent, "*"))
        if sym is not None:
            if sym.name is None:
                self._conf_choice(menu)
                # (before 6.11 a choice at m has its members asked one by one)
                if not kc.pre611 or sym.curr_tri != MOD:
                    return
            elif sym.type in (S_INT, S_HEX, S_STRING):
                self._conf_string(menu)
            else:
                self._conf_sym(menu)
            self.indent += 2
        child = menu.list
        while child is not None:
            self.conf(child)
            child = child.next
        if sym is not None:
            self.indent -= 2

    def check_conf(self, menu):
        kc = self.kc
        if not kc.menu_is_visible(menu):
            return
        sym = menu.sym
        if kc.pre611:
            # a choice at y counts as new while it has no value (it is asked for a member)
            new = sym is not None and not sym.has_value() and (
                sym.is_changeable() or (sym.name is None and sym.curr_tri == YES))
        else:
            new = sym is not None and not sym.has_value() and sym.is_changeable() \
                and not sym.flags & (SYMBOL_TRANSITIONAL | SYMBOL_NO_WRITE)
        if new:
            if self.mode == "listnewconfig":
                if sym.name is not None:
                    self.p(_listconfig_line(sym))
            elif self.mode == "helpnewconfig":
                self.p("-----\n")
                self._help(menu)
                self.p("-----\n")
            else:
                if not self.conf_cnt:
                    self.p("*\n* Restart config...\n*\n")
                self.conf_cnt += 1
                self.root_entry = _parent_menu(kc, menu)
                self.conf(self.root_entry)
        child = menu.list
        while child is not None:
            self.check_conf(child)
            child = child.next

    # --- batch modes -----------------------------------------------------------------

    def set_all_new_symbols(self, mode):
        kc = self.kc
        pby, pty, ptm = 50, 33, 33
        if mode == "random":
            env = self.environ.get("KCONFIG_PROBABILITY")
            vals = []
            s = env or ""
            while s:
                num, rest = _strtol_prefix(s)
                if 0 <= num <= 100:
                    vals.append(num)
                else:
                    self.err.write("KCONFIG_PROBABILITY: Numerical result out of range\n")
                    raise Exit(1)
                s = rest[1:] if rest.startswith(":") else rest
                if len(vals) >= 3:
                    break
                if rest == s and not rest.startswith(":") and rest:
                    # strtol consumed nothing: C loops forever here; stop instead
                    break
            if len(vals) == 1:
                pby = vals[0]
                ptm = pby // 2
                pty = pby - ptm
            elif len(vals) == 2:
                pty, ptm = vals
                pby = pty + ptm
            elif len(vals) == 3:
                pby, pty, ptm = vals
            if pty + ptm > 100:
                self.err.write("KCONFIG_PROBABILITY: Numerical result out of range\n")
                raise Exit(1)
        if kc.pre611:
            # (randconfig goes on while a round changed anything: a choice can come to y
            # only once the random values of an earlier round made it visible)
            while self._set_all_new_symbols_611(mode, pby, pty, ptm) and mode == "random":
                pass
            return
        for menu in kc.rootmenu.walk():
            sym = menu.sym
            if (sym is None or menu.prompt is None or sym.has_value()
                    or (sym.type != S_BOOLEAN and sym.type != S_TRISTATE) or sym.in_choice):
                continue
            if sym.name is None:
                if mode == "random":
                    self._randomize_choice(menu)
                continue
            val = self._new_value(sym, mode, pby, pty, ptm)
            if val is None:
                continue
            sym.user_tri = val
            sym.flags |= SYMBOL_DEF_USER
        kc.clear_all_valid()

    def _new_value(self, sym, mode, pby, pty, ptm):
        """The value all*config gives a bool or tristate symbol (None: alldefconfig, none)."""
        if mode == "yes":
            return YES
        if mode == "mod":
            return MOD
        if mode == "no":
            return YES if sym.flags & SYMBOL_ALLNOCONFIG_Y else NO
        if mode != "random":
            return None
        cnt = self.rng.rand() % 100
        if sym.type == S_TRISTATE:
            if cnt < pty:
                return YES
            if cnt < pty + ptm:
                return MOD
            return NO
        return YES if cnt < pby else NO

    def _set_all_new_symbols_611(self, mode, pby, pty, ptm):
        """conf_set_all_new_symbols() before 6.11: every bool and tristate symbol without a
        value, in symbol-table order (the order of the random numbers), choices included;
        then a random member of each choice at y.  True if it changed anything."""
        kc = self.kc
        changed = False
        for sym in kc.all_symbols():
            if sym.flags & (SYMBOL_DEF_USER | SYMBOL_VALID):
                continue
            t = sym.get_type()
            if t != S_BOOLEAN and t != S_TRISTATE:
                continue
            changed = True
            val = self._new_value(sym, mode, pby, pty, ptm)
            if val is None:
                continue
            sym.user_tri = val
            if not (sym.name is None and mode == "random"):
                sym.flags |= SYMBOL_DEF_USER
        kc.clear_all_valid()
        if mode != "random":
            for s in kc.all_symbols():
                if (s.name is None and not s.flags & SYMBOL_DEF_USER) or s.flags & SYMBOL_CHOICEVAL:
                    s.flags |= SYMBOL_NEED_SET_CHOICE_VALUES
        for cs in kc.all_symbols():
            if cs.name is not None or cs.flags & SYMBOL_DEF_USER:
                continue
            cs.calc_value()
            if mode != "random":
                kc.set_all_choice_values(cs)
                changed = True
                continue
            if cs.curr_tri != YES:
                continue
            changed = True
            members = cs.menus[0].choice_members
            pick = self.rng.rand() % len(members)
            for i, s in enumerate(members):
                s.user_tri = YES if i == pick else NO
                if i == pick:
                    cs.user_val = s
                s.flags = (s.flags | SYMBOL_DEF_USER) & ~SYMBOL_VALID
            cs.flags = (cs.flags | SYMBOL_DEF_USER) & ~SYMBOL_VALID
        return changed

    def _randomize_choice(self, choice):
        members = [m.sym for m in choice.walk() if m.sym is not None]
        cnt = sum(1 for s in members if not s.has_value())
        while cnt > 0:
            x = self.rng.rand() % cnt
            for s in members:
                if not s.has_value():
                    x -= 1
                if x < 0:
                    s.user_tri = YES
                    s.flags |= SYMBOL_DEF_USER
                    lst = choice.choice_members
                    lst.remove(s)
                    lst.append(s)
                    break
            cnt -= 1

    def rewrite_tristates(self, old, new):
        kc = self.kc
        for s in kc.all_symbols():
            if s.get_type() == S_TRISTATE and s.user_tri == old:
                s.user_tri = new
        kc.clear_all_valid()


def _listconfig_line(sym):
    if sym.type == 0:
        return ""
    val = sym.str_value()
    if sym.type == S_STRING:
        val = confdata._escape(val)
    return "CONFIG_%s=%s\n" % (sym.name, val)


def _parent_menu(kc, menu):
    while menu is not kc.rootmenu:
        if menu.prompt is not None and menu.prompt.type == P_MENU:
            break
        menu = menu.parent
    return menu


def _atoi(s):
    n = 0
    for c in s:
        if not ("0" <= c <= "9"):
            break
        n = n * 10 + ord(c) - 48
    return n


def _strtol_prefix(s):
    i = 0
    while i < len(s) and s[i] in " \t\n\r\f\v":
        i += 1
    j = i
    if j < len(s) and s[j] in "+-":
        j += 1
    k = j
    while k < len(s) and "0" <= s[k] <= "9":
        k += 1
    if k == j:
        return 0, s
    return int(s[i:k]), s[k:]


def _parse_seed(text):
    """strtol(text, &end, 0) that must consume everything; None if it does not."""
    s = text.strip(" \t\n\r\f\v") if text[:1] in " \t\n\r\f\v" else text
    neg = False
    t = s
    if t[:1] in "+-":
        neg = t[0] == "-"
        t = t[1:]
    try:
        if t[:2].lower() == "0x":
            v = int(t[2:], 16)
        elif t[:1] == "0" and len(t) > 1:
            v = int(t[1:], 8)
        else:
            if not t.isdigit():
                return None
            v = int(t, 10)
    except ValueError:
        return None
    if neg:
        v = -v
    v = max(min(v, 0x7FFFFFFFFFFFFFFF), -0x8000000000000000)
    return v & 0xFFFFFFFF


def parse_args(argv, err):
    """getopt_long() as conf uses it: the (option, argument) pairs in order and the positional
    arguments; bad options are reported on ``err`` and ignored, as getopt does."""
    positional = []
    prog = argv[0]
    i = 1
    events = []
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--":
            positional.extend(argv[i:])
            break
        if a.startswith("--"):
            name, eq, val = a[2:].partition("=")
            matches = [o for o in _LONG if o.startswith(name)]
            if name in _LONG:
                matches = [name]
            if len(matches) != 1:
                if not matches:
                    err.write("%s: unrecognized option '%s'\n" % (prog, a))
                else:
                    err.write("%s: option '%s' is ambiguous\n" % (prog, a))
                continue
            opt = matches[0]
            if opt in _ARG_MODES:
                if not eq:
                    if i >= len(argv):
                        err.write("%s: option '--%s' requires an argument\n" % (prog, opt))
                        continue
                    val = argv[i]
                    i += 1
            elif eq:
                err.write("%s: option '--%s' doesn't allow an argument\n" % (prog, opt))
                continue
            events.append((opt, val))
        elif a.startswith("-") and len(a) > 1:
            for c in a[1:]:
                if c == "h":
                    events.append(("help", None))
                elif c == "s":
                    events.append(("silent", None))
                else:
                    err.write("%s: invalid option -- '%s'\n" % (prog, c))
        else:
            positional.append(a)
    return events, positional


def main(argv=None, environ=None, stdin=None, stdout=None, stderr=None):
    """Entry point of ``kbuild-conf``."""
    argv = list(sys.argv if argv is None else argv)
    environ = os.environ if environ is None else environ
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    loaded = []     # the tree, once _main() has it (for the error of a too deep expression)
    try:
        return _main(argv, environ, stdin, stdout, stderr, loaded)
    except Exit as e:
        return e.status
    except KconfigError as e:
        msg = str(e)
        if msg:
            stderr.write(msg + "\n")
        return e.status
    except KeyboardInterrupt:
        stderr.write("\nInterrupted.\n")
        return 130
    except BrokenPipeError:
        return 1
    except OSError as e:
        stderr.write("%s: %s\n" % (e.filename or argv[0], e.strerror))
        return 1
    except RecursionError:
        if loaded:
            from .kconfig import too_deep
            stderr.write("%s\n" % too_deep(loaded[0]))
        else:
            stderr.write("%s: expressions nested too deeply\n" % argv[0])
        return 1
    except Exception as e:  # never a traceback for users; KBUILD_DEBUG=1 shows it
        if environ.get("KBUILD_DEBUG"):
            raise
        stderr.write("%s: internal error: %s: %s (set KBUILD_DEBUG=1 for details)\n"
                     % (argv[0], type(e).__name__, e))
        return 1
    finally:
        try:
            stdout.flush()
        except (OSError, ValueError):
            pass


# modes that never show a help text: the tree is loaded without them
_NO_HELP_MODES = frozenset(("olddefconfig", "defconfig", "savedefconfig", "allnoconfig", "allyesconfig",
                            "allmodconfig", "alldefconfig", "randconfig", "listnewconfig",
                            "yes2modconfig", "mod2yesconfig", "mod2noconfig"))


def _main(argv, environ, stdin, stdout, stderr, loaded):
    import gc
    gc.disable()   # a short-lived batch run that builds no garbage cycles worth collecting
    prog = argv[0]
    events, positional = parse_args(argv, stderr)
    mode = "oldaskconfig"
    arg = None
    silent = False
    sync = False
    rng = None
    for opt, val in events:
        if opt == "help":
            stdout.write(USAGE % prog)
            raise Exit(1)
        if opt == "silent":
            silent = True
            continue
        mode = opt
        if mode == "syncconfig":
            silent = True
            sync = True
        elif mode in _ARG_MODES:
            arg = val
        elif mode == "randconfig":
            seed = None
            env = environ.get("KCONFIG_SEED")
            if env:
                seed = _parse_seed(env)
            if seed is None:
                t = time.time()
                sec = int(t)
                usec = int((t - sec) * 1e6)
                seed = ((sec + 1) * (usec + 1)) & 0xFFFFFFFF
            stdout.write("KCONFIG_SEED=0x%X\n" % seed)
            rng = GlibcRandom(seed)
    if not positional:
        stderr.write("%s: Kconfig file missing\n" % prog)
        stdout.write(USAGE % prog)
        raise Exit(1)
    c = Conf(mode, silent, environ, stdin, stdout, stderr)
    c.rng = rng
    kc = load(positional[0], environ=environ, stdout=stdout.write, stderr=stderr.write,
              help=mode not in _NO_HELP_MODES)
    c.kc = kc
    loaded.append(kc)
    if silent:
        kc.message_callback = None
    if mode == "defconfig":
        if not confdata.read(kc, arg):
            stderr.write('***\n*** Can\'t find default configuration "%s"!\n***\n' % arg)
            raise Exit(1)
    elif mode in ("savedefconfig", "syncconfig", "oldaskconfig", "oldconfig", "listnewconfig",
                  "helpnewconfig", "olddefconfig", "yes2modconfig", "mod2yesconfig", "mod2noconfig"):
        confdata.read(kc, None)
    elif mode in ("allnoconfig", "allyesconfig", "allmodconfig", "alldefconfig", "randconfig"):
        name = environ.get("KCONFIG_ALLCONFIG")
        if name is not None:
            if name not in ("", "1"):
                if not confdata.read_simple(kc, name):
                    stderr.write('*** Can\'t read seed configuration "%s"!\n' % name)
                    raise Exit(1)
            else:
                name = {"allnoconfig": "allno.config", "allyesconfig": "allyes.config",
                        "allmodconfig": "allmod.config", "alldefconfig": "alldef.config",
                        "randconfig": "allrandom.config"}[mode]
                if not confdata.read_simple(kc, name) and not confdata.read_simple(kc, "all.config"):
                    stderr.write('*** KCONFIG_ALLCONFIG set, but no "%s" or "all.config" file found\n' % name)
                    raise Exit(1)
    if kc.conf_warnings and environ.get("KCONFIG_WERROR"):
        raise Exit(1)
    no_conf_write = False
    if sync:
        v = environ.get("KCONFIG_NOSILENTUPDATE")
        if v:
            if kc.changed:
                stderr.write("\n*** The configuration requires explicit update.\n\n")
                return 1
            no_conf_write = True
    if mode == "allnoconfig":
        c.set_all_new_symbols("no")
    elif mode == "allyesconfig":
        c.set_all_new_symbols("yes")
    elif mode == "allmodconfig":
        c.set_all_new_symbols("mod")
    elif mode in ("alldefconfig", "defconfig"):
        c.set_all_new_symbols("default")
    elif mode == "randconfig":
        c.set_all_new_symbols("random")
    elif mode == "yes2modconfig":
        c.rewrite_tristates(YES, MOD)
    elif mode == "mod2yesconfig":
        c.rewrite_tristates(MOD, YES)
    elif mode == "mod2noconfig":
        c.rewrite_tristates(MOD, NO)
    elif mode in ("oldaskconfig", "oldconfig", "listnewconfig", "helpnewconfig", "syncconfig"):
        if mode == "oldaskconfig":
            c.root_entry = kc.rootmenu
            c.conf(kc.rootmenu)
            c.mode = "oldconfig"
        while True:
            c.conf_cnt = 0
            c.check_conf(kc.rootmenu)
            if not c.conf_cnt:
                break
    if kc.sym_warnings and environ.get("KCONFIG_WERROR"):
        raise Exit(1)
    if mode == "savedefconfig":
        if confdata.write_defconfig(kc, arg):
            stderr.write("n*** Error while saving defconfig to: %s\n\n" % arg)
            return 1
    elif mode not in ("listnewconfig", "helpnewconfig"):
        if not no_conf_write and confdata.write(kc):
            stderr.write("\n*** Error during writing of the configuration.\n\n")
            raise Exit(1)
        if confdata.write_autoconf(kc, sync) and sync:
            stderr.write("\n*** Error during sync of the configuration.\n\n")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
