"""The menus kbuild menuconfig shows are mconf's: the kernel's own mconf (6.12, compiled here from
the tree's scripts/kconfig with bison, flex, gcc and ncursesw) runs in tmux, and the item lines
it draws are compared with :func:`kbuild.ui.model.build_entries` for the same menus.
Skipped when the tree or the tools to build mconf are missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

import harness  # noqa: E402  (tests/compat, on the path through tests/conftest.py)
from kbuild.kconfig import load  # noqa: E402
from tmuxterm import Tmux  # noqa: E402
from kbuild.ui import model  # noqa: E402

HEIGHT = 60




@pytest.fixture(scope="module")
def mconf(kernel_src, tmp_path_factory):
    tools = ["bison", "flex", "gcc", "pkg-config", "tmux"]
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        harness.skip_or_fail("missing %s" % " ".join(missing))
    if subprocess.run(["pkg-config", "--exists", "ncursesw"]).returncode != 0:
        harness.skip_or_fail("no ncursesw development files (apt-get install libncurses-dev)")
    d = tmp_path_factory.mktemp("mconf")
    k = kernel_src / "scripts" / "kconfig"
    cflags = subprocess.run(["pkg-config", "--cflags", "ncursesw"], capture_output=True,
                            text=True).stdout.split()
    libs = subprocess.run(["pkg-config", "--libs", "ncursesw"], capture_output=True,
                          text=True).stdout.split()
    steps = [
        ["bison", "-o", "parser.tab.c", "--defines=parser.tab.h", "-t", "-l", str(k / "parser.y")],
        ["flex", "-o", "lexer.lex.c", "-L", str(k / "lexer.l")],
        ["gcc", "-O1", "-w", "-D_GNU_SOURCE", "-I", str(kernel_src / "scripts" / "include"),
         "-I", str(k), "-I", "."] + cflags
        + [str(k / f) for f in ("mconf.c", "mnconf-common.c", "confdata.c", "expr.c", "menu.c",
                                "preprocess.c", "symbol.c", "util.c")]
        + ["lexer.lex.c", "parser.tab.c"]
        + sorted(str(p) for p in (k / "lxdialog").glob("*.c")) + ["-o", "mconf"] + libs,
    ]
    for cmd in steps:
        r = subprocess.run(cmd, cwd=d, capture_output=True, text=True)
        if r.returncode != 0:
            harness.skip_or_fail("building mconf failed: %s" % r.stderr[-500:])
    return d / "mconf"


class Mconf(Tmux):
    """mconf in a tmux server of its own."""

    def __init__(self, binary, kconfig, cwd, env):
        env = dict(env, TERM="xterm-256color")
        env.pop("TMUX", None)
        super().__init__("kbuild-mconf", "cd %s && exec %s %s" % (cwd, binary, kconfig),
                         width=100, height=HEIGHT, env=env, socket=binary.parent / "tmux.sock")

    def keys(self, *keys):
        for k in keys:
            subprocess.run(self.tmux + ["send-keys", "-t", self.name, k], check=True)
        time.sleep(0.3)

    def items(self, expected, timeout=20):
        """The item lines of the menu box, aligned like ``expected`` (our entry texts).

        mconf draws the box line by line, so a capture can catch it half drawn: poll until
        the lines are the expected ones, or until they have stopped changing for a second."""
        end = time.monotonic() + timeout
        want = min(len(expected), HEIGHT - 20)
        last, since = None, time.monotonic()
        while True:
            got = self._items_once(expected)
            now = time.monotonic()
            if got != last:
                last, since = got, now
            if got is not None and (got[:want] == expected[:want] or now - since > 1.0):
                break
            if now > end:
                break
            time.sleep(0.1)
        assert last is not None, "mconf does not show %r:\n%s" % (expected[0].strip(),
                                                                 self.screen())
        return last

    def _items_once(self, expected):
        rows = []
        for line in self.screen().split("\n"):
            s = line.strip()
            if s.startswith("│ │") and s.endswith("│ │"):
                rows.append(s[3:-3])
        first = expected[0].strip()
        hit = [r for r in rows if first in r]
        if not hit:
            return None
        offset = hit[0].index(first) - (len(expected[0]) - len(expected[0].lstrip()))
        start = rows.index(hit[0])
        return [r[offset:].rstrip() for r in rows[start:] if r.strip()]


def compare(m, ours):
    theirs = m.items(ours)
    assert theirs == ours[:len(theirs)]
    assert len(theirs) >= min(len(ours), HEIGHT - 20)


def test_small_kconfig_same_as_mconf(mconf, tmp_path):
    from test_menuconfig import KCONFIG
    (tmp_path / "Kconfig").write_text(KCONFIG)
    env = dict(os.environ, srctree=str(tmp_path))
    env.pop("KCONFIG_CONFIG", None)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        kc = load("Kconfig", environ=env)
        kc.read_config(None)
    finally:
        os.chdir(cwd)
    root = kc.rootmenu
    features = next(m for m in kc.walk_menus() if m.prompt is not None
                    and m.prompt.text == "Features")
    m = Mconf(mconf, "Kconfig", tmp_path, env)
    try:
        compare(m, [e.text for e in model.build_entries(kc, root)])
        m.keys("Down", "Enter")
        compare(m, [e.text for e in model.build_entries(kc, features)])
        m.keys("z")
        compare(m, [e.text for e in model.build_entries(kc, features, show_all=True)])
        m.keys("Escape", "Escape")
        compare(m, [e.text for e in model.build_entries(kc, root, show_all=True)])
        m.keys("Down", "Enter")      # from Features to the menuconfig entry
        compare(m, [e.text for e in model.build_entries(kc, kc.find("NET").menus[0], True)])
    finally:
        m.close()


def test_x86_64_menus_same_as_mconf(mconf, kernel_src, tmp_path):
    from kbuild.cli import Project
    from kbuild.cli import main as kbuild_main
    obj = tmp_path / "build"
    with open(os.devnull, "w") as quiet:
        assert kbuild_main(["-C", str(kernel_src), "O=%s" % obj, "ARCH=x86_64", "-s",
                            "x86_64_defconfig"], stdout=quiet, stderr=quiet) == 0
    project = Project(kernel_src, obj, {"ARCH": "x86_64"}, dict(os.environ))
    kc = project.load()
    root = [e for e in model.build_entries(kc, kc.rootmenu)]
    m = Mconf(mconf, "Kconfig", obj, project.environ)
    try:
        compare(m, [e.text for e in root])
        for name in ("General setup", "Processor type and features", "Device Drivers"):
            i = next(i for i, e in enumerate(root) if e.text.strip().startswith(name))
            m.keys(*["Up"] * len(root), *["Down"] * i, "Enter")
            compare(m, [e.text for e in model.build_entries(kc, root[i].menu)])
            m.keys("Escape", "Escape")
    finally:
        m.close()
