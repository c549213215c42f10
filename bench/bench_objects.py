#!/usr/bin/env python3
"""Benchmark `kbuild objects` against make's own walk of the Kbuild tree (Linux 6.12).

The output directory is the one the make tests prepare and cache (tests/compat/test_make_tree.py:
`make O=... ARCH=x86_64 defconfig && make prepare`, kept in ~/.cache/kbuild/make-compat).  There:

  make     `make O=... ARCH=x86_64 -n vmlinux`: make reads every directory's Makefile.build
           (the same walk) and prints the commands without running them;
  kbuild   `kbuild O=... ARCH=x86_64 objects`: the same walk in Python, in a fresh process;
           cold = the toolchain probes of the makefiles are not cached yet (an empty
           XDG_CACHE_HOME), warm = their answers come from the cache file the cold run left.

Both print to a pipe that is read and dropped.  Metrics: wall time (spawn to reap) and tree CPU
(user+sys of the process and its children, from wait4).  Each program gets one first run and
--reps more; the first run and the best of the rest are shown.  The object lists of
`kbuild objects --json` are compared with the `ar` member lists of the dry run.

    python bench/bench_objects.py [--config defconfig] [--reps 3] [--json FILE|-]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "compat"))
import harness  # noqa: E402
from benchlib import emit  # noqa: E402

# Issue #7: evaluating the whole x86_64 defconfig tree must take at most this long.
TARGET_S = 3.0


IN_PROCESS = """
import io, json, sys, time
from kbuild import cli
for i in range(2):
    t0, c0 = time.perf_counter(), time.process_time()
    rc = cli.main(sys.argv[1:], stdout=io.StringIO())
    if rc:
        sys.exit(rc)
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
"""


def run(argv, env, timeout=600.0):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    out, err = p.communicate(timeout=timeout)
    wall = time.perf_counter() - t0
    # communicate() has reaped the child: its rusage is in RUSAGE_CHILDREN; take the difference
    return wall, p.returncode, out, err


def timed(argv, env, ok_marker=None):
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, rc, out, err = run(argv, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # `make -n vmlinux` ends with an error at the final link (nothing was built): it has
    # walked the tree when its output holds the archive commands
    ok = rc == 0 if ok_marker is None else ok_marker in out
    return {"wall": wall, "cpu": cpu, "rc": rc, "ok": ok, "stdout_bytes": len(out),
            "stderr_tail": err.decode("utf-8", "replace")[-2000:]}, out


def summarize(runs):
    ok = [r for r in runs if r["ok"]]
    rest = ok[1:] or ok
    return {"first_wall": runs[0]["wall"], "first_cpu": runs[0]["cpu"],
            "best_wall": min(r["wall"] for r in rest) if rest else None,
            "best_cpu": min(r["cpu"] for r in rest) if rest else None,
            "failed": len(ok) != len(runs)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", default="defconfig", help="the configuration target (default: "
                    "defconfig)")
    ap.add_argument("--reps", type=int, default=3, help="runs after the first (best is shown)")
    ap.add_argument("--json", nargs="?", const="-", metavar="FILE",
                    help="write the results as JSON to FILE ('-' or no FILE: stdout, no table)")
    args = ap.parse_args(argv)
    log = sys.stderr if args.json == "-" else sys.stdout
    try:
        src = harness.locate_kernel_source()
        exe = harness.REPO_ROOT / ".venv" / "bin" / "kbuild"
        if not exe.is_file():
            exe = Path(sys.executable).parent / "kbuild"
        for tool in ("make", "gcc", "flex", "bison"):
            if shutil.which(tool) is None:
                raise harness.HarnessError(f"{tool} is not installed")
        from test_make_tree import prepared, real_lists
        print(f"bench: preparing x86_64 {args.config} (cached after the first time)", file=log,
              flush=True)
        out, dry_text = prepared(src, args.config)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # also pytest's skip/fail outcomes from prepared()
        print(f"bench: {e}", file=sys.stderr)
        return 2

    env = harness.clean_env()
    cache = Path(tempfile.mkdtemp(prefix="kbuild-bench-objects-"))
    kenv = dict(env, XDG_CACHE_HOME=str(cache))
    make_argv = ["make", "-C", str(src), f"O={out}", "ARCH=x86_64", "-n", "vmlinux"]
    kb_argv = [str(exe), "-C", str(src), f"O={out}", "ARCH=x86_64", "objects"]
    runs = {"make": [], "kbuild": []}
    try:
        for rep in range(args.reps + 1):
            r, _ = timed(make_argv, env, b"ar cDPrST")
            runs["make"].append(r)
            r, _ = timed(kb_argv, kenv)        # rep 0: empty probe cache (cold)
            runs["kbuild"].append(r)
            print(f"bench: round {rep + 1}/{args.reps + 1}: make {runs['make'][-1]['wall']:.2f}s,"
                  f" kbuild {runs['kbuild'][-1]['wall']:.2f}s", file=log, flush=True)
        _w, rc, js, err = run(kb_argv + ["--json"], kenv)
        # warm: a second walk in the same process (cli.main called twice)
        _w, prc, pout, perr = run([sys.executable, "-c", IN_PROCESS, *kb_argv[1:]], kenv)
        in_process = json.loads(pout) if prc == 0 else None
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    identical = None
    ndirs = None
    if rc == 0:
        rec = json.loads(js)
        ndirs = len(rec["directories"])
        builtin, libs, _order = real_lists(dry_text)
        ours = {d["dir"]: d["built_in"] for d in rec["directories"] if d["built_in"] is not None}
        ourlibs = {d["dir"]: d["lib"] for d in rec["directories"] if d["lib"] is not None}
        identical = ours == builtin and ourlibs == libs
    summary = {k: summarize(v) for k, v in runs.items()}
    doc = {"kernel_src": str(src), "objtree": str(out), "config": f"x86_64 {args.config}",
           "directories": ndirs, "reps": args.reps, "target_s": TARGET_S,
           "lists_identical": identical, "summary": summary, "in_process": in_process,
           "runs": runs}
    emit(doc, args.json, print_table)
    return 0 if identical else 1


def print_table(doc):
    m, k = doc["summary"]["make"], doc["summary"]["kbuild"]
    print(f"\n{doc['config']}, {doc['directories']} directories: `make -n vmlinux` vs "
          f"`kbuild objects` (fresh process each; best of {doc['reps']} after the first)")
    print(f"{'run':<34} {'make':>9} {'kbuild':>9} {'ratio':>8}")

    def row(label, mv, kv):
        ratio = f"{kv / mv:.2f}x" if mv and kv is not None else ""
        fm = f"{mv:.2f}s" if mv is not None else "-"
        fk = f"{kv:.2f}s" if kv is not None else "failed"
        print(f"{label:<34} {fm:>9} {fk:>9} {ratio:>8}")
    ip = doc["in_process"] or {}
    row("wall, first run", m["first_wall"], k["first_wall"])
    row("wall, fresh process (best)", m["best_wall"], k["best_wall"])
    row("wall, warm (in-process repeat)", m["best_wall"], ip.get("wall"))
    row("CPU, first run (tree)", m["first_cpu"], k["first_cpu"])
    row("CPU, fresh process (best, tree)", m["best_cpu"], k["best_cpu"])
    row("CPU, warm (in-process repeat)", m["best_cpu"], ip.get("cpu"))
    print("(kbuild's first run has no remembered probe answers: it runs the ~60 compiler "
          "probes of the\n makefiles, as make does on every run; later runs take them from "
          "the cache file)")
    lists = {True: "identical", False: "DIFFERENT", None: "-"}[doc["lists_identical"]]
    print(f"built-in.a/lib.a member lists vs make -n: {lists}")
    best = k["best_wall"]
    if best is not None:
        print(f"issue #7 target: whole-tree evaluation <= {doc['target_s']:.1f}s: "
              f"{'met' if best <= doc['target_s'] else 'NOT met'} (fresh process {best:.2f}s; "
              f"first run {k['first_wall']:.2f}s)")
    for name in ("make", "kbuild"):
        bad = [r for r in doc["runs"][name] if not r["ok"]]
        if bad:
            print(f"{name} failed (exit {bad[0]['rc']}): {bad[0]['stderr_tail'][-500:]}")


if __name__ == "__main__":
    sys.exit(main())
