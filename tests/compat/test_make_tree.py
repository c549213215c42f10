"""kbuild.make.kbuild on whole kernel trees (x86_64, i386, arm64), against the kernel's own make.

For each configuration an output directory is configured and prepared once
(``make O=... ARCH=x86_64 <config> && make prepare``) and cached; the real
lists come from ``make -n vmlinux modules`` there, which prints every
``ar cDPrST DIR/built-in.a`` with its members, every ``ar cDPrsT DIR/lib.a``
and every ``modules.order`` it writes.  The walk must give the same lists, in
the same order, for every directory.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

from kbuild.make.kbuild import KbuildTree  # noqa: E402
from kbuild.make.shellcache import ShellCache  # noqa: E402

ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C",
       "HOME": os.environ.get("HOME", "/")}
# Evaluating the whole x86_64 defconfig tree (toolchain probe answers cached on
# disk) must take at most this long; KBUILD_PERF_SLACK scales it on slow machines.
WALK_BUDGET_S = 3.0


@pytest.fixture(scope="module")
def ksrc(kernel_src) -> Path:
    """The kernel tree (conftest's kernel_src) plus the tools its make needs."""
    for tool in ("make", "gcc", "flex", "bison"):
        if shutil.which(tool) is None:
            harness.skip_or_fail(f"{tool} is not installed")
    return kernel_src


def _cache_dir(ksrc: Path) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    key = hashlib.sha1(str(ksrc).encode()).hexdigest()[:12]
    return Path(base) / "kbuild" / "make-compat" / key


def prepared(ksrc: Path, config: str, arch: str = "x86_64",
             cross: bool = False, cross_compile: str = "") -> tuple[Path, str]:
    """An output directory for ``config`` after ``make prepare``, and the text of
    ``make -n vmlinux modules`` there (both cached).

    ``cross``: there is no compiler for ``arch`` here, so ``make prepare`` is
    skipped and the dry run keeps going (``-k``) past the directories that need
    generated files; the stderr of the dry run is kept beside it.
    ``cross_compile``: the prefix of a cross toolchain for ``arch`` (a full build setup).
    """
    out = _cache_dir(ksrc) / f"{arch}-{config}{'-' + cross_compile.rstrip('-') if cross_compile else ''}"
    stamp = out / ".kbuild-make-compat"
    dry = out / ".kbuild-make-n.txt"
    if not stamp.is_file() or not dry.is_file():
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        base = ["make", "-s", "-C", str(ksrc), f"O={out}", f"ARCH={arch}"]
        if cross_compile:
            base.append(f"CROSS_COMPILE={cross_compile}")
        steps = [[config]] if cross else [[config], [f"-j{os.cpu_count() or 1}", "prepare"]]
        for args in steps:
            r = subprocess.run(base + args, env=ENV, capture_output=True, text=True)
            if r.returncode != 0:
                harness.skip_or_fail(f"make {' '.join(args)} failed: {r.stderr[-1000:]}")
        # The dry run stops at the final link (nothing was compiled): fine.
        r = subprocess.run(base + (["-k"] if cross else []) + ["-n", "vmlinux", "modules"],
                           env=ENV, capture_output=True, text=True)
        dry.write_text(r.stdout)
        (out / ".kbuild-make-n.err").write_text(r.stderr)
        stamp.write_text("ok\n")
    return out, dry.read_text()


def real_lists(text: str):
    """built-in.a members, lib.a members and modules.order from ``make -n`` output."""
    builtin: dict[str, list[str]] = {}
    for m in re.finditer(r"rm -f (\S*?)built-in\.a;  (?:printf \"(\S*)/%s \" ([^|]*)\| xargs )?"
                         r"(?:\S*-)?ar cDPrST ", text):
        d = m.group(1).rstrip("/") or "."
        pre = m.group(2)
        members = m.group(3).split() if m.group(3) else []
        builtin.setdefault(d, [w if pre in (None, ".") else f"{pre}/{w}" for w in members])
    libs: dict[str, list[str]] = {}
    for m in re.finditer(r"ar cDPrsT (\S+)/lib\.a([^;']*)", text):
        libs.setdefault(m.group(1), m.group(2).split())
    orders: dict[str, list[tuple[str, str]]] = {}
    for m in re.finditer(r"\{ ([^}]*)\} > (\S*?)modules\.order", text):
        entries = []
        for e in m.group(1).split(";"):
            e = e.strip()
            if e.startswith("echo "):
                entries.append(("obj", e[5:].strip()))
            elif e.startswith("cat "):
                entries.append(("dir", e[4:].strip()[: -len("/modules.order")]))
        orders.setdefault(m.group(2).rstrip("/") or ".", entries)

    def flat(d: str) -> list[str]:
        out: list[str] = []
        for kind, e in orders.get(d, []):
            out.extend([e] if kind == "obj" else flat(e))
        return out
    return builtin, libs, flat(".") if "." in orders else None


def real_module_parts(text: str) -> dict[str, list[str]]:
    """Each module's parts, from the ``printf ... | awk ... > DIR/foo.mod`` commands."""
    mods: dict[str, list[str]] = {}
    for m in re.finditer(r"printf '%s\\n' ([^|']*)\| awk '!x\[\$0\]\+\+ "
                         r"\{ print\(\"([^\"]*)\"\$0\) \}' > (\S+)\.mod", text):
        parts = list(dict.fromkeys(m.group(1).split()))
        mods.setdefault(m.group(3) + ".o", [m.group(2) + p for p in parts])
    return mods


def compare(ksrc: Path, config: str, shell_cache: dict | None = None, arch: str = "x86_64",
            cross_compile: str = ""):
    out, text = prepared(ksrc, config, arch, cross_compile=cross_compile)
    builtin, libs, order = real_lists(text)
    assert builtin, "no ar commands found in make -n output"
    kt = KbuildTree(str(ksrc), str(out), arch, environ=ENV, shell_cache=shell_cache,
                    command_line={"CROSS_COMPILE": cross_compile} if cross_compile else None)
    tree = kt.walk()
    ours = {d: v.builtin for d, v in tree.items() if v.need_builtin}
    diffs = [d for d in sorted(set(ours) | set(builtin)) if ours.get(d) != builtin.get(d)]
    assert not diffs, [(d, builtin.get(d), ours.get(d)) for d in diffs[:5]]
    assert {d: v.lib for d, v in tree.items() if v.has_lib} == libs
    if order is not None:
        assert kt.modules_order(tree) == order
    parts = real_module_parts(text)
    ours_parts = {m: p for d in tree.values() for m, p in d.modules.items()}
    assert {m: ours_parts.get(m) for m in parts} == parts
    if order is not None:
        assert set(parts) == set(order)
    return kt, tree, out


def test_tinyconfig_objects_match_kbuild(ksrc):
    kt, tree, _out = compare(ksrc, "tinyconfig")
    assert len(tree) > 300


def test_i386_defconfig_objects_match_kbuild(ksrc):
    kt, tree, _out = compare(ksrc, "defconfig", arch="i386")
    assert "arch/x86/built-in.a" in tree["."].builtin


def test_arm64_defconfig_objects_match_kbuild(ksrc):
    """No arm64 compiler here: make -k -n fails in the few directories that need
    generated files (and so in their parents); every other directory must match,
    and the walk must cover exactly those failed ones besides."""
    out, text = prepared(ksrc, "defconfig", "arm64", cross=True)
    builtin, libs, _order = real_lists(text)
    failed = set(re.findall(r"Makefile\.build:\d+: (\S+)\] Error",
                            (out / ".kbuild-make-n.err").read_text()))
    assert len(builtin) > 800
    kt = KbuildTree(str(ksrc), str(out), "arm64", environ=ENV)
    tree = kt.walk()
    ours = {d: v.builtin for d, v in tree.items() if v.need_builtin}
    diffs = [d for d in builtin if ours.get(d) != builtin[d]]
    assert not diffs, [(d, builtin[d], ours.get(d)) for d in diffs[:5]]
    assert set(ours) - set(builtin) == failed | {"."}
    assert {d: v.lib for d, v in tree.items() if v.has_lib} == libs


ARM64_CROSS = "aarch64-linux-gnu-"


def test_arm64_defconfig_with_cross_compiler_objects_match_kbuild(ksrc):
    """With an arm64 cross compiler (CI installs gcc-aarch64-linux-gnu): after make prepare
    every directory's built-in.a and lib.a members, module parts and modules.order equal
    make's."""
    if shutil.which(ARM64_CROSS + "gcc") is None:
        harness.skip_or_fail(f"{ARM64_CROSS}gcc is not installed (apt-get install "
                             "gcc-aarch64-linux-gnu)")
    kt, tree, _ = compare(ksrc, "defconfig", arch="arm64", cross_compile=ARM64_CROSS)
    assert len([d for d in tree.values() if d.need_builtin]) > 800


def test_defconfig_objects_match_kbuild_and_walk_is_fast(ksrc, tmp_path):
    prepared(ksrc, "defconfig")
    cache_file = tmp_path / "shell-cache.json"
    cache = ShellCache(cache_file, ENV)
    t0 = time.perf_counter()
    kt, tree, out = compare(ksrc, "defconfig", cache)
    cold = time.perf_counter() - t0
    cache.save()
    assert kt.modules_order(tree), "x86_64 defconfig builds some modules"
    # A second run: the toolchain probes' answers come from the cache file, the
    # other $(shell) commands run again.  This is the evaluation of the whole tree.
    t0, c0 = time.perf_counter(), time.process_time()
    cache2 = ShellCache(cache_file, ENV)
    tree2 = KbuildTree(str(ksrc), str(out), "x86_64", environ=ENV, shell_cache=cache2).walk()
    warm, warm_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert cache2.loaded > 40
    assert {d: (v.builtin, v.order) for d, v in tree2.items()} == \
        {d: (v.builtin, v.order) for d, v in tree.items()}
    print(f"\nx86_64 defconfig: {len(tree)} directories; first run (every probe runs) "
          f"{cold:.2f}s, second run (probe answers from the cache file) {warm:.2f}s "
          f"({warm_cpu:.2f}s CPU)")
    # CPU time: a loaded machine (parallel test sweeps) stretches the wall clock.
    slack = float(os.environ.get("KBUILD_PERF_SLACK", "1"))
    assert warm_cpu <= WALK_BUDGET_S * slack


def test_exact_mode_and_threads_give_the_same_walk(ksrc):
    out, _text = prepared(ksrc, "tinyconfig")
    cache: dict = {}
    fast = KbuildTree(str(ksrc), str(out), "x86_64", environ=ENV, shell_cache=cache).walk()
    exact = KbuildTree(str(ksrc), str(out), "x86_64", environ=ENV, shell_cache=cache,
                       exact=True).walk()
    threads = KbuildTree(str(ksrc), str(out), "x86_64", environ=ENV,
                         shell_cache=cache).walk(jobs=4)
    for other in (exact, threads):
        assert list(fast) == list(other)
        for d in fast:
            a, b = fast[d], other[d]
            assert (a.builtin, a.lib, a.modules, a.order, a.subdirs) == \
                (b.builtin, b.lib, b.modules, b.order, b.subdirs), d


def test_allmodconfig_objects_match_kbuild(ksrc):
    """1900 directories, 10000 modules; its make -n alone takes about a minute of CPU."""
    if not (harness.is_ci() or os.environ.get("KBUILD_MAKE_FULL") == "1"):
        pytest.skip("allmodconfig comparison runs in CI or with KBUILD_MAKE_FULL=1")
    kt, tree, _out = compare(ksrc, "allmodconfig")
    assert len(kt.modules_order(tree)) > 5000


def test_cmd_files_of_a_built_directory_change_nothing(ksrc):
    """After building init/, Makefile.build includes init/.*.o.cmd; skipping them
    (the default) or reading them gives the same lists."""
    out, _text = prepared(ksrc, "tinyconfig")
    r = subprocess.run(["make", "-s", "-C", str(ksrc), f"O={out}", "ARCH=x86_64", "init/"],
                       env=ENV, capture_output=True, text=True)
    if r.returncode != 0:
        harness.skip_or_fail(f"make init/ failed: {r.stderr[-1000:]}")
    assert list((out / "init").glob(".*.o.cmd"))
    cache: dict = {}
    skip = KbuildTree(str(ksrc), str(out), "x86_64", environ=ENV, shell_cache=cache)
    read = KbuildTree(str(ksrc), str(out), "x86_64", environ=ENV, shell_cache=cache,
                      read_cmd_files=True)
    d1, mk1 = skip.evaluate_dir("init")
    d2, mk2 = read.evaluate_dir("init")
    assert ".main.o.cmd" not in mk1.value("MAKEFILE_LIST")
    assert "init/.main.o.cmd" in mk2.value("MAKEFILE_LIST")
    assert mk2.value("savedcmd_init/main.o")
    assert (d1.builtin, d1.lib, d1.order) == (d2.builtin, d2.lib, d2.order)
