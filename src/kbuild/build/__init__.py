"""The kbuild build system for any project: Kbuild files -> build.ninja -> ninja.

``graph`` (what the Kbuild files ask for, evaluated by :mod:`kbuild.make`
against include/config/auto.conf), ``ninja`` (build.ninja), ``fixdep`` (the
CONFIG_ dependencies of each object) and ``driver`` (``kbuild build``).
Nothing heavy is imported until used, so that a no-op build starts fast.
"""

from .errors import BuildError

__all__ = ["BuildError", "Directory", "Module", "Object", "Project", "load_project"]


def __getattr__(name):
    if name in ("Directory", "Module", "Object", "Project", "load_project"):
        from . import graph
        return getattr(graph, name)
    raise AttributeError(name)
