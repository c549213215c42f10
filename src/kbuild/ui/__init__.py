"""Terminal front ends: ``kbuild menuconfig`` / ``kbuild nconfig`` (one program, on Textual).

Layout:

- ``model.py``   what mconf shows and does, without a terminal: build_entries() is mconf's
                 build_conf() (entries, markers, indentation of implicit submenus), the keys'
                 effects, help (ext_help + value origin + `why`), search, hidden reasons, undo.
- ``widgets.py`` MenuList: one line per entry, only the rows on screen are rendered.
- ``screens.py`` menu, choice, help, search and the small dialogs.
- ``app.py``     the App (files, the exit question, loading in a thread) and the entry points.
- ``menuconfig.tcss`` the styles.

Why Textual: it is maintained, pure Python (installs from PyPI with no C build, unlike curses
bindings on some systems), runs over ssh in any terminal, honours NO_COLOR, has mouse and resize
support, and its headless pilot drives the app in tests without a terminal
(``async with app.run_test() as pilot``), so the menus and keys are tested like the engine.
"""

import os as _os

# A bare Esc is told from the start of an escape sequence by waiting this long (ms) for more
# bytes; Textual waits 100 ms by default, which every Esc (back, close) would cost.  Sequences
# arrive whole even over ssh; a user's own ESCDELAY wins.
_os.environ.setdefault("ESCDELAY", "25")


def _prompt_escape():
    """Textual's input thread looks at a lone Esc only when its select() times out, after
    100 ms, whatever ESCDELAY says; its selector here wakes at the escape delay instead (an
    idle wake-up every 25 ms costs nothing measurable)."""
    import selectors
    import types
    try:
        from textual.drivers import linux_driver
    except ImportError:
        return
    base = getattr(getattr(linux_driver, "selectors", None), "SelectSelector", None)
    if base is None:
        return
    try:
        limit = max(1, int(_os.environ.get("ESCDELAY", "25"))) / 1000.0
    except ValueError:
        limit = 0.025

    class _Selector(base):
        def select(self, timeout=None):
            if timeout is None or timeout > limit:
                timeout = limit
            return super().select(timeout)

    shim = types.ModuleType("selectors")
    shim.__dict__.update(selectors.__dict__)
    shim.SelectSelector = _Selector
    linux_driver.selectors = shim

