"""kbuild.make against GNU make: the same makefile read by both, the variables compared.

Each case is a small makefile and the variables to compare.  GNU make prints
them with ``$(info)`` (flavour, origin and expanded value); kbuild.make
evaluates the same file and is asked the same questions.  The messages of
``$(info)``/``$(warning)`` and the ``file:line`` of errors are compared too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kbuild.make import Make, MakeError

GNU_MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(GNU_MAKE is None, reason="GNU make not installed")

ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
_PROBE = re.compile(r"@@<(.*?)>@@(.*?)\|(.*?)\|(.*?)@@END@@\n", re.S)


def _probe_text(names):
    lines = ["", "__probe__: ;@:"]
    for n in names:
        lines.append(f"$(info @@<{n}>@@$(flavor {n})|$(origin {n})|$({n})@@END@@)")
    return "\n".join(lines) + "\n"


def gnu_make(tmp: Path, text: str, names, command_line=None, files=None):
    """Run GNU make on ``text``; return (values, info lines, stderr, returncode)."""
    for name, content in (files or {}).items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_text(content)
    (tmp / "main.mk").write_text(text + _probe_text(names))
    args = [GNU_MAKE, "-R", "--no-print-directory", "-f", "main.mk", "__probe__"]
    args += [f"{k}={v}" for k, v in (command_line or {}).items()]
    r = subprocess.run(args, cwd=tmp, env=ENV, capture_output=True, text=True)
    values = {m.group(1): (m.group(2), m.group(3), m.group(4)) for m in _PROBE.finditer(r.stdout)}
    infos = _PROBE.sub("", r.stdout)
    return values, infos, r.stderr, r.returncode


def ours(tmp: Path, text: str, names, command_line=None):
    (tmp / "ours.mk").write_text(text)
    mk = Make(base_dir=str(tmp), environ=ENV, command_line=command_line,
              builtin_variables=False)
    mk.read("ours.mk")
    values = {n: (mk.flavor(n), mk.origin(n), mk.value(n)) for n in names}
    infos = "".join(t + "\n" for kind, t, _f, _l in mk.messages if kind == "info")
    warnings = "".join(f"{f}:{ln}: {t}\n" for kind, t, f, ln in mk.messages if kind == "warning")
    return values, infos, warnings


def check(tmp_path, text, names, command_line=None, files=None):
    text = text.strip("\n") + "\n"
    g_values, g_infos, g_err, rc = gnu_make(tmp_path, text, names, command_line, files)
    assert rc == 0, g_err
    o_values, o_infos, o_warn = ours(tmp_path, text, names, command_line)
    assert o_values == g_values
    assert o_infos == g_infos
    assert o_warn == g_err.replace("main.mk:", "ours.mk:")
    return o_values


CASES = {
    "flavours": ("""
a = x $(b)
b = late
c := $(a) y
a += z
d ?= 1
d ?= 2
e ::= $(a)
f != echo hi; echo there
g := $(f)
h +=
h += one
i := simple
i += $(b)
undef_plus += $(b)
j := x
j += $(empty)
k = y
k += $(empty)
l = z
l +=
m := w
m +=
n +=
""", "a b c d e f g h i undef_plus j k l m n"),
    "whitespace": ("""
empty :=
space := $(empty) $(empty)
a =   lead and trail   
b := x # comment
c = $(strip  a   b    c  )
d := $(subst a, b ,xax)
e := a$(space)b
f := $(empty)   x
g =
h = $(space)$(space)
tab := $(empty)	$(empty)
""", "a b c d e f g h space tab"),
    "define": ("""
define one
first line
  second $(x)
endef
x = X
define two :=
$(x)
endef
define three +=
more
endef
three = base
define three +=
more
endef
define outer
define inner
body
endef
endef
override define ov
o
endef
define cont
a \\
   b
endef
define withcomment
# not a comment
endef
define empty
endef
""", "one two three outer ov cont withcomment empty"),
    "conditionals": ("""
A = 1
EMPTY =
ifeq ($(A),1)
r1 = yes
ifneq "$(A)" '2'
r2 = yes
else
r2 = no
endif
else
r1 = no
endif
ifdef EMPTY
r3 = defined
else ifdef A
r3 = A
else
r3 = none
endif
ifndef UNDEF
r4 = undef
endif
ifeq ($(A), 1)
r5 = space-before
endif
ifeq ( $(A),1)
r6 = leading-space-kept
else
r6 = differs
endif
ifeq ($(A),1 )
r7 = trailing
else
r7 = differs
endif
ifeq ($(subst a,b,aa),bb)
r8 = commas-in-call
endif
ifeq (,$(EMPTY))
r9 = empty
endif
ifneq ($(A),1)
r10 = a
else ifeq ($(A),2)
r10 = b
else ifneq ($(A),3)
r10 = c
else
r10 = d
endif
ifeq (a,b)
  ifeq (c,c)
    r11 = inner
  endif
else
	r11 = tab-indented
endif
""", "r1 r2 r3 r4 r5 r6 r7 r8 r9 r10 r11"),
    "continuations": ("""
a = one \\
    two   \\
	three
b := $(subst x,y,\\
   axbx)
# a comment \\
c = hidden
d = x\\
y
e = back\\\\
f = end
""", "a b c d e f"),
    "comments": ("""
a = x\\#y
b = x\\\\#y
c := $(subst #,!,a#b)
d = $(value #)
e = val # comment
""", "a b c e"),
    "references": ("""
X = x
obj = a.o b.o  c.o
dollar = $$x $$$$
paren = $(X)${X}$X
subst1 = $(obj:.o=.c)
subst2 = ${obj:%.o=%.s}
subst3 = $(obj:o=)
sfx = .o
subst4 = $(obj:$(sfx)=.x)
name = X
computed = $($(name))
pre = o
computed2 = $($(pre)bj)
nested = $(subst $(X),y,$(X)$(X))
a_b = AB
part = b
computed3 = $(a_$(part))
colonvar = $(foo:)
""", "dollar paren subst1 subst2 subst3 subst4 computed computed2 nested computed3 colonvar"),
    "text-functions": ("""
l = c.c a.o b.h  a.o d.S
f1 = $(filter %.o %.S,$(l))
f2 = $(filter-out %.o,$(l))
f3 = $(patsubst %.o,%.ko,$(l))
f4 = $(patsubst a.o,x,$(l))
f5 = $(patsubst %.o,,$(l))
f6 = $(sort $(l) b.h)
f7 = $(strip   $(l)  )
f8 = $(findstring a.o,$(l))|$(findstring zz,$(l))
f9 = $(firstword $(l))|$(lastword $(l))|$(words $(l))|$(firstword)
f10 = $(word 2,$(l))|$(word 9,$(l))|$(wordlist 2,3,$(l))|$(wordlist 3,2,$(l))|$(wordlist 4,100,$(l))
f11 = $(addprefix p/,$(l))|$(addsuffix .x,a b)
f12 = $(join a b c,1 2)|$(join a,1 2 3)
f13 = $(subst .,_,$(l))|$(subst ,X,ab)
f14 = $(filter a%,abc bcd a)|$(filter %,x y)
f15 = $(patsubst %,[%],a  b   c)
f16 = $(subst a,b, leading and trailing )
""", "f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 f13 f14 f15 f16"),
    "file-name-functions": ("""
p = src/foo.c bar.h dir/ a.b/c /x/y.z.w noext .hidden
d = $(dir $(p))
n = $(notdir $(p))
s = $(suffix $(p))
b = $(basename $(p))
a = $(abspath a/../b ./c /x//y/ sub/.)
""", "d n s b a"),
    "conditional-functions": ("""
empty =
space = $(empty) $(empty)
i1 = $(if x,yes,no)
i2 = $(if $(empty),yes,no)
i3 = $(if $(empty),yes)
i4 = $(if   ,yes,no)
i5 = $(if $(space),yes,no)
o1 = $(or $(empty),,b,c)
o2 = $(or $(empty))
a1 = $(and a,b,c)
a2 = $(and a,,c)
a3 = $(and $(space),x)
lazy = $(if x,ok,$(error not expanded))
""", "i1 i2 i3 i4 i5 o1 o2 a1 a2 a3 lazy"),
    "call-foreach": ("""
reverse = $(2) $(1)
r1 = $(call reverse,a,b)
r2 = $(call reverse,a)
show = [$(0)][$(1)][$(2)][$(3)]
inner = $(call show,x)
outer = $(call inner,A,B,C)
map = $(foreach x,$(2),$(call $(1),$(x)))
up = <$(1)>
r3 = $(call map,up,a b c)
r4 = $(foreach x,a b c,)
r5 = $(foreach x,a b,$(foreach y,1 2,$(x)$(y)))
x = global
r6 = $(foreach x,loop,$(x))|$(x)
fact = $(if $(filter 3,$(words $(2))),$(2),$(call fact,$(1),$(2) x))
r7 = $(call fact,,)
simple := $$(1)
r8 = $(call simple,a)
r9 = $(call undefined_fn,a)
r10 = $(call reverse , a , b )
""", "r1 r2 outer r3 r4 r5 r6 r7 r8 r9 r10"),
    "eval-value-origin": ("""
define tmpl
$(1)_var := $(1)-value
$(1)_rec = $$($(1)_var)
endef
$(foreach n,p q,$(eval $(call tmpl,$(n))))
$(eval single := one)
$(eval multi := a$(\\
)b)
v1 = $(value tmpl)
v2 = $(origin p_var)|$(origin undefined)|$(origin PATH)|$(origin CLI)|$(origin v1)
v3 = $(flavor p_var)|$(flavor p_rec)|$(flavor undefined)
override ov = o
CLI = from-file
override CLI2 += more
""", "p_var p_rec q_var q_rec single v1 v2 v3 ov CLI CLI2", {"CLI": "cli", "CLI2": "cli2"}),
    "shell-export": ("""
s1 = $(shell printf 'a\\nb\\n\\n')
s2 != printf 'x\\ny\\n\\n'
export EXP = exported value
NOEXP = hidden
s3 := $(shell echo "[$$EXP][$$NOEXP]")
export NOEXP
s4 := $(shell echo "[$$NOEXP]")
unexport EXP
s5 := $(shell echo "[$$EXP]")
s6 := $(shell exit 3)$(.SHELLSTATUS)
""", "s1 s2 s3 s4 s5 s6"),
    "info-warning": ("""
$(info plain info)
$(warning a warning)
x = $(info from x)
y := $(x)
$(info  leading space)
""", "y"),
    "rules-do-not-disturb": ("""
all: a b | c
	@echo $(X)
	X = not an assignment
X = real
a b: ; @echo inline
%.o: %.c
	cc -c $<
target: TV = target-specific
ifeq (1,1)
after = yes
endif
.PHONY: all
""", "X after"),
    "kbuild-style": ("""
CONFIG_A = y
CONFIG_B = m
obj-y += core.o
obj-$(CONFIG_A) += a.o sub/
obj-$(CONFIG_B) += b.o
obj-$(CONFIG_C) += c.o
b-y := b1.o b2.o
b-$(CONFIG_A) += b3.o
ccflags-$(CONFIG_A) += -DA
CFLAGS_a.o := -O2
comma := ,
suffix-search = $(strip $(foreach s, $3, $($(1:%$(strip $2)=%$s))))
real = $(foreach m, $1, $(if $(call suffix-search, $m, $2, $3 -), $(call suffix-search, $m, $2, $3), $m))
parts = $(call real, $(obj-m), .o, -objs -y -m)
subdirs = $(patsubst %/,%,$(filter %/, $(obj-y)))
""", "obj-y obj-m parts subdirs ccflags-y CFLAGS_a.o obj-"),
    "brackets-and-odd-names": ("""
x,y = comma-name
d1 := $(subst a,b,${x,y})
d2 := ${subst a,b,${x}abc}
d3 := $(patsubst (%),%,(a) (b))
d5 := $(foo bar)
d.o/x = dotted
d6 := $(d.o/x)
d7 := end$
d8 := $(words a$(nl)b)
define nl


endef
d9 := $(strip a$(nl)b	c)
d10 := $(foreach w,$(nl)a$(nl)b,<$(w)>)
""", "d1 d2 d3 d5 d6 d7 d8 d9 d10"),
    "directives": ("""
export A B
export C := c
override export D = d
private P = p
unexport E
E = e
U = u
undefine U
vpath %.c src
define x
body
endef # comment after endef
empty =
ifdef empty
r1 = yes
else
r1 = no
endif
ref = $(empty)
ifdef ref
r2 = yes
endif
lazy = 1
lazy += $(later)
later = L
simple := s
simple += $(later)
""", "A C D P E U x r1 r2 lazy simple"),
    "eval-rules-and-recipes": ("""
define rule
$(1): dep
	@echo recipe $(1)
$(1)_var := $(1)
endef
$(eval $(call rule,t1))
$(eval $(call rule,t2))
t3:
ifeq (1,1)
	@echo in recipe
endif
after = ok
""", "t1_var t2_var after"),
    "tab-lines": ("""
x := 1
$(eval y := 2)
	z := 3
$(empty)
	w := 4
foo: ;
	v := 5
$(eval u := 6)
	t := 7
""", "y z w v u t"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_against_gnu_make(tmp_path, case):
    spec = CASES[case]
    text, names = spec[0], spec[1].split()
    cli = spec[2] if len(spec) > 2 else None
    check(tmp_path, text, names, command_line=cli)


def test_include_variants(tmp_path):
    files = {
        "inc/one.mk": "one := 1\nINC_LIST := $(MAKEFILE_LIST)\n",
        "two.mk": "two = 2 $(one)\n",
    }
    text = """
include inc/one.mk two.mk
-include missing.mk
sinclude also-missing.mk
files = two
include $(files:%=%.mk)
l = $(MAKEFILE_LIST)
"""
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    g = gnu_make(tmp_path, text.strip() + "\n", ["one", "two", "INC_LIST"])
    o = ours(tmp_path, text.strip() + "\n", ["one", "two", "INC_LIST"])
    assert g[3] == 0
    assert o[0]["one"] == g[0]["one"] and o[0]["two"] == g[0]["two"]
    assert o[0]["INC_LIST"][2] == g[0]["INC_LIST"][2].replace("main.mk", "ours.mk")


def test_wildcard_realpath(tmp_path):
    for name in ("b.c", "a.c", "sub/x.c", "sub/y.h", "z.o"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    os.symlink("sub", tmp_path / "link")
    text = """
w1 = $(wildcard *.c)
w2 = $(wildcard sub/*.[ch] nothere.c z.o)
w3 = $(wildcard */*.c)
r1 = $(realpath link/x.c missing sub/../a.c)
"""
    check(tmp_path, text, "w1 w2 w3 r1".split())


def test_special_variables(tmp_path):
    text = "".join(f"o_{n} := $(origin {n})|$(flavor {n})\n" for n in (
        "MAKECMDGOALS", "MAKELEVEL", "MAKEFLAGS", "CURDIR", "SHELL", "MAKE", ".SHELLSTATUS",
        "MAKE_VERSION"))
    text += "c := $(CURDIR)\n"
    names = [line.split(" ")[0] for line in text.splitlines()]
    values, _infos, err, rc = gnu_make(tmp_path, text, names)
    values.pop("o_MAKECMDGOALS")  # the probe itself passes a goal to GNU make
    o_values = ours(tmp_path, text, names)[0]
    o_values.pop("o_MAKECMDGOALS")
    assert o_values == values
    mk = Make(base_dir=str(tmp_path))
    assert mk.origin("MAKECMDGOALS") == "undefined"


def test_file_function(tmp_path):
    (tmp_path / "in.txt").write_text("line one\nline two\n")
    text = """
newline := $(file < in.txt)
missing := [$(file < nothere.txt)]
$(file > out.txt,first)
$(file >> out.txt,second)
$(file >> out.txt)
back := $(file <out.txt)
read-file = $(subst $(newline),$(space),$(file < $1))
"""
    vals = check(tmp_path, text, "newline missing back".split())
    assert vals["back"][2] == "first\nsecond"


def test_recursive_variable_error(tmp_path):
    text = "a = $(b)\nb = $(a)\nx := $(a)\n"
    (tmp_path / "m.mk").write_text(text)
    r = subprocess.run([GNU_MAKE, "-f", "m.mk"], cwd=tmp_path, capture_output=True, text=True)
    assert "m.mk:1: *** Recursive variable 'a' references itself (eventually)" in r.stderr
    mk = Make(base_dir=str(tmp_path))
    with pytest.raises(MakeError) as e:
        mk.read("m.mk")
    assert str(e.value) == "m.mk:1: Recursive variable 'a' references itself (eventually)"


@pytest.mark.parametrize("text,message", [
    ("x = 1\n$(error stop here $(x))\n", "stop here 1"),
    ("a\n", "missing separator"),
    ("x := $(foo\n", "unterminated variable reference"),
    ("ifeq (a,b)\nx = 1\n", "missing 'endif'"),
    ("x = 1\nendif\n", "extraneous 'endif'"),
    ("x := $(word 0,a b)\n", "first argument to 'word' function must be greater than 0"),
    ("x := $(word x,a b)\n", "non-numeric first argument to 'word' function: 'x'"),
    ("x = 1\ninclude nothere.mk\n", "nothere.mk: No such file or directory"),
    ("x := $(subst (,[,a(b))\n", "unterminated call to function 'subst': missing ')'"),
    ("foo bar = spaced\n", "missing separator"),
    ("define x\nbody\n", "missing 'endef', unterminated 'define'"),
])
def test_errors_carry_file_and_line(tmp_path, text, message):
    (tmp_path / "m.mk").write_text(text)
    r = subprocess.run([GNU_MAKE, "-f", "m.mk"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode != 0
    m = re.search(r"^(m\.mk):(\d+): (?:\*\*\* )?(.*?)(?:\.  Stop\.)?$", r.stderr, re.M)
    assert m, r.stderr
    mk = Make(base_dir=str(tmp_path))
    with pytest.raises(MakeError) as e:
        mk.read("m.mk")
    assert message in m.group(3)
    assert (e.value.file, e.value.line) == ("m.mk", int(m.group(2)))
    assert message in e.value.message


def test_rules_are_recorded(tmp_path):
    mk = Make(base_dir=str(tmp_path))
    mk.eval_text("""
obj := out
all: $(obj)/a.o $(obj)/b.o | $(obj)/
\t@echo linking
\t$(CC) -o $@ $^
$(obj)/%.o: %.c FORCE ; cc -c $<
lib.a:: x.o
targets: private X := 1
$(obj)/a.o $(obj)/b.o: $(obj)/%.o: %.S
""")
    r = mk.rules
    assert [x.targets for x in r] == [["all"], ["out/%.o"], ["lib.a"], ["out/a.o", "out/b.o"]]
    assert r[0].prerequisites == ["out/a.o", "out/b.o"] and r[0].order_only == ["out/"]
    assert r[0].recipe == ["@echo linking", "$(CC) -o $@ $^"]
    assert r[1].recipe == ["cc -c $<"] and r[1].prerequisites == ["%.c", "FORCE"]
    assert r[2].double_colon
    assert r[3].target_pattern == "out/%.o" and r[3].prerequisites == ["%.S"]
    assert [(t.targets, t.name, t.op) for t in mk.target_variables] == [(["targets"], "X", ":=")]
    assert mk.value("X") == ""


def test_shell_hook_cache_and_disable(tmp_path):
    seen = []

    def hook(cmd):
        seen.append(cmd)
        return "answered\n" if cmd.startswith("probe") else None

    cache: dict = {}
    mk = Make(base_dir=str(tmp_path), shell=hook, shell_cache=cache)
    mk.eval_text("a := $(shell probe 1)\nb := $(shell echo real)\nc := $(shell echo real)\n")
    assert (mk.value("a"), mk.value("b"), mk.value("c")) == ("answered", "real", "real")
    assert len(cache) == 1 and seen.count("echo real") == 2
    mk2 = Make(base_dir=str(tmp_path), run_shell=False)
    mk2.eval_text("a := [$(shell echo not run)]\n")
    assert mk2.value("a") == "[]"


def test_messages_callback_and_no_output(tmp_path, capsys):
    got = []
    mk = Make(base_dir=str(tmp_path), on_message=lambda *m: got.append(m))
    mk.eval_text("$(info hello)\n$(warning careful)\n", filename="k.mk")
    assert got == [("info", "hello", "k.mk", 1), ("warning", "careful", "k.mk", 2)]
    assert capsys.readouterr() == ("", "")


def test_fork_shares_state_without_leaking(tmp_path):
    base = Make(base_dir=str(tmp_path))
    base.eval_text("a := 1\nl = x\n")
    f1 = base.fork({"obj": "d1"})
    f1.eval_text("a += 2\nl += $(obj)\n")
    f2 = base.fork({"obj": "d2"})
    f2.eval_text("l += $(obj)\n")
    assert (base.value("a"), base.value("l")) == ("1", "x")
    assert (f1.value("a"), f1.value("l"), f2.value("l")) == ("1 2", "x d1", "x d2")
    assert f1.origin("obj") == "command line"


def test_assignment_trace_reports_every_branch(tmp_path):
    recs = []
    mk = Make(base_dir=str(tmp_path), variables={"CONFIG_A": "y"})
    mk.trace = recs.append
    mk.eval_text("""
obj-$(CONFIG_A) += a.o
ifeq ($(CONFIG_A),y)
obj-y += on.o
else ifdef CONFIG_B
obj-y += b.o
else
obj-y += off.o
endif
""", filename="t.mk")
    assert mk.value("obj-y") == "a.o on.o"
    got = [(r.raw_name, r.words, r.line, [(c[0], c[3]) for c in r.conditions]) for r in recs]
    assert got == [
        ("obj-$(CONFIG_A)", ["a.o"], 2, []),
        ("obj-y", ["on.o"], 4, [("ifeq", True)]),
        ("obj-y", ["b.o"], 6, [("ifeq", False), ("ifdef", True)]),
        ("obj-y", ["off.o"], 8, [("ifeq", False), ("ifdef", False)]),
    ]
    assert all(r.file == "t.mk" for r in recs)
