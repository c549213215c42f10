"""The Kconfig engine: parse a Kconfig tree, evaluate symbols, read and write configurations.

Typical use::

    from kbuild.kconfig import load
    kc = load("Kconfig", environ={"srctree": ".", "ARCH": "x86", ...})
    confdata.read(kc)                 # .config (or KCONFIG_DEFCONFIG_LIST)
    kc.find("SMP").value()            # 'y'
    confdata.write(kc)

The engine prints nothing: text the C tools print goes to the ``stdout``/``stderr`` callables
given to :func:`load`.  Fatal input errors raise :class:`KconfigError`.
"""

from __future__ import annotations

import os as _os
import sys

from .model import Kconfig, KconfigError
from .symbol import Menu, Property, Symbol

__all__ = ["Kconfig", "KconfigError", "Menu", "Property", "Symbol", "load"]


def load(filename, environ=None, stdout=None, stderr=None, shell_cache=None, help=True):
    """Parse the Kconfig tree rooted at ``filename`` and finalize its menu tree (conf_parse()).

    ``help=False`` keeps no help texts (``Menu.help`` is then "" where an entry has one): for
    batch runs that never show them, a tenth of the tree's memory."""
    import gc
    # The parse allocates millions of small tuples and no cycles: the cyclic collector would
    # only rescan them again and again.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(filename, environ, stdout, stderr, shell_cache, help)
    finally:
        # what the parse built lives as long as the tree: keep it out of later collections
        gc.freeze()
        if gc_was_enabled:
            gc.enable()


def _load(filename, environ, stdout, stderr, shell_cache, help=True):
    from .menu import finalize
    from .parser import Parser
    from .preprocess import MacroError
    from .symbol import P_MENU

    kc = Kconfig(stdout=stdout, stderr=stderr, environ=environ)
    kc.help_loaded = help
    parser = Parser(kc, shell_cache, keep_help=help)
    # a macro expanding itself through a function's arguments nests ~5 Python calls a level
    # until the preprocessor's own limit (1000 levels, "Too deep recursive expansion")
    if sys.getrecursionlimit() < 20000:
        sys.setrecursionlimit(20000)
    runner = None
    if kc.environ.get("KBUILD_PREFETCH", "1") != "0":
        from .lookahead import prefetch
        from .preprocess import ShellRunner
        runner = ShellRunner(max(2, 2 * (_os.cpu_count() or 1)), kc.environ)
        # The probe threads need the GIL briefly to start and collect each command; with the
        # default 5 ms switch interval the parser would make them queue behind it.
        switch = sys.getswitchinterval()
        sys.setswitchinterval(0.0002)
        prefetch(filename, kc.environ, runner, parser.texts, _reader())
        parser.pp.runner = runner
    try:
        parser.parse(filename)
    except MacroError as e:
        raise KconfigError(str(e), *parser.lexer.where())
    except RecursionError:
        # an expression nested deeper than the recursive descent goes (bison's stack ends
        # at 10,000 states in C, with these words)
        raise KconfigError("memory exhausted", parser._file(), parser.lineno) from None
    finally:
        if runner is not None:
            runner.close()
            sys.setswitchinterval(switch)
    parser.finish()
    kc.env_used = list(parser.pp.env_used.items())
    kc.env_deps = dict(parser.pp.env_seen, srctree=kc.environ.get("srctree"))
    if parser.errors:
        raise KconfigError("", status=1) from None
    if kc.modules_sym is None:
        kc.modules_sym = kc.n
    if kc.rootmenu.prompt is None:
        parser.current_entry = kc.rootmenu
        parser.menu_add_prompt(P_MENU, "Main menu", None)
    # The parser and its preprocessor refer to each other, and the cyclic collector is off
    # (and what is left is frozen, below): cut the cycle so that the parser, the lexer's
    # token cache and the file texts go now.
    parser.pp.where = None
    parser.texts = parser.lexer = None
    del parser
    try:
        errors = finalize(kc)
    except RecursionError:
        raise too_deep(kc) from None
    if errors:
        raise KconfigError("", status=1)
    kc.changed = True
    return kc


def too_deep(kc):
    """The error for an expression too deeply nested for the engine, at its file:line."""
    where = kc.deepest_expr()
    if where is None:
        return KconfigError("expressions nested too deeply")
    return KconfigError("expression nested too deeply (%d levels)" % where[2], where[0], where[1])


def _reader():
    """read(path) -> text or None, for the look-ahead.  Relative names are tried in the
    current (build) directory first, as the C tool does, and most are not there: a name whose
    first component is not in that directory is not tried at all (a system call saved for
    each of ~1,600 files), the others are asked with access() (no exception's cost)."""
    from .parser import read_text
    try:
        here = set(_os.listdir("."))
    except OSError:
        here = None

    def read(path):
        if path[:1] != "/":
            first = path.split("/", 1)[0]
            if here is not None and first not in here and first != "." and first != "..":
                return None
            if not _os.access(path, _os.R_OK):
                return None
        try:
            return read_text(path)
        except OSError:
            return None
    return read
