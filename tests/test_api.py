"""The engine's Python API on a small tree."""

import os
import textwrap

import pytest

from kbuild.kconfig import KconfigError, load

KCONFIG = textwrap.dedent('''\
    mainmenu "Demo"
    config MODULES
    \tbool "modules"
    \tdefault y
    \tmodules
    menu "Features"
    config SMP
    \tbool "SMP"
    \tdefault y
    config PM_SLEEP_SMP
    \tdef_bool SMP && SUSPEND
    config SUSPEND
    \tbool "Suspend"
    config KEXEC
    \tbool "Kexec"
    \tdepends on !SMP || PM_SLEEP_SMP
    config NR
    \tint "CPUs"
    \trange 2 8
    \tdefault 4
    endmenu
    ''')


@pytest.fixture
def kc(tmp_path, monkeypatch):
    (tmp_path / "Kconfig").write_text(KCONFIG)
    monkeypatch.chdir(tmp_path)
    return load("Kconfig", environ={"srctree": str(tmp_path)})


def test_values_and_expressions(kc):
    assert kc.mainmenu_text() == "Demo"
    assert kc["SMP"].value() == "y"
    assert kc.eval_expr("!SMP || PM_SLEEP_SMP") == 0
    assert kc["KEXEC"].value() == "n" and kc["KEXEC"].visible == 0
    assert kc.set_value("SUSPEND", "y")
    assert kc.eval_expr("!SMP || PM_SLEEP_SMP") == 2
    assert kc.set_value("KEXEC", "y")
    assert kc["KEXEC"].value() == "y"


def test_range_and_refusal(kc):
    assert not kc.set_value("NR", "9")
    assert kc.set_value("NR", "8")
    assert kc["NR"].value() == "8"
    with pytest.raises(KeyError):
        kc["NOPE"]
    with pytest.raises(KconfigError):
        kc.eval_expr("SMP &&")


def test_menu_walk_and_write(kc, tmp_path):
    prompts = [m.prompt_text() for m in kc.walk_menus() if m.prompt is not None]
    assert prompts[:3] == ["modules", "Features", "SMP"]
    assert kc.write_config() == 0
    text = (tmp_path / ".config").read_text()
    assert "# Features\n" in text and "CONFIG_NR=4\n" in text
    assert kc.write_min_config(str(tmp_path / "defconfig")) == 0
    assert (tmp_path / "defconfig").read_text() == ""


def test_load_without_help_texts(tmp_path, monkeypatch):
    """load(help=False) keeps no help texts but gives the same tree, values and warnings."""
    (tmp_path / "Kconfig").write_text(textwrap.dedent('''\
        config A
        \tbool "a"
        \tdefault y
        \thelp
        \t  Some help.

        config B
        \tbool "b"
        \thelp

        config C
        \tbool "c"
        \tdepends on A
        \thelp
        \t  first
        \thelp
        \t  second
        '''))
    monkeypatch.chdir(tmp_path)
    got = {}
    for keep in (True, False):
        errs = []
        kc = load("Kconfig", environ={"srctree": str(tmp_path)}, stderr=errs.append, help=keep)
        menus = [m for m in kc.rootmenu.walk() if m.sym is not None]
        got[keep] = ([(m.sym.name, m.lineno, m.sym.curr_tri) for m in menus], errs)
        assert kc.help_loaded is keep
        helps = [m.help for m in menus]
        assert helps == (["Some help.\n", "", "second\n"] if keep else ["", "", ""])
    assert got[True] == got[False]
    # (what the C conf prints: the line where the help text ended)
    assert got[False][1] == ["Kconfig:11: warning: 'B' defined with blank help text\n",
                             "Kconfig:18: warning: 'C' defined with more than one help text -- "
                             "only the last one will be used\n"]


@pytest.mark.parametrize("prefetch", ["1", "0"])
def test_shell_commands_see_the_configuration_environment(tmp_path, monkeypatch, prefetch):
    """$(shell ...) runs in the environment the tree is configured in (what make would export),
    not the calling process's: a probe such as `... | $CC -x c -` reads it."""
    monkeypatch.delenv("KBUILD_TEST_PROBE", raising=False)
    (tmp_path / "Kconfig").write_text('config A\n\tstring "a"\n\tdefault "$(shell,echo $KBUILD_TEST_PROBE)"\n')
    env = dict(os.environ, srctree=str(tmp_path), KBUILD_TEST_PROBE="from-environ",
               KBUILD_PREFETCH=prefetch)
    kc = load(str(tmp_path / "Kconfig"), environ=env)
    assert kc["A"].value() == "from-environ"
