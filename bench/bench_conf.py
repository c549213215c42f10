#!/usr/bin/env python3
"""Benchmark the kernel's C conf against kbuild-conf on the Linux 6.12 tree.

For each ARCH (x86_64, arm) and each target (olddefconfig starting from the
arch's defconfig result, allyesconfig, savedefconfig of the defconfig result)
both programs are run directly -- not through make -- with exactly the argv,
environment and working directory that make gives conf.  Those are captured
once per target: a capturing stand-in for scripts/kconfig/conf records its
argv, environment and cwd while a real `make ARCH=<arch> O=<dir> <target>`
runs, then execs the C conf.

Metrics of one run:
  wall       time from spawn to reap (time.perf_counter).
  tree CPU   user+sys of the conf process plus every descendant it waited for
             (the $(shell,...) commands: sh, gcc, ...), from os.wait4()'s
             rusage.  Linux fills that in with RUSAGE_BOTH of the child, so it
             is the whole process tree.
  own CPU    user+sys of the conf process alone, and
  own RSS    its peak resident set (ru_maxrss), both from getrusage(RUSAGE_SELF)
             taken inside the process at exit: a tiny LD_PRELOAD library
             (compiled here with gcc) records it in a destructor, which runs
             from exit() after main()/Py_Finalize.  Its constructor removes
             LD_PRELOAD from the environment, so the children of conf neither
             load it nor see a changed environment.  This works for the C conf
             and for the (dynamically linked) Python interpreter alike; a
             process that ends with _exit() or a signal, or a statically
             linked one, reports n/a.  The table splits it into user and sys.
  (wait4's ru_maxrss is not used for "own": it is the maximum over the tree,
  and a gcc child easily uses more memory than C conf.)

Each (case, program) gets one cold run (the first one, reported separately)
and --reps warm runs (best of them is reported, and the median of all runs).
C and kbuild runs are interleaved, the one that goes first alternating (every
run starts from the same fresh build directory).  A run of kbuild-conf that exits non-zero (or is killed after
--timeout seconds) is shown as 'failed', with the end of its stderr.
make is started with harness.clean_env(), which also drops
PYTHONDONTWRITEBYTECODE, so kbuild-conf gets its .pyc files like a normal
install: the cold run may include writing them.

    python bench/bench_conf.py                 # table
    python bench/bench_conf.py --json out.json # also write JSON ('-': stdout only)
    python bench/bench_conf.py --py-conf PATH  # another program than .venv's kbuild-conf
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "compat"))
import harness  # noqa: E402
from benchlib import emit  # noqa: E402

ARCHES = ("x86_64", "arm")
TARGETS = ("olddefconfig", "allyesconfig", "savedefconfig")
OUTPUT_FILE = {"olddefconfig": ".config", "allyesconfig": ".config", "savedefconfig": "defconfig"}

PRELOAD_SRC = r"""
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static char out_path[4096];

__attribute__((constructor)) static void kbuild_bench_init(void)
{
	const char *p = getenv("KBUILD_BENCH_RUSAGE");

	if (p && strlen(p) < sizeof(out_path))
		strcpy(out_path, p);
	unsetenv("KBUILD_BENCH_RUSAGE");
	unsetenv("LD_PRELOAD");
}

__attribute__((destructor)) static void kbuild_bench_fini(void)
{
	struct rusage ru;
	char buf[256];
	int fd, n;

	if (!out_path[0] || getrusage(RUSAGE_SELF, &ru))
		return;
	n = snprintf(buf, sizeof(buf), "%ld %ld %ld %ld\n", (long)getpid(),
		     (long)(ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec),
		     (long)(ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec),
		     (long)ru.ru_maxrss);
	fd = open(out_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, buf, n) < 0)
			n = 0;
		close(fd);
	}
}
"""


def build_preload(work: Path) -> Path:
    src = work / "rusage_preload.c"
    lib = work / "rusage_preload.so"
    src.write_text(PRELOAD_SRC)
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(lib), str(src)], check=True)
    return lib


class Invocation:
    """argv/env/cwd with which make ran conf for one target."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: str):
        self.argv, self.env, self.cwd = argv, env, cwd


CAPTURE_SH = """#!/bin/sh
# records how make runs conf, then runs the C conf
d='{capdir}'
env -0 > "$d/env"
printf '%s\\0' "$0" "$@" > "$d/argv"
pwd > "$d/cwd"
exec '{conf}' "$@"
"""


def make(src: Path, arch: str, odir: Path, target: str, silent: bool = False) -> None:
    argv = ["make"] + (["-s"] if silent else []) + ["-C", str(src), f"ARCH={arch}", f"O={odir}", target]
    r = subprocess.run(argv, env=harness.clean_env(), stdin=subprocess.DEVNULL,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed:\n{r.stdout}{r.stderr}")


def capture(src: Path, arch: str, odir: Path, cconf: Path, work: Path):
    """Run make for each target with the capturing stand-in; return invocations."""
    capdir = work / f"capture-{arch}"
    capdir.mkdir()
    conf = odir / harness.CONF_REL
    conf.write_text(CAPTURE_SH.format(capdir=capdir, conf=cconf))
    conf.chmod(0o755)
    invocations = {}
    make(src, arch, odir, "defconfig")
    defconfig_result = (odir / ".config").read_bytes()
    for target in ("olddefconfig", "savedefconfig", "allyesconfig"):
        for f in capdir.iterdir():
            f.unlink()
        make(src, arch, odir, target)
        argv = (capdir / "argv").read_bytes().split(b"\0")[:-1]
        env = dict(kv.split(b"=", 1) for kv in (capdir / "env").read_bytes().split(b"\0") if b"=" in kv)
        invocations[target] = Invocation(
            [a.decode() for a in argv], {k.decode(): v.decode() for k, v in env.items()},
            (capdir / "cwd").read_text().strip())
    return invocations, defconfig_result


def reset(odir: Path, baseline: set[str], target: str, defconfig_result: bytes, trash: Path) -> None:
    """Put the build directory back to its state after build_config.

    What a run created is moved aside into ``trash`` (deleted when the bench ends), not deleted
    here: on this ext4 volume, creating the ~1,700 include/config stamps right after deleting
    as many others costs up to 1 s of kernel time for whichever program runs next, noise that
    has nothing to do with either program."""
    trash.mkdir(exist_ok=True)
    n = len(os.listdir(trash))
    for name in os.listdir(odir):
        if name in baseline:
            continue
        os.rename(odir / name, trash / f"{n}-{name}")
    if target in ("olddefconfig", "savedefconfig"):
        (odir / ".config").write_bytes(defconfig_result)


def run_once(exe: Path, inv: Invocation, preload: Path, work: Path, timeout: float) -> dict:
    rec = work / "rusage.txt"
    rec.unlink(missing_ok=True)
    env = dict(inv.env, LD_PRELOAD=str(preload), KBUILD_BENCH_RUSAGE=str(rec))
    with open(work / "stdout", "wb") as out, open(work / "stderr", "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(inv.argv, executable=str(exe), cwd=inv.cwd, env=env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True)
        # a hung program is killed with its children (the process group)
        timer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    own_user = own_sys = own_rss = None
    if rec.is_file():
        for line in rec.read_text().splitlines():
            pid, ut, st, rss = (int(x) for x in line.split())
            if pid == proc.pid:
                own_user, own_sys, own_rss = ut / 1e6, st / 1e6, rss
    return {"rc": proc.returncode, "wall": wall,
            "tree_cpu": ru.ru_utime + ru.ru_stime, "tree_user": ru.ru_utime, "tree_sys": ru.ru_stime,
            "own_cpu": None if own_user is None else own_user + own_sys,
            "own_user": own_user, "own_sys": own_sys,
            "own_rss_kib": own_rss, "tree_rss_kib": ru.ru_maxrss,
            "stderr_tail": (work / "stderr").read_bytes()[-2000:].decode("utf-8", "replace")
            if proc.returncode else ""}


METRICS = (("wall", "wall (best)"), ("wall_median", "wall (median)"), ("wall_cold", "wall (cold)"),
           ("own_cpu", "own CPU"), ("own_cpu_median", "own CPU (med)"),
           ("own_cpu_cold", "own CPU (cold)"),
           ("own_user", "  own user"), ("own_sys", "  own sys"), ("tree_cpu", "tree CPU"),
           ("own_rss_kib", "own peak RSS"))


def summarize(runs: list[dict]) -> dict:
    if not runs or any(r["rc"] != 0 for r in runs):
        return {"failed": True, "rc": next((r["rc"] for r in runs if r["rc"]), None)}
    warm = runs[1:] or runs
    out = {"failed": False, "wall_cold": runs[0]["wall"],
           "wall_median": statistics.median(r["wall"] for r in runs),
           "own_cpu_cold": runs[0]["own_cpu"]}
    own = [r["own_cpu"] for r in runs if r["own_cpu"] is not None]
    out["own_cpu_median"] = statistics.median(own) if own else None
    for key in ("wall", "own_cpu", "own_user", "own_sys", "tree_cpu", "tree_user", "tree_sys",
                "own_rss_kib", "tree_rss_kib"):
        vals = [r[key] for r in warm if r[key] is not None]
        out[key] = min(vals) if vals else None
    return out


def fmt(key: str, v) -> str:
    if v is None:
        return "n/a"
    if key.endswith("rss_kib"):
        return f"{v / 1024:.1f} MiB"
    return f"{v:.3f} s"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", action="append", help=f"default: {' '.join(ARCHES)}")
    ap.add_argument("--target", action="append", choices=TARGETS, help="default: all")
    ap.add_argument("--reps", type=int, default=5,
                    help="runs per program after the first (best and median are shown)")
    ap.add_argument("--py-conf", help="program to compare with C conf (default: kbuild-conf)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per run (then: failed)")
    ap.add_argument("--json", nargs="?", const="-", metavar="FILE",
                    help="write the results as JSON to FILE ('-' or no FILE: stdout, no table)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--kbuild-first", action="store_true",
                    help="kbuild-conf runs first in the first (cold) round (default: C first)")
    ap.add_argument("--workdir", help="where to make the work directory (default: /dev/shm if "
                    "writable, else the system's temporary directory)")
    args = ap.parse_args(argv)
    arches = args.arch or list(ARCHES)
    first = 1 if args.kbuild_first else 0
    targets = args.target or list(TARGETS)

    try:
        src = harness.locate_kernel_source()
    except harness.HarnessError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    if args.py_conf:
        py_conf = Path(args.py_conf).absolute()
    else:
        try:
            py_conf = harness.locate_py_conf()
        except harness.HarnessError as e:
            print(f"bench: {e}", file=sys.stderr)
            return 2

    # The build directories go on tmpfs where there is one: on the disk here, creating the
    # include/config stamps costs from 0.03 s to 1 s of kernel time depending on what was
    # deleted in the last minute (by us or anybody), which swamps the programs' own times.
    shm = "/dev/shm"
    work = Path(tempfile.mkdtemp(prefix="kbuild-bench-", dir=args.workdir or (
        shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None)))
    log = sys.stderr if args.json in ("-",) else sys.stdout
    results = []
    try:
        preload = build_preload(work)
        version = subprocess.run(["make", "-s", "-C", str(src), "kernelversion"], capture_output=True,
                                 text=True, env=harness.clean_env()).stdout.strip()
        for arch in arches:
            odir = work / arch
            make(src, arch, odir, "build_config", silent=True)
            cconf = work / "conf-c"
            if not cconf.exists():
                shutil.copy2(odir / harness.CONF_REL, cconf)
            baseline = set(os.listdir(odir))
            invs, defconfig_result = capture(src, arch, odir, cconf, work)
            for target in targets:
                inv = invs[target]
                runs = {"C": [], "kbuild": []}
                outputs = {}
                for rep in range(args.reps + 1):
                    # alternate who goes first: the first run of a round warms the page cache
                    order = (("C", cconf), ("kbuild", py_conf))
                    for impl, exe in (order if rep % 2 == first else order[::-1]):
                        if runs[impl] and runs[impl][-1]["rc"] != 0:
                            continue            # failed once: do not insist
                        reset(odir, baseline, target, defconfig_result, work / "trash")
                        runs[impl].append(run_once(exe, inv, preload, work, args.timeout))
                        outp = odir / OUTPUT_FILE[target]
                        outputs[impl] = outp.read_bytes() if outp.is_file() else None
                summary = {impl: summarize(r) for impl, r in runs.items()}
                same = None
                if not summary["kbuild"]["failed"] and not summary["C"]["failed"]:
                    same = outputs["C"] == outputs["kbuild"]
                results.append({"arch": arch, "target": target, "argv": inv.argv[1:],
                                "summary": summary, "output_identical": same, "runs": runs})
                print(f"bench: {arch} {target} done", file=log, flush=True)
    finally:
        if args.keep:
            print(f"bench: work dir kept: {work}", file=log)
        else:
            shutil.rmtree(work, ignore_errors=True)

    doc = {"kernel": version, "kernel_src": str(src), "c_conf": "scripts/kconfig/conf (built by make)",
           "py_conf": str(py_conf), "python": interpreter_of(py_conf), "reps": args.reps,
           "results": results}
    emit(doc, args.json, print_table)
    return 0


def interpreter_of(script: Path) -> str | None:
    """The Python a console script runs on (from its #! line), with its version; None if not one."""
    try:
        with open(script, "rb") as f:
            first = f.readline(4096)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    exe = first[2:].split()[0].decode(errors="replace") if first[2:].split() else ""
    try:
        ver = subprocess.run([exe, "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return exe
    return f"{os.path.realpath(exe)} (Python {ver})" if ver else exe


def print_table(doc: dict) -> None:
    print(f"\nLinux {doc['kernel']}: C conf vs kbuild-conf "
          f"(best of {doc['reps']} warm runs, median of all {doc['reps'] + 1}; cold = first run)")
    if doc.get("python"):
        print(f"kbuild-conf runs on {doc['python']}")
    print(f"{'case':<24} {'metric':<14} {'C':>11} {'kbuild':>11} {'ratio':>8}")
    for res in doc["results"]:
        name = f"{res['arch']} {res['target']}"
        c, k = res["summary"]["C"], res["summary"]["kbuild"]
        for i, (key, label) in enumerate(METRICS):
            cv = None if c["failed"] else c.get(key)
            if k["failed"]:
                kv_s, ratio = "failed", ""
            else:
                kv = k.get(key)
                kv_s = fmt(key, kv)
                ratio = f"{kv / cv:.2f}x" if kv is not None and cv else ""
            print(f"{name if i == 0 else '':<24} {label:<14} {fmt(key, cv):>11} {kv_s:>11} {ratio:>8}")
        same = res["output_identical"]
        out = "identical" if same else ("DIFFERENT" if same is False else "-")
        print(f"{'':<24} {'output':<14} {out:>11}")
    for res in doc["results"]:
        for impl in ("C", "kbuild"):
            failed = [r for r in res["runs"][impl] if r["rc"] != 0]
            if failed:
                tail = failed[0]["stderr_tail"].strip().splitlines()[-3:]
                print(f"\n{res['arch']} {res['target']}: {impl} exit code {failed[0]['rc']}"
                      f" after {failed[0]['wall']:.1f}s" + "".join(f"\n  {ln}" for ln in tail))


if __name__ == "__main__":
    sys.exit(main())
