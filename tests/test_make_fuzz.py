"""Random expressions (fixed seeds) expanded by GNU make and by kbuild.make.

The generator nests the text functions, references and substitution
references with awkward whitespace (leading, trailing, repeated, tabs, empty
words), which is where make's exact rules show.  One GNU make run prints all
of them, so this stays fast.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import pytest

from kbuild.make import Make

GNU_MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(GNU_MAKE is None, reason="GNU make not installed")

WORDS = ["a", "b.o", "dir/c.c", "x.h", "lib/", "d.e.f", "%.o", "a.o", "q/r/s.S", "z"]
SPACES = ["", " ", "  ", "\t", " \t "]
PRELUDE = """\
V1 := a.o b.o  dir/c.c
V2 = $(V1) x.h
V3 :=   lead trail  
EMPTY :=
F = [$(1)|$(2)]
G = $(strip $(1))-$(words $(2))
"""


class Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def sp(self) -> str:
        return self.r.choice(SPACES)

    def words(self) -> str:
        n = self.r.randint(0, 4)
        return self.sp() + "".join(self.r.choice(WORDS) + self.sp() for _ in range(n))

    def expr(self, depth: int = 0) -> str:
        r = self.r
        if depth > 2 or r.random() < 0.25:
            return r.choice([self.words(), self.words(), "$(V1)", "${V2}", "$(V3)",
                             "$(V1:.o=.c)", "$(V2:%.o=%.ko)", "$(EMPTY)"])
        e = lambda: self.expr(depth + 1)  # noqa: E731
        fn = r.choice(["filter", "filter-out", "patsubst", "subst", "strip", "sort", "words",
                       "word", "wordlist", "firstword", "lastword", "addprefix", "addsuffix",
                       "dir", "notdir", "suffix", "basename", "join", "findstring", "if",
                       "or", "and", "foreach", "call", "concat"])
        if fn == "concat":
            return e() + e()
        if fn in ("filter", "filter-out"):
            return f"$({fn} {r.choice(['%.o', '%.c %.h', 'a', '%', 'lib/ %.S'])},{e()})"
        if fn == "patsubst":
            return f"$(patsubst {r.choice(['%.o', '%', 'a', 'dir/%'])},{r.choice(['%.c', 'x', '[%]', ''])},{e()})"
        if fn == "subst":
            return f"$(subst {r.choice(['.', 'o', ' ', 'a'])},{r.choice(['', '_', ' x '])},{e()})"
        if fn in ("strip", "sort", "words", "firstword", "lastword", "dir", "notdir", "suffix",
                  "basename"):
            return f"$({fn} {e()})"
        if fn == "word":
            return f"$(word {r.randint(1, 4)},{e()})"
        if fn == "wordlist":
            return f"$(wordlist {r.randint(1, 3)},{r.randint(0, 5)},{e()})"
        if fn in ("addprefix", "addsuffix"):
            return f"$({fn} {r.choice(['p/', '.x', '', ' s'])},{e()})"
        if fn in ("join", "findstring"):
            return f"$({fn} {e()},{e()})"
        if fn == "if":
            return f"$(if {e()},{e()}" + (f",{e()})" if r.random() < 0.6 else ")")
        if fn in ("or", "and"):
            return f"$({fn} {e()},{e()})"
        if fn == "foreach":
            return f"$(foreach w,{e()},{r.choice(['<$(w)>', '$(w)', '', ' $(w) '])})"
        return f"$(call {r.choice(['F', 'G'])},{e()},{e()})"


def _expressions(seed: int, n: int) -> list[str]:
    g = Gen(seed)
    return [g.expr() for _ in range(n)]


@pytest.mark.parametrize("seed", range(1, 11))
def test_random_expressions(tmp_path, seed):
    exprs = _expressions(seed, 250)
    lines = [PRELUDE]
    for i, x in enumerate(exprs):
        lines.append(f"$(info <<{i}>>{x}<<END>>)\n")
    lines.append("all: ;@:\n")
    (tmp_path / "f.mk").write_text("".join(lines))
    r = subprocess.run([GNU_MAKE, "-R", "-f", "f.mk"], cwd=tmp_path, capture_output=True,
                       text=True, env={"PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    expected = dict(re.findall(r"<<(\d+)>>(.*?)<<END>>\n", r.stdout, re.S))
    mk = Make(base_dir=str(tmp_path), builtin_variables=False)
    mk.eval_text(PRELUDE)
    for i, x in enumerate(exprs):
        assert mk.expand(x) == expected[str(i)], x


def _makefile(seed: int, n: int) -> str:
    g = Gen(seed)
    r = g.r
    out = [PRELUDE]
    stack: list[bool] = []  # per open conditional: has it had its 'else'?
    for _ in range(n):
        k = r.random()
        if k < 0.6:
            name = r.choice("ABCD")
            op = r.choice(["=", ":=", "+=", "?=", "::=", "+=", "!="])
            if op == "!=":
                out.append(f"{name}{g.sp()}!={g.sp()}echo {r.choice(WORDS)}{g.sp()}\n")
                continue
            out.append(f"{name}{g.sp()}{op}{g.sp()}{g.expr(1)}\n")
        elif k < 0.75 and len(stack) < 3:
            stack.append(False)
            c = r.random()
            if c < 0.4:
                out.append(f"ifeq ({g.expr(2)},{g.expr(2)})\n")
            elif c < 0.6:
                out.append(f"ifneq \"{g.words()}\" '{g.words()}'\n")
            elif c < 0.8:
                out.append(f"ifdef {r.choice('ABCD')}\n")
            else:
                out.append(f"ifndef {r.choice(['A', 'EMPTY', 'V1'])}\n")
        elif k < 0.85 and stack:
            if not stack[-1] and r.random() < 0.5:
                stack[-1] = True
                out.append(r.choice(["else\n", f"else ifeq ({g.words()},{g.words()})\n"]))
                if out[-1] != "else\n":
                    stack[-1] = False
                out.append(f"E{g.r.randint(0, 9)} := else-branch\n")
            else:
                stack.pop()
                out.append("endif\n")
        else:
            out.append(f"{g.sp()}# comment {g.words()}\n")
    out.extend("endif\n" for _ in stack)
    return "".join(out)


@pytest.mark.parametrize("seed", range(1, 11))
def test_random_makefiles(tmp_path, seed):
    text = _makefile(seed, 120)
    names = ["A", "B", "C", "D"] + [f"E{i}" for i in range(10)]
    probe = "".join(f"$(info <<{n}>>$(flavor {n})|$(origin {n})|$({n})<<END>>)\n" for n in names)
    (tmp_path / "f.mk").write_text(text + probe + "all: ;@:\n")
    r = subprocess.run([GNU_MAKE, "-R", "-f", "f.mk"], cwd=tmp_path, capture_output=True,
                       text=True, env={"PATH": "/usr/bin:/bin"})
    expected = dict(re.findall(r"<<(\w+)>>(.*?)<<END>>\n", r.stdout, re.S))
    mk = Make(base_dir=str(tmp_path), builtin_variables=False, environ={"PATH": "/usr/bin:/bin"})
    if r.returncode != 0:
        with pytest.raises(Exception):
            mk.eval_text(text)
        return
    mk.eval_text(text)
    got = {n: f"{mk.flavor(n)}|{mk.origin(n)}|{mk.value(n)}" for n in names}
    assert got == expected, text
