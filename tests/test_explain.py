"""find/show/why/diff on a small Kconfig that has the shapes of the kernel's hard cases: a
prompt-less helper (like ARCH_SUPPORTS_KEXEC), a select chain, a choice, a `visible if` menu
and a comparison.  Every `why` answer is checked by applying the suggested change."""

from __future__ import annotations

import io
import json
import os

import pytest

from kbuild import cli
from kbuild.explain import diff as kdiff
from kbuild.explain.find import find, menu_path
from kbuild.explain.show import show, value_origin
from kbuild.explain.edit import apply_edits
from kbuild.explain.why import fix_plan, format_why, why
from kbuild.kconfig import load

KCONFIG = """\
mainmenu "Test"
menu "Kernel Features"
config SMP
	bool "Symmetric Multi-Processing"
	default y
endmenu
menu "Power management options"
config SUSPEND
	bool "Suspend to RAM and standby"
	default y
config HIBERNATION
	bool "Hibernation"
	select HIBERNATE_CALLBACKS
config HIBERNATE_CALLBACKS
	bool
config PM_SLEEP
	def_bool y
	depends on SUSPEND || HIBERNATE_CALLBACKS
config PM_SLEEP_SMP
	def_bool y
	depends on SMP
	depends on PM_SLEEP
endmenu
config ARCH_SUPPORTS_KEXEC
	def_bool (!SMP || PM_SLEEP_SMP)
menu "Boot options"
config KEXEC
	bool "Kexec system call"
	depends on ARCH_SUPPORTS_KEXEC
	select KEXEC_CORE
	help
	  Kexec.
config KEXEC_CORE
	bool
endmenu
menu "Hidden stuff"
	visible if EXPERT
config EXPERT
	bool "Expert" if n
config FANCY
	bool "Fancy feature"
endmenu
config LEVEL
	int "Level"
	default 3
config NEEDS_LEVEL
	bool "Needs level 5"
	depends on LEVEL = 5
choice
	prompt "Compression"
	default GZIP
config GZIP
	bool "gzip"
config XZ
	bool "xz"
	depends on SMP
endchoice
config SELECTED
	bool "Selected"
config SELECTOR
	bool "Selector"
	select SELECTED
config CODEC
	bool
	depends on MFD
config MFD
	bool "MFD core"
config ALL_CODECS
	bool "All codecs"
	imply CODEC
config CMP_A
	bool "A"
config CMP_B
	bool "B"
	default y
config NEEDS_ORDER
	bool "Needs A >= B"
	depends on CMP_A >= CMP_B
config DEPTH
	int "Depth"
	depends on SMP
	default 1
config NEEDS_DEPTH
	bool "Needs depth 4"
	depends on DEPTH = 4
config EARLY
	bool "Early"
	default y
config LATE_FLAG
	bool "Late flag"
config DEFAULTED
	bool
	default n if EARLY
	default y if LATE_FLAG
config NEVER
	bool
config HELPER
	bool
""" + "".join("config SEL%d\n\tbool \"Selector %d\"\n\tdepends on NEVER\n\tselect HELPER\n" % (i, i)
              for i in range(1, 6)) + """config SEL6
	bool "Selector 6"
	select HELPER
"""


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "Kconfig").write_text(KCONFIG)
    return tmp_path


def kload(tree, config_lines=()):
    (tree / ".config").write_text("".join(line + "\n" for line in config_lines))
    old = os.getcwd()
    os.chdir(tree)
    try:
        kc = load("Kconfig", environ={"srctree": "."})
        kc.read_config(None)
    finally:
        os.chdir(old)
    return kc


def apply_and_check(tree, lines, sym, want):
    kc = kload(tree, lines)
    assert kc.set_value(sym, want), (sym, want, lines)


def test_find(tree):
    kc = kload(tree)
    syms = find(kc, "KEXEC")
    assert [s.name for s in syms][:1] == ["KEXEC"]
    assert "ARCH_SUPPORTS_KEXEC" in [s.name for s in syms]
    assert [s.name for s in find(kc, "symmetric multi")] == ["SMP"]
    assert menu_path(kc, kc["KEXEC"].menus[0]) == "Boot options -> Kexec system call"


def test_show_origins(tree):
    kc = kload(tree, ["# CONFIG_SMP is not set", "CONFIG_SELECTOR=y"])
    assert value_origin(kc, kc["SMP"])["kind"] == "user"
    assert value_origin(kc, kc["SUSPEND"])["kind"] == "default"
    o = value_origin(kc, kc["SELECTED"])
    assert o["kind"] == "select" and o["by"] == ["SELECTOR"]
    rec = show(kc, kc["KEXEC"])
    assert "Symbol: KEXEC" in rec["help"] and "Kexec." in rec["help"]
    assert rec["definitions"][0]["location"] == "Boot options -> Kexec system call"


def test_why_kexec_story(tree):
    kc = kload(tree, ["CONFIG_SMP=y", "# CONFIG_SUSPEND is not set"])
    rec = why(kc, kc["KEXEC"], "y")
    assert rec["value"] == "n" and not rec["ok"]
    text = json.dumps(rec)
    assert "ARCH_SUPPORTS_KEXEC" in text and "PM_SLEEP_SMP" in text and "PM_SLEEP" in text
    assert set(rec["settable"]) == {"SMP", "SUSPEND", "HIBERNATION"}
    base = ["CONFIG_SMP=y", "# CONFIG_SUSPEND is not set"]
    # each suggested change, applied alone, makes KEXEC settable
    for fix in (["# CONFIG_SMP is not set"], ["CONFIG_SUSPEND=y"], ["CONFIG_HIBERNATION=y"]):
        apply_and_check(tree, base + fix, "KEXEC", "y")


def test_why_visible_if_and_compare(tree):
    kc = kload(tree)
    rec = why(kc, kc["FANCY"], "y")
    assert rec["settable"] == [] and "EXPERT" in json.dumps(rec)
    rec = why(kc, kc["NEEDS_LEVEL"], "y")
    assert rec["settable"] == ["LEVEL"] and "LEVEL [=3]=5 is false" in json.dumps(rec)
    apply_and_check(tree, ["CONFIG_LEVEL=5"], "NEEDS_LEVEL", "y")


def test_why_int(tree):
    kc = kload(tree)
    rec = why(kc, kc["LEVEL"], "y")
    assert rec["ok"] and rec["settable"] == ["LEVEL"]


def test_why_choice_and_select(tree):
    kc = kload(tree, ["# CONFIG_SMP is not set"])
    rec = why(kc, kc["XZ"], "y")
    assert "SMP" in rec["settable"]
    kc = kload(tree, ["CONFIG_SELECTOR=y"])
    rec = why(kc, kc["SELECTED"], "n")
    assert rec["settable"] == ["SELECTOR"]
    apply_and_check(tree, ["# CONFIG_SELECTOR is not set"], "SELECTED", "n")
    kc = kload(tree)
    rec = why(kc, kc["SMP"], "n")
    assert rec["ok"] and rec["reason"]["settable"]


def follow_plan(kc, name, want="y"):
    """Apply what `why` suggests (fix_plan), as the kernel-tree test does; the value reached."""
    plan = fix_plan(why(kc, kc[name], want))
    assert plan is not None, format_why(kc, why(kc, kc[name], want))
    apply_edits(kc, [(kc[a], v) for a, v in plan] + [(kc[name], want)])
    return plan, kc[name].str_value()


def test_why_choice_member(tree):
    # the choice is visible, another member is picked: pick it there
    kc = kload(tree)
    rec = why(kc, kc["XZ"], "y")
    text = format_why(kc, rec)
    assert 'pick it in the choice "Compression" (Kconfig:' in text
    assert "where GZIP is picked now" in text
    assert rec["reason"]["choice"]["picked"] == "GZIP"
    assert follow_plan(kc, "XZ") == ([("XZ", "y")], "y")
    # its entry is hidden: make it shown, then pick it (the member's own line says which choice)
    kc = kload(tree, ["# CONFIG_SMP is not set"])
    text = format_why(kc, why(kc, kc["XZ"], "y"))
    assert 'pick it in the choice "Compression"' in text and "once its entry there is shown" in text
    assert "SMP [=n] must be y" in text
    assert follow_plan(kc, "XZ") == ([("SMP", "y"), ("XZ", "y")], "y")
    # off: pick another member
    kc = kload(tree)
    text = format_why(kc, why(kc, kc["GZIP"], "n"))
    assert 'it is the member picked in the choice "Compression"' in text and "XZ [=n]: pick it instead" in text
    assert follow_plan(kc, "GZIP", "n") == ([("XZ", "y")], "n")
    kc = kload(tree, ["# CONFIG_SMP is not set"])
    assert "no other member can be picked now" in format_why(kc, why(kc, kc["GZIP"], "n"))


def test_why_imply_needs_own_dependencies(tree):
    # an imply, unlike a select, stops at the implied symbol's `depends on`
    kc = kload(tree)
    rec = why(kc, kc["CODEC"], "y")
    text = format_why(kc, rec)
    assert "implied by ALL_CODECS" in text and "its own dependencies (depends on MFD [=n])" in text
    assert follow_plan(kc, "CODEC") == ([("ALL_CODECS", "y"), ("MFD", "y")], "y")


def test_why_tristate_comparison(tree):
    # `depends on A >= B`: raise A (lowering B, which NEEDS_ORDER does not need on, is the other way)
    kc = kload(tree)
    rec = why(kc, kc["NEEDS_ORDER"], "y")
    assert set(rec["settable"]) == {"CMP_A", "CMP_B"}
    assert follow_plan(kc, "NEEDS_ORDER") == ([("CMP_A", "y"), ("NEEDS_ORDER", "y")], "y")


def test_why_compare_with_hidden_int(tree):
    # `depends on DEPTH = 4` while DEPTH's prompt is hidden: show it, then set it to 4
    kc = kload(tree, ["# CONFIG_SMP is not set"])
    text = format_why(kc, why(kc, kc["NEEDS_DEPTH"], "y"))
    assert "DEPTH [=0] must be 4, but its prompt is hidden" in text
    assert follow_plan(kc, "NEEDS_DEPTH") == ([("SMP", "y"), ("DEPTH", "4"), ("NEEDS_DEPTH", "y")], "y")


def test_why_first_default_wins(tree):
    # `default y if LATE_FLAG` counts only once the earlier `default n if EARLY` stops applying
    kc = kload(tree)
    text = format_why(kc, why(kc, kc["DEFAULTED"], "y"))
    assert "the earlier `default n if EARLY` (Kconfig:" in text
    assert follow_plan(kc, "DEFAULTED") == ([("EARLY", "n"), ("LATE_FLAG", "y")], "y")


def test_why_many_selectors(tree):
    # of more selectors than are followed, the ones that can be set come first; the rest are named
    kc = kload(tree)
    rec = why(kc, kc["HELPER"], "y")
    text = format_why(kc, rec)
    assert "SEL6 [=n] must be y" in text and "it would also be y if selected by one of:" in text
    assert follow_plan(kc, "HELPER") == ([("SEL6", "y")], "y")


def test_why_visible_if_menu_named(tree):
    kc = kload(tree)
    text = format_why(kc, why(kc, kc["FANCY"], "y"))
    assert 'the menu "Hidden stuff" (Kconfig:' in text and "is shown only if EXPERT [=n]" in text
    assert fix_plan(why(kc, kc["FANCY"], "y")) is None     # EXPERT's prompt is `if n`


def test_diff_and_explain(tree):
    old = kload(tree, ["CONFIG_SMP=y", "CONFIG_SUSPEND=y", "CONFIG_KEXEC=y"])
    (tree / "old").write_text(old.config_text())
    new = kload(tree, ["CONFIG_SMP=y", "# CONFIG_SUSPEND is not set", "CONFIG_KEXEC=y"])
    (tree / "new").write_text(new.config_text())
    a, b = kdiff.read_config_file(tree / "old"), kdiff.read_config_file(tree / "new")
    changes = kdiff.diff(a, b)
    text = kdiff.format_diff(changes)
    assert " SUSPEND y -> n" in text and "-KEXEC y" in text and "-PM_SLEEP y" in text
    rec = kdiff.explain(new, changes, tree / "old", tree / "new")
    assert [r["symbol"] for r in rec["roots"]] == ["SUSPEND"]
    flat = json.dumps(rec)
    assert "KEXEC" in flat and "ARCH_SUPPORTS_KEXEC" in flat


def test_genconfig(tree):
    from kbuild.explain.genconfig import generate
    kc = kload(tree, ["CONFIG_SELECTOR=y"])
    assert "#define CONFIG_SELECTED 1\n" in generate(kc, "header")
    assert "CONFIG_LEVEL=3\n" in generate(kc, "make")
    assert 'set(CONFIG_SMP "y")' in generate(kc, "cmake")
    data = json.loads(generate(kc, "json"))
    assert data["LEVEL"] == 3 and data["SELECTED"] == "y" and data["KEXEC"] == "n"
    menus = json.loads(generate(kc, "json-menus"))
    assert menus["title"] == "Test"
    assert menus["menus"][0]["prompt"] == "Kernel Features"
    assert menus["menus"][0]["children"][0]["symbol"] == "SMP"


def test_cli_questions(tree):
    (tree / ".config").write_text("")
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(tree)
    try:
        assert cli.main(["why", "KEXC"], environ={}, stdout=out, stderr=err) == 1
        assert "did you mean: KEXEC" in err.getvalue()
        assert cli.main(["find", "kexec", "--json"], environ={}, stdout=out, stderr=err) == 0
        assert cli.main(["why", "SMP=q"], environ={}, stdout=out, stderr=err) == 2
        out.seek(0)
        out.truncate(0)
        assert cli.main(["show", "CONFIG_SMP"], environ={}, stdout=out, stderr=err) == 0
        assert out.getvalue().startswith("SMP = y")
    finally:
        os.chdir(old)
