"""The kbuild build system for any project: Kbuild files -> build.ninja -> ninja.

``kbuild build`` (or ``python -m kbuild.build``) builds a project that has a
Kconfig tree and Kbuild files like the kernel's, outside Linux:

1. syncconfig when ``.config`` (or a Kconfig file) is newer than
   ``include/config/auto.conf`` (kbuild-conf, which touches only the stamps
   ``include/config/<SYMBOL>`` of the options whose value changed);
2. :mod:`~kbuild.build.graph` evaluates every Kbuild file with the make engine
   (:mod:`kbuild.make`) against auto.conf and gives the objects, the
   ``built-in.a``/``lib.a`` archives, the modules, the rules and the image;
   :mod:`~kbuild.build.check` refuses ``CONFIG_`` names no Kconfig file defines;
3. :mod:`~kbuild.build.ninja` writes ``build.ninja`` (compiles with gcc depfiles
   that fixdep completes with the ``include/config/<SYMBOL>`` stamps the sources
   and headers mention: :mod:`~kbuild.build.fixdep`, and its C twin
   :mod:`~kbuild.build.fixdep_c` that the build compiles first);
4. ninja runs, with the kernel's quiet lines.

Files in the build directory: ``build.ninja``; ``.kbuild/build.json`` (what
build.ninja was made from: directories, variables, the Kbuild files); ``.kbuild/
fixdep``; ``modules.order`` (the modules' ``.o`` names, one a line, kbuild's
order; each module is ``<name>.so``); ``compile_commands.json`` (the compiler
commands, for editors and clangd).

Everything here may import both :mod:`kbuild.make` and :mod:`kbuild.kconfig`;
they never import each other.  Problems in the input are :class:`BuildError`
with ``file:line``.  Nothing heavy is imported until used, so that a no-op build
starts fast.
"""

from .errors import BuildError

__all__ = ["BuildError", "Command", "Directory", "Hostprog", "Module", "Object", "Project",
           "load_project"]


def __getattr__(name):
    if name in __all__[1:]:
        from . import graph
        return getattr(graph, name)
    raise AttributeError(name)
