"""kbuild menuconfig in a real terminal: tmux runs the program, send-keys types, capture-pane
reads the screen.  A short session on the bundled example: open a menu, change a value, leave
with the save prompt, answer yes; the .config is written and mconf's closing lines printed."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("textual")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from tmuxterm import Tmux  # noqa: E402

HELLO = ROOT / "examples" / "hello"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_real_terminal_session(tmp_path):
    obj = tmp_path / "build"
    cmd = "cd %s && %s -m kbuild.ui -C %s O=%s menuconfig; echo EXIT=$?" % (
        ROOT, sys.executable, HELLO, obj)
    env = dict(os.environ, TERM="xterm-256color")
    t = Tmux("kbuild-mc", cmd, env=env, socket=tmp_path / "tmux.sock")
    try:
        first = t.wait_for("Library routines  --->")
        assert ".config - Hello World Configuration" in first
        assert "    General setup  --->" in first
        t.keys("Enter")
        s = t.wait_for("[*] Use big buffers (NEW)")
        assert "(world) Name to greet (NEW)" in s
        for _ in range(4):
            t.keys("Down")
        t.keys("n")
        s = t.wait_for("* [ ] Use big buffers")
        assert "* (256) Output buffer size (bytes)" in s     # its default followed
        t.keys("Escape", "Escape")          # mconf's Esc Esc: one step back
        t.wait_for("  Device drivers  --->")
        time.sleep(0.6)
        assert "Do you wish" not in t.screen()
        t.keys("Escape")
        t.wait_for("Do you wish to save your new configuration?")
        t.keys("y")
        s = t.wait_for("EXIT=")
        assert "# configuration written to .config" in s
        assert "*** End of the configuration." in s
        assert "EXIT=0" in s
    finally:
        t.close()
    text = (obj / ".config").read_text()
    assert "# CONFIG_HELLO_BIG_BUFFERS is not set" in text
    assert "CONFIG_HELLO_BUFFER_SIZE=256" in text


def test_kconfig_errors_are_printed_after_the_terminal_is_restored(tmp_path):
    (tmp_path / "Kconfig").write_text('config A\n\tbool "a"\n\tdepends on (\n')
    cmd = "cd %s && %s -m kbuild.ui -C %s menuconfig; echo EXIT=$?" % (ROOT, sys.executable, tmp_path)
    t = Tmux("kbuild-mcerr", cmd, env=dict(os.environ, TERM="xterm-256color"),
             socket=tmp_path / "tmux.sock")
    try:
        s = t.wait_for("EXIT=")
        assert "Kconfig:3: invalid statement\n" in s
        assert "kbuild: the Kconfig files have errors\nEXIT=1" in s
    finally:
        t.close()


def test_kbuild_nconfig_runs_the_same_program(tmp_path):
    kbuild = Path(sys.executable).parent / "kbuild"
    if not kbuild.exists():
        pytest.skip("no kbuild console script next to %s" % sys.executable)
    obj = tmp_path / "build"
    cmd = "cd %s && %s O=%s nconfig; echo EXIT=$?" % (HELLO, kbuild, obj)
    t = Tmux("kbuild-nc", cmd, env=dict(os.environ, TERM="xterm-256color"),
             socket=tmp_path / "tmux.sock")
    try:
        t.wait_for("Library routines  --->")
        t.keys("Escape")
        t.wait_for("Do you wish to save your new configuration?")   # no .config yet
        t.keys("y")
        s = t.wait_for("EXIT=")
        assert "# configuration written to .config" in s and "EXIT=0" in s
    finally:
        t.close()
    assert (obj / ".config").is_file()
