#!/usr/bin/env python3
"""Benchmark `kbuild menuconfig` in a real terminal (tmux) on the Linux 6.12 x86_64 tree.

  first screen  time from starting `kbuild ARCH=x86_64 O=<dir> menuconfig` (defconfig .config)
                until the main menu is on the terminal: cold (an empty cache directory: every
                $(shell ...) probe runs and the tree is parsed) and warm (the same command again,
                best of --reps).
  key press     on the allyesconfig tree, in "Ethernet driver support" (~450 entries): N then
                Y on entries; time from send-keys until the screen shows the new value
                (tmux capture-pane polled every few ms, so the numbers carry that resolution).

    python bench/bench_menuconfig.py [--reps 3] [--keys 20] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "compat"))
sys.path.insert(0, str(ROOT / "tests"))
import harness  # noqa: E402
from tmuxterm import Tmux  # noqa: E402

KBUILD = Path(sys.executable).parent / "kbuild"
MAIN_MENU_LINE = "General setup  --->"


def kbuild(src, odir, env, *words):
    subprocess.run([str(KBUILD), "-s", "-C", str(src), "ARCH=x86_64", "O=%s" % odir, *words],
                   env=env, check=True, stdin=subprocess.DEVNULL)


def start(src, odir, env, work, name):
    cmd = "%s -C %s ARCH=x86_64 O=%s menuconfig" % (KBUILD, src, odir)
    t0 = time.perf_counter()
    t = Tmux(name, cmd, width=120, height=40, env=env, socket=work / (name + ".sock"))
    return t, t0


def poll(t, pred, timeout=120.0):
    end = time.monotonic() + timeout
    while True:
        s = t.screen()
        if pred(s):
            return s
        if time.monotonic() > end:
            raise SystemExit("bench: screen did not show what was expected:\n" + s)
        time.sleep(0.003)


def first_screen(src, odir, env, work, name):
    t, t0 = start(src, odir, env, work, name)
    try:
        poll(t, lambda s: MAIN_MENU_LINE in s)
        return time.perf_counter() - t0
    finally:
        t.close()


def key_presses(src, odir, env, work, count):
    t, _ = start(src, odir, env, work, "kb-keys")
    times = []
    try:
        poll(t, lambda s: MAIN_MENU_LINE in s)
        # '/' search; Enter moves to the results, Enter again jumps to the menu that holds
        # the first one
        t.keys("/")
        for ch in "NET_VENDOR_INTEL":
            subprocess.run(t.tmux + ["send-keys", "-t", t.name, "-l", ch], check=True)
        time.sleep(1.0)
        t.keys("Enter", "Enter")
        poll(t, lambda s: "Ethernet driver support" in s.splitlines()[1])
        time.sleep(1.0)
        def press(key):
            before = t.screen()
            t0 = time.perf_counter()
            subprocess.run(t.tmux + ["send-keys", "-t", t.name, key], check=True)
            poll(t, lambda s: s != before, timeout=10)
            dt = time.perf_counter() - t0
            time.sleep(0.05)
            return dt

        for i in range(count):
            for key in ("n", "y"):
                times.append(press(key))
            t.keys("Down")
            time.sleep(0.05)
        # the other keys of the same big menu: hidden entries on and off, help (with why),
        # back out and into the menu again
        others = {}
        for _ in range(3):
            for name, keys in (("z (hidden on/off)", ("z", "z")), ("? then Esc", ("?", "Escape")),
                               ("Esc, Enter (leave, re-enter)", ("Escape", "Enter"))):
                others.setdefault(name, []).extend(press(k) for k in keys)
                time.sleep(0.6)     # two Esc within 0.5 s are mconf's "Esc Esc" (one step)
    finally:
        t.close()
    return times, others


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3, help="warm starts (best is shown)")
    ap.add_argument("--keys", type=int, default=15, help="entries to press N and Y on")
    ap.add_argument("--json", metavar="FILE")
    a = ap.parse_args(argv)
    if shutil.which("tmux") is None:
        raise SystemExit("bench: tmux is not installed")
    src = harness.locate_kernel_source()
    work = Path(tempfile.mkdtemp(prefix="kbuild-bench-mc-"))
    try:
        env = dict(harness.clean_env(), TERM="xterm-256color",
                   XDG_CACHE_HOME=str(work / "cache"))
        dodir, yodir = work / "defconfig", work / "allyes"
        kbuild(src, dodir, dict(env, XDG_CACHE_HOME=str(work / "setup-cache")), "defconfig")
        kbuild(src, yodir, dict(env, XDG_CACHE_HOME=str(work / "setup-cache")), "allyesconfig")
        cold = first_screen(src, dodir, env, work, "kb-cold")
        warm = [first_screen(src, dodir, env, work, "kb-warm%d" % i) for i in range(a.reps)]
        keys, others = key_presses(src, yodir, env, work, a.keys)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res = {"first_screen_cold_s": cold, "first_screen_warm_best_s": min(warm),
           "first_screen_warm_all_s": warm, "key_mean_ms": statistics.mean(keys) * 1000,
           "key_median_ms": statistics.median(keys) * 1000, "key_max_ms": max(keys) * 1000,
           "keys": len(keys), "other_keys_ms": {k: [x * 1000 for x in v] for k, v in others.items()}}
    print("kbuild menuconfig, Linux 6.12 x86_64 (tmux 120x40)")
    print("  first screen, cold           %.2f s" % cold)
    print("  first screen, warm (best/%d)  %.2f s   (target <= 1.5 s)" % (a.reps, min(warm)))
    print("  key press N/Y, allyesconfig  mean %.0f ms, median %.0f ms, max %.0f ms over %d keys"
          "   (target < 100 ms)" % (res["key_mean_ms"], res["key_median_ms"], res["key_max_ms"],
                                    len(keys)))
    for name, v in others.items():
        print("  %-28s %s" % (name, ", ".join("%.0f ms" % (x * 1000) for x in v)))
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
