"""``kbuild menuconfig``: mconf's menus, keys and files on Textual.

The app works on an engine :class:`~kbuild.kconfig.Kconfig` that has read its configuration;
saving goes through ``kc.write_config()`` (byte-identical to kbuild-conf, atomic, .config.old
kept).  :func:`run` is the front end: it runs the app and prints what mconf prints at the end.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from . import _prompt_escape, model
from .screens import HelpScreen, InputScreen, MenuScreen, MessageScreen, YesNoScreen

SAVE_TEXT = "Enter a filename to which this configuration should be saved as an alternate.  " \
            "Leave blank to abort."
LOAD_TEXT = "Enter the name of the configuration file you wish to load.  Accept the name shown " \
            "to restore the configuration you last retrieved.  Leave blank to abort."


_prompt_escape()


class MenuconfigApp(App):
    """menuconfig on a loaded Kconfig.  ``config`` is the file to save (KCONFIG_CONFIG), relative
    names being taken in ``directory`` (the build directory)."""

    CSS_PATH = "menuconfig.tcss"
    TITLE = "kbuild menuconfig"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+c", "interrupt", show=False, priority=True)]

    ESC_WINDOW = 0.5    # seconds: a second Esc within it is the "Esc Esc" of mconf, one step

    def esc_merged(self):
        """True for the second Esc of a quick pair."""
        import time
        now = time.monotonic()
        merged = now - self._last_esc < self.esc_window
        self._last_esc = 0.0 if merged else now
        return merged

    def __init__(self, kc, config=".config", directory=".", loader=None):
        """``kc``: a loaded Kconfig, or None with ``loader``, a function that returns one: it
        runs in a thread while the terminal is set up and a loading screen is shown."""
        super().__init__()
        self.kc = None
        self.loader = loader
        self.load_error = None
        self.directory = Path(directory)
        self.config_name = str(config)
        self.show_all = False
        self.before = {}
        self.messages = []          # what mconf prints after the dialogs are gone
        self.saved = None           # the file written when leaving, if any
        self.status = 0
        self.end_text = ""
        self.esc_window = self.ESC_WINDOW
        self._last_esc = 0.0
        if kc is not None:
            self._take(kc)

    def _take(self, kc):
        self.kc = kc
        # a key press recomputes only what the changed value feeds (see Kconfig.values_changed)
        kc.incremental = True
        self.undo = model.Undo(kc)
        self.before = model.snapshot(kc)
        kc.message_callback = self._conf_message

    # --- screens: closing one costs only the repaint of the one below -----------------------
    # Textual unmounts a popped screen before it repaints the one below, ~60-100 ms for a menu
    # or help screen; an installed screen is kept instead.  Every screen pushed here is installed
    # and, once popped, unmounted a moment later, when the user is reading the screen below.

    def push_screen(self, screen, *args, **kwargs):
        from textual.screen import Screen
        if isinstance(screen, Screen) and not self.is_screen_installed(screen):
            self._pushed_count = getattr(self, "_pushed_count", 0) + 1
            self.install_screen(screen, "kbuild-screen-%d" % self._pushed_count)
        return super().push_screen(screen, *args, **kwargs)

    def pop_screen(self):
        top = self.screen
        result = super().pop_screen()
        self.set_timer(0.3, lambda: self._forget_screen(top))
        return result

    def _forget_screen(self, screen):
        if any(screen in stack for stack in self._screen_stacks.values()):
            return
        if self.uninstall_screen(screen) is not None:
            screen.remove()

    # --- helpers the screens use ----------------------------------------------------------
    def _conf_message(self, text):
        if self.is_running:
            self.notify(text, timeout=4)
        self.messages.append(text)

    def path(self, name):
        p = Path(name)
        return p if p.is_absolute() else self.directory / p

    def backtitle(self):
        return "%s - %s" % (self.config_name, self.kc.mainmenu_text())

    def trail(self, screen):
        parts = []
        for s in self.screen_stack:
            menu = getattr(s, "menu", None) or getattr(s, "choice", None)
            if menu is not None and menu is not self.kc.rootmenu:
                parts.append(menu.prompt_text())
            if s is screen:
                break
        if getattr(screen, "menu", None) is None and getattr(screen, "choice", None) is not None \
                and screen.choice.prompt_text() not in parts:
            parts.append(screen.choice.prompt_text())
        return " > ".join(parts)

    def is_changed(self, sym):
        old = self.before.get(sym)
        return old is not None and old != sym.str_value()

    def show_help(self, menu):
        text, jumps = model.help_text(self.kc, menu)
        self.push_screen(HelpScreen(menu.prompt_text() or "Help", text, jumps))

    def jump_to(self, menu):
        """Show the menu that holds ``menu`` with it highlighted (hidden entries are shown if
        it is hidden); Esc comes back here."""
        target = model.jump_target(self.kc, menu)
        if model.location_hidden_reason(self.kc, target):
            self.show_all = True
        self.push_screen(MenuScreen(model.display_menu(self.kc, target), target))

    def show_changes(self):
        changes = model.changed_symbols(self.kc, self.before)
        if not changes:
            text = "No changes since the configuration was loaded.\n"
        else:
            text = "".join("  %s %s -> %s\n" % (s.name, old, new) for s, old, new in
                           sorted(changes, key=lambda c: c[0].name))
            text = "%d value(s) changed since the configuration was loaded:\n\n%s" % (
                len(changes), text)
        self.push_screen(HelpScreen("Changes", text))

    # --- files ---------------------------------------------------------------------------
    def write(self, name):
        """Write the configuration to ``name`` through the engine; True on success."""
        # in the build directory, as mconf runs, so that the message names the file as given
        cwd = os.getcwd()
        os.chdir(self.directory)
        try:
            return self.kc.write_config(str(name)) == 0
        finally:
            os.chdir(cwd)

    def save_alternate(self):
        def done(name):
            if not name:
                return
            if self.write(name):
                self.config_name = name
                self._retitle()
            else:
                self.push_screen(MessageScreen("Can't create file!"))
        self.push_screen(InputScreen("Save", SAVE_TEXT, self.config_name), done)

    def load_alternate(self):
        def done(name):
            if not name:
                return
            if os.path.isfile(self.path(name)) and self.kc.read_config(str(self.path(name))):
                self.config_name = name
                self.kc.changed = True
                self._retitle()
                self.screen.refill() if hasattr(self.screen, "refill") else None
            else:
                self.push_screen(MessageScreen("File does not exist!"))
        self.push_screen(InputScreen("Load", LOAD_TEXT, self.config_name), done)

    def _retitle(self):
        from textual.widgets import Static
        for s in self.screen_stack:
            for w in s.query("#backtitle"):
                if isinstance(w, Static):
                    w.update(self.backtitle())

    # --- leaving ---------------------------------------------------------------------------
    def action_interrupt(self):
        """Ctrl-C: as mconf's SIGINT handler, the exit question (or leave at once while
        loading)."""
        if self.kc is None:
            self.exit(1, return_code=1)
        elif not isinstance(self.screen, YesNoScreen):
            self.request_exit()

    def request_exit(self):
        """handle_exit(): ask to save when something changed."""
        if not self.kc.changed:
            self.finish(None)
            return

        def answer(a):
            if a == "yes":
                self.finish(True)
            elif a == "no":
                self.finish(False)
            # "esc": back to the configuration
        self.push_screen(YesNoScreen(model.SAVE_QUESTION + self.pending_summary()), answer)

    def pending_summary(self, limit=8):
        """The values that differ from the loaded configuration, for the save question."""
        changes = sorted(model.changed_symbols(self.kc, self.before), key=lambda c: c[0].name)
        if not changes:
            return ""
        lines = ["", "", "%d value%s changed since loading:" % (
            len(changes), "" if len(changes) == 1 else "s")]
        lines += ["  %s: %s -> %s" % (s.name, old or '""', new or '""')
                  for s, old, new in changes[:limit]]
        if len(changes) > limit:
            lines.append("  ... and %d more (D in the menu lists them all)" % (len(changes) - limit))
        return "\n".join(lines)

    def finish(self, save):
        if save:
            if not self.write(self.config_name):
                self.messages.append("\n\nError while writing of the configuration.\n"
                                     "Your configuration changes were NOT saved.\n\n")
                self.status = 1
                self.exit(1, return_code=1)
                return
            self.saved = self.path(self.config_name)
            # as mconf: conf_write_autoconf(0), which writes include/config/auto.conf and
            # the headers only when there is none yet (make's syncconfig keeps them current)
            cwd = os.getcwd()
            os.chdir(self.directory)
            try:
                self.kc.write_autoconf(False)
            finally:
                os.chdir(cwd)
        self.status = 0
        self.end_text = ("\n\n*** End of the configuration.\n"
                         "*** Execute 'make' to start the build or try 'make help'.\n\n"
                         if save is not False else
                         "\n\nYour configuration changes were NOT saved.\n\n")
        self.exit(0)

    def on_mount(self):
        if self.kc is not None:
            self.push_screen(MenuScreen(self.kc.rootmenu))
            return
        from .screens import LoadingScreen
        self.push_screen(LoadingScreen())
        self.run_worker(self._load, thread=True, exit_on_error=False)

    def _load(self):
        try:
            kc = self.loader()
        except Exception as e:          # reported after the terminal is restored
            self.call_from_thread(self._load_failed, e)
            return
        self.call_from_thread(self._loaded, kc)

    def _loaded(self, kc):
        self._take(kc)
        loading = self.screen
        self.switch_screen(MenuScreen(kc.rootmenu))
        self.set_timer(0.3, lambda: self._forget_screen(loading))
        # the index of who reads which symbol, for the first key press, while the user reads
        self.run_worker(kc.readers, thread=True, exit_on_error=False)

    def _load_failed(self, error):
        self.load_error = error
        self.status = 1
        self.exit(1, return_code=1)


def run(kc, config=".config", directory=".", out=None, err=None, silent=False, loader=None):
    """Run menuconfig in the terminal; prints mconf's closing lines.  Returns the exit status.
    With ``loader`` instead of ``kc``, the tree is loaded while the first screen is drawn; its
    exceptions are raised after the terminal is restored."""
    import sys
    out = out or sys.stdout
    err = err or sys.stderr
    app = MenuconfigApp(kc, config, directory, loader=loader)
    app.run()
    if app.load_error is not None:
        raise app.load_error
    if not silent:
        for m in app.messages:
            if app.saved is not None and m.startswith("configuration written"):
                out.write("#\n# %s\n#\n" % m)
        if app.end_text.startswith("\n\nYour"):
            err.write(app.end_text)
        else:
            out.write(app.end_text)
    return app.status


def run_project(project, silent=False, out=None, err=None):
    """`kbuild menuconfig` for a :class:`kbuild.cli.Project`: parse the tree and read .config (as
    mconf's conf_read(NULL)) while the terminal is set up, run the app in the build directory;
    the exit status.  Errors of the Kconfig files are raised as the project raises them."""
    import sys
    out = out or sys.stdout
    err = err or sys.stderr
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        err.write("kbuild menuconfig: needs a terminal (standard input and output)\n")
        return 1
    warnings = []
    try:
        status = run(None, project.environ.get("KCONFIG_CONFIG", ".config"), project.objtree,
                     out, err, silent, loader=lambda: project.load(warnings=warnings))
    except BaseException:
        for w in warnings:          # the Kconfig errors, before the one-line summary
            err.write(w)
        raise
    if not silent:
        for w in warnings:
            err.write(w)
    return status


def main(argv=None, environ=None):
    """``python -m kbuild.ui [-C DIR] [O=DIR] [VAR=value ...] [menuconfig|nconfig]``."""
    import sys
    from ..cli import Project, UsageError, UserError, parse_command_line
    argv = list(sys.argv[1:] if argv is None else argv)
    env = dict(os.environ if environ is None else environ)
    try:
        srcdir, variables, silent, words = parse_command_line(argv)
        if any(w not in ("menuconfig", "nconfig") for w in words):
            raise UsageError("usage: python -m kbuild.ui [-C DIR] [O=DIR] [VAR=value ...] "
                             "[menuconfig]")
        objdir = variables.pop("O", None) or env.get("KBUILD_OUTPUT") or None
        base = Path(srcdir) if srcdir else Path.cwd()
        if objdir is not None and not Path(objdir).is_absolute():
            objdir = base / objdir
        project = Project(base, objdir, variables, env)
        return run_project(project, silent)
    except UsageError as e:
        sys.stderr.write("kbuild: %s\n" % e)
        return 2
    except UserError as e:
        sys.stderr.write("kbuild: %s\n" % e)
        return 1
