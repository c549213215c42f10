"""A GNU make subset for reading the kernel's Kbuild files and makefiles.

The engine evaluates makefiles against a mapping of variables: it records
variables and rules, runs no recipe, prints nothing, and reports every
problem as :class:`MakeError` (with file and line).

>>> from kbuild.make import Make
>>> mk = Make({"CONFIG_A": "y"})
>>> mk.eval_text("obj-$(CONFIG_A) += a.o\\n")
>>> mk.value("obj-y")
'a.o'

Modules: ``parser`` (logical lines, directives, a cached statement tree),
``expand`` (make text compiled to templates), ``functions`` (the builtin
functions), ``evaluator`` (:class:`Make`: variables, conditionals, includes,
rules recorded), ``shellcache`` (``$(shell)`` results remembered safely) and
``kbuild`` (what the kernel's Makefile.build builds in each directory) and
``which`` (the Kbuild lines and symbol conditions that build a source file).
"""

from .errors import MakeError
from .evaluator import Make, Rule, TargetVariable, Var
from .parser import parse, parse_file
from .shellcache import ShellCache

__all__ = ["Make", "MakeError", "Rule", "ShellCache", "TargetVariable", "Var", "parse",
           "parse_file"]
