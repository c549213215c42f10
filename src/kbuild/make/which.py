"""Which options build a source file: the chain of Kbuild lines from the top.

For ``drivers/net/ethernet/intel/e1000/e1000_main.c`` the answer is the chain

    Kbuild:..            obj-y += drivers/
    drivers/Makefile     obj-y += net/
    drivers/net/Makefile obj-$(CONFIG_ETHERNET) += ethernet/
    ...
    e1000/Makefile       e1000-y := e1000_main.o ...
    e1000/Makefile       obj-$(CONFIG_E1000) += e1000.o

and from it two conditions over configuration symbols (Kconfig syntax, names
without ``CONFIG_``): when the file is built into the kernel image
(``ETHERNET=y && NET_VENDOR_INTEL=y && E1000=y``) and when as (part of) a
module (``ETHERNET && NET_VENDOR_INTEL && E1000=m``).

How: every directory on the path is evaluated with Makefile.build (whether or
not the current configuration descends into it) with assignment tracing on;
the lines whose expanded value names the object, its composite object, or the
directory, are the steps.  A step's own condition comes from the variable name
as written (``obj-$(CONFIG_X)``, ``foo-$(CONFIG_X)``) and from the
conditionals around it (``ifeq ($(CONFIG_X),y)``, ``ifdef CONFIG_X``...); a
condition that is not of these simple shapes is kept as written in brackets.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from .evaluator import AssignmentTrace
from .kbuild import KbuildTree

__all__ = ["Step", "Which", "which", "evaluate_condition"]

_SYM_NAME = re.compile(r"(.*?)-\$[({](CONFIG_\w+)[)}]")
_REF = re.compile(r"\$[({](CONFIG_\w+)[)}]")
_LIST_VARS = re.compile(r"(obj|lib|subdir)-(y|m|)")


@dataclass
class Step:
    """One Kbuild line on the way to the object."""

    file: str
    line: int
    text: str                 # the assignment as written
    variable: str             # the variable as expanded now (obj-y, e1000-y, obj-...)
    builtin: list[tuple]      # terms for "built in" (see evaluate_condition)
    module: list[tuple]       # terms for "in a module"

    def location(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Which:
    """The answer for one source file: alternatives of step chains, and the conditions."""

    source: str
    object: str
    chains: list[list[Step]] = field(default_factory=list)

    def builtin_terms(self) -> list[list[tuple]]:
        return [_dedup_terms([t for s in c for t in s.builtin]) for c in self.chains]

    def module_terms(self) -> list[list[tuple]]:
        return [_dedup_terms([t for s in c for t in s.module]) for c in self.chains]

    @property
    def builtin(self) -> str:
        return _format(self.builtin_terms())

    @property
    def module(self) -> str:
        return _format(self.module_terms())


def _dedup_terms(terms):
    terms = list(dict.fromkeys(terms))
    exact = {t[0] for t in terms if t[1] == "="}
    # "X != n" says nothing more once "X = y" or "X = m" is required.
    return [t for t in terms if not (t[1] == "!=" and t[2] == "n" and t[0] in exact)]


# A term is (symbol, op, value): ("E1000", "=", "y"), ("NET", "!=", "n"),
# ("FOO", "!=", "y"), or ("[text]", "?", "") for a test kept as written, or
# ("n", "false", "") for a step that can never hold.

def _term_text(t) -> str:
    sym, op, val = t
    if op == "?":
        return sym
    if op == "false":
        return "n"
    if op == "!=" and val == "n":
        return sym
    if op == "=" and val == "n":
        return f"!{sym}"
    return f"{sym}{op}{val}"


def _format(alts: list[list[tuple]]) -> str:
    if not alts:
        return "n"
    parts = []
    for terms in alts:
        if any(t[1] == "false" for t in terms):
            continue
        parts.append(" && ".join(_term_text(t) for t in terms) or "y")
    if not parts:
        return "n"
    if len(parts) == 1:
        return parts[0]
    return " || ".join(f"({p})" for p in parts)


def evaluate_condition(alts: list[list[tuple]], config: dict[str, str]):
    """True/False for alternatives of terms under ``config`` (``{"E1000": "y"}``, unset = n);
    None if a term is one kept as written."""
    unknown = False
    for terms in alts:
        ok = True
        for sym, op, val in terms:
            if op == "?":
                unknown = True
                continue
            if op == "false":
                ok = False
                break
            v = config.get(sym, "n") or "n"
            if (op == "=" and v != val) or (op == "!=" and v == val):
                ok = False
                break
        if ok:
            return None if unknown else True
    return None if unknown else False


def _cond_terms(cond) -> list[tuple]:
    """Terms for one enclosing conditional (kind, a, b, taken, file, line)."""
    kind, a, b, taken, _f, _l = cond
    positive = (kind in ("ifeq", "ifdef")) == taken
    if b is None:
        m = re.fullmatch(r"(CONFIG_\w+)", a.strip())
        if m:
            sym = m.group(1)[7:]
            return [(sym, "!=", "n")] if positive else [(sym, "=", "n")]
    else:
        pair = [a.strip(), b.strip()]
        for x, y in (pair, pair[::-1]):
            m = _REF.fullmatch(x)
            if m and y in ("y", "m", ""):
                sym = m.group(1)[7:]
                val = y or "n"
                return [(sym, "=" if positive else "!=", val)]
    text = f"{kind} {a}" if b is None else f"{kind} ({a},{b})"
    return [(f"[{'' if taken else 'not '}{text}]", "?", "")]


def _step(rec: AssignmentTrace, role: str) -> Step:
    """role: 'dir' (a subdirectory entry), 'obj' (the object in obj-/lib-), 'part'
    (a part of a composite object)."""
    cond = [t for c in rec.conditions for t in _cond_terms(c)]
    m = _SYM_NAME.fullmatch(rec.raw_name)
    sym = m.group(2)[7:] if m else None
    base = m.group(1) if m else rec.name.rsplit("-", 1)[0]
    fixed = rec.name.rsplit("-", 1)[1] if not m else None  # y, m, objs, ''
    if role == "part":
        # foo-y / foo-objs: both kinds; foo-m: modules only; foo-$(X): X=y, or X!=n for modules
        if sym:
            b, mo = [(sym, "=", "y")], [(sym, "!=", "n")]
        elif fixed in ("y", "objs"):
            b, mo = [], []
        elif fixed == "m":
            b, mo = [("n", "false", "")], []
        else:
            b = mo = [("n", "false", "")]
    else:
        kind = base  # obj, lib, subdir
        if sym:
            if kind == "obj" and role == "obj":
                b, mo = [(sym, "=", "y")], [(sym, "=", "m")]
            elif kind == "lib":
                b, mo = [(sym, "!=", "n")], [("n", "false", "")]
            elif kind == "subdir":
                b, mo = [("n", "false", "")], [(sym, "!=", "n")]
            else:  # obj-$(X) += dir/
                b, mo = [(sym, "=", "y")], [(sym, "!=", "n")]
        else:
            if kind == "lib":
                b, mo = [], [("n", "false", "")]
            elif fixed == "y":
                b, mo = ([], []) if kind == "obj" else ([("n", "false", "")], [])
                if kind == "obj" and role == "obj":
                    mo = [("n", "false", "")]
            elif fixed == "m":
                b, mo = [("n", "false", "")], []
            else:
                b = mo = [("n", "false", "")]
    text = f"{rec.raw_name} {rec.op} {rec.raw_value}".rstrip()
    return Step(rec.file, rec.line, text, rec.name, cond + b, cond + mo)


def which(kt: KbuildTree, source: str) -> Which:
    """Find how ``source`` (a path relative to the source tree, ``.c``/``.S``/``.o``) is built."""
    rel = os.path.normpath(source)
    d, base = os.path.split(rel)
    obj = os.path.splitext(base)[0] + ".o"
    d = d or "."
    parts = [] if d == "." else d.split("/")
    dirs = ["."] + ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    traces: dict[str, list[AssignmentTrace]] = {}
    for dd in dirs:
        mkfile_dir = os.path.join(kt.srctree, dd)
        if not (os.path.isfile(os.path.join(mkfile_dir, "Makefile"))
                or os.path.isfile(os.path.join(mkfile_dir, "Kbuild"))):
            continue
        recs: list[AssignmentTrace] = []
        dobj, _mk = kt.evaluate_dir(dd, True, True, trace=recs.append)
        traces[dd] = [r for r in recs if r.file == dobj.makefile]
    result = Which(source, obj if d == "." else f"{d}/{obj}")

    # Inside the directory: the object, possibly through composite objects.
    def object_chains(recs, name, seen=()) -> list[list[Step]]:
        chains = []
        for r in recs:
            if name not in r.words:
                continue
            lm = _LIST_VARS.fullmatch(r.name)
            raw_sym = _SYM_NAME.fullmatch(r.raw_name)
            kind = (raw_sym.group(1) if raw_sym else (lm.group(1) if lm else None))
            if kind in ("obj", "lib"):
                chains.append([_step(r, "obj")])
            elif kind == "subdir":
                continue
            else:
                comp = (raw_sym.group(1) if raw_sym else r.name.rsplit("-", 1)[0]) + ".o"
                if comp in seen or comp == name:
                    continue
                for c in object_chains(recs, comp, seen + (name,)):
                    chains.append([_step(r, "part")] + c)
        return chains

    # Objects in a subdirectory without its own Makefile (i915's display/intel_ddi.o)
    # are listed by the nearest directory that has one, with the relative path.
    home = next(dd for dd in reversed(dirs) if dd in traces)
    if home != d:
        obj = d[len(home) + 1:] + "/" + obj if home != "." else d + "/" + obj
        dirs = dirs[: dirs.index(home) + 1]
    inner = object_chains(traces.get(home, []), obj)
    # The directories, top down: each listed by its nearest evaluated ancestor.
    dir_chains: list[list[Step]] = [[]]
    for i in range(1, len(dirs)):
        target = dirs[i]
        found: list[Step] = []
        for j in range(i - 1, -1, -1):
            anc = dirs[j]
            if anc not in traces:
                continue
            relname = target if anc == "." else target[len(anc) + 1:]
            for r in traces[anc]:
                if relname + "/" in r.words and (
                        _LIST_VARS.fullmatch(r.name) or _SYM_NAME.fullmatch(r.raw_name)):
                    found.append(_step(r, "dir"))
            if found:
                break
        if found:
            dir_chains = [c + [s] for c in dir_chains for s in found]
    for dc in dir_chains:
        for ic in inner:
            result.chains.append(dc + list(reversed(ic)))
    return result
