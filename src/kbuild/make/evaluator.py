"""The evaluator: runs parsed makefiles against a set of variables.

>>> mk = Make(variables={"CONFIG_FOO": "y"})
>>> mk.eval_text("obj-$(CONFIG_FOO) += foo.o\\n")
>>> mk.value("obj-y")
'foo.o'

Nothing is printed: ``$(info)`` and ``$(warning)`` messages are appended to
:attr:`Make.messages` (and passed to ``on_message`` if given); ``$(error)``
and every other problem raise :class:`~kbuild.make.errors.MakeError` with the
file and line.  Rules are recorded in :attr:`Make.rules`, never run.
"""

from __future__ import annotations

import os
import subprocess
from typing import Callable, Iterable, Mapping

from . import parser as _p
from .errors import MakeError
from .expand import FUNC, VAR, compile_text
from .parser import ASSIGN, COND, RULE

# Origins, in increasing strength (a definition never replaces a stronger one).
ORIGIN_RANK = {
    "default": 0,
    "environment": 1,
    "file": 2,
    "environment override": 3,
    "command line": 4,
    "override": 5,
    "automatic": 6,
}


FEATURES = ("target-specific order-only second-expansion else-if shortest-stem undefine "
            "oneshell nocomment grouped-target extra-prereqs archives jobserver output-sync "
            "check-symlink load")

# A few of make's built-in variables (``make -R`` leaves them out).
BUILTIN_VARIABLES = {
    "AR": "ar", "ARFLAGS": "rv", "AS": "as", "CC": "cc", "CXX": "g++",
    "CPP": "$(CC) -E", "LD": "ld", "LEX": "lex", "YACC": "yacc", "RM": "rm -f",
    "OUTPUT_OPTION": "-o $@", "MAKEINFO": "makeinfo", "TEX": "tex", "PC": "pc",
    "FC": "f77", "F77": "$(FC)", "M2C": "m2c", "CO": "co", "GET": "get",
}


class Var:
    """One variable: its value (unexpanded if recursive), flavour and origin.

    Immutable once stored (an assignment stores a new object), so that
    :meth:`Make.fork` copies, even in other threads, can share them.
    """

    __slots__ = ("value", "recursive", "origin", "exported", "file", "line")

    def __init__(self, value: str, recursive: bool, origin: str = "file", exported=None,
                 file: str | None = None, line: int | None = None):
        self.value = value
        self.recursive = recursive
        self.origin = origin
        self.exported = exported  # None: default (environment variables), True, False
        self.file = file  # where it was defined (recursive variables)
        self.line = line

    def copy(self) -> "Var":
        return Var(self.value, self.recursive, self.origin, self.exported)

    def __repr__(self) -> str:
        return f"Var({self.value!r}, {'recursive' if self.recursive else 'simple'}, {self.origin!r})"


class Rule:
    """A rule as read: targets, prerequisites and recipe lines (unexpanded)."""

    __slots__ = ("targets", "prerequisites", "order_only", "recipe", "double_colon",
                 "target_pattern", "file", "line")

    def __init__(self, targets, prerequisites, order_only, recipe, double_colon,
                 target_pattern, file, line):
        self.targets = targets
        self.prerequisites = prerequisites
        self.order_only = order_only
        self.recipe = recipe
        self.double_colon = double_colon
        self.target_pattern = target_pattern
        self.file = file
        self.line = line

    def __repr__(self) -> str:
        return f"Rule({self.targets!r}, {self.prerequisites!r}, {self.order_only!r})"


class AssignmentTrace:
    """Where an assignment happened (see :attr:`Make.trace`).

    ``name`` is the expanded variable name, ``raw_name`` and ``raw_value`` the
    text as written, ``words`` the value's words as expanded at that point;
    ``conditions`` the enclosing conditionals, outermost first, each
    ``(kind, a, b, holds, file, line)``: the test as written (``b`` is None for
    ifdef/ifndef) and whether it must hold for this branch (an ``else`` branch
    shows as the tests before it, not holding).  Assignments in branches that
    were not taken are reported too (nothing else of them runs), so the
    conditions describe when the line would run, not whether it ran.
    """

    __slots__ = ("name", "raw_name", "op", "raw_value", "words", "file", "line", "conditions")

    def __init__(self, name, raw_name, op, raw_value, words, file, line, conditions):
        self.name, self.raw_name, self.op, self.raw_value = name, raw_name, op, raw_value
        self.words, self.file, self.line, self.conditions = words, file, line, conditions

    def __repr__(self) -> str:
        return f"AssignmentTrace({self.file}:{self.line}: {self.raw_name} {self.op} {self.raw_value})"


class TargetVariable:
    """A target-specific assignment (``foo.o: CFLAGS += -O2``), recorded only."""

    __slots__ = ("targets", "name", "op", "value", "file", "line")

    def __init__(self, targets, name, op, value, file, line):
        self.targets, self.name, self.op, self.value = targets, name, op, value
        self.file, self.line = file, line


def fold_shell_output(out: str, keep_one: bool) -> str:
    """Newlines to spaces, trailing newlines dropped (``!=`` keeps one as a space)."""
    if "\r\n" in out:
        out = out.replace("\r\n", "\n")
    stripped = out.rstrip("\n")
    if keep_one and len(out) - len(stripped) > 1:
        stripped += "\n"
    return stripped.replace("\n", " ")


class Make:
    """A GNU make reading session (the subset the kernel's makefiles use).

    ``variables``: file-origin variables defined first (a configuration, ``obj``...),
    simple flavour.  ``command_line``: command-line variables (a makefile's
    assignments to them are ignored unless ``override``).  ``environ``: the
    environment (origin ``environment``; also what ``$(shell)`` commands see);
    default: none imported, ``os.environ`` passed to shell commands.
    ``base_dir``: make's working directory (``CURDIR``, relative ``include``,
    ``$(wildcard)``, ``$(shell)``).  ``shell``: a hook ``f(command) -> str | None``
    answering ``$(shell ...)`` (raw output; None runs the command).
    ``run_shell=False``: unanswered commands give empty output instead of running.
    ``shell_cache``: a dict remembering outputs by command (shared between
    sessions if the caller passes the same dict; None disables caching).
    ``include_resolver``: ``f(name, including_file) -> path | None`` (None: search
    as make does; ``""``: the file does not exist).
    ``include_dirs``: searched for relative includes not found in ``base_dir``.
    ``shell_exports``: pass exported makefile variables to ``$(shell)`` commands
    (GNU make 4.4 does; 4.3, the default here, passes only its environment).
    ``builtin_variables=False`` leaves out make's built-in ``CC``, ``AR``... (``make -R``).
    """

    def __init__(self, variables: Mapping[str, str] | None = None, *,
                 command_line: Mapping[str, str] | None = None,
                 environ: Mapping[str, str] | None = None,
                 base_dir: str | None = None,
                 shell: Callable[[str], str | None] | None = None,
                 run_shell: bool = True,
                 shell_cache: dict | None = None,
                 include_resolver: Callable[[str, str | None], str | None] | None = None,
                 include_dirs: Iterable[str] = (),
                 on_message: Callable[[str, str, str | None, int | None], None] | None = None,
                 builtin_variables: bool = True,
                 shell_exports: bool = False):
        self.base_dir = os.path.abspath(base_dir or os.getcwd())
        self.vars: dict[str, Var] = {}
        self.scopes: list[dict[str, Var]] = []
        self.rules: list[Rule] = []
        self.target_variables: list[TargetVariable] = []
        self.messages: list[tuple[str, str, str | None, int | None]] = []
        self.on_message = on_message
        self.shell_hook = shell
        self.run_shell = run_shell
        self.shell_cache = shell_cache
        self.include_resolver = include_resolver
        self.include_dirs = list(include_dirs)
        self.environ = dict(environ) if environ is not None else None
        self.export_all = False
        self.shell_exports = shell_exports
        self.file: str | None = None
        self.line: int | None = None
        self.max_args = 0  # highest $(N) bound by the innermost $(call)
        self._busy: set[int] = set()  # ids of the recursive variables being expanded
        # Provenance, off unless set: called with an AssignmentTrace after each assignment.
        self.trace: Callable[["AssignmentTrace"], None] | None = None
        self._conds: list[tuple] = []  # the conditionals around the statement (when tracing)
        v = self.vars
        v["CURDIR"] = Var(self.base_dir, False, "file")
        # make never takes SHELL from the environment; its origin says whether one was there.
        env_has_shell = "SHELL" in (os.environ if environ is None else environ)
        v["SHELL"] = Var("/bin/sh", False, "file" if env_has_shell else "default")
        v["MAKE_COMMAND"] = Var("make", False, "default")
        v["MAKE"] = Var("$(MAKE_COMMAND)", True, "default")
        v["MAKE_VERSION"] = Var("4.3", False, "default")
        v["MAKELEVEL"] = Var("0", False, "environment")
        v["MAKEFLAGS"] = Var("", True, "file")
        # MAKECMDGOALS is defined (origin default) only when goals are given:
        # Make.define("MAKECMDGOALS", goals, origin="default").
        v[".FEATURES"] = Var(FEATURES, False, "default")
        if builtin_variables:
            for name, value in BUILTIN_VARIABLES.items():
                v[name] = Var(value, True, "default")
        if environ:
            for name, value in environ.items():
                if name not in ("SHELL", "MAKEFLAGS", "MAKELEVEL"):
                    v[name] = Var(value, True, "environment")
            if "MAKELEVEL" in environ:
                v["MAKELEVEL"] = Var(environ["MAKELEVEL"], False, "environment")
            if "MAKEFLAGS" in environ:  # make reads its flags from there (origin stays file)
                v["MAKEFLAGS"] = Var(environ["MAKEFLAGS"], True, "file")
        if variables:
            for name, value in variables.items():
                v[name] = Var(value, False, "file")
        if command_line:
            for name, value in command_line.items():
                v[name] = Var(value, True, "command line", exported=True)

    # ------------------------------------------------------------------
    # Public API

    def read(self, path: str) -> None:
        """Read the makefile at ``path`` (relative to ``base_dir``), as ``make -f path``."""
        self._include_path(os.path.join(self.base_dir, path), path)

    def eval_text(self, text: str, filename: str = "<string>") -> None:
        """Evaluate makefile text, as ``$(eval)`` would."""
        stmts = _p.parse(text, filename)
        saved = self.file, self.line
        self.file = filename
        try:
            self._run(stmts, filename, None)
        finally:
            self.file, self.line = saved

    def expand(self, text: str) -> str:
        """Expand make text (``$(...)`` references) now."""
        return self._x(compile_text(text))

    def fork(self, command_line: Mapping[str, str] | None = None) -> "Make":
        """A copy that continues from this state (variables are shared until reassigned).

        ``command_line`` adds command-line variables to the copy.
        """
        new = object.__new__(Make)
        new.__dict__.update(self.__dict__)
        new.vars = dict(self.vars)
        new.scopes = []
        new._busy = set()
        new._conds = []
        new.rules = list(self.rules)
        new.target_variables = list(self.target_variables)
        new.messages = list(self.messages)
        if command_line:
            for name, value in command_line.items():
                new.vars[name] = Var(value, True, "command line", True)
        return new

    def run(self, statements: list, file: str) -> None:
        """Run already parsed statements (from :func:`~kbuild.make.parse_file`) as if
        they were read from ``file``: for callers that evaluate a makefile in parts."""
        saved = self.file, self.line
        self.file = file
        try:
            self._run(statements, file, None)
        finally:
            self.file, self.line = saved

    def value(self, name: str, default: str = "") -> str:
        """The expanded value of a variable (``default`` if undefined)."""
        v = self._lookup(name)
        if v is None:
            return default
        if v.recursive:
            return self._expand_var(v, name)
        return v.value

    def words(self, name: str) -> list[str]:
        return self.value(name).split()

    def get(self, name: str) -> Var | None:
        """The variable object (unexpanded), or None."""
        return self._lookup(name)

    def define(self, name: str, value: str, *, recursive: bool = False,
               origin: str = "file") -> None:
        self.vars[name] = Var(value, recursive, origin)

    def origin(self, name: str) -> str:
        v = self._lookup(name)
        return "undefined" if v is None else v.origin

    def flavor(self, name: str) -> str:
        v = self._lookup(name)
        if v is None:
            return "undefined"
        return "recursive" if v.recursive else "simple"

    def variables(self) -> dict[str, Var]:
        return self.vars

    # ------------------------------------------------------------------
    # Expansion

    def _lookup(self, name: str) -> Var | None:
        if self.scopes:
            for sc in reversed(self.scopes):
                v = sc.get(name)
                if v is not None:
                    return v
        return self.vars.get(name)

    def _expand_var(self, v: Var, name: str) -> str:
        key = id(v)
        busy = self._busy
        if key in busy:
            raise MakeError(f"Recursive variable '{name}' references itself (eventually)",
                            v.file, v.line)
        t = compile_text(v.value)
        if t.__class__ is str:
            return t
        busy.add(key)
        try:
            return self._x(t)
        finally:
            busy.discard(key)

    def _x(self, t) -> str:
        """Expand a compiled template."""
        if t.__class__ is str:
            return t
        out = []
        append = out.append
        scoped = bool(self.scopes)
        vars_get = self.vars.get
        for p in t:
            if p.__class__ is str:
                append(p)
                continue
            tag = p[0]
            if tag == VAR:
                name = p[1]
                v = self._lookup(name) if scoped else vars_get(name)
                if v is not None:
                    if v.recursive:
                        append(self._expand_var(v, name))
                    else:
                        append(v.value)
            elif tag == FUNC:
                if p[3]:
                    append(p[1](self, p[2]))
                else:
                    x = self._x
                    append(p[1](self, [x(a) for a in p[2]]))
                scoped = bool(self.scopes)
            else:
                append(self._ref_computed(self._x(p[1])))
        return "".join(out)

    def _ref_computed(self, name: str) -> str:
        colon = name.find(":")
        if colon >= 0:
            eq = name.find("=", colon + 1)
            if eq >= 0:
                v = self._lookup(name[:colon])
                if v is None:
                    return ""
                value = self._expand_var(v, name[:colon]) if v.recursive else v.value
                if not value:
                    return ""
                pat = name[colon + 1:eq]
                rep = name[eq + 1:]
                if "%" not in pat:
                    pat = "%" + pat
                    rep = "%" + rep
                return _functions.patsubst_words(pat, rep, value.split())
        v = self._lookup(name)
        if v is None:
            return ""
        return self._expand_var(v, name) if v.recursive else v.value

    # ------------------------------------------------------------------
    # Statements

    def _run(self, stmts: list, file: str | None, fixed_line: int | None) -> None:
        for st in stmts:
            tag = st[0]
            self.line = st[1] if fixed_line is None else fixed_line
            try:
                if tag == ASSIGN:
                    name = st[2]
                    if "$" in name:
                        name = self._x(compile_text(name)).strip()
                    self._assign(name, st[3], st[4], st[5])
                    if self.trace is not None:
                        self.trace(AssignmentTrace(
                            name, st[2], st[3], st[4], self._x(compile_text(st[4])).split(),
                            self.file, self.line, tuple(self._conds)))
                elif tag == COND:
                    if self.trace is not None:
                        self._traced_cond(st, file, fixed_line)
                        continue
                    for kind, a, b, block in st[2]:
                        if self._condition(kind, a, b):
                            self._run(block, file, fixed_line)
                            break
                    else:
                        if st[3]:
                            self._run(st[3], file, fixed_line)
                elif tag == RULE:
                    self._rule(st)
                elif tag == _p.INCLUDE:
                    self._include(st[3], st[2])
                elif tag == _p.DEFINE:
                    self._assign(self._x(compile_text(st[2])).strip(), st[3], st[4], st[5])
                elif tag == _p.EXPORT:
                    self._export(st[2], st[3])
                elif tag == _p.UNDEFINE:
                    name = self._x(compile_text(st[2])).strip()
                    v = self.vars.get(name)
                    if v is not None and (st[3] & _p.OVERRIDE or ORIGIN_RANK[v.origin] <= 2):
                        del self.vars[name]
                # VPATH: ignored
            except MakeError as e:
                raise e.located(self.file, self.line)
            except RecursionError:
                raise MakeError("expansion nested too deeply", self.file, self.line) from None

    def _traced_cond(self, st, file, fixed_line) -> None:
        """A conditional while tracing: run the branch that holds, as usual, and report
        the assignments of the other branches too, with the tests that would select
        them (expanded in the current state; nothing else of them runs)."""
        branches = st[2]
        taken_i = None
        for i, (kind, a, b, _block) in enumerate(branches):
            if self._condition(kind, a, b):
                taken_i = i
                break
        where = (self.file, st[1])
        depth = len(self._conds)
        try:
            for i, (kind, a, b, block) in enumerate(branches):
                conds = [(k, x, y, False) + where for k, x, y, _ in branches[:i]]
                conds.append((kind, a, b, True) + where)
                if i == taken_i:
                    self._conds.extend(conds)
                    self._run(block, file, fixed_line)
                    del self._conds[depth:]
                else:
                    self._static_trace(block, self._conds + conds)
            if st[3]:
                conds = [(k, x, y, False) + where for k, x, y, _ in branches]
                if taken_i is None:
                    self._conds.extend(conds)
                    self._run(st[3], file, fixed_line)
                else:
                    self._static_trace(st[3], self._conds + conds)
        finally:
            del self._conds[depth:]

    def _static_trace(self, stmts: list, conds: list) -> None:
        for st in stmts:
            if st[0] == ASSIGN:
                try:
                    name = st[2]
                    if "$" in name:
                        name = self._x(compile_text(name)).strip()
                    words = self._x(compile_text(st[4])).split()
                except MakeError:
                    continue
                self.trace(AssignmentTrace(name, st[2], st[3], st[4], words, self.file,
                                           st[1], tuple(conds)))
            elif st[0] == COND:
                where = (self.file, st[1])
                branches = st[2]
                for i, (kind, a, b, block) in enumerate(branches):
                    c = [(k, x, y, False) + where for k, x, y, _ in branches[:i]]
                    self._static_trace(block, conds + c + [(kind, a, b, True) + where])
                if st[3]:
                    self._static_trace(st[3], conds + [(k, x, y, False) + where
                                                      for k, x, y, _ in branches])

    def _condition(self, kind: str, a: str, b) -> bool:
        if b is None:
            name = self._x(compile_text(a))
            words = name.split()
            if len(words) > 1:
                raise MakeError("invalid syntax in conditional")
            v = self._lookup(words[0]) if words else None
            defined = v is not None and v.value != ""
            return defined if kind == "ifdef" else not defined
        equal = self._x(compile_text(a)) == self._x(compile_text(b))
        return equal if kind == "ifeq" else not equal

    def _assign(self, name: str, op: str, value: str, mods: int, origin: str = "file") -> None:
        if not name:
            raise MakeError("empty variable name")
        if mods & _p.OVERRIDE:
            origin = "override"
        vars_ = self.vars
        v = vars_.get(name)
        rank = ORIGIN_RANK[origin]
        if v is not None and ORIGIN_RANK[v.origin] > rank:
            if mods & _p.EXPORTED and not v.exported:
                vars_[name] = Var(v.value, v.recursive, v.origin, True)
            return
        if op == "=":
            nv = Var(value, True, origin, None, self.file, self.line)
        elif op == ":=" or op == "::=":
            nv = Var(self._x(compile_text(value)), False, origin)
        elif op == "+=":
            if v is None:
                nv = Var(value, True, origin, None, self.file, self.line)
            else:
                add = value if v.recursive else self._x(compile_text(value))
                if not add:
                    # make appends nothing, not even the space, for an empty addition
                    if (mods & _p.EXPORTED and not v.exported) or (
                            origin == "override" and v.origin != origin):
                        vars_[name] = Var(v.value, v.recursive, origin if origin == "override"
                                          else v.origin, True if mods & _p.EXPORTED
                                          else v.exported, v.file, v.line)
                    return
                vars_[name] = Var(v.value + " " + add if v.value else add, v.recursive,
                                  origin if origin == "override" else v.origin,
                                  True if mods & _p.EXPORTED else v.exported, v.file, v.line)
                return
        elif op == "?=":
            if v is not None:
                return
            nv = Var(value, True, origin, None, self.file, self.line)
        elif op == ":::=":
            nv = Var(self._x(compile_text(value)).replace("$", "$$"), True, origin)
        elif op == "!=":
            nv = Var(self._shell(self._x(compile_text(value)), True), True, origin)
        else:  # pragma: no cover - the parser only produces the above
            raise MakeError(f"unknown assignment operator {op}")
        if mods & _p.EXPORTED:
            nv.exported = True
        elif v is not None:
            nv.exported = v.exported
        vars_[name] = nv

    def _export(self, names_text, export: bool) -> None:
        if names_text is None:
            self.export_all = export
            return
        for name in self._x(compile_text(names_text)).split():
            v = self.vars.get(name)
            if v is None:
                self.vars[name] = Var("", False, "file", export)
            else:
                self.vars[name] = Var(v.value, v.recursive, v.origin, export)

    def _include(self, names_text: str, optional: bool) -> None:
        names = self._x(compile_text(names_text)).split()
        for name in names:
            path = self._resolve(name)
            if path is None:
                if optional:
                    continue
                raise MakeError(f"{name}: No such file or directory")
            self._include_path(path, name)

    def _resolve(self, name: str) -> str | None:
        if self.include_resolver is not None:
            r = self.include_resolver(name, self.file)
            if r is not None:
                return r or None  # "": treat as missing
        if os.path.isabs(name):
            return name if os.path.isfile(name) else None
        p = os.path.join(self.base_dir, name)
        if os.path.isfile(p):
            return p
        for d in self.include_dirs:
            p = os.path.join(d, name)
            if os.path.isfile(p):
                return p
        return None

    def _include_path(self, path: str, name: str) -> None:
        try:
            stmts = _p.parse_file(path)
        except OSError as e:
            raise MakeError(f"{name}: {e.strerror}") from None
        except MakeError as e:
            if e.file == path:
                e.file = name
            raise
        ml = self.vars.get("MAKEFILE_LIST")
        if ml is None:
            self.vars["MAKEFILE_LIST"] = Var(name, False, "file")
        elif not ml.recursive:
            self.vars["MAKEFILE_LIST"] = Var(ml.value + " " + name if ml.value else name,
                                             False, ml.origin)
        saved = self.file, self.line
        self.file = name
        try:
            self._run(stmts, path, None)
        finally:
            self.file, self.line = saved

    def _rule(self, st) -> None:
        _tag, line, text, inline, recipe, colon = st
        if colon >= 0:
            after = text[colon + 1:]
            double = after.startswith(":")
            if double:
                after = after[1:]
            probe = after.lstrip()
            mods_word = probe
            while True:
                w = mods_word.split(None, 1)
                if len(w) == 2 and w[0] in ("override", "export", "private"):
                    mods_word = w[1]
                    continue
                break
            asg = _p.split_assignment(mods_word) if "=" in mods_word else None
            if asg is not None:
                targets = self._x(compile_text(text[:colon])).split()
                name = self._x(compile_text(asg[0])).strip()
                self.target_variables.append(
                    TargetVariable(targets, name, asg[1], asg[2], self.file, self.line))
                return
        expanded = self._x(compile_text(text))
        if not expanded.strip():
            return
        ci = expanded.find(":")
        if ci < 0:
            raise MakeError("missing separator")
        targets = expanded[:ci].split()
        rest = expanded[ci + 1:]
        double = rest.startswith(":")
        if double:
            rest = rest[1:]
        pattern = None
        c2 = rest.find(":")
        if c2 >= 0:
            pattern = rest[:c2].strip()
            rest = rest[c2 + 1:]
        bar = rest.find("|")
        if bar >= 0:
            prereqs, order = rest[:bar].split(), rest[bar + 1:].split()
        else:
            prereqs, order = rest.split(), []
        if not targets:
            return  # make ignores a rule without targets (and its recipe)
        self.rules.append(Rule(targets, prereqs, order, recipe, double, pattern,
                               self.file, self.line))

    # ------------------------------------------------------------------
    # $(shell)

    def _shell_env(self) -> dict[str, str]:
        env = dict(os.environ if self.environ is None else self.environ)
        if not self.shell_exports:
            return env
        for name, v in list(self.vars.items()):
            exp = v.exported
            if exp is None:
                exp = self.export_all and v.origin in ("file", "override", "command line")
            if exp and name.replace("_", "a").isalnum():
                try:
                    env[name] = self._expand_var(v, name) if v.recursive else v.value
                except MakeError:
                    pass
            elif exp is False:
                env.pop(name, None)
        return env

    def _shell(self, command: str, keep_one: bool = False) -> str:
        out = None
        if self.shell_hook is not None:
            out = self.shell_hook(command)
            if out is not None:
                self.vars[".SHELLSTATUS"] = Var("0", False, "default")
        if out is None:
            cache = self.shell_cache
            key = (command, self.base_dir)
            hit = cache.get(key) if cache is not None else None
            if hit is not None:
                out, status = hit
            elif not self.run_shell:
                out, status = "", 0
            else:
                try:
                    r = subprocess.run(["/bin/sh", "-c", command], cwd=self.base_dir,
                                       env=self._shell_env(), stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                    out = r.stdout.decode("utf-8", "surrogateescape")
                    status = r.returncode
                except OSError:
                    out, status = "", 127
                if cache is not None:
                    cache[key] = (out, status)
            self.vars[".SHELLSTATUS"] = Var(str(status), False, "default")
        return fold_shell_output(out, keep_one)

    # ------------------------------------------------------------------
    # Messages

    def _message(self, kind: str, text: str) -> None:
        msg = (kind, text, self.file, self.line)
        self.messages.append(msg)
        if self.on_message is not None:
            self.on_message(*msg)


from . import functions as _functions  # noqa: E402,F401  (fills the function table)
