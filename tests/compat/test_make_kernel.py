"""kbuild.make on the kernel's own makefiles, against GNU make on the same files.

* scripts/Kbuild.include + scripts/Makefile.compiler: the kbuild helpers
  (cc-option, cc-disable-warning, ld-option, as-instr, ...) give what GNU make gives;
* the top Makefile, read as the sub-make of an O= build, sets the variables
  (flags, paths, versions) that GNU make sets.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

from kbuild.make import Make  # noqa: E402

_PROBE = re.compile(r"@@<(.*?)>@@(.*?)@@END@@\n", re.S)
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "HOME": os.environ.get("HOME", "/")}


def _gnu_make() -> str:
    make = shutil.which("make")
    if make is None:
        harness.skip_or_fail("GNU make is not installed")
    return make


@pytest.fixture(scope="module")
def ksrc(kernel_src) -> Path:
    return kernel_src


HELPER_EXPRESSIONS = {
    "cc_option_yes": "$(call cc-option,-fno-strict-aliasing)",
    "cc_option_no": "$(call cc-option,-fno-such-option-kbuild,-O2)",
    "cc_option_yn": "$(call cc-option-yn,-Wall)|$(call cc-option-yn,-Wno-such-warning-kb=1)",
    "cc_disable_warning": "$(call cc-disable-warning,unused-but-set-variable)",
    "cc_disable_unknown": "[$(call cc-disable-warning,no-such-warning-kbuild)]",
    "as_option": "$(call as-option,-Wa$(comma)--noexecstack)",
    "as_instr": "$(call as-instr,nop,yes,no)|$(call as-instr,notaninstruction_kb,yes,no)",
    "ld_option": "[$(call ld-option,--build-id=sha1)][$(call ld-option,--no-such-ld-flag)]",
    "cc_ifversion": "$(call gcc-min-version,50000)|$(call gcc-min-version,9999999)",
    "cc_cross_prefix": "[$(call cc-cross-prefix,no-such-prefix-)]",
    "try_run": "$(call try-run,true,ok,bad)|$(call try-run,false,ok,bad)",
    "escsq": "$(call escsq,it's)",
    "filechk_like": "$(call stringify,a b)",
}


def test_kbuild_helpers_match_gnu_make(ksrc, tmp_path):
    make = _gnu_make()
    gcc = shutil.which("gcc")
    if gcc is None:
        harness.skip_or_fail("gcc is not installed")
    head = (f"srctree := {ksrc}\nCC := gcc\nLD := ld\nAS := as\nKBUILD_CFLAGS := -O2\n"
            f"KBUILD_AFLAGS := -D__ASSEMBLY__\nCONFIG_CC_IS_GCC := y\n"
            f"CONFIG_GCC_VERSION := $(shell {ksrc}/scripts/cc-version.sh gcc | sed 's/.* //')\n"
            "include $(srctree)/scripts/Kbuild.include\n"
            "include $(srctree)/scripts/Makefile.compiler\n")
    probes = "".join(f"$(info @@<{k}>@@{v}@@END@@)\n" for k, v in HELPER_EXPRESSIONS.items())
    (tmp_path / "gnu.mk").write_text(head + probes + "all: ;@:\n")
    r = subprocess.run([make, "-R", "-f", "gnu.mk"], cwd=tmp_path, env=ENV,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    expected = dict(_PROBE.findall(r.stdout))
    assert set(expected) == set(HELPER_EXPRESSIONS)

    mk = Make(base_dir=str(tmp_path), environ=ENV, builtin_variables=False)
    mk.eval_text(head, "ours.mk")
    got = {k: mk.expand(v) for k, v in HELPER_EXPRESSIONS.items()}
    assert got == expected


TOP_VARIABLES = ("SRCARCH UTS_MACHINE srctree objtree VPATH BITS KERNELRELEASE KERNELVERSION "
                 "CC LD AR CC_VERSION_TEXT KBUILD_CFLAGS KBUILD_AFLAGS KBUILD_CPPFLAGS "
                 "KBUILD_LDFLAGS LINUXINCLUDE NOSTDINC_FLAGS CC_FLAGS_FTRACE KBUILD_VMLINUX_LIBS "
                 "KBUILD_BUILTIN KBUILD_MODULES build-dir core-y drivers-y libs-y "
                 "KBUILD_IMAGE export-objs").split()


def test_top_makefile_matches_gnu_make(ksrc, tmp_path):
    make = _gnu_make()
    from test_make_tree import prepared
    out, _text = prepared(ksrc, "tinyconfig")
    probe = tmp_path / "probe.mk"
    probe.write_text("".join(f"$(info @@<{n}>@@$({n})@@END@@)\n" for n in TOP_VARIABLES)
                     + "kbuildprobe: ;@:\n")
    # Run the top Makefile as the sub-make of the O= build runs it, plus the probe.
    env = dict(ENV, sub_make_done="1")
    r = subprocess.run([make, "--no-print-directory", "-rR", "-C", str(out), "-f",
                        str(ksrc / "Makefile"), "-f", str(probe), "ARCH=x86_64", f"O={out}",
                        "kbuildprobe"], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    expected = dict(_PROBE.findall(r.stdout))

    from kbuild.make.kbuild import KbuildTree
    kt = KbuildTree(str(ksrc), str(out), "x86_64", environ=ENV)
    top = kt.evaluate_top(goals="kbuildprobe")
    got = {n: top.value(n) for n in TOP_VARIABLES}
    assert got == expected
