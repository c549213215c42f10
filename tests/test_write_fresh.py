"""Writing an up-to-date .config skips conf_write()'s recompute of every value when it can
only repeat what conf_read() computed (see Kconfig.clear_all_valid_for_write): on real kernel
configurations the text written, the messages and the values are those of the recompute."""

from __future__ import annotations

import os

import pytest

from kbuild.cli import Project
from kbuild.cli import main as kbuild_main
from kbuild.kconfig import confdata
from kbuild.kconfig.symbol import S_BOOLEAN, S_TRISTATE, SYMBOL_WRITE

CASES = [("x86_64", "defconfig"), ("arm", "allmodconfig"), ("riscv", "defconfig")]


def _written(project, fresh):
    sink = []
    kc = project.load(config=False, warnings=sink)
    cwd = os.getcwd()
    os.chdir(project.objtree)
    try:
        confdata.read(kc)
        was_fresh = kc.values_fresh
        if not fresh:
            kc.values_fresh = False
        before = len(sink)
        text = confdata.config_text(kc)
        # (a bool's curr_val is not its value: choice members may or may not have one)
        values = {s.name: (s.curr_tri if s.type in (S_BOOLEAN, S_TRISTATE) else s.curr_val,
                           bool(s.flags & SYMBOL_WRITE))
                  for s in kc.named_symbols() if s.menus}
        defconfig = confdata.defconfig_text(kc)
        # what conf_write_defconfig() changed is recomputed before the next write
        assert not kc.values_fresh
        kc.changed = False          # as after writing .config
        again = confdata.config_text(kc)
    finally:
        os.chdir(cwd)
    assert again == text
    return was_fresh, text, defconfig, sink[before:], values


@pytest.mark.parametrize("arch,target", CASES, ids=["%s-%s" % c for c in CASES])
def test_skipped_recompute_writes_the_same(kernel_src, tmp_path, arch, target):
    obj = tmp_path / "build"
    with open(os.devnull, "w") as quiet:
        assert kbuild_main(["-C", str(kernel_src), "O=%s" % obj, "ARCH=%s" % arch, "-s", target],
                           stdout=quiet, stderr=quiet) == 0
    project = Project(kernel_src, obj, {"ARCH": arch}, dict(os.environ))
    fast = _written(project, True)
    full = _written(project, False)
    if target == "defconfig":
        assert fast[0], "an up-to-date defconfig has no unmet dependencies: the fast path applies"
    assert fast[1] == full[1]
    assert fast[2] == full[2]
    assert fast[3] == full[3]
    assert fast[4] == full[4]
