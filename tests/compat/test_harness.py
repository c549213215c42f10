"""Tests of the conformance harness itself.

The first group needs nothing; the last two run the C conf against itself
(must be identical) and against a deliberately altered copy (must differ),
which also proves that make keeps the substituted scripts/kconfig/conf.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402


def _step(rc=0, out=b"", err=b"", files=None):
    return harness.StepResult(["make"], rc, out, err, files or {}, 0.0)


def test_case_ids_unique_and_stable():
    ids = [c.id for c in harness.representative_cases()]
    assert len(ids) == len(set(ids))
    assert "x86_64:defconfig+savedefconfig" in ids
    assert "x86_64:olddefconfig@config.amd64_none_amd64" in ids
    assert any(i.endswith(":verbose") for i in ids)


def test_clean_env_strips_make_and_kconfig_vars(monkeypatch):
    monkeypatch.setenv("MAKEFLAGS", "-j8 --jobserver-auth=fifo:/tmp/x")
    monkeypatch.setenv("KCONFIG_CONFIG", "foo")
    monkeypatch.setenv("ARCH", "arm")
    env = harness.clean_env({"KCONFIG_SEED": "1"})
    assert "MAKEFLAGS" not in env and "KCONFIG_CONFIG" not in env and "ARCH" not in env
    assert env["KCONFIG_SEED"] == "1" and env["LC_ALL"] == "C"


def test_timeout_kills_the_whole_process_tree(tmp_path):
    import time
    t0 = time.monotonic()
    rc, _, err = harness.run_killable(["sh", "-c", "sleep 30 & sleep 30; echo done"], 0.5)
    assert rc == -999 and b"killed after" in err
    assert time.monotonic() - t0 < 10


def test_kbuild_linux_src_must_be_a_kernel_tree(monkeypatch, tmp_path):
    monkeypatch.setenv("KBUILD_LINUX_SRC", str(tmp_path))
    with pytest.raises(harness.KernelSourceUnavailable):
        harness.locate_kernel_source()


def test_compare_identical_and_normalised(tmp_path):
    c, p = tmp_path / "slot0/c", tmp_path / "slot0/p"
    case = harness.Case("x86_64", ("allnoconfig",), silent=False)
    a = _step(out=f"make[1]: Entering directory '{c}'\n".encode(),
              files={".config": ("file 0644", b"CONFIG_A=y\n")})
    b = _step(out=f"make[1]: Entering directory '{p}'\n".encode(),
              files={".config": ("file 0644", b"CONFIG_A=y\n")})
    assert harness.compare(case, [a], [b], c, p) == []


def test_compare_reports_every_kind_of_difference(tmp_path):
    c, p = tmp_path / "c", tmp_path / "p"
    case = harness.Case("arm", ("defconfig",))
    a = _step(rc=0, out=b"x\n", err=b"",
              files={".config": ("file 0644", b"CONFIG_A=y\nCONFIG_B=y\n"),
                     "include/config/A": ("file 0644", b"")})
    b = _step(rc=2, out=b"x\n", err=b"oops\n",
              files={".config": ("file 0600", b"CONFIG_A=y\nCONFIG_B=m\n"),
                     "include/config/Z": ("file 0644", b"")})
    text = "\n".join(harness.compare(case, [a], [b], c, p))
    assert "exit code: C 0, py 2" in text
    assert "+oops" in text
    assert "only in C: include/config/A" in text
    assert "only in py: include/config/Z" in text
    assert "-CONFIG_B=y" in text and "+CONFIG_B=m" in text
    assert "'file 0644', py 'file 0600'" in text


def test_install_conf_copies_console_scripts_and_wraps_binaries(tmp_path):
    script = tmp_path / "kbuild-conf"
    script.write_text("#!/venv/bin/python\nimport sys\nfrom kbuild.conf import main\n")
    binary = tmp_path / "conf-bin"
    binary.write_bytes(b"\x7fELF....")
    dst = tmp_path / "conf"
    assert harness.install_conf(dst, script) == script.read_bytes()
    assert os.access(dst, os.X_OK)
    data = harness.install_conf(dst, binary).decode()
    assert data.startswith("#!/bin/sh\n") and f"exec '{binary}' \"$@\"" in data


@pytest.fixture(scope="module")
def one_case():
    return [harness.Case("x86_64", ("allnoconfig", "savedefconfig"))]


def test_self_check_is_identical(kernel_src, one_case):
    ws = harness.Workspace(kernel_src, harness.SELF_CHECK)
    try:
        (res,) = harness.run_cases(ws, one_case)
    finally:
        ws.cleanup()
    assert res.identical, res.report


def test_injected_difference_is_reported(kernel_src, one_case):
    ws = harness.Workspace(kernel_src, harness.INJECT_DIFF)
    try:
        (res,) = harness.run_cases(ws, one_case)
    finally:
        ws.cleanup()
    assert not res.identical
    assert "+# injected difference" in res.report
