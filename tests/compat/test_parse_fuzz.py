"""Random Kconfig inputs (fixed seeds), most of them wrong somewhere, run through the C conf and
kbuild-conf: exit code, stdout, stderr and every file written must be identical.  Statements,
the macro language (variables, user functions, the built-in functions, nested), and symbol
values (good trees, a .config of user values, every mode that computes values).

What this reaches that the kernel's trees do not: yacc's error recovery (an error in an option
drops the entry, quiet errors right after one, any end statement ending a block) and files that
end without a newline, at the top and in sourced files nested in blocks (C's lexer warns when
its parser reads the end, and then names the including file).
"""

from __future__ import annotations

import random
import subprocess
import tempfile
from pathlib import Path

import pytest

import harness

SYMS = ["A", "B", "C", "D", "MODULES"]
BAD = ["X Y", "(", ")", "&&", '"s"', "if", "=", "foo", "", "on", "y y"]
SEEDS = range(6)
CASES_PER_SEED = 40


class _Gen:
    """Kconfig text from a seeded generator: statements, options and blocks, some broken."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def expr(self, depth=0):
        r = self.r.random()
        if depth > 2 or r < 0.5:
            return self.r.choice(SYMS + ["y", "m", "n"])
        if r < 0.6:
            return "!" + self.expr(depth + 1)
        if r < 0.7:
            return "(" + self.expr(depth + 1) + ")"
        if r < 0.8:
            return self.expr(depth + 1) + " = " + self.r.choice(SYMS + ['"y"'])
        return self.expr(depth + 1) + self.r.choice([" && ", " || "]) + self.expr(depth + 1)

    def option(self):
        r = self.r
        k = r.choice(["bool", "tristate", "int", "string", "prompt", "default", "depends on",
                      "select", "imply", "range", "help", "def_bool", "visible if", "modules"])
        if k in ("bool", "tristate", "int", "string"):
            s = "\t" + k + r.choice(["", ' "p %s"' % r.choice(SYMS), ' " lead"', ' "p" if ' + self.expr()])
        elif k == "prompt":
            s = '\tprompt "q"' + r.choice(["", " if " + self.expr()])
        elif k in ("default", "def_bool"):
            s = "\t%s %s" % (k, self.expr()) + r.choice(["", " if " + self.expr()])
        elif k == "depends on":
            s = "\tdepends on " + self.expr()
        elif k in ("select", "imply"):
            s = "\t%s %s" % (k, r.choice(SYMS)) + r.choice(["", " if " + self.expr()])
        elif k == "range":
            s = "\trange 1 5"
        elif k == "help":
            s = "\thelp\n\t  some help\n\t  text"
        else:
            s = "\t" + k
        if r.random() < 0.15:
            s += " " + r.choice(BAD)
        elif r.random() < 0.05:
            s = "\t%s %s" % (k, r.choice(BAD))
        return s

    def statement(self, depth=0):
        r = self.r
        x = r.random()
        if x < 0.45:
            lines = [r.choice(["config", "config", "menuconfig"]) + " " + r.choice(SYMS)]
            lines += [self.option() for _ in range(r.randint(0, 4))]
        elif x < 0.55 and depth < 2:
            lines = ['menu "m"'] + [self.option() for _ in range(r.randint(0, 1))]
            lines += [self.statement(depth + 1) for _ in range(r.randint(0, 2))]
            lines.append(r.choice(["endmenu"] * 5 + ["endif", "endchoice", ""]))
        elif x < 0.65 and depth < 2:
            lines = ["if " + self.expr()] + [self.statement(depth + 1) for _ in range(r.randint(0, 2))]
            lines.append(r.choice(["endif"] * 5 + ["endmenu", ""]))
        elif x < 0.72 and depth < 2:
            lines = ["choice"] + r.choice([['\tprompt "c"'], [], ['\tbool "c"', "\tdefault A"]])
            lines += ['config %s\n\tbool "x"' % r.choice(SYMS) for _ in range(r.randint(0, 2))]
            lines.append(r.choice(["endchoice"] * 5 + ["endmenu", ""]))
        elif x < 0.78:
            lines = ['comment "c"'] + [self.option() for _ in range(r.randint(0, 1))]
        elif x < 0.83:
            lines = [r.choice(["foo bar", "foo", ")", '"x"', "X := 1", "Y = $(X)", "endmenu",
                               "endif", 'mainmenu "m"', "\tdefault y"])]
        elif x < 0.88:
            lines = ["#c", ""]
        else:
            lines = ["config " + r.choice(SYMS) + r.choice(["", " x"])]
            lines += [self.option() for _ in range(r.randint(0, 2))]
        return "\n".join(lines)

    def text(self):
        body = "\n".join(self.statement() for _ in range(self.r.randint(1, 5)))
        return body + ("\n" if self.r.random() < 0.5 else "")

    def files(self):
        """{name: text} of one case: a top Kconfig, maybe sourcing K2 (in a block), K2 K3."""
        r = self.r
        mode = r.choice(["top", "sourced", "nested", "nested"])
        if mode == "top":
            return {"Kconfig": self.text()}
        if mode == "sourced":
            return {"Kconfig": 'config A\n\tbool "a"\nsource "K2"\nconfig C\n\tbool "c"\n',
                    "K2": self.text()}
        before, after = r.choice([("", ""), ('menu "w"\n', "endmenu\n"), ("if A\n", "endif\n"),
                                  ('choice\n\tprompt "w"\n', "endchoice\n")])
        top = ('config A\n\tbool "a"\n' + before + 'source "K2"\n' + after + 'config C\n\tbool "c"\n'
               + r.choice(["", "foo\n", "endmenu\n"]))
        if r.random() < 0.3:
            top = top.rstrip("\n")
        k2 = (self.text() + r.choice(["", "\n"])
              + r.choice(['source "K3"', 'source "K3"\n', "", "endmenu", 'menu "x"\n'])
              + r.choice(["", "\n"]) + (self.text() if r.random() < 0.5 else ""))
        return {"Kconfig": top, "K2": k2, "K3": self.text()}


class _MacroGen:
    """Kconfig text with variables, user functions and the built-in ones, nested at random
    (never a variable in its own ':=', which the C tool reads after freeing it)."""

    VARS = ["X", "Y", "F", "EMPTY", "UNSET_VAR", "SRCARCH"]

    def __init__(self, seed):
        self.r = random.Random(seed)

    def atom(self, depth=0):
        r = self.r
        x = r.random()
        if depth > 3 or x < 0.3:
            return r.choice(["a", "b c", " ", "", "x,y", "(", ")", "1", "foo bar ", "\\", "#", '"q"'])
        if x < 0.5:
            return "$(%s)" % r.choice(self.VARS)
        if x < 0.6:
            return "$(F,%s,%s)" % (self.atom(depth + 1), self.atom(depth + 1))
        if x < 0.7:
            return "$(shell,echo %s)" % r.choice(["hi", "a  b", "'x\ny'", "-n", "1; echo 2"])
        if x < 0.75:
            return "$(filename)$(lineno)"
        if x < 0.8:
            return "$(warning-if,%s,%s)" % (r.choice(["y", "n", "", "yy"]), self.atom(depth + 1))
        if x < 0.83:
            return "$(error-if,%s,%s)" % (r.choice(["n", "", "y"]), self.atom(depth + 1))
        if x < 0.88:
            return "$(%s" % r.choice(self.VARS)
        if x < 0.93:
            return "$(info,%s)" % self.atom(depth + 1)
        return self.atom(depth + 1) + self.atom(depth + 1)

    def statement(self):
        r = self.r
        x = r.random()
        if x < 0.35:
            name, op = r.choice(self.VARS[:4]), r.choice(["=", ":=", "+="])
            value = self.atom()
            while op == ":=" and "$(" + name in value:
                value = self.atom()
            return "%s %s %s" % (name, op, value)
        if x < 0.65:
            return "$(info,%s)" % self.atom()
        if x < 0.8:
            return 'config %s\n\tbool "%s"' % (r.choice(["A", "B"]), self.atom().replace('"', ""))
        if x < 0.9:
            return 'config %s\n\tstring "s"\n\tdefault "%s"' % (
                r.choice(["S1", "S2"]), self.atom().replace('"', ""))
        return "$(warning-if,y,%s)" % self.atom()

    def files(self):
        body = "\n".join(self.statement() for _ in range(self.r.randint(1, 6)))
        return {"Kconfig": "F = <$(1)|$(2)>\n" + body + "\n"}


class _ValueGen:
    """Good trees (no dependency loops: expressions name earlier symbols, select and imply later
    ones) of every type, with choices, if blocks, menus and menuconfig, and a .config of user
    values, for the modes that compute values."""

    MODES = ["olddefconfig", "allnoconfig", "allyesconfig", "allmodconfig", "alldefconfig",
             "savedefconfig=defconfig", "randconfig", "listnewconfig", "helpnewconfig",
             "syncconfig", "mod2yesconfig", "yes2modconfig"]

    def __init__(self, seed):
        self.r = random.Random(seed)

    def files(self):
        r = self.r
        syms = ["S%d" % i for i in range(r.randint(4, 12))]
        types = {s: r.choice(["bool", "tristate", "tristate", "int", "hex", "string"]) for s in syms}
        earlier = []

        def bools(pool):
            return [s for s in pool if types[s] in ("bool", "tristate")]

        def expr(depth=0):
            x = r.random()
            if depth > 1 or x < 0.5:
                return r.choice(bools(earlier) + ["m", "y", "n", "MODULES"])
            if x < 0.6:
                return "!" + expr(depth + 1)
            if x < 0.7:
                return "(%s)" % expr(depth + 1)
            if x < 0.8 and earlier:
                s = r.choice(earlier)
                v = {"bool": "y", "tristate": "m", "int": "5", "hex": "0x10", "string": '"abc"'}[types[s]]
                return "%s %s %s" % (s, r.choice(["=", "!=", "<", ">=", ">"]), r.choice([v, r.choice(earlier)]))
            return "%s %s %s" % (expr(depth + 1), r.choice(["&&", "||"]), expr(depth + 1))

        def entry(s):
            t = types[s]
            later = bools(syms[syms.index(s) + 1:])
            lines = ["config " + s, "\t%s%s%s" % (t, r.choice([' "%s"' % s.lower()] * 2 + [""]),
                                                  " if " + expr() if r.random() < 0.2 else "")]
            for _ in range(r.randint(0, 3)):
                x = r.random()
                cond = " if " + expr() if r.random() < 0.3 else ""
                if x < 0.3:
                    d = {"int": ["3", "30", "-1"], "hex": ["0x4", "0x400"], "string": ['"x"', '""']}.get(
                        t, ["y", "m", "n", expr()])
                    lines.append("\tdefault %s%s" % (r.choice(d + earlier[-1:]), cond))
                elif x < 0.5:
                    lines.append("\tdepends on " + expr())
                elif x < 0.75 and t in ("bool", "tristate") and later:
                    lines.append("\t%s %s%s" % (r.choice(["select", "imply"]), r.choice(later), cond))
                elif x < 0.85 and t in ("int", "hex"):
                    lines.append("\trange %s" % ("2 20" if t == "int" else "0x8 0x100"))
            return "\n".join(lines)

        out = ['config MODULES\n\tbool "modules"\n\tmodules\n\tdefault %s' % r.choice("yyn")]
        i = 0
        while i < len(syms):
            earlier[:] = syms[:i]
            x = r.random()
            if x < 0.12:
                members = syms[i:i + 3]
                for s in members:
                    types[s] = "bool"
                out.append("choice\n\tprompt \"c%d\"%s\n%s\nendchoice" % (
                    i, "\n\tdefault " + r.choice(members) if r.random() < 0.5 else "",
                    "\n".join('config %s\n\tbool "%s"%s' % (s, s.lower(), "\n\tdepends on " + expr()
                                                              if r.random() < 0.3 else "")
                              for s in members)))
                i += len(members)
            elif x < 0.2:
                out.append("if %s\n%s\nendif" % (expr(), entry(syms[i])))
                i += 1
            elif x < 0.28:
                out.append('menu "m%d"\n%s\n%s\nendmenu' % (
                    i, "\tdepends on " + expr() if r.random() < 0.5 else "", entry(syms[i])))
                i += 1
            else:
                out.append(entry(syms[i]))
                i += 1
        config = []
        for s in syms + ["MODULES"]:
            if r.random() < 0.4:
                v = {"bool": r.choice("yn"), "tristate": r.choice("ymn"), "int": r.choice(["1", "7", "50"]),
                     "hex": r.choice(["0x9", "0x2000"]), "string": '"u"'}[types.get(s, "bool")]
                config.append("# CONFIG_%s is not set" % s if v == "n" else "CONFIG_%s=%s" % (s, v))
        return {"Kconfig": "\n".join(out) + "\n", ".config": "\n".join(config) + "\n"}


def _run(exe, files, mode="olddefconfig", seed="1"):
    with tempfile.TemporaryDirectory() as d:
        for name, text in files.items():
            (Path(d) / name).write_text(text)
        env = harness.clean_env({"srctree": d, "SRCARCH": "x86", "KCONFIG_SEED": seed})
        # (syncconfig asks about new symbols: the answers are all Enter)
        p = subprocess.run([str(exe), "--" + mode, "Kconfig"], cwd=d, capture_output=True,
                           env=env, input=b"\n" * 300, timeout=20)
        return p.returncode, p.stdout, p.stderr, harness.snapshot_dir(Path(d))


@pytest.mark.parametrize("kind,seed", [("statements", s) for s in SEEDS]
                         + [("macros", s) for s in (0, 1)] + [("values", s) for s in (0, 1)])
def test_random_kconfig_inputs(conf_workspace, kind, seed):
    cconf = conf_workspace.template() / harness.CONF_REL
    pyconf = conf_workspace.py_conf
    gen = {"statements": _Gen, "macros": _MacroGen, "values": _ValueGen}[kind](seed)
    errors = 0
    for i in range(CASES_PER_SEED):
        files = gen.files()
        mode = gen.r.choice(_ValueGen.MODES) if kind == "values" else "olddefconfig"
        try:
            c = _run(cconf, files, mode, str(i))
        except subprocess.TimeoutExpired:
            continue    # the C tool asking for ever (a choice none of whose members shows)
        if c[0] < 0 or b"Oops! How to check" in c[2]:
            continue    # the C tool's undefined behaviour: a crash, a freed expression read
        p = _run(pyconf, files, mode, str(i))
        errors += c[0] != 0
        assert p == c, "%s seed %d case %d: %r\nC stderr:\n%s\nkbuild stderr:\n%s" % (
                kind, seed, i, files, c[2].decode(errors="replace"), p[2].decode(errors="replace"))
    # the inputs must keep reaching both sides of the parser (and good trees must be good)
    if kind == "values":
        assert errors < CASES_PER_SEED // 2
    else:
        assert 0 < errors < CASES_PER_SEED
