"""ShellCache: toolchain probes remembered across runs, safely."""

from __future__ import annotations

import os
import stat

from kbuild.make import Make
from kbuild.make.shellcache import ShellCache, is_toolchain_probe

PROBE = 'set -e; TMP=.tmp_$$$$/tmp; trap "rm -rf .tmp_$$$$" EXIT; if (mytool -x) >/dev/null 2>&1; then echo yes; else echo no; fi'


def _tool(bindir, name, answer):
    p = bindir / name
    p.write_text(f"#!/bin/sh\nexit {0 if answer else 1}\n")
    p.chmod(p.stat().st_mode | stat.S_IEXEC)
    return p


def _run(tmp_path, env, cache):
    mk = Make(base_dir=str(tmp_path), environ=env, shell_cache=cache)
    mk.eval_text(f"probe := $(shell {PROBE})\nother := $(shell echo $$$$)\n")
    return mk.value("probe"), mk.value("other")


def test_probe_results_survive_and_are_invalidated(tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    tool = _tool(bindir, "mytool", True)
    env = {"PATH": f"{bindir}:/usr/bin:/bin"}
    path = tmp_path / "cache.json"

    c1 = ShellCache(path, env)
    probe, pid1 = _run(tmp_path, env, c1)
    assert probe == "yes"
    c1.save()

    c2 = ShellCache(path, env)
    assert c2.loaded == 1  # only the probe is persisted, not 'echo $$'
    _tool(bindir, "mytool", False)  # same answer expected from cache? no: tool changed
    os.utime(tool, ns=(1, 1))
    c3 = ShellCache(path, env)
    assert c3.loaded == 0
    assert _run(tmp_path, env, c3)[0] == "no"

    c3.save()
    other_env = dict(env, EXTRA="1")
    assert ShellCache(path, other_env).loaded == 0
    assert ShellCache(path, env).loaded == 1


def test_what_counts_as_a_probe():
    assert is_toolchain_probe(PROBE)
    assert is_toolchain_probe("LC_ALL=C gcc --version 2>/dev/null | head -n 1")
    assert not is_toolchain_probe("find drivers -name '*.S'")
    assert not is_toolchain_probe("gcc --version > out.txt")


def test_no_path_means_memory_only(tmp_path):
    c = ShellCache(None, {"PATH": "/usr/bin:/bin"})
    c.save()
    assert list(tmp_path.iterdir()) == []
