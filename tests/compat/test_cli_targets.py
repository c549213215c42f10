"""`kbuild` on the real Linux 6.12 tree (and a few targets on Linux 6.1).

* `kbuild O=dirA ARCH=.. targets` writes the same files (and prints the same) as
  `make O=dirB ARCH=.. targets`.  make runs in a build directory copied from the harness's
  template (conf already built), kbuild in an empty one; both get the same clean environment.
  Cases run in parallel.
* The seed 000 story (a Raspberry Pi kdump afternoon), end to end: ARCH=arm multi_v7_defconfig
  with SUSPEND off hides KEXEC and CRASH_DUMP; `find`, `why`, the seed's path (SMP off) and the
  other one (system sleep back on), `diff --explain` for each, and every .config equal to what the
  C tools give for the same edits.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
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
# the other conf modes through the command line (VAR=value is exported to conf, as make does)
CASES.append(("arm64", ("KCONFIG_SEED=0x1234abcd", "randconfig", "listnewconfig", "syncconfig")))
CASES.append(("x86_64", ("alldefconfig", "mod2yesconfig", "olddefconfig", "savedefconfig")))


def _kbuild_exe() -> Path:
    for cand in (Path(sys.executable).parent / "kbuild", harness.REPO_ROOT / ".venv/bin/kbuild"):
        if cand.is_file():
            return cand
    pytest.fail("kbuild executable not found (pip install -e .)")


# the same on Linux 6.1 (its own C conf, the C behaviour before 6.11)
OLD_CASES = [("x86_64", ("defconfig", "kvm_guest.config", "savedefconfig")), ("arm", ("tinyconfig",)),
             ("arm64", ("KCONFIG_SEED=0x1234abcd", "randconfig", "syncconfig"))]


@pytest.fixture(scope="module")
def results(kernel_src):
    yield from _run_cases(kernel_src, CASES)


@pytest.fixture(scope="module")
def results_old(kernel_src_old):
    yield from _run_cases(kernel_src_old, OLD_CASES)


def _run_cases(src, cases):
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
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(len(cases), os.cpu_count() or 2)) as pool:
            out = dict(zip(cases, pool.map(one, cases)))
        yield out
    finally:
        ws.cleanup()


@pytest.mark.parametrize("arch,targets", CASES, ids=[f"{a}:{'+'.join(t)}" for a, t in CASES])
def test_same_files_as_make(results, arch, targets):
    _same_files(results[(arch, targets)], targets)


@pytest.mark.parametrize("arch,targets", OLD_CASES, ids=[f"{a}:{'+'.join(t)}" for a, t in OLD_CASES])
def test_same_files_as_make_old(results_old, arch, targets):
    _same_files(results_old[(arch, targets)], targets)


def _same_files(result, targets):
    mrc, mout, mfiles, krc, kout, kfiles, kerr = result
    assert mrc == 0
    assert krc == 0, kerr.decode(errors="replace")
    assert sorted(kfiles) == sorted(mfiles)
    differ = [p for p in mfiles if mfiles[p] != kfiles[p]]
    assert not differ, f"files differ: {differ[:10]}"
    assert ".config" in kfiles
    if "savedefconfig" in targets:
        assert "defconfig" in kfiles
    assert kout == mout


# --------------------------------------------------------------------------
# The seed 000 story
# --------------------------------------------------------------------------

def _make_with_edits(src, odir, base_config, lines, env):
    """The C tools' answer for the same edits: the lines appended to .config, make olddefconfig."""
    odir.mkdir(parents=True, exist_ok=True)
    (odir / ".config").write_bytes(base_config + "".join(x + "\n" for x in lines).encode())
    r = subprocess.run(["make", "-s", "-C", str(src), "ARCH=arm", f"O={odir}", "olddefconfig"],
                       cwd=odir, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return (odir / ".config").read_bytes()


def _config_values(path):
    vals = {}
    for line in Path(path).read_text().splitlines():
        if line.startswith("CONFIG_"):
            k, _, v = line[7:].partition("=")
            vals[k] = v
    return vals


def test_seed_000_story(kernel_src, tmp_path):
    import json
    src = kernel_src
    exe = _kbuild_exe()
    env = harness.clean_env()
    base = tmp_path / "pi"

    def kb(*args, odir=base, rc=0):
        r = subprocess.run([str(exe), "-s", "-C", str(src), "ARCH=arm", f"O={odir}", *args],
                           cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=600, text=True)
        assert r.returncode == rc, (args, r.stdout, r.stderr)
        return r.stdout

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    # the Raspberry Pi situation: multi_v7_defconfig, no system sleep
    kb("multi_v7_defconfig")
    defconfig = (base / ".config").read_bytes()
    c_base = pool.submit(_make_with_edits, src, tmp_path / "c-base", defconfig,
                         ["# CONFIG_SUSPEND is not set"], env)
    out = kb("disable", "SUSPEND")
    assert " SUSPEND y -> n" in out
    vals = _config_values(base / ".config")
    assert vals["SMP"] == "y" and "KEXEC" not in vals and "CRASH_DUMP" not in vals
    base_config = (base / ".config").read_bytes()
    (tmp_path / "base.config").write_bytes(base_config)

    # where is KEXEC?
    found = json.loads(kb("find", "KEXEC", "--json"))
    assert found[0]["name"] == "KEXEC"
    assert found[0]["definitions"][0]["file"] == "kernel/Kconfig.kexec"
    assert found[0]["definitions"][0]["location"].endswith("Enable kexec system call")
    assert "Enable kexec system call" in kb("find", "KEXEC")

    # why can't I have it?  Through the prompt-less ARCH_SUPPORTS_KEXEC: SMP off or PM_SLEEP_SMP
    # on, and PM_SLEEP_SMP needs system sleep (SUSPEND or HIBERNATION)
    text = kb("why", "KEXEC")
    for word in ("ARCH_SUPPORTS_KEXEC", "!SMP || PM_SLEEP_SMP", "PM_SLEEP_SMP", "PM_SLEEP",
                 "Kernel Features -> Symmetric Multi-Processing", "SUSPEND", "HIBERNATION",
                 "arch/arm/Kconfig:"):
        assert word in text, word
    rec = json.loads(kb("why", "KEXEC", "--json"))
    assert rec["value"] == "n" and not rec["ok"]
    assert {"SMP", "SUSPEND", "HIBERNATION"} <= set(rec["settable"])
    blob = json.dumps(rec)
    assert blob.index("ARCH_SUPPORTS_KEXEC") < blob.index("PM_SLEEP_SMP") < blob.index('"SUSPEND"')
    assert c_base.result() == base_config

    # the seed's path: SMP off, then KEXEC, CRASH_DUMP and debug info (DEBUG_INFO has no prompt
    # in 6.12: its menu choice turns it on)
    seed_edits = {"SMP": "n", "KEXEC": "y", "CRASH_DUMP": "y", "DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT": "y"}
    sleep_edits = {"SUSPEND": "y", "KEXEC": "y", "CRASH_DUMP": "y", "DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT": "y"}
    for name, edits in (("seed", seed_edits), ("sleep", sleep_edits)):
        odir = tmp_path / name
        odir.mkdir()
        (odir / ".config").write_bytes(base_config)
        lines = [f"# CONFIG_{k} is not set" if v == "n" else f"CONFIG_{k}={v}" for k, v in edits.items()]
        c = pool.submit(_make_with_edits, src, tmp_path / ("c-" + name), base_config, lines, env)
        kb("set", *[f"{k}={v}" for k, v in edits.items()], odir=odir)
        vals = _config_values(odir / ".config")
        assert vals["KEXEC"] == "y" and vals["CRASH_DUMP"] == "y" and vals["DEBUG_INFO"] == "y"
        assert vals["PROC_VMCORE"] == "y"
        assert c.result() == (odir / ".config").read_bytes(), name
        plain = kb("diff", str(tmp_path / "base.config"), str(odir / ".config"))
        assert " KEXEC" not in plain and "+KEXEC y" in plain
        tree = json.loads(kb("diff", "--explain", "--json", str(tmp_path / "base.config"),
                             str(odir / ".config")))
        roots = {r["symbol"]: r for r in tree["roots"]}

        def below(node, name):
            return any(c["symbol"] == name or below(c, name) for c in node["children"])
        # CRASH_DUMP defaults to y on arm (ARCH_DEFAULT_CRASH_DUMP): once KEXEC_CORE is on, it
        # appears at y by itself, so it is explained below KEXEC, not as the user's change
        assert set(edits) - {"CRASH_DUMP"} <= set(roots), sorted(roots)
        assert below(roots["KEXEC"], "CRASH_DUMP") and below(roots["KEXEC"], "PROC_VMCORE")
        assert below(roots["KEXEC"], "KEXEC_CORE")
        assert below(roots["DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT"], "DEBUG_INFO")
        if name == "sleep":
            assert below(roots["SUSPEND"], "PM_SLEEP") and below(roots["SUSPEND"], "PM_SLEEP_SMP")
        else:
            assert below(roots["SMP"], "ARCH_SUPPORTS_KEXEC")
        assert "KEXEC_CORE" in kb("diff", "--explain", str(tmp_path / "base.config"),
                                  str(odir / ".config"))
    pool.shutdown()


# --------------------------------------------------------------------------
# `why` checked by applying its suggestion
# --------------------------------------------------------------------------

WHY_SAMPLE_PER_ARCH = 14
# Named options for each kind of obstacle the issue lists; the answer for each must show that kind
# (see _why_kinds) and its plan must work:
# - "helper": hidden behind a prompt-less helper symbol (ARCH_SUPPORTS_KEXEC, DEBUG_INFO, ...)
# - "choice": a member of a choice, where another member is picked or the choice is hidden
# - "depends on chain": a prompt hidden by an option whose own prompt is hidden, and so on
# - "select": reached through a select (or imply) by an option whose dependencies are unmet
# - "visible if": inside a menu hidden by its `visible if`
WHY_NAMED = {
    "arm": {
        "helper": ["KEXEC", "CRASH_DUMP", "PROC_VMCORE", "ATAGS_PROC", "PM_AUTOSLEEP", "KEXEC_CORE",
                   "ARM_S5PV210_CPUFREQ"],
        "choice": ["DEBUG_INFO", "GDB_SCRIPTS", "DEBUG_S3C_UART0", "DEBUG_LL_UART_8250", "PREEMPT",
                   "HZ_1000"],
        "depends on chain": ["SND_SEQUENCER_OSS", "IP_NF_MATCH_ECN", "VIDEO_ZORAN_BUZ",
                             "INFINIBAND_ON_DEMAND_PAGING"],
        "select": ["DEBUG_S5PV210_UART", "SAMSUNG_WAKEMASK", "SND_SOC_UX500_PLAT_MSP_I2S"],
        "visible if": ["I2C_ALGOPCF", "I2C_ALGOPCA"],
    },
    "x86_64": {
        "helper": ["XEN_PVH", "MOXTET", "LLC", "REGMAP_SPI_AVMM"],
        "choice": ["NO_HZ_FULL", "MCORE2", "PREEMPT", "INIT_STACK_ALL_PATTERN",
                   "ZSWAP_COMPRESSOR_DEFAULT_842"],
        "depends on chain": ["VIDEO_CX88", "SND_AMD_ASOC_ACP63", "SCD30_I2C", "SND_SOC_RT5645"],
        "select": ["CRYPTO_DEV_MARVELL", "MMA9551_CORE", "FB_CFB_COPYAREA"],
        "visible if": ["I2C_ALGOPCF", "VIDEO_ADV_DEBUG", "MEDIA_CONTROLLER_DVB", "DVB_NET",
                       "DRM_XE_ENABLE_SCHEDTIMEOUT_LIMIT"],
        None: ["X86_X2APIC", "KVM_INTEL", "KEXEC_JUMP"],
    },
    "arm64": {
        "helper": ["SND_SOC_WM8998", "MFD_WM8998", "INTEGRITY_MACHINE_KEYRING"],
        "choice": ["CPU_BIG_ENDIAN", "ARM64_64K_PAGES", "HZ_1000"],
        "depends on chain": ["SECURITY_LOADPIN_VERITY", "DVB_TDA8261"],
        "select": ["VIDEO_ADV7175", "LLC"],
        "visible if": ["VIDEO_ADV7180", "MEDIA_TUNER_E4000", "DVB_STV0910", "I2C_ALGOPCA"],
        None: ["TRUSTED_KEYS_CAAM", "ARM64_PSEUDO_NMI"],
    },
}


def _why_nodes(node, depth=0):
    if node is None:
        return
    yield node, depth
    for c in node.get("children", ()):
        yield from _why_nodes(c, depth + 1)


def _why_kinds(rec):
    """The kinds of obstacle (the keys of WHY_NAMED) that a `why` answer shows."""
    def hidden_prompt(n):
        return n.get("symbol") and ("but its prompt is hidden" in n["text"]
                                    or "its dependencies allow at most" in n["text"])
    kinds = set()
    for n, depth in _why_nodes(rec["reason"]):
        text = n.get("text", "")
        if n.get("choice"):
            kinds.add("choice")
        if "is shown only if" in text:
            kinds.add("visible if")
        if depth > 0 and n.get("symbol") and "it has no prompt" in text:
            kinds.add("helper")
        if text.startswith("it would be") and (" if selected by " in text or " if implied by " in text) \
                and any(k.get("symbol") and not k.get("settable") for k, _ in _why_nodes(n)):
            kinds.add("select")
        if hidden_prompt(n) and any(hidden_prompt(k) for k, d in _why_nodes(n) if d > 0):
            kinds.add("depends on chain")
    return kinds


def test_why_suggestions_work(kernel_src, tmp_path):
    """For the named options (each kind of obstacle, see WHY_NAMED) and an even sample of the
    hidden options of the x86_64, arm (seed situation: SUSPEND off) and arm64 defconfigs: follow
    the first workable way `why` offers (up to three rounds, as a user would: a condition that held
    before a change may fail after it), then the option must reach y.  Every named option must
    get there; a sampled one may have no way at all (it belongs to another architecture, needs a
    tool the machine lacks, or depends on BROKEN), but a way that is offered must work."""
    from kbuild.cli import Project
    from kbuild.explain.edit import apply_edits
    from kbuild.explain.why import fix_plan, why

    env = harness.clean_env()
    exe = _kbuild_exe()
    verified, failures, no_way, wrong_kind = [], [], [], []
    named_verified = []
    counts = {}
    for arch in ("arm", "x86_64", "arm64"):
        odir = tmp_path / arch
        r = subprocess.run([str(exe), "-s", "-C", str(kernel_src), f"ARCH={arch}", f"O={odir}",
                            "defconfig"], env=env, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        if arch == "arm":
            r = subprocess.run([str(exe), "-s", "-C", str(kernel_src), f"ARCH={arch}", f"O={odir}",
                                "disable", "SUSPEND"], env=env, capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
        project = Project(kernel_src, odir, {"ARCH": arch}, env)
        kc = project.load()
        cfg = str(project.config_path)
        hidden = sorted(s.name for s in kc.named_symbols()
                        if s.menus and s.type in (1, 2) and s.tri_value() == 0 and s.visible == 0)
        step = max(1, len(hidden) // WHY_SAMPLE_PER_ARCH)
        named = [(kind, n) for kind, names in WHY_NAMED[arch].items() for n in names]
        for n in [n for _, n in named]:
            assert n in kc, (arch, n)
        cases = named + [(None, n) for n in hidden[::step][:WHY_SAMPLE_PER_ARCH]
                         if n not in {m for _, m in named}]
        counts[arch] = [0, 0, 0]
        for kind, name in cases:
            kc.read_config(cfg)
            assert kc[name].tri_value() != 2, (arch, name, "is y already")
            is_named = name in {m for _, m in named}
            if kind is not None and kind not in _why_kinds(why(kc, kc[name], "y")):
                wrong_kind.append((arch, name, kind))
            edits, plan = [], None
            for _ in range(3):
                plan = fix_plan(why(kc, kc[name], "y"))
                if plan is None:
                    break
                edits += [(kc[a], v) for a, v in plan]
                apply_edits(kc, edits + [(kc[name], "y")])
                if kc[name].tri_value() == 2:
                    break
            if kc[name].tri_value() == 2:
                verified.append((arch, name, len(edits)))
                counts[arch][0] += 1
                if is_named:
                    named_verified.append((arch, name))
            elif not edits and not is_named:
                no_way.append((arch, name))
                counts[arch][2] += 1
            else:
                failures.append((arch, name, [(s.name, v) for s, v in edits]))
                counts[arch][1] += 1
    print(f"why: {len(verified)} verified ({len(named_verified)} named), {len(failures)} failed, "
          f"{len(no_way)} without a way")
    for arch, (v, f, n) in counts.items():
        print(f"  {arch}: {v} verified, {f} failed, {n} without a way")
    for f in failures:
        print("  failed:", f)
    assert not failures, failures
    assert not wrong_kind, wrong_kind
    assert len(named_verified) >= 30
    assert {k for a in WHY_NAMED for k in WHY_NAMED[a] if k} == \
        {"helper", "choice", "depends on chain", "select", "visible if"}
    assert ("arm", "KEXEC", 2) in verified        # SMP=n, then KEXEC=y


def test_merge_like_merge_config_sh(kernel_src, tmp_path):
    """`kbuild merge BASE FRAGMENTS` against scripts/kconfig/merge_config.sh (which runs make
    alldefconfig): same .config, same messages; kbuild then explains what did not stick."""
    env = harness.clean_env()
    exe = _kbuild_exe()
    frag = tmp_path / "frag.config"
    frag.write_text("# CONFIG_SMP is not set\nCONFIG_NOT_A_SYMBOL=y\nCONFIG_KVM=m\nCONFIG_PROVE_LOCKING=y\n")
    debug = kernel_src / "kernel/configs/debug.config"
    # one base for both sides (two defconfig runs could differ if a compiler probe fails on an
    # overloaded machine, and the merge messages depend on every line of the base)
    r = subprocess.run([str(exe), "-s", "-C", str(kernel_src), "ARCH=arm64", f"O={tmp_path / 'sh'}",
                        "defconfig"], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    (tmp_path / "kb").mkdir()
    shutil.copy(tmp_path / "sh/.config", tmp_path / "kb/.config")
    sh_env = dict(env, ARCH="arm64")
    sh = subprocess.run(["sh", str(kernel_src / "scripts/kconfig/merge_config.sh"), ".config",
                         str(debug), str(frag)], cwd=tmp_path / "sh", env=sh_env,
                        capture_output=True, text=True, timeout=600)
    kb = subprocess.run([str(exe), "-C", str(kernel_src), "ARCH=arm64", f"O={tmp_path / 'kb'}",
                         "merge", ".config", str(debug), str(frag)], cwd=tmp_path / "kb", env=env,
                        capture_output=True, text=True, timeout=600)
    assert sh.returncode == 0 and kb.returncode == 0, (sh.stderr, kb.stderr)
    assert (tmp_path / "kb/.config").read_bytes() == (tmp_path / "sh/.config").read_bytes()
    # make's own lines (building conf) are not kbuild's
    sh_lines = [ln for ln in sh.stdout.splitlines()
                if not ln.startswith(("  HOST", "  LEX", "  YACC", "make"))]
    assert kb.stdout.splitlines() == sh_lines
    assert "Value requested for CONFIG_SMP not in final .config" in kb.stdout
    assert "kbuild: CONFIG_NOT_A_SYMBOL is not defined by the Kconfig files" in kb.stderr


# a recorded `lsmod` listing (a Raspberry Pi 3 with Wi-Fi, sound and the VC4 display driver)
LSMOD_LISTING = """\
Module                  Size  Used by
brcmfmac              327680  0
brcmutil               24576  1 brcmfmac
cfg80211              786432  1 brcmfmac
snd_soc_core          245760  1 vc4
snd_pcm_dmaengine      16384  1 snd_soc_core
vc4                   294912  2
drm_display_helper    196608  1 vc4
bluetooth             737280  0
ecdh_generic           16384  1 bluetooth
not_a_module_of_this_tree  1000  0
"""


def test_localmodconfig_like_make(kernel_src, tmp_path):
    """localmodconfig and localyesconfig with LSMOD=<recorded listing> on arm multi_v7_defconfig:
    the same .config, .config.old and output as make."""
    env = harness.clean_env()
    exe = _kbuild_exe()
    lsmod = tmp_path / "lsmod.txt"
    lsmod.write_text(LSMOD_LISTING)
    base = tmp_path / "base"
    r = subprocess.run([str(exe), "-s", "-C", str(kernel_src), "ARCH=arm", f"O={base}",
                        "multi_v7_defconfig"], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    for target in ("localmodconfig", "localyesconfig"):
        mdir, kdir = tmp_path / ("make-" + target), tmp_path / ("kb-" + target)
        for d in (mdir, kdir):
            d.mkdir()
            shutil.copy(base / ".config", d / ".config")
        m = subprocess.run(["make", "-s", "-C", str(kernel_src), "ARCH=arm", f"O={mdir}",
                            f"LSMOD={lsmod}", target], env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=600)
        k = subprocess.run([str(exe), "-s", "-C", str(kernel_src), "ARCH=arm", f"O={kdir}",
                            f"LSMOD={lsmod}", target], env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=600)
        assert m.returncode == 0 and k.returncode == 0, (m.stderr, k.stderr)
        for name in (".config", ".config.old"):
            assert (kdir / name).read_bytes() == (mdir / name).read_bytes(), (target, name)
        assert k.stdout == m.stdout
        assert k.stderr == m.stderr
        assert "not_a_module_of_this_tree config not found!!" in k.stderr
    assert "CONFIG_BRCMFMAC=m" in (tmp_path / "kb-localmodconfig/.config").read_text()
    assert "CONFIG_BRCMFMAC=y" in (tmp_path / "kb-localyesconfig/.config").read_text()
