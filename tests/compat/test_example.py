"""examples/hello through C conf and kbuild-conf, run directly (no make).

The C conf is the one the kernel's make builds (so these tests need the
kernel tree, with the same skip/fail policy as the other conformance tests).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import skip_or_fail  # noqa: E402

EXAMPLE = harness.REPO_ROOT / "examples" / "hello"
DEFCONFIG = str(EXAMPLE / "configs" / "hello_defconfig")

# id -> (steps: argument lists before "Kconfig", extra environment)
SCENARIOS = {
    "alldefconfig": ([["--alldefconfig"]], {}),
    "allnoconfig": ([["--allnoconfig"]], {}),
    "allyesconfig": ([["--allyesconfig"]], {}),
    "allmodconfig+savedefconfig": ([["--allmodconfig"], ["--savedefconfig=defconfig"]], {}),
    "defconfig+savedefconfig": ([[f"--defconfig={DEFCONFIG}"], ["-s", "--savedefconfig=defconfig"]], {}),
    "defconfig+olddefconfig": ([["-s", f"--defconfig={DEFCONFIG}"], ["-s", "--olddefconfig"]], {}),
    "syncconfig-env": ([["-s", "--alldefconfig"], ["--syncconfig"]], {"HELLO_BUILD_USER": "ci"}),
    "randconfig-seed": ([["-s", "--randconfig"]], {"KCONFIG_SEED": "0x2a"}),
    "yes2mod+mod2no": ([["-s", "--allyesconfig"], ["-s", "--yes2modconfig"], ["-s", "--mod2noconfig"]], {}),
}


@pytest.fixture(scope="module")
def confs(kernel_src, tmp_path_factory):
    try:
        py_conf = harness.locate_py_conf()
    except harness.HarnessError as e:
        skip_or_fail(str(e))
    ws = harness.Workspace(kernel_src, harness.SELF_CHECK, tmp_path_factory.mktemp("ws"))
    return ws.template() / harness.CONF_REL, py_conf


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_example_project(name, confs, tmp_path):
    c_conf, py_conf = confs
    steps, env = SCENARIOS[name]
    cdir, pdir = tmp_path / "c", tmp_path / "p"
    c = harness.run_direct(c_conf, EXAMPLE, steps, cdir, env)
    p = harness.run_direct(py_conf, EXAMPLE, steps, pdir, env)
    assert all(s.rc == 0 for s in c), [s.stderr for s in c]
    case = harness.Case("hello", tuple(" ".join(a) for a in steps))
    report = harness.compare(case, c, p, cdir, pdir)
    if report:
        pytest.fail("\n".join(report), pytrace=False)
