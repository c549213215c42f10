#!/usr/bin/env python3
"""Benchmark `kbuild build` against GNU make with recursive kbuild-style makefiles.

bench/genproject.py generates a project of realistic shape (default 2000 C
files in 200 directories, 452 Kconfig options, 41 shared headers that
mention CONFIG_ options); the same source tree carries the Kbuild files kbuild
reads and the kbuild-style makefiles GNU make runs (see genproject.py).  Both
build out of tree from the same .config (alldefconfig), in separate build
directories, with the same -j.

Steps, each run for kbuild and then for make, in the same process:

  full build   from an empty build directory (configuration written);
  no-op        nothing changed (--reps runs; the median is shown);
  one option   one bool option flipped in .config (y -> n), then the build:
               syncconfig + rebuild (kbuild build runs syncconfig itself; the
               generated top Makefile does, as the kernel's does);
  one header   one shared header touched, then the build.

"rebuilt" counts the objects compiled (the `  CC ` lines); "expected" is what
the generator computed from the files it wrote (the files that include the
header or mention the option, directly or through a header).  Times are wall
clock (time.perf_counter around the whole command); "CPU" is user+sys of the
command and everything it waited for (getrusage(RUSAGE_CHILDREN) before and
after), which a loaded machine inflates much less than the wall time.

    python bench/bench_build.py                  # 2000 files, -j = processors
    python bench/bench_build.py --files 500 -j 4 --reps 7
    python bench/bench_build.py --json out.json  # also write the results as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import genproject  # noqa: E402

BIN = Path(sys.executable).parent


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(argv, cwd=None, env=None) -> tuple[float, float, int, str]:
    """(seconds, CPU seconds, objects compiled, output) of one build; raises on failure."""
    c = _cpu()
    t = time.perf_counter()
    p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t
    cpu = _cpu() - c
    if p.returncode:
        raise SystemExit("bench: %s failed (exit %d):\n%s%s" % (
            " ".join(map(str, argv)), p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
    n = sum(1 for line in p.stdout.splitlines() if line.startswith("  CC "))
    return dt, cpu, n, p.stdout


def flip(config: Path, option: str) -> None:
    text = config.read_text()
    on = "CONFIG_%s=y\n" % option
    assert on in text, (config, option)
    config.write_text(text.replace(on, "# CONFIG_%s is not set\n" % option))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=2000, help="C files (default 2000)")
    ap.add_argument("--headers", type=int, default=40, help="shared headers (default 40)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--reps", type=int, default=5, help="no-op runs per tool (median shown)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args(argv)
    for tool in ("gcc", "make", "ar"):
        if shutil.which(tool) is None:
            print("bench: %s not found" % tool, file=sys.stderr)
            return 2

    work = Path(tempfile.mkdtemp(prefix="kbuild-bench-build-"))
    try:
        src, kdir, mdir = work / "src", work / "kbuild", work / "make"
        man = genproject.generate(src, args.files, args.headers)
        env = dict(os.environ, PATH=str(BIN) + os.pathsep + os.environ.get("PATH", ""))
        env.pop("MAKEFLAGS", None)
        env.pop("KBUILD_LAUNCHER", None)
        jobs = "-j%d" % args.jobs
        kbuild = [str(BIN / "kbuild"), "-C", str(src), "O=" + str(kdir), "build", jobs]
        make = ["make", "-C", str(mdir), "-f", str(src / "Makefile"), "srctree=" + str(src),
                "KCONF=" + str(BIN / "kbuild-conf"), jobs]
        kdir.mkdir()
        mdir.mkdir()
        run([str(BIN / "kbuild"), "-C", str(src), "O=" + str(kdir), "alldefconfig"], env=env)
        shutil.copy2(kdir / ".config", mdir / ".config")
        tools = {"kbuild": kbuild, "make": make}
        results = []

        def step(name, expected, reps=1, before=None):
            row = {"step": name, "expected": expected}
            for tool, cmd in tools.items():
                if before:
                    before(tool)
                times, cpus, counts = [], [], []
                for _ in range(reps):
                    dt, cpu, n, _ = run(cmd, env=env)
                    times.append(dt)
                    cpus.append(cpu)
                    counts.append(n)
                row[tool] = {"seconds": statistics.median(times), "runs": times,
                             "cpu": statistics.median(cpus), "cpu_runs": cpus,
                             "rebuilt": max(counts)}
            results.append(row)
            print("bench: %-11s kbuild %.3f s (%d), make %.3f s (%d)" % (
                name, row["kbuild"]["seconds"], row["kbuild"]["rebuilt"],
                row["make"]["seconds"], row["make"]["rebuilt"]), file=sys.stderr, flush=True)

        step("full build", man["objects"])
        step("no-op", 0, reps=args.reps)

        def flip_option(tool):
            flip((kdir if tool == "kbuild" else mdir) / ".config", man["option"])
        step("one option", len(man["option_objects"]), before=flip_option)
        (src / man["header"]).touch()
        step("one header", len(man["header_objects"]))
        # both images run
        for d in (kdir, mdir):
            subprocess.run([str(d / man["image"])], check=True, capture_output=True)
    finally:
        if args.keep:
            print("bench: work dir kept: %s" % work, file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    doc = {"files": man["files"], "dirs": man["dirs"], "options": man["options"],
           "headers": man["headers"], "jobs": args.jobs, "reps": args.reps,
           "option": man["option"], "header": man["header"], "results": results}
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    print_table(doc)
    return 0


def print_table(doc: dict) -> None:
    print("\nGenerated project: %d C files in %d directories, %d options, %d headers; -j%d" % (
        doc["files"], doc["dirs"], doc["options"], doc["headers"], doc["jobs"]))
    print("(one option: %s y->n; one header: %s; no-op: median of %d)" % (
        doc["option"], doc["header"], doc["reps"]))
    print(f"{'':<12} {'wall':-^29}   {'CPU (user+sys)':-^29}   {'objects rebuilt':-^24}")
    print(f"{'step':<12} {'kbuild':>9} {'GNU make':>9} {'ratio':>7}   "
          f"{'kbuild':>9} {'GNU make':>9} {'ratio':>7}   {'kbuild':>6} {'make':>6} {'expected':>8}")

    def ratio(a, b):
        return f"{a / b:>6.2f}x" if b else f"{'':>7}"
    for r in doc["results"]:
        k, m = r["kbuild"], r["make"]
        print(f"{r['step']:<12} {k['seconds']:>7.3f} s {m['seconds']:>7.3f} s "
              f"{ratio(k['seconds'], m['seconds'])}   "
              f"{k['cpu']:>7.3f} s {m['cpu']:>7.3f} s {ratio(k['cpu'], m['cpu'])}   "
              f"{k['rebuilt']:>6} {m['rebuilt']:>6} {r['expected']:>8}")


if __name__ == "__main__":
    sys.exit(main())
