"""kbuild menuconfig on the real Linux 6.12 tree, driven headless (issue 5's story, on 6.12):

ARCH=arm multi_v7_defconfig with SUSPEND off; "Boot options" has no kexec entry; `/KEXEC` shows
where KEXEC is (6.12: General setup -> Kexec and crash features) and why it is hidden; its help
says why and which options to change; SMP off in "Kernel Features"; back; "Enable kexec system
call" is there now; enable it; save.  The saved .config is the one the engine writes for the
same edits.
"""

from __future__ import annotations

import asyncio
import os
import shutil

import pytest

pytest.importorskip("textual")

from kbuild.cli import Project  # noqa: E402
from kbuild.cli import main as kbuild_main  # noqa: E402
from kbuild.ui.app import MenuconfigApp  # noqa: E402
from kbuild.ui.screens import HelpScreen, MenuScreen, SearchScreen, YesNoScreen  # noqa: E402
from test_menuconfig import goto  # noqa: E402




def texts(screen):
    return [e.text for e in screen.entries]


async def open_entry(app, pilot, text):
    await goto(app, pilot, text)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, MenuScreen) and text in app.screen.menu.prompt_text()


def test_arm_kexec_story(kernel_src, tmp_path):
    obj = tmp_path / "build"
    quiet = open(os.devnull, "w")
    common = ["-C", str(kernel_src), "O=%s" % obj, "ARCH=arm"]
    assert kbuild_main(common + ["-s", "multi_v7_defconfig"], stdout=quiet, stderr=quiet) == 0
    project = Project(kernel_src, obj, {"ARCH": "arm"}, dict(os.environ))
    kc = project.load()
    assert kc.set_value("SUSPEND", "n") and kc.write_config(str(obj / ".config")) == 0
    base = (obj / ".config").read_text()
    assert "# CONFIG_SUSPEND is not set" in base and "CONFIG_SMP=y" in base
    shutil.copy(obj / ".config", tmp_path / "base.config")
    kc = project.load()         # as `kbuild menuconfig` starts: the tree and .config

    async def story(app, pilot):
        root = app.screen
        assert "    Boot options  --->" in texts(root)
        await open_entry(app, pilot, "Boot options")
        assert not any(e.sym is not None and e.sym.name == "KEXEC" for e in app.screen.entries)
        assert not any("kexec" in t.lower() for t in texts(app.screen))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is root

        # /KEXEC: where it is and why it is hidden
        await pilot.press("slash", *"KEXEC")
        await pilot.pause(0.3)
        search = app.screen
        assert isinstance(search, SearchScreen)
        first = search.results[0]
        assert first.sym.name == "KEXEC"
        assert first.where == "General setup -> Kexec and crash features"
        assert first.hidden == "depends on ARCH_SUPPORTS_KEXEC [=n]"
        line = str(search.query_one("#results").item_text(0))
        assert "hidden: depends on ARCH_SUPPORTS_KEXEC [=n]; change: SMP, SUSPEND, " \
            "HIBERNATION" in line
        await pilot.press("enter", "question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.text.startswith("CONFIG_KEXEC:\n\nkexec is a system call")
        assert "KEXEC is n and cannot be set to y" in help_screen.text
        assert "SMP [=y] must be n" in help_screen.text
        assert help_screen.jumps[:2] == ["SMP", "SUSPEND"]
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is root

        # SMP off in Kernel Features
        await open_entry(app, pilot, "Kernel Features")
        smp = await goto(app, pilot, "Symmetric Multi-Processing")
        assert smp.text.startswith("[*]")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.current_entry().text.startswith("[ ] Symmetric Multi-Processing")
        assert str(app.screen.render_entry(app.screen.current_entry())).startswith("* ")
        await pilot.press("escape")
        await pilot.pause()

        # the kexec system call is there now: enable it
        await open_entry(app, pilot, "General setup")
        await open_entry(app, pilot, "Kexec and crash features")
        kexec = await goto(app, pilot, "Enable kexec system call")
        assert kexec.text == "[ ] Enable kexec system call (NEW)"
        await pilot.press("y")
        await pilot.pause()
        assert app.screen.current_entry().text == "[*] Enable kexec system call"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is root
        # and Boot options has what depends on it
        await open_entry(app, pilot, "Boot options")
        assert "[*] Export atags in procfs (NEW)" in texts(app.screen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, YesNoScreen)
        await pilot.press("y")
        await pilot.pause()

    async def go():
        app = MenuconfigApp(kc, ".config", obj)
        app.esc_window = 0          # every Esc a step (the Esc Esc pair: test_menuconfig.py)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await story(app, pilot)
        return app

    app = asyncio.run(go())
    assert app.saved == obj / ".config" and app.return_code == 0
    saved = (obj / ".config").read_text()
    assert (obj / ".config.old").read_text() == base
    assert "# CONFIG_SMP is not set" in saved and "CONFIG_KEXEC=y" in saved

    # the engine, given the same edits, writes the same file
    kc2 = project.load(config=tmp_path / "base.config")
    for name, value in (("SMP", "n"), ("KEXEC", "y")):
        assert kc2.set_value(name, value)
    assert kc2.write_config(str(tmp_path / "engine.config")) == 0
    assert (tmp_path / "engine.config").read_text() == saved
