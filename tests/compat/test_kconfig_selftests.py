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
]


def _test_dirs():
    try:
        src = harness.locate_kernel_source()
    except harness.HarnessError:
        return []
    root = src / "scripts" / "kconfig" / "tests"
    return sorted(p.parent for p in root.rglob("Kconfig"))


DIRS = _test_dirs()


@pytest.fixture(scope="module")
def confs():
    if os.environ.get("KBUILD_COMPAT", "").strip() == "0" and not harness.is_ci():
        pytest.skip("KBUILD_COMPAT=0")
    try:
        src = harness.locate_kernel_source()
        py = harness.locate_py_conf()
    except harness.HarnessError as e:
        skip_or_fail(str(e))
    ws = harness.Workspace(src, py)
    tdir = ws.template()
    yield tdir / harness.CONF_REL, py
    ws.cleanup()


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
    cconf, pyconf = confs
    for with_config in ((False, True) if (testdir / "config").is_file() else (False,)):
        c = _run(cconf, testdir, mode, stdin, env, with_config)
        p = _run(pyconf, testdir, mode, stdin, env, with_config)
        assert p[0] == c[0], (p[2].decode(errors="replace"), c[2].decode(errors="replace"))
        assert p[1] == c[1]
        assert p[2] == c[2]
        assert p[3] == c[3]
