"""`kbuild build` through a real distccd on loopback (KBUILD_LAUNCHER=distcc).

A distccd is started on 127.0.0.1 on a free port, with its log at level info;
the example project is built with ``KBUILD_LAUNCHER=distcc`` and
``DISTCC_HOSTS=127.0.0.1:PORT`` (fallback to local compiles disabled), and the
daemon's log must show one finished compile job per object the build compiled.
Turning the launcher off (and on again, also as ``CC="distcc gcc"``) rebuilds
nothing; an edited source is compiled on the daemon again.

distcc is in the CI's packages: without it the tests fail under CI=true and are
skipped elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

from test_build import HELLO, build, compiled, configure


def require(*tools):
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        msg = "needs %s (apt-get install distcc clang)" % " ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def distccd():
    """(port, log file) of a distccd that accepts 127.0.0.1 only."""
    require("gcc", "distcc", "distccd")
    # distccd started as root runs as nobody: the log must be reachable and writable by it
    logdir = tempfile.mkdtemp(prefix="kbuild-distccd-")
    os.chmod(logdir, 0o755)
    log = os.path.join(logdir, "distccd.log")
    with open(log, "w"):
        pass
    os.chmod(log, 0o666)
    port = free_port()
    argv = ["distccd", "--daemon", "--no-detach", "--allow", "127.0.0.1", "--listen",
            "127.0.0.1", "--port", str(port), "--log-file", log, "--log-level", "info",
            "--jobs", "2"]
    if os.getuid() == 0:
        argv += ["--user", "nobody"]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while "daemon started" not in open(log).read():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("distccd did not start (exit %s): %s\n%s" % (
                    proc.poll(), open(log).read(), proc.stderr.read().decode()
                    if proc.poll() is not None else ""))
            time.sleep(0.05)
        yield port, log
    finally:
        try:
            os.kill(proc.pid, signal.SIGTERM)   # it stops its preforked children itself
        except ProcessLookupError:
            pass
        proc.wait(10)
        proc.stderr.close()
        shutil.rmtree(logdir, ignore_errors=True)


def jobs(log: str) -> list[str]:
    """The outputs of the compile jobs distccd finished successfully, in order."""
    text = open(log).read()
    outputs = {}
    done = []
    for pid, what in re.findall(r"^distccd\[(\d+)\] (.*)$", text, re.M):
        m = re.match(r"compile from (\S+) to (\S+)$", what)
        if m:
            outputs[pid] = m.group(2)
        elif "COMPILE_OK" in what:
            done.append(outputs.pop(pid))
    return done


def test_distcc_compiles_on_the_daemon_and_the_launcher_rebuilds_nothing(distccd, tmp_path):
    port, log = distccd
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(HELLO, src)
    configure(src, out)
    (tmp_path / "distcc").mkdir()
    off = {k: v for k, v in os.environ.items() if k != "KBUILD_LAUNCHER"}
    off.update(DISTCC_HOSTS="127.0.0.1:%d" % port, DISTCC_FALLBACK="0",
               DISTCC_SKIP_LOCAL_RETRY="1", DISTCC_DIR=str(tmp_path / "distcc"))
    on = dict(off, KBUILD_LAUNCHER="distcc")

    rc, text, steps = build(src, out, env=on)
    assert rc == 0, text
    objects = compiled(steps)
    assert len(objects) >= 12 and "init/main.o" in objects and "drivers/led.o" in objects
    done = jobs(log)
    # every object compiled by the build was compiled by distccd, and nothing else
    assert len(done) == len(objects), (sorted(done), sorted(objects))
    assert sorted(os.path.basename(o) for o in done) == \
        sorted(os.path.basename(o) for o in objects)
    run = subprocess.run([str(out / "hello")], capture_output=True, text=True, timeout=10)
    assert run.returncode == 0 and "Hallo, kernel hackers!" in run.stdout, run.stderr

    # the launcher is not part of the command lines: off, on again, or in CC (a new
    # command-line variable rewrites build.ninja, with the same commands)
    for env, args in ((off, ()), (on, ()), (off, ("CC=distcc gcc",)), (off, ("CC=gcc",))):
        rc, text, steps = build(src, out, *args, env=env)
        assert rc == 0 and [s for s in steps if s != ("GEN", "build.ninja")] == [], (args, text)
    assert len(jobs(log)) == len(objects)

    # an edited source: compiled again, on the daemon
    (src / "lib/string.c").touch()
    rc, text, steps = build(src, out, env=on)
    assert rc == 0 and compiled(steps) == {"lib/string.o"}, text
    assert len(jobs(log)) == len(objects) + 1 and jobs(log)[-1].endswith("string.o")
