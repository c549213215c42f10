"""syncconfig after an edit: the include/config/<SYMBOL> stamps that get created or touched must be
exactly the ones the C conf touches (the build recompiles what includes them), and every file
written must be identical."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

OLD = 1_000_000_000   # an mtime long before any run

EDITS = {
    "string": [("CONFIG_LOCALVERSION=\"\"", "CONFIG_LOCALVERSION=\"-test\"")],
    "cascade": [("CONFIG_SMP=y", "# CONFIG_SMP is not set")],
    "module": [("CONFIG_E1000=y", "CONFIG_E1000=m")],
}


def _make(ws, odir, target):
    r = subprocess.run(["make", "-s", "-C", str(ws.src), "ARCH=x86_64", f"O={odir}", target],
                       env=harness.clean_env(), stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=ws.timeout)
    return r.returncode, r.stdout, r.stderr


def _side(ws, odir, edits):
    ws.reset(odir)
    assert _make(ws, odir, "defconfig")[0] == 0
    assert _make(ws, odir, "syncconfig")[0] == 0
    stamps = odir / "include" / "config"
    for p in stamps.iterdir():
        if p.is_file() and p.name not in ("auto.conf", "auto.conf.cmd"):
            os.utime(p, (OLD, OLD))
    cfg = odir / ".config"
    text = cfg.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    cfg.write_text(text)
    res = _make(ws, odir, "syncconfig")
    touched = sorted(p.name for p in stamps.iterdir()
                     if p.is_file() and p.name not in ("auto.conf", "auto.conf.cmd")
                     and p.stat().st_mtime != OLD)
    files = {k: v for k, v in ws.snapshot(odir).items()}
    return res, touched, files


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_syncconfig_touches_same_stamps(conf_workspace, edit):
    workspace = conf_workspace
    n = workspace.acquire()
    try:
        cdir, pdir = workspace.dirs(n)
        c = _side(workspace, cdir, EDITS[edit])
        p = _side(workspace, pdir, EDITS[edit])
    finally:
        workspace.release(n)
    assert p[0] == c[0]
    assert c[1], "the edit should change some symbols"
    assert p[1] == c[1]
    assert p[2].keys() == c[2].keys()
    for k in c[2]:
        if k.startswith("scripts/"):
            continue
        assert p[2][k] == c[2][k], k
