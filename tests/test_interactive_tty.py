"""Interactive conf in a real terminal (tmux): prompts, answers, a terminal resize, Ctrl-C and a
closed stdin, with no traceback and never a partial .config."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

KCONFIG = """\
mainmenu "TTY test"
config MODULES
\tbool "Modules"
\tdefault y
\tmodules
config FOO
\ttristate "Foo driver"
config BAR
\tint "Bar count"
\trange 1 10
\tdefault 3
choice
\tprompt "Flavour"
config SWEET
\tbool "sweet"
config SOUR
\tbool "sour"
endchoice
"""

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None and not os.environ.get("CI"),
                                reason="tmux not installed")

CONF = [sys.executable, "-m", "kbuild.conf"]


class Tmux:
    def __init__(self, tmp_path):
        self.sock = str(tmp_path / "tmux.sock")
        self.session = "kbuildtest"

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-S", self.sock, *args], capture_output=True, text=True,
                              check=check)

    def start(self, cwd, cmd):
        self.tmux("new-session", "-d", "-s", self.session, "-x", "100", "-y", "30", "-c", str(cwd),
                  cmd)

    def send(self, *keys):
        self.tmux("send-keys", "-t", self.session, *keys)

    def screen(self):
        r = self.tmux("capture-pane", "-p", "-t", self.session, check=False)
        return r.stdout

    def wait_for(self, text, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            s = self.screen()
            if text in s:
                return s
            time.sleep(0.1)
        raise AssertionError("timed out waiting for %r; screen:\n%s" % (text, self.screen()))

    def kill(self):
        self.tmux("kill-server", check=False)


@pytest.fixture
def term(tmp_path):
    t = Tmux(tmp_path)
    yield t
    t.kill()


def _cmd(tmp_path, mode, tail=""):
    py = " ".join(CONF)
    return ("env srctree=%s PYTHONPATH=%s %s %s Kconfig%s; echo EXIT=$?; sleep 30"
            % (tmp_path, os.pathsep.join(sys.path), py, mode, tail))


def test_answers_resize_and_save(term, tmp_path):
    (tmp_path / "Kconfig").write_text(KCONFIG)
    term.start(tmp_path, _cmd(tmp_path, "--oldaskconfig"))
    term.wait_for("Modules (MODULES) [Y/n/?]")
    term.tmux("resize-window", "-t", term.session, "-x", "60", "-y", "20", check=False)
    term.send("Enter")
    term.wait_for("Foo driver (FOO) [N/m/y/?] (NEW)")
    term.send("m", "Enter")
    term.wait_for("Bar count (BAR) [3] (NEW)")
    term.send("42", "Enter")            # out of range: asked again
    term.send("7", "Enter")
    term.wait_for("choice[1-2?]:")
    term.send("2", "Enter")
    s = term.wait_for("EXIT=0")
    assert "Traceback" not in s
    text = (tmp_path / ".config").read_text()
    assert "CONFIG_FOO=m\n" in text and "CONFIG_BAR=7\n" in text and "CONFIG_SOUR=y\n" in text


def test_ctrl_c_leaves_config_alone(term, tmp_path):
    (tmp_path / "Kconfig").write_text(KCONFIG)
    (tmp_path / ".config").write_text("CONFIG_MODULES=y\n")
    before = (tmp_path / ".config").read_bytes()
    term.start(tmp_path, _cmd(tmp_path, "--oldconfig"))
    term.wait_for("Foo driver (FOO) [N/m/y/?] (NEW)")
    term.send("C-c")
    s = term.wait_for("EXIT=")
    assert "Traceback" not in s
    assert "EXIT=0" not in s
    assert (tmp_path / ".config").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".config")) == [".config"]


def test_closed_stdin_takes_defaults(tmp_path):
    (tmp_path / "Kconfig").write_text(KCONFIG)
    p = subprocess.run(CONF + ["--oldaskconfig", "Kconfig"], cwd=tmp_path, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, env=dict(os.environ, srctree=str(tmp_path)))
    assert p.returncode == 0
    assert "Traceback" not in p.stderr
    assert "Error in reading or end of file." in p.stderr
    assert "CONFIG_BAR=3\n" in (tmp_path / ".config").read_text()
