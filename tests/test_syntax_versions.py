"""Syntax of other kernel versions: older 'option ...', '---help---', 'boolean', optional
choices; newer 'transitional' and 'depends on A if B'."""

import os
import subprocess
import sys

import pytest

CONF = [sys.executable, "-m", "kbuild.conf"]


def conf(tmp_path, kconfig, mode="--olddefconfig", env=None, config=None, ok=True):
    (tmp_path / "Kconfig").write_text(kconfig)
    if config is not None:
        (tmp_path / ".config").write_text(config)
    e = dict(os.environ, srctree=str(tmp_path), **(env or {}))
    e.pop("KCONFIG_DEFCONFIG_LIST", None)
    p = subprocess.run(CONF + ["-s", mode, "Kconfig"], cwd=tmp_path, env=e,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert (p.returncode == 0) == ok, p.stderr
    assert "Traceback" not in p.stderr
    return (tmp_path / ".config").read_text() if (tmp_path / ".config").exists() else "", p


OLD = '''
config ARCH
\tstring
\toption env="ARCH"
config DEFCONFIG_LIST
\tstring
\toption defconfig_list
\tdefault "old.config"
config MODULES
\tboolean "Enable loadable module support"
\toption modules
config EMBEDDED
\tbool "Embedded"
\toption allnoconfig_y
config DRV
\ttristate "driver"
\tdefault m
\t---help---
\t  Old style help.
choice
\tprompt "optional choice"
\toptional
config C1
\tbool "one"
config C2
\tbool "two"
endchoice
'''


def test_old_options(tmp_path):
    (tmp_path / "old.config").write_text("CONFIG_MODULES=y\n")
    text, p = conf(tmp_path, OLD, env={"ARCH": "arm"})
    assert "CONFIG_ARCH" not in text          # env symbols are not written
    assert "CONFIG_MODULES=y" in text         # from the defconfig_list fallback
    assert "CONFIG_DRV=m" in text             # 'option modules' made m possible
    assert "# CONFIG_C1 is not set" in text and "# CONFIG_C2 is not set" in text


def test_old_allnoconfig_y(tmp_path):
    text, _ = conf(tmp_path, OLD, mode="--allnoconfig", env={"ARCH": "arm"})
    assert "CONFIG_EMBEDDED=y" in text
    assert "# CONFIG_MODULES is not set" in text


def test_optional_choice_keeps_user_pick(tmp_path):
    text, _ = conf(tmp_path, OLD, env={"ARCH": "arm"}, config="CONFIG_C2=y\n")
    assert "CONFIG_C2=y" in text


NEW = '''
config OLD_NAME
\tbool
\ttransitional
config NEW_NAME
\tbool "new"
\tdefault OLD_NAME
config A
\tbool "a"
config B
\tbool "b"
\tdefault y
\tdepends on A if C
config C
\tbool "c"
'''


def test_transitional_and_conditional_depends(tmp_path):
    text, _ = conf(tmp_path, NEW, config="CONFIG_OLD_NAME=y\nCONFIG_C=y\n")
    assert "OLD_NAME" not in text.replace("NEW_NAME", "")
    assert "CONFIG_NEW_NAME=y" in text
    assert "CONFIG_B" not in text            # C=y, so B needs A: hidden
    text, _ = conf(tmp_path, NEW, config="CONFIG_C=n\n")
    assert "CONFIG_B=y" in text              # C=n: the dependency does not apply


def version(v, p):
    return {"VERSION": str(v), "PATCHLEVEL": str(p)}


@pytest.mark.parametrize("env", [{}, version(4, 19), version(5, 10), version(6, 11),
                                 {"VERSION": "2024", "PATCHLEVEL": "01"}],
                         ids=["no-version", "4.19", "5.10", "6.11", "u-boot-2024.01"])
def test_old_syntax_in_older_trees(tmp_path, env):
    (tmp_path / "old.config").write_text("CONFIG_MODULES=y\n")
    text, _ = conf(tmp_path, OLD, env=dict(env, ARCH="arm"))
    assert "CONFIG_DRV=m" in text


@pytest.mark.parametrize("env", [version(6, 12), version(6, 18)], ids=["6.12", "6.18"])
def test_old_syntax_rejected_from_612(tmp_path, env):
    _, p = conf(tmp_path, OLD, env=dict(env, ARCH="arm"), ok=False)
    assert p.returncode == 1
    assert 'Kconfig:4: unknown statement "option"' in p.stderr


@pytest.mark.parametrize("env", [{}, version(6, 18)], ids=["no-version", "6.18"])
def test_new_syntax_in_newer_trees(tmp_path, env):
    text, _ = conf(tmp_path, NEW, config="CONFIG_OLD_NAME=y\n", env=env)
    assert "CONFIG_NEW_NAME=y" in text


@pytest.mark.parametrize("env", [version(5, 10), version(6, 12)], ids=["5.10", "6.12"])
def test_new_syntax_rejected_up_to_612(tmp_path, env):
    _, p = conf(tmp_path, NEW, env=env, ok=False)
    assert 'Kconfig:4: unknown statement "transitional"' in p.stderr
    assert "Kconfig:13: invalid statement" in p.stderr


CHOICES_611 = '''
config MODULES
\tbool "modules"
\tdefault y
\tmodules
config CMDLINE
\tstring "cmdline"
\tdefault ""
choice
\tprompt "Enumeration method"
config ENUM_A
\ttristate "A"
config ENUM_B
\ttristate "B"
endchoice
choice
\tprompt "Command line type" if CMDLINE != ""
\tdefault FROM_LOADER
config FROM_LOADER
\tbool "from the boot loader"
config FORCE
\tbool "forced"
endchoice
'''


def test_choices_before_611(tmp_path):
    """A 6.1 tree's choices are symbols with a value: a tristate choice at m has every member
    at m, and a choice whose prompt is hidden is n with all its members (not written).  (What
    Linux 6.1's conf writes for this input; test_compat_old and test_old_selftest compare the
    real trees with the real C conf.)"""
    text, _ = conf(tmp_path, CHOICES_611, mode="--allmodconfig", env=version(6, 1))
    lines = [ln for ln in text.splitlines() if ln.startswith("CONFIG_")]
    assert lines == ["CONFIG_MODULES=y", 'CONFIG_CMDLINE=""', "CONFIG_ENUM_A=m", "CONFIG_ENUM_B=m"]


def test_tristate_choice_is_an_error_from_611(tmp_path):
    _, p = conf(tmp_path, CHOICES_611, mode="--allmodconfig", env=version(6, 12), ok=False)
    assert p.stderr == ("Kconfig:11: error: choice member must be bool\n"
                        "Kconfig:13: error: choice member must be bool\n")
