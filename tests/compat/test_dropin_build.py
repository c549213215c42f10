"""Drop-in proof in the real tree (slow tier: runs with KBUILD_SLOW=1, as `make compat` does).

With kbuild-conf in place of scripts/kconfig/conf, x86_64 tinyconfig builds vmlinux; after flipping
one option few files use, the second build recompiles exactly the objects the C conf causes
to be recompiled (and at least the one source that mentions the option)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

pytestmark = pytest.mark.skipif(os.environ.get("KBUILD_SLOW") != "1",
                                reason="slow tier: set KBUILD_SLOW=1 (make compat)")

OPTION = "SGETMASK_SYSCALL"      # only kernel/signal.c tests it


def _make(ws, odir, *targets):
    jobs = str(os.cpu_count() or 2)
    r = subprocess.run(["make", "-s", "-j" + jobs, "-C", str(ws.src), "ARCH=x86_64", f"O={odir}",
                        *targets], env=harness.clean_env(), stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=3600)
    assert r.returncode == 0, r.stderr.decode(errors="replace")[-3000:]


def _objects(odir):
    out = {}
    for root, _, names in os.walk(odir):
        if "/scripts" in root[len(str(odir)):][:8]:
            continue
        for n in names:
            if n.endswith(".o"):
                p = Path(root) / n
                out[str(p.relative_to(odir))] = p.stat().st_mtime_ns
    return out


def _side(ws, odir):
    ws.reset(odir)
    _make(ws, odir, "tinyconfig")
    _make(ws, odir, "vmlinux")
    assert (odir / "vmlinux").is_file()
    before = _objects(odir)
    cfg = odir / ".config"
    text = cfg.read_text()
    on, off = f"CONFIG_{OPTION}=y\n", f"# CONFIG_{OPTION} is not set\n"
    assert on in text or off in text
    cfg.write_text(text.replace(on, off) if on in text else text.replace(off, on))
    _make(ws, odir, "olddefconfig")
    _make(ws, odir, "vmlinux")
    after = _objects(odir)
    return sorted(k for k, v in after.items() if before.get(k) != v)


def test_tinyconfig_vmlinux_rebuild_set(conf_workspace):
    ws = conf_workspace
    n = ws.acquire()
    try:
        cdir, pdir = ws.dirs(n)
        c = _side(ws, cdir)
        p = _side(ws, pdir)
    finally:
        ws.release(n)
    assert "kernel/signal.o" in c
    assert p == c
