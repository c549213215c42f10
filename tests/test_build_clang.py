"""`kbuild build` with CC=clang: the example builds and runs, clang's depfiles go
through fixdep, and an option change rebuilds exactly the objects that mention it.

clang is in the CI's packages: without it the test fails under CI=true and is
skipped elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

from test_build import HELLO, build, compiled, configure, mentioning, ninja_deps, set_options
from test_build_launchers import require


def test_clang_builds_runs_and_rebuilds_exactly(tmp_path):
    require("clang", "gcc")
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(HELLO, src)
    configure(src, out)
    rc, text, steps = build(src, out, "CC=clang", "HOSTCC=clang")
    assert rc == 0, text
    objects = compiled(steps)
    assert len(objects) >= 12 and "init/main.o" in objects and "drivers/led.o" in objects
    cdb = json.loads((out / "compile_commands.json").read_text())
    assert cdb and all(e["command"].startswith("clang ") for e in cdb)
    # the objects are clang's
    comment = subprocess.run(["readelf", "-p", ".comment", str(out / "init/main.o")],
                             capture_output=True, text=True).stdout
    assert "clang" in comment, comment
    run = subprocess.run([str(out / "hello")], capture_output=True, text=True, timeout=10)
    assert run.returncode == 0, run.stderr
    assert "(clang " in run.stdout and run.stdout.count("Hallo, kernel hackers!") == 5, run.stdout
    assert "led: 4 LED(s) (module)" in run.stdout

    # clang's depfiles, through fixdep: headers and include/config stamps recorded
    deps = ninja_deps(out)
    assert "include/config/HELLO_REPEAT" in deps["init/main.o"]
    assert any(d.endswith("include/hello/printk.h") for d in deps["kernel/printk.o"])
    rc, text, steps = build(src, out, "CC=clang", "HOSTCC=clang")
    assert rc == 0 and steps == [], text

    # an option in a shared header: exactly its users (found by grep, not by fixdep)
    expected = mentioning(out, "HELLO_DEBUG")
    assert len(expected) > 5
    set_options(src, out, HELLO_DEBUG="n")
    rc, text, steps = build(src, out, "CC=clang", "HOSTCC=clang")
    assert rc == 0, text
    assert compiled(steps) == expected, text
    # an option in one source file
    assert mentioning(out, "HELLO_REPEAT") == {"init/main.o"}
    set_options(src, out, HELLO_REPEAT="2")
    rc, text, steps = build(src, out, "CC=clang", "HOSTCC=clang")
    assert rc == 0 and compiled(steps) == {"init/main.o"}, text
    run = subprocess.run([str(out / "hello")], capture_output=True, text=True, timeout=10)
    assert run.stdout.count("Hallo, kernel hackers!") == 2, run.stdout
    # a header touched: exactly its includers
    includers = {o for o, d in ninja_deps(out).items()
                 if any(p.endswith("include/hello/gpio.h") for p in d)}
    assert includers == {"drivers/gpio.o", "drivers/led.o"}
    os.utime(src / "include/hello/gpio.h")
    rc, text, steps = build(src, out, "CC=clang", "HOSTCC=clang")
    assert rc == 0 and compiled(steps) == includers, text
