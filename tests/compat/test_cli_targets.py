"""`kbuild O=dirA ARCH=.. targets` writes the same files (and prints the same) as
`make O=dirB ARCH=.. targets` on the real Linux 6.12 tree.

make runs in a build directory copied from the harness's template (conf already built), kbuild in
an empty one; both get the same clean environment.  Cases run in parallel.
"""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

# defconfig, savedefconfig, allnoconfig, tinyconfig and a fragment on each of x86_64, arm, arm64,
# in few cases: each case costs a Kconfig parse with its compiler probes on both sides
CASES = [(arch, targets) for arch in ("x86_64", "arm", "arm64")
         for targets in (("defconfig", "kvm_guest.config", "savedefconfig"), ("tinyconfig",))]
CASES.append(("x86_64", ("allnoconfig",)))


def _kbuild_exe() -> Path:
    for cand in (Path(sys.executable).parent / "kbuild", harness.REPO_ROOT / ".venv/bin/kbuild"):
        if cand.is_file():
            return cand
    pytest.fail("kbuild executable not found (pip install -e .)")


@pytest.fixture(scope="module")
def results():
    try:
        src = harness.locate_kernel_source()
    except harness.KernelSourceUnavailable as e:
        harness.skip_or_fail(str(e))
    exe = _kbuild_exe()
    ws = harness.Workspace(src, harness.SELF_CHECK)
    env = harness.clean_env()

    def one(case):
        arch, targets = case
        n = ws.acquire()
        try:
            mdir = ws.dirs(n)[0]
            ws.reset(mdir)
            kdir = Path(tempfile.mkdtemp(prefix="kbuild-cli-", dir=ws.root))
            m = subprocess.run(["make", "-s", "-C", str(src), f"ARCH={arch}", f"O={mdir}", *targets],
                               cwd=mdir, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=600)
            k = subprocess.run([str(exe), "-s", "-C", str(src), f"ARCH={arch}", f"O={kdir}", *targets],
                               cwd=kdir.parent, env=env, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=600)
            mfiles = {p: (kind, harness._norm(d, mdir)) for p, (kind, d) in ws.snapshot(mdir).items()}
            kfiles = {p: (kind, harness._norm(d, kdir)) for p, (kind, d) in
                      harness.snapshot_dir(kdir).items()}
            return (m.returncode, harness._norm(m.stdout, mdir), mfiles,
                    k.returncode, harness._norm(k.stdout, kdir), kfiles, k.stderr)
        finally:
            ws.release(n)

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(len(CASES), os.cpu_count() or 2)) as pool:
            out = dict(zip(CASES, pool.map(one, CASES)))
        yield out
    finally:
        ws.cleanup()


@pytest.mark.parametrize("arch,targets", CASES, ids=[f"{a}:{'+'.join(t)}" for a, t in CASES])
def test_same_files_as_make(results, arch, targets):
    mrc, mout, mfiles, krc, kout, kfiles, kerr = results[(arch, targets)]
    assert mrc == 0
    assert krc == 0, kerr.decode(errors="replace")
    assert sorted(kfiles) == sorted(mfiles)
    differ = [p for p in mfiles if mfiles[p] != kfiles[p]]
    assert not differ, f"files differ: {differ[:10]}"
    assert ".config" in kfiles
    if "savedefconfig" in targets:
        assert "defconfig" in kfiles
    assert kout == mout
