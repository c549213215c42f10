"""A program in a real terminal: a tmux server of its own runs it, send-keys types, capture-pane
reads the screen.  Used by the menuconfig tests and bench/bench_menuconfig.py."""

from __future__ import annotations

import subprocess
import time


class Tmux:
    """A tmux server of its own (its socket in the test's directory), one session running
    ``command``."""

    def __init__(self, name, command, width=100, height=30, env=None, socket=None):
        self.name = name
        self.tmux = ["tmux", "-S", str(socket), "-f", "/dev/null"] if socket else \
            ["tmux", "-L", name, "-f", "/dev/null"]
        subprocess.run(self.tmux + ["new-session", "-d", "-s", name, "-x", str(width), "-y",
                                    str(height), command], check=True, env=env)
        subprocess.run(self.tmux + ["set-option", "-t", name, "remain-on-exit", "on"],
                       check=True)

    def keys(self, *keys):
        for k in keys:
            subprocess.run(self.tmux + ["send-keys", "-t", self.name, k], check=True)
            time.sleep(0.15)

    def screen(self):
        return subprocess.run(self.tmux + ["capture-pane", "-p", "-t", self.name], check=True,
                              capture_output=True, text=True).stdout

    def wait_for(self, text, timeout=20.0):
        end = time.monotonic() + timeout
        while True:
            s = self.screen()
            if text in s:
                return s
            if time.monotonic() > end:
                raise AssertionError("%r did not appear; screen:\n%s" % (text, s))
            time.sleep(0.05)

    def close(self):
        subprocess.run(self.tmux + ["kill-server"], stderr=subprocess.DEVNULL)
