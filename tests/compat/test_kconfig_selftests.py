"""The kernel's own Kconfig test inputs (scripts/kconfig/tests/*), run through the C conf and
kbuild-conf in the same run, in every mode, with the same stdin: stdout, stderr, exit code and
every file written must be identical."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import skip_or_fail  # noqa: E402

MODES = [
    ("olddefconfig", None, ()),
    ("allnoconfig", None, ()),
    ("allyesconfig", None, ()),
    ("allmodconfig", None, ()),
    ("alldefconfig", None, ()),
    ("listnewconfig", None, ()),
    ("helpnewconfig", None, ()),
    ("oldaskconfig", "\n" * 200, ()),
    ("oldaskconfig", "y\nn\nm\n?\n2\n1\n\n" * 30, ()),
    ("oldconfig", "\n" * 200, ()),
    ("syncconfig", "\n" * 200, ()),
    ("randconfig", None, (("KCONFIG_SEED", "1"),)),
    ("randconfig", None, (("KCONFIG_SEED", "0xdeadbeef"),)),
    ("randconfig", None, (("KCONFIG_SEED", "42"), ("KCONFIG_PROBABILITY", "20:70"))),
    ("randconfig", None, (("KCONFIG_SEED", "0x2a"), ("KCONFIG_PROBABILITY", "60:25:15"))),
    ("randconfig", None, (("KCONFIG_SEED", "9"), ("KCONFIG_PROBABILITY", "80"))),
]


def _test_dirs(series=harness.KERNEL_SERIES):
    try:
        src = harness.locate_kernel_source(series)
    except harness.HarnessError:
        return []
    root = src / "scripts" / "kconfig" / "tests"
    return sorted(p.parent for p in root.rglob("Kconfig"))


DIRS = _test_dirs()
# the older LTS tree's own tests, against its own C conf; make exports VERSION and PATCHLEVEL
# to conf, and the version chooses the C behaviour kbuild-conf follows
OLD_DIRS = _test_dirs(harness.OLDER_SERIES)
OLD_ENV = tuple(zip(("VERSION", "PATCHLEVEL"), harness.OLDER_SERIES.split(".")))


@pytest.fixture(scope="module")
def confs(conf_workspace):
    tdir = conf_workspace.template()
    return tdir / harness.CONF_REL, conf_workspace.py_conf


@pytest.fixture(scope="module")
def old_confs(conf_workspace_old):
    tdir = conf_workspace_old.template()
    return tdir / harness.CONF_REL, conf_workspace_old.py_conf


def _run(exe, testdir, mode, stdin, env, with_config):
    with tempfile.TemporaryDirectory() as d:
        if with_config:
            (Path(d) / ".config").write_bytes((testdir / "config").read_bytes())
        e = harness.clean_env({"srctree": str(testdir), **dict(env)})
        p = subprocess.run([str(exe), "--" + mode, "Kconfig"], cwd=d, env=e,
                           input=(stdin or "").encode(), capture_output=True, timeout=120)
        files = {}
        for root, _, names in os.walk(d):
            for n in names:
                full = Path(root) / n
                files[str(full.relative_to(d))] = full.read_bytes()
        return p.returncode, p.stdout, p.stderr, files


def test_selftest_inputs_exist():
    if not DIRS:
        skip_or_fail("kernel tree not available")
    assert len(DIRS) >= 10


@pytest.mark.parametrize("testdir", DIRS, ids=[str(p.relative_to(p.parents[1])) for p in DIRS])
@pytest.mark.parametrize("mode,stdin,env", MODES,
                         ids=["%s%d" % (m[0], i) for i, m in enumerate(MODES)])
def test_selftest(confs, testdir, mode, stdin, env):
    _compare(confs, testdir, mode, stdin, env)


def test_old_selftest_inputs_exist():
    if not OLD_DIRS:
        skip_or_fail(f"Linux {harness.OLDER_SERIES} tree not available")
    assert len(OLD_DIRS) >= 10


@pytest.mark.parametrize("testdir", OLD_DIRS, ids=[str(p.relative_to(p.parents[1])) for p in OLD_DIRS])
@pytest.mark.parametrize("mode,stdin,env", MODES,
                         ids=["%s%d" % (m[0], i) for i, m in enumerate(MODES)])
def test_old_selftest(old_confs, testdir, mode, stdin, env):
    """Linux 6.1's Kconfig tests: choices as symbols, tristate and optional choices."""
    _compare(old_confs, testdir, mode, stdin, tuple(env) + OLD_ENV)


def _compare(confs, testdir, mode, stdin, env):
    cconf, pyconf = confs
    for with_config in ((False, True) if (testdir / "config").is_file() else (False,)):
        c = _run(cconf, testdir, mode, stdin, env, with_config)
        p = _run(pyconf, testdir, mode, stdin, env, with_config)
        assert p[0] == c[0], (p[2].decode(errors="replace"), c[2].decode(errors="replace"))
        assert p[1] == c[1]
        assert p[2] == c[2]
        assert p[3] == c[3]


OWN_DIRS = sorted(p.parent for p in (Path(__file__).parent / "kconfig_inputs").glob("*/Kconfig"))


# what the C conf prints for each input when the input does its job: (1 stdout | 2 stderr, text)
_OWN_MARKERS = {
    "transform_notes": (1, b"tested for"),
    "line_breaks": (2, b"ignoring unsupported character"),
    "unterminated_string": (2, b"multi-line strings not supported"),
    "help_texts": (2, b"defined with blank help text"),
    "eof_statement": (2, b"no new line at end of file"),
    "eof_in_block": (2, b"missing end statement"),
    "tautologies": (1, b"Depends on: B [=y]\n", ("helpnewconfig",)),
    "eof_sourced": (2, b"a.kconfig:3: syntax error\n"
                       b"a.kconfig:3:warning: no new line at end of file\n"
                       b"Kconfig:3: unknown statement"),
    "eof_sourced_ok": (2, b"Kconfig:3:warning: config symbol defined without type"),
    "eof_prompt": (2, b"prompt redefined\nKconfig:3: syntax error\nKconfig:3:warning: no new line"),
    "mainmenu_error": (2, b"Kconfig:1: syntax error\n"),
    "error_recovery": (2, b"Kconfig:3: invalid statement\nKconfig:4: invalid statement\n"),
    "assign_messages": (2, b"Kconfig:3: in a simple assignment\n"),
    "deep_expansion": (2, b"Kconfig:4: Too deep recursive expansion\n"),
}


@pytest.mark.parametrize("testdir", OWN_DIRS, ids=[p.name for p in OWN_DIRS])
@pytest.mark.parametrize("mode", ["alldefconfig", "allyesconfig", "allnoconfig", "olddefconfig",
                                  "helpnewconfig"])
def test_own_input(confs, testdir, mode):
    """Our own corner-case inputs (tests/compat/kconfig_inputs): same as the C conf."""
    cconf, pyconf = confs
    c = _run(cconf, testdir, mode, None, (), False)
    p = _run(pyconf, testdir, mode, None, (), False)
    stream, marker, *modes = _OWN_MARKERS[testdir.name]
    if not modes or mode in modes[0]:
        assert marker in c[stream], "the input no longer reaches what it is meant to test"
    assert (p[0], p[1], p[2], p[3]) == (c[0], c[1], c[2], c[3])


# Syntax of other kernel versions in a 6.12 tree (VERSION and PATCHLEVEL as the top Makefile
# exports them): the C tool's syntax errors, word for word
OTHER_VERSIONS = {
    "option_modules": 'config MODULES\n\tbool "m"\n\toption modules\n',
    "option_env": 'config SRCARCH\n\tstring\n\toption env="SRCARCH"\n',
    "option_defconfig_list": 'config DEFCONFIG_LIST\n\tstring\n\toption defconfig_list\n\tdefault "x"\n',
    "option_allnoconfig_y": 'config A\n\tbool "a"\n\toption allnoconfig_y\n',
    "old_help": 'config A\n\tbool "a"\n\t---help---\n\t  text\n',
    "boolean": 'config A\n\tboolean "a"\n',
    "optional_choice": 'choice\n\tprompt "c"\n\toptional\nconfig A\n\tbool "a"\nendchoice\n',
    "tristate_choice": ('config MODULES\n\tbool "m"\n\tmodules\n\tdefault y\nchoice\n\ttristate "c"\n'
                        'config A\n\ttristate "a"\nendchoice\n'),
    "named_choice": 'choice FOO\n\tprompt "c"\nconfig A\n\tbool "a"\nendchoice\n',
    "transitional": 'config A\n\tbool\n\ttransitional\n',
    "depends_if": 'config A\n\tbool "a"\n\tdepends on B if C\nconfig B\n\tbool "b"\nconfig C\n\tbool "c"\n',
}


@pytest.mark.parametrize("name", sorted(OTHER_VERSIONS))
def test_other_versions_syntax_in_612_tree(confs, tmp_path, name):
    """A 6.12 tree gets 6.12's grammar: the syntax of older and newer kernels is a syntax error
    there, with the same messages and exit code as the C conf."""
    cconf, pyconf = confs
    (tmp_path / "Kconfig").write_text(OTHER_VERSIONS[name])
    env = (("VERSION", "6"), ("PATCHLEVEL", "12"), ("SRCARCH", "x86"))
    c = _run_env(cconf, tmp_path, "olddefconfig", None, env)
    p = _run_env(pyconf, tmp_path, "olddefconfig", None, env)
    assert c[0] == 1 and b"syntax error" in c[2]
    assert p[:4] == c[:4], (p[2], c[2])


ENV_KCONFIG = """\
config A
\tbool "a"
\tdefault y
config B
\tint "b"
\trange 0 10
\tdefault 3
"""

ENV_CASES = [
    ("olddefconfig", "CONFIG_A=y\nCONFIG_NOT_THERE=y\ngarbage\nCONFIG_B=99\n", (("KCONFIG_WARN_UNKNOWN_SYMBOLS", "1"),)),
    ("olddefconfig", "CONFIG_A=y\nCONFIG_NOT_THERE=y\n", (("KCONFIG_WARN_UNKNOWN_SYMBOLS", "1"), ("KCONFIG_WERROR", "1"))),
    ("olddefconfig", "CONFIG_A=maybe\n", (("KCONFIG_WERROR", "1"),)),
    ("olddefconfig", "# CONFIG_A is not set\n", (("KCONFIG_OVERWRITECONFIG", "1"),)),
    ("olddefconfig", "CONFIG_A=y\nCONFIG_A=n\n", ()),
    ("allnoconfig", None, (("KCONFIG_ALLCONFIG", "seed.config"),)),
    ("allyesconfig", None, (("KCONFIG_ALLCONFIG", "missing.config"),)),
    ("syncconfig", "CONFIG_A=y\n", (("KCONFIG_NOSILENTUPDATE", "1"),)),
    ("syncconfig", "CONFIG_A=y\n", (("KCONFIG_AUTOCONFIG", "out/auto.conf"), ("KCONFIG_AUTOHEADER", "out/a.h"),
                                    ("KCONFIG_RUSTCCFG", "out/rc"))),
    ("olddefconfig", "CONFIG_A=y\n", (("KCONFIG_CONFIG", "sub/my.config"),)),
]


def _run_env(exe, srcdir, mode, config, env):
    with tempfile.TemporaryDirectory() as d:
        dd = Path(d)
        cfgname = dict(env).get("KCONFIG_CONFIG", ".config")
        if config is not None:
            (dd / cfgname).parent.mkdir(parents=True, exist_ok=True)
            (dd / cfgname).write_text(config)
        (dd / "seed.config").write_text("CONFIG_A=y\n")
        inode = (dd / cfgname).stat().st_ino if config is not None else None
        e = harness.clean_env({"srctree": str(srcdir), **dict(env)})
        p = subprocess.run([str(exe), "--" + mode, "Kconfig"], cwd=d, env=e,
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        files = {}
        for root, _, names in os.walk(d):
            for n in names:
                full = Path(root) / n
                files[str(full.relative_to(d))] = full.read_bytes()
        same_inode = inode is not None and (dd / cfgname).exists() and (dd / cfgname).stat().st_ino == inode
        return p.returncode, p.stdout, p.stderr, files, same_inode


@pytest.mark.parametrize("mode,config,env", ENV_CASES, ids=[str(i) for i in range(len(ENV_CASES))])
def test_kconfig_environment(confs, tmp_path, mode, config, env):
    """KCONFIG_* variables: the same messages, exit codes and files as the C conf."""
    cconf, pyconf = confs
    (tmp_path / "Kconfig").write_text(ENV_KCONFIG)
    c = _run_env(cconf, tmp_path, mode, config, env)
    p = _run_env(pyconf, tmp_path, mode, config, env)
    assert p[0] == c[0], (p[2], c[2])
    assert p[1] == c[1]
    assert p[2] == c[2]
    assert p[3] == c[3]
    assert p[4] == c[4]


# conf_write() and conf_write_defconfig() recompute every value when .config is up to date;
# the recompute prints the unmet-dependency warnings again (UNMET) or nothing at all (CLEAN,
# where kbuild skips it).
_PICK = """\
choice
\tprompt "pick"
%s\
config P
\tbool "p"
config Q
\tbool "q"
\tdepends on C
endchoice
"""
WRITE_KCONFIGS = {
    "UNMET": """\
config A
\tbool "a"
\tdepends on B
config B
\tbool "b"
config C
\tbool "c"
\tdefault y
\tselect A
""" + _PICK % "",
    "CLEAN": """\
config A
\tbool "a"
\tdepends on B
config B
\tbool "b"
\tdefault y
config C
\ttristate "c"
\tdefault y
\tselect A
config N
\tint "n"
\trange 1 M
\tdefault 5
config M
\tint "m"
\tdefault 3 if A
\tdefault 9
""" + _PICK % "\tdefault Q\n",
}


@pytest.mark.parametrize("name", sorted(WRITE_KCONFIGS))
@pytest.mark.parametrize("mode", ["olddefconfig", "savedefconfig=defconfig"])
def test_write_of_unchanged_config(confs, tmp_path, name, mode):
    """An up-to-date .config written again: same messages and files as the C conf."""
    cconf, pyconf = confs
    (tmp_path / "Kconfig").write_text(WRITE_KCONFIGS[name])
    first = _run_env(cconf, tmp_path, "olddefconfig", None, ())
    config = first[3][".config"].decode()
    env = (("KCONFIG_CONFIG", ".config"),)
    c = _run_env(cconf, tmp_path, mode, config, env)
    p = _run_env(pyconf, tmp_path, mode, config, env)
    if name == "UNMET":
        assert c[2].count(b"unmet direct dependencies") == 2, c[2]
    assert (p[0], p[1], p[2], p[3]) == (c[0], c[1], c[2], c[3])
