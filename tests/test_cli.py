"""The `kbuild` command line on a small project, and what kernel.py derives from a Linux tree."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from kbuild import cli
from kbuild.kconfig import kernel

KCONFIG = """\
mainmenu "Demo"
menu "Features"
config A
	bool "Option A"
	default y
config B
	bool "Option B"
	depends on A
config HELPER
	bool
	default y if A
endmenu
config C
	tristate "C"
	depends on HELPER
"""


def run(argv, cwd, env=None):
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        rc = cli.main(argv, environ=env or {"PATH": os.environ.get("PATH", "")},
                      stdin=io.StringIO(""), stdout=out, stderr=err)
    finally:
        os.chdir(old)
    return rc, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path):
    (tmp_path / "Kconfig").write_text(KCONFIG)
    return tmp_path


def test_olddefconfig_and_savedefconfig(project):
    rc, out, err = run(["olddefconfig", "savedefconfig"], project)
    assert rc == 0, err
    text = (project / ".config").read_text()
    assert "CONFIG_A=y" in text and "# CONFIG_B is not set" in text
    assert (project / "defconfig").read_text() == ""       # all at their defaults


def test_build_dir_and_variables(project, tmp_path):
    rc, out, err = run(["-s", "-C", str(project), "O=build", "allyesconfig"], tmp_path)
    assert rc == 0, err
    assert out == ""
    # as with make -C: a relative O= is taken in the -C directory
    assert "CONFIG_B=y" in (project / "build/.config").read_text()
    assert not (project / ".config").exists()


def test_make_options_accepted(project):
    rc, out, err = run(["-j", "8", "-j4", "-k", "olddefconfig"], project)
    assert rc == 0, err


def test_project_file_defconfig(project):
    (project / "configs").mkdir()
    (project / "configs/defconfig").write_text("CONFIG_B=y\n")
    (project / "kbuild.toml").write_text('defconfig = "configs/defconfig"\n')
    rc, out, err = run(["defconfig"], project)
    assert rc == 0, err
    assert "CONFIG_B=y" in (project / ".config").read_text()


def test_unknown_target_did_you_mean(project):
    rc, out, err = run(["alnoconfig"], project)
    assert rc == 2
    assert err.startswith("kbuild: unknown target 'alnoconfig'") and "allnoconfig" in err
    assert err.count("\n") == 1


def test_usage_and_help(project):
    assert run([], project)[0] == 2
    rc, out, _ = run(["--help"], project)
    assert rc == 0 and "usage: kbuild" in out
    rc, out, _ = run(["--help", "savedefconfig"], project)
    assert rc == 0 and out.startswith("savedefconfig:")
    rc, out, _ = run(["why", "--help"], project)
    assert rc == 0 and "why" in out
    rc, _, err = run(["--bogus"], project)
    assert rc == 2 and "unknown option" in err


def test_no_kconfig(tmp_path):
    rc, out, err = run(["olddefconfig"], tmp_path)
    assert rc == 1 and "no Kconfig" in err


def test_merge_config_semantics(tmp_path):
    (tmp_path / ".config").write_text("CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_AB=y\n")
    (tmp_path / "f.config").write_text("CONFIG_B=y\n")
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        cli.merge_config(".config", ["f.config"], ".config", out, err)
    finally:
        os.chdir(old)
    assert (tmp_path / ".config").read_text() == "CONFIG_A=y\nCONFIG_AB=y\n\nCONFIG_B=y\n"
    assert "Value of CONFIG_B is redefined by fragment f.config:" in out.getvalue()
    assert "Previous value: # CONFIG_B is not set\n" in out.getvalue()


# --- kernel.py ---------------------------------------------------------------

@pytest.mark.parametrize("machine,subarch", [
    ("x86_64", "x86"), ("i686", "x86"), ("aarch64", "arm64"), ("armv7l", "arm"), ("arm64", "arm64"),
    ("ppc64le", "powerpc"), ("mips64", "mips"), ("riscv64", "riscv"), ("s390x", "s390"),
    ("sun4u", "sparc64"), ("sh4", "sh"), ("loongarch64", "loongarch")])
def test_subarch(machine, subarch):
    assert kernel.subarch_of(machine) == subarch


def fake_tree(tmp_path, extraversion="-rc1"):
    src = tmp_path / "linux"
    (src / "scripts/kconfig").mkdir(parents=True)
    for a, mk in (("x86", ""), ("arm", "KBUILD_DEFCONFIG := multi_v7_defconfig\n"), ("um", ""),
                  ("sparc", "")):
        (src / "arch" / a / "configs").mkdir(parents=True)
        (src / "arch" / a / "Kconfig").write_text("")
        (src / "arch" / a / "Makefile").write_text(mk)
    (src / "Kconfig").write_text("")
    (src / "Makefile").write_text("VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 3\n"
                                  "EXTRAVERSION = %s\nNAME = x\n" % extraversion)
    return src


def test_kernel_setup(tmp_path):
    src = fake_tree(tmp_path)
    env = {"PATH": os.environ.get("PATH", ""), "CC": "ignored-cc", "ARCH": "arm"}
    s = kernel.kernel_setup(src, tmp_path / "out", {"CROSS_COMPILE": "arm-linux-gnueabihf-"}, env,
                            machine="x86_64", kernel_release="6.1.0-test")
    e = s.environ
    assert (s.arch, s.srcarch) == ("arm", "arm")            # ARCH from the environment
    assert e["CC"] == "arm-linux-gnueabihf-gcc"              # env CC does not beat the Makefile
    assert e["LD"] == "arm-linux-gnueabihf-ld" and e["HOSTCC"] == "gcc"
    assert e["KERNELVERSION"] == "6.12.3-rc1"
    assert e["srctree"] == str(src.resolve())
    assert e["KBUILD_DEFCONFIG"] == "multi_v7_defconfig"
    assert e["KCONFIG_DEFCONFIG_LIST"] == ("/lib/modules/6.1.0-test/.config /etc/kernel-config "
                                           "/boot/config-6.1.0-test arch/arm/configs/multi_v7_defconfig")
    s = kernel.kernel_setup(src, None, {"ARCH": "i386", "LLVM": "-17", "cross_compiling": "1"},
                            {"PATH": ""}, machine="x86_64", kernel_release="r")
    e = s.environ
    assert (s.srcarch, s.kbuild_defconfig) == ("x86", "i386_defconfig")
    assert e["CC"] == "clang-17" and e["LD"] == "ld.lld-17" and e["HOSTCC"] == "clang-17"
    assert e["srctree"] == "." and e["KCONFIG_DEFCONFIG_LIST"] == "arch/x86/configs/i386_defconfig"
    s = kernel.kernel_setup(src, None, {}, {"PATH": ""}, machine="x86_64", kernel_release="r")
    assert (s.arch, s.srcarch, s.kbuild_defconfig) == ("x86", "x86", "x86_64_defconfig")
    s = kernel.kernel_setup(src, None, {"ARCH": "um"}, {"PATH": ""}, machine="x86_64",
                            kernel_release="r")
    assert s.environ["HEADER_ARCH"] == "x86" and s.kbuild_defconfig == "x86_64_defconfig"
    s = kernel.kernel_setup(src, None, {"ARCH": "sparc64"}, {"PATH": ""}, machine="x86_64",
                            kernel_release="r")
    assert (s.srcarch, s.kbuild_defconfig) == ("sparc", "sparc64_defconfig")
    with pytest.raises(kernel.KernelTreeError, match="ARCH=foo"):
        kernel.kernel_setup(src, None, {"ARCH": "foo"}, {"PATH": ""})
    with pytest.raises(kernel.KernelTreeError, match="did you mean: arm"):
        kernel.kernel_setup(src, None, {"ARCH": "amr"}, {"PATH": ""})


def test_edits_report_what_did_not_stick(project):
    run(["olddefconfig"], project)
    rc, out, err = run(["set", "B=y", "C=m"], project)
    assert rc == 1
    assert " B n -> y" in out
    assert err == "kbuild: C=m did not stick (it is n): C is a tristate without modules: it cannot " \
                  "be m; see `kbuild why C=m`\n"
    assert "CONFIG_B=y" in (project / ".config").read_text()
    rc, out, err = run(["disable", "A", "--json"], project)
    assert rc == 0 and '"ok": true' in out
    rc, out, err = run(["enable", "B"], project)
    assert rc == 1 and "B=y did not stick" in err and "options you can change: A" in err


def test_merge_command(project):
    (project / "base.config").write_text("CONFIG_A=y\n")
    (project / "frag.config").write_text("# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_NOPE=y\n")
    rc, out, err = run(["merge", "base.config", "frag.config"], project)
    assert rc == 0, err
    assert "Value of CONFIG_A is redefined by fragment frag.config:" in out
    # B depends on A, which the fragment turned off: merge_config.sh's check, then the reason
    assert "Value requested for CONFIG_B not in final .config" in out
    assert "kbuild: B=y needs a change in: A" in err
    assert "kbuild: CONFIG_NOPE is not defined by the Kconfig files" in err
    assert "# CONFIG_A is not set" in (project / ".config").read_text()
    rc, out, err = run(["merge", "-m", "base.config", "frag.config"], project)
    assert rc == 0 and "needs make" in out
    assert (project / ".config").read_text() == "CONFIG_A=y\n\n# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_NOPE=y\n".replace("CONFIG_A=y\n\n", "\n")
    rc, out, err = run(["merge", "-s", "base.config", "frag.config"], project)
    assert rc == 1 and "strict mode" in out
    assert run(["merge", "base.config"], project)[0] == 2


def test_completion(project, tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    rc, out, _ = run(["completion", "bash"], project, env)
    assert rc == 0 and "complete -o default -F _kbuild kbuild" in out
    rc, out, _ = run(["__complete", "--", "allno"], project, env)
    assert rc == 0 and out == "allnoconfig\n"
    rc, out, _ = run(["__complete", "why", "--", "H"], project, env)
    assert out == "HELPER\n"
    rc, out, _ = run(["__complete", "set", "--", "CONFIG_A"], project, env)
    assert out == "A=\n"


def test_undefine(project):
    run(["olddefconfig"], project)
    run(["disable", "A"], project)
    assert "# CONFIG_A is not set" in (project / ".config").read_text()
    rc, out, err = run(["undefine", "A"], project)
    assert rc == 0, err
    assert " A n -> y" in out and "CONFIG_A=y" in (project / ".config").read_text()
