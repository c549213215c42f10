"""Kconfig.incremental (what menuconfig uses): after a user value changes, only the symbols
that read it, transitively, are recomputed.  On the real x86_64 tree, from defconfig and from
allyesconfig, random edits (bool/tristate values, int/hex/string values, choice picks) must
leave every symbol's value, visibility and write flag exactly as a whole-tree recompute (what
the C tools do) gives them."""

from __future__ import annotations

import os
import random

import pytest

from kbuild.cli import Project
from kbuild.kconfig.symbol import (S_BOOLEAN, S_HEX, S_INT, S_STRING, S_TRISTATE,
                                   SYMBOL_WRITE)

EDITS = 60


def _state(kc):
    out = []
    for s in kc.all_symbols():
        s.calc_value()
        out.append((s.str_value(), s.visible, s.flags & SYMBOL_WRITE))
    return out


@pytest.mark.parametrize("target", ["defconfig", "allyesconfig"])
def test_incremental_equals_full_recompute(kernel_src, tmp_path, target):
    from kbuild.cli import main as kbuild_main
    odir = tmp_path / "o"
    assert kbuild_main(["-s", "-C", str(kernel_src), "ARCH=x86_64", "O=%s" % odir, target],
                       environ=dict(os.environ)) == 0
    kc = Project(kernel_src, odir, {"ARCH": "x86_64"}, dict(os.environ)).load()
    kc.incremental = True
    rnd = random.Random(target)
    syms = [s for s in kc.named_symbols() if s.menus]
    took = mismatches = 0
    for _ in range(EDITS):
        s = rnd.choice([x for x in syms if x.visible])     # values are valid here
        before = s.value()
        if s.choice_menu is not None and s.visible:
            kc.choice_set_value(s.choice_menu, s)
        elif s.type in (S_BOOLEAN, S_TRISTATE):
            s.set_tristate_value(rnd.choice((0, 1, 2)))
        elif s.type == S_INT:
            s.set_string_value(str(rnd.randint(0, 64)))
        elif s.type == S_HEX:
            s.set_string_value(hex(rnd.randint(0, 64)))
        elif s.type == S_STRING:
            s.set_string_value(rnd.choice(("", "abc", "y")))
        incremental = _state(kc)
        took += s.value() != before
        kc.clear_all_valid()
        full = _state(kc)
        if incremental != full:
            mismatches += 1
            diff = [(x.name, a, b) for x, a, b in zip(kc.all_symbols(), incremental, full)
                    if a != b]
            print("after", s.name, diff[:5])
    print("%s: %d edits, %d changed a value, %d mismatches" % (target, EDITS, took, mismatches))
    assert took >= EDITS // 3          # the sample really changes values
    assert mismatches == 0
