"""The parsed tree restored from kbuild's cache (kbuild.kconfig.cache) behaves like a fresh
parse on the real 6.12 tree: the same .config and savedefconfig output after the same edits,
for x86_64 and arm."""

from __future__ import annotations

import os

import pytest

from kbuild.cli import Project
from kbuild.cli import main as kbuild_main


@pytest.mark.parametrize("arch", ["x86_64", "arm"])
def test_restored_tree_equals_fresh_parse(kernel_src, tmp_path, arch):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    odir = tmp_path / "o"
    assert kbuild_main(["-s", "-C", str(kernel_src), "ARCH=" + arch, "O=%s" % odir, "defconfig"],
                       environ=env) == 0
    outputs = []
    for _ in range(2):
        kc = Project(kernel_src, odir, {"ARCH": arch}, env).load()
        outputs.append(kc.restored_from)
        for name, value in (("SMP", "n"), ("MODULES", "n"), ("NR_CPUS", "4")):
            if name in kc.symbols:
                kc[name].set_string_value(value)
        kc.write_config(str(tmp_path / "config"))
        kc.write_min_config(str(tmp_path / "defconfig"))
        outputs.append((tmp_path / "config").read_text().split("\n", 4)[4])
        outputs.append((tmp_path / "defconfig").read_text())
    assert outputs[0] is None and outputs[3] is not None      # a parse, then a restore
    assert outputs[1] == outputs[4] and outputs[2] == outputs[5]
