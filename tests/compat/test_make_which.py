"""kbuild.make.which on real files of the 6.12 tree (x86_64 defconfig).

For each file: (1) its conditions, evaluated with the configuration, agree
with what the walk builds (built in, in a module, or not at all); (2) turning
the condition on and off (the symbols set on make's command line, which beats
auto.conf) and asking the evaluator again puts the object into built-in.a or a
module, or takes it out.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from test_make_tree import ENV, ksrc, prepared  # noqa: E402,F401  (ksrc is a fixture)

from kbuild.make.kbuild import KbuildTree  # noqa: E402
from kbuild.make.which import evaluate_condition, which  # noqa: E402

FILES = [
    # built in with defconfig
    "init/main.c", "kernel/sched/core.c", "mm/mempool.c", "lib/string.c",
    "net/ipv4/tcp.c", "net/netfilter/xt_TCPMSS.c", "drivers/video/hdmi.c",
    "security/selinux/avc.c", "arch/x86/kernel/acpi/boot.c", "kernel/cgroup/rdma.c",
    "drivers/gpu/drm/i915/display/intel_ddi.c", "security/keys/key.c",
    "arch/x86/platform/intel/iosf_mbi.c", "drivers/acpi/acpica/nsaccess.c",
    "fs/kernel_read_file.c", "drivers/net/ethernet/intel/e1000/e1000_main.c",
    # modules with defconfig
    "fs/efivarfs/super.c", "net/netfilter/nf_log_syslog.c", "net/netfilter/xt_nat.c",
    "net/netfilter/xt_addrtype.c",
    # not built with defconfig
    "drivers/net/ethernet/broadcom/tg3.c", "fs/btrfs/ctree.c", "fs/xfs/xfs_super.c",
    "drivers/net/wireguard/device.c", "sound/pci/hda/patch_realtek.c",
    "drivers/gpu/drm/amd/amdgpu/amdgpu_device.c", "net/sctp/socket.c",
    "drivers/md/raid1.c", "fs/nfsd/nfssvc.c", "drivers/bluetooth/btusb.c",
    "crypto/sm4.c", "drivers/net/ethernet/mellanox/mlx5/core/main.c",
    # inside conditionals: ifneq ($(CONFIG_SMP),y), ifeq ($(CONFIG_X86_64),y), ifdef CONFIG_MMU
    "kernel/up.c", "arch/x86/kernel/audit_64.c", "mm/madvise.c", "mm/swap_cgroup.c",
]


def _config(out: Path) -> dict[str, str]:
    cfg = {}
    for line in (out / "include/config/auto.conf").read_text().splitlines():
        if line.startswith("CONFIG_") and "=" in line:
            k, v = line.split("=", 1)
            cfg[k[7:]] = v
    return cfg


def _chain_state(kt: KbuildTree, source: str, overrides: dict[str, str]):
    """(built in, in a module) for the object of ``source``, asking make again:
    follow the directory listings from the top down to the file's directory."""
    d, base = os.path.split(source)
    obj = f"{d}/{os.path.splitext(base)[0]}.o"
    while not ((Path(kt.srctree) / d / "Makefile").is_file()
               or (Path(kt.srctree) / d / "Kbuild").is_file()):
        d = os.path.dirname(d)  # objects listed by a parent directory's Makefile
    cache: dict = {}

    def evaluate(dir_):
        if dir_ not in cache:
            cache[dir_] = kt.evaluate_dir(dir_, True, True, overrides=overrides)[0]
        return cache[dir_]

    def reaches(builtin: bool) -> bool:
        cur = "."
        while cur != d:
            dobj = evaluate(cur)
            if builtin:
                entries = [e[: -len("/built-in.a")] for e in dobj.builtin
                           if e.endswith("/built-in.a")]
            else:
                entries = dobj.subdirs
            nxt = [e for e in entries if d == e or d.startswith(e + "/")]
            if not nxt:
                return False
            cur = max(nxt, key=len)
        return True

    final = evaluate(d)
    builtin = reaches(True) and (obj in final.builtin or obj in final.lib)
    module = reaches(False) and any(obj in p for p in final.modules.values())
    return builtin, module


def _overrides(terms, on: bool) -> dict[str, str]:
    o = {}
    for sym, op, val in terms:
        if op == "=":
            o[f"CONFIG_{sym}"] = (val if on else "") if val != "n" else ("" if on else "y")
        elif op == "!=" and val == "n":
            o[f"CONFIG_{sym}"] = "y" if on else ""
        elif op == "!=":
            o[f"CONFIG_{sym}"] = "" if on else val
    return o


def test_which_on_real_files(ksrc):  # noqa: F811
    out, _text = prepared(ksrc, "defconfig")
    cfg = _config(out)
    kt = KbuildTree(str(ksrc), str(out), "x86_64", environ=ENV)
    tree = kt.walk()
    built = {o for d in tree.values() for o in d.builtin + d.lib}
    in_module = {p for d in tree.values() for ps in d.modules.values() for p in ps}
    seen_kinds = set()
    for f in FILES:
        assert (Path(ksrc) / f).is_file(), f
        w = which(kt, f)
        assert w.chains, f"{f}: no chain found"
        for c in w.chains:
            assert c[0].file.endswith("Kbuild") or c[0].file.endswith("Makefile")
        is_b, is_m = w.object in built, w.object in in_module
        seen_kinds.add((is_b, is_m))
        assert evaluate_condition(w.builtin_terms(), cfg) == is_b, (f, w.builtin)
        assert evaluate_condition(w.module_terms(), cfg) == is_m, (f, w.module)
        # Turn the first chain's conditions on, then off, and ask make again.
        bterms = w.builtin_terms()[0]
        if not any(t[1] == "false" for t in bterms):
            assert _chain_state(kt, f, _overrides(bterms, True))[0], (f, "builtin on", w.builtin)
            if bterms:
                assert not _chain_state(kt, f, _overrides(bterms, False))[0], \
                    (f, "builtin off", w.builtin)
        mterms = w.module_terms()[0]
        if not any(t[1] == "false" for t in mterms):
            assert _chain_state(kt, f, _overrides(mterms, True))[1], (f, "module on", w.module)
    assert seen_kinds == {(True, False), (False, True), (False, False)}
