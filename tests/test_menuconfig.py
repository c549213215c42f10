"""kbuild menuconfig: the entries and markers of mconf's build_conf(), and the app driven headless
with Textual's pilot (keys, help with why, search, hidden entries, save)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

pytest.importorskip("textual")

from kbuild.kconfig import load  # noqa: E402
from kbuild.ui import model  # noqa: E402
from kbuild.ui.app import MenuconfigApp  # noqa: E402
from kbuild.ui.screens import (ChoiceScreen, HelpScreen, InputScreen, MenuScreen,  # noqa: E402
                               SearchScreen, YesNoScreen)

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello"

KCONFIG = """\
mainmenu "Test Configuration"

config MODULES
	bool "Enable loadable module support"
	modules
	default y

menu "Features"

config SMP
	bool "Symmetric multi-processing support"
	default y

config NR_CPUS
	int "Maximum number of CPUs"
	depends on SMP
	range 2 64
	default 8

config KEXEC
	bool "Kexec system call"
	depends on !SMP
	help
	  Boot another kernel.

comment "Drivers need SMP"
	depends on SMP

config FOO
	tristate "Foo driver"
	default m

config FOO_EXTRA
	bool "Foo extras"
	depends on FOO

config FOO_DEBUG
	bool "Foo debugging"
	depends on FOO_EXTRA

config SELECTED
	tristate "Selected by BAR"

config BAR
	tristate "Bar"
	select SELECTED

config ALWAYS
	bool "Always on"
	default y
	select HELPER

config HELPER
	bool

endmenu

menuconfig NET
	bool "Networking support"
	default y

if NET

config NET_NAME
	string "Host name"
	default "box"

config NET_BASE
	hex "Base address"
	default 0x1000

endif

menu "Hidden menu"
	visible if SMP && !SMP

config IN_HIDDEN
	bool "Inside hidden menu"

endmenu

choice
	prompt "Compression"
	default COMP_GZIP

config COMP_GZIP
	bool "Gzip"

config COMP_XZ
	bool "XZ"

endchoice

menu "Empty menu"

config NOTHING
	bool "Never shown"
	depends on KEXEC && !KEXEC

endmenu
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "Kconfig").write_text(KCONFIG)
    monkeypatch.chdir(tmp_path)
    env = dict(os.environ, srctree=str(tmp_path), KCONFIG_CONFIG=".config")
    env.pop("KCONFIG_DEFCONFIG_LIST", None)
    kc = load("Kconfig", environ=env)
    kc.read_config(None)
    return tmp_path, kc


def texts(entries):
    return [e.text for e in entries]


def menu_named(kc, text):
    for m in kc.walk_menus():
        if m.prompt is not None and m.prompt.text == text:
            return m
    raise KeyError(text)


# --- build_conf ----------------------------------------------------------------------------
# The expected lines are what mconf 6.12 shows for this Kconfig (captured from the C program in
# tmux, the box drawing removed).

def test_main_menu_entries(project):
    _, kc = project
    assert texts(model.build_entries(kc, kc.rootmenu)) == [
        "[*] Enable loadable module support (NEW)",
        "    Features  --->",
        "[*] Networking support (NEW)  --->",
        "    Compression (Gzip)  --->",
        "    Empty menu  ----",
    ]


def test_submenu_entries_and_markers(project):
    _, kc = project
    kc.set_value("BAR", "m")
    assert texts(model.build_entries(kc, menu_named(kc, "Features"))) == [
        "[*] Symmetric multi-processing support (NEW)",
        "(8)   Maximum number of CPUs (NEW)",          # implicit submenu of SMP: indented
        "      *** Drivers need SMP ***",                # depends on SMP: inside it too
        "<M> Foo driver (NEW)",
        "[ ]   Foo extras (NEW)",
        "{M} Selected by BAR (NEW)",                    # selected by an m: y or m only
        "<M> Bar",
        "[*] Always on (NEW)",
    ]
    kc.set_value("FOO_EXTRA", "y")
    entries = texts(model.build_entries(kc, menu_named(kc, "Features")))
    assert "[ ]     Foo debugging (NEW)" in entries       # two levels of implicit submenus


def test_menuconfig_screen_has_its_line(project):
    _, kc = project
    net = kc.find("NET").menus[0]
    assert texts(model.build_entries(kc, net)) == [
        "--- Networking support",
        "(box) Host name (NEW)",
        "(0x1000) Base address (NEW)",
    ]


def test_show_all_lists_hidden_entries_with_a_reason(project):
    _, kc = project
    features = menu_named(kc, "Features")
    entries = model.build_entries(kc, features, show_all=True)
    kexec = [e for e in entries if e.sym is kc.find("KEXEC")]
    assert kexec and not kexec[0].visible
    assert kexec[0].text == "- -   Kexec system call"      # not changeable: - -, no (NEW)
    assert model.hidden_reason(kc, kexec[0].menu) == "depends on !SMP [=y]"
    # prompt-less symbols are never listed, even with z
    assert all(e.sym is not kc.find("HELPER") for e in entries)
    hidden = menu_named(kc, "Hidden menu")
    assert model.hidden_reason(kc, hidden) == "its `visible if` is false: !SMP [=y]"


def test_selected_bool_is_not_changeable(project):
    _, kc = project
    kc.set_value("ALWAYS", "y")
    e = next(e for e in model.build_entries(kc, kc.rootmenu, show_all=True) if e.tag == "m"
             and e.menu.prompt.text == "Features")
    assert e.visible


def test_search_location_and_hidden_reason(project):
    _, kc = project
    results = model.search(kc, "kexec")
    assert results[0].sym.name == "KEXEC"
    assert results[0].where == "Features -> Symmetric multi-processing support"
    assert results[0].hidden == "depends on !SMP [=y]"
    # prompt text matches too, CONFIG_ is optional
    assert [r.sym.name for r in model.search(kc, "CONFIG_NET_NAME")] == ["NET_NAME"]
    assert "NET_NAME" in [r.sym.name for r in model.search(kc, "host name")]
    helper = model.search(kc, "^HELPER$")[0]
    assert helper.hidden.startswith("no prompt") and not helper.jump


def test_help_has_ext_help_and_why(project):
    _, kc = project
    from kbuild.kconfig.help import ext_help
    kexec = kc.find("KEXEC").menus[0]
    text, jumps = model.help_text(kc, kexec)
    assert text.startswith(ext_help(kc, kexec).rstrip("\n"))
    assert "Depends on: !SMP [=y]" in text
    assert "KEXEC is n and cannot be set to y" in text
    assert "SMP" in jumps


# --- the app, headless -----------------------------------------------------------------------

def run_app(kc, directory, script, size=(100, 32)):
    async def go():
        app = MenuconfigApp(kc, ".config", directory)
        app.esc_window = 0          # every Esc is a step here; test_esc_esc checks the pair
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await script(app, pilot)
        return app
    return asyncio.run(go())


def highlighted(app):
    return app.screen.current_entry().text


async def goto(app, pilot, text):
    """Move the cursor down to the entry whose text contains ``text``."""
    screen = app.screen
    for i, e in enumerate(screen.entries):
        if text in e.text:
            screen.option_list.highlighted = i
            await pilot.pause()
            return e
    raise AssertionError("%r not in %r" % (text, texts(screen.entries)))


def test_app_navigation_values_and_save(project):
    tmp, kc = project

    async def script(app, pilot):
        assert isinstance(app.screen, MenuScreen)
        assert texts(app.screen.entries)[1] == "    Features  --->"
        await goto(app, pilot, "Features")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.menu.prompt.text == "Features"
        assert not any("Kexec" in t for t in texts(app.screen.entries))
        await goto(app, pilot, "Symmetric")
        await pilot.press("n")
        await pilot.pause()
        assert "[ ]   Kexec system call (NEW)" in texts(app.screen.entries)
        assert highlighted(app) == "[ ] Symmetric multi-processing support"
        # the changed marker
        assert str(app.screen.render_entry(app.screen.current_entry())).startswith("* ")
        await goto(app, pilot, "Kexec")
        await pilot.press("y")
        await pilot.pause()
        assert highlighted(app) == "[*]   Kexec system call"
        await goto(app, pilot, "Foo driver")
        await pilot.press("space")          # m -> y
        await pilot.pause()
        assert highlighted(app) == "<*> Foo driver"
        assert kc.find("FOO").str_value() == "y"
        await pilot.press("left")
        await pilot.pause()
        assert app.screen.menu is kc.rootmenu
        # a choice
        await goto(app, pilot, "Compression")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        assert highlighted(app) == "    Compression (XZ)  --->"
        # a string value
        await goto(app, pilot, "Networking")
        await pilot.press("enter")
        await pilot.pause()
        await goto(app, pilot, "Host name")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InputScreen)
        inp = app.screen.query_one("Input")
        inp.value = "server"
        await pilot.press("enter")
        await pilot.pause()
        assert highlighted(app) == "(server) Host name"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, YesNoScreen)
        assert app.screen.text.endswith(
            "7 values changed since loading:\n  COMP_GZIP: y -> n\n  COMP_XZ: n -> y\n"
            "  FOO: m -> y\n  KEXEC: n -> y\n  NET_NAME: box -> server\n  NR_CPUS: 8 -> 0\n"
            "  SMP: y -> n")
        await pilot.press("y")
        await pilot.pause()

    app = run_app(kc, tmp, script)
    assert app.saved == tmp / ".config"
    assert app.return_code == 0
    assert (tmp / "include" / "config" / "auto.conf").is_file()     # as mconf's exit
    saved = (tmp / ".config").read_text()
    # the engine with the same edits writes the same file
    env = dict(os.environ, srctree=str(tmp), KCONFIG_CONFIG=".config")
    kc2 = load(str(tmp / "Kconfig"), environ=env)
    for sym in kc2.all_symbols():
        sym.calc_value()
    for name, value in (("SMP", "n"), ("KEXEC", "y"), ("FOO", "y"), ("COMP_XZ", "y"),
                        ("NET_NAME", "server")):
        if name == "COMP_XZ":
            choice = kc2.find(name).choice_menu
            kc2.choice_set_value(choice, kc2.find(name))
        else:
            assert kc2.set_value(name, value)
    assert kc2.config_text() == saved
    assert "CONFIG_KEXEC=y" in saved and 'CONFIG_NET_NAME="server"' in saved


def test_app_help_search_jump_and_show_all(project):
    tmp, kc = project

    async def script(app, pilot):
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"KEXEC")
        await pilot.pause(0.3)                 # results follow the typing after a pause
        s = app.screen
        assert s.results[0].sym.name == "KEXEC"
        line = str(s.query_one("#results").item_text(0))
        assert "Features" in line and "[hidden: depends on !SMP [=y]; change: SMP]" in line
        await pilot.press("enter")          # to the results
        await pilot.press("question_mark")  # help and why of the result
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Boot another kernel." in app.screen.text
        assert "Why (kbuild why KEXEC=y)" in app.screen.text
        await pilot.press("1")              # jump to SMP, the option to change
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        assert highlighted(app) == "[*] Symmetric multi-processing support (NEW)"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("1")              # jump to the (hidden) result: shown greyed
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen) and app.show_all
        e = app.screen.current_entry()
        assert e.sym.name == "KEXEC" and not e.visible
        assert "hidden: depends on !SMP [=y]; change: SMP" in str(app.screen.render_entry(e))
        await pilot.press("z")
        await pilot.pause()
        assert not app.show_all
        assert all(e.visible for e in app.screen.entries)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen.menu is kc.rootmenu

    run_app(kc, tmp, script)


def test_app_exit_without_saving(project):
    tmp, kc = project

    async def script(app, pilot):
        await pilot.press("n")      # MODULES off
        await pilot.press("ctrl+c")  # as mconf's SIGINT: the exit question
        await pilot.pause()
        assert isinstance(app.screen, YesNoScreen)
        await pilot.press("escape")  # back to the configuration
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        await pilot.press("escape", "n")
        await pilot.pause()

    app = run_app(kc, tmp, script)
    assert app.saved is None and not (tmp / ".config").exists()
    assert "NOT saved" in app.end_text


def test_hello_example_opens_and_saves(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = dict(os.environ, srctree=str(HELLO), KCONFIG_CONFIG=".config")
    kc = load(str(HELLO / "Kconfig"), environ=env)
    kc.read_config(None)

    async def script(app, pilot):
        assert texts(app.screen.entries) == ["    General setup  --->", "    Device drivers  --->",
                                             "    Library routines  --->"]
        await pilot.press("enter")
        await pilot.pause()
        assert "    Greeting language (English)  --->" in texts(app.screen.entries)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, InputScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / ".config").is_file()
        await pilot.press("escape", "escape")
        await pilot.pause()

    app = run_app(kc, tmp_path, script)
    assert app.return_code == 0
    assert (tmp_path / ".config").read_text() == kc.config_text()


def test_loader_runs_while_the_first_screen_is_drawn(project):
    tmp, kc = project
    from kbuild.kconfig import KconfigError

    async def go(loader):
        app = MenuconfigApp(None, ".config", tmp, loader=loader)
        async with app.run_test(size=(100, 32)) as pilot:
            for _ in range(50):
                await pilot.pause(0.02)
                if isinstance(app.screen, MenuScreen) or app.load_error is not None:
                    break
            if app.load_error is None:
                assert texts(app.screen.entries)[0] == "[*] Enable loadable module support (NEW)"
        return app

    assert asyncio.run(go(lambda: kc)).kc is kc

    def broken():
        raise KconfigError("syntax error", "Kconfig", 3)
    app = asyncio.run(go(broken))
    assert str(app.load_error) == "Kconfig:3: syntax error" and app.return_code == 1


def test_undo_takes_changes_back(project):
    tmp, kc = project
    start = kc.config_text()

    async def script(app, pilot):
        await goto(app, pilot, "Features")
        await pilot.press("enter")
        await pilot.pause()
        await goto(app, pilot, "Symmetric")
        await pilot.press("n")
        await goto(app, pilot, "Kexec")
        await pilot.press("y")
        await goto(app, pilot, "Foo driver")
        await pilot.press("n", "n")         # the second changes nothing: not an undo step
        await pilot.press("left")
        await goto(app, pilot, "Compression")
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert kc.find("COMP_XZ").value() == "y"
        assert len(app.undo.stack) == 4
        await pilot.press("u")
        await pilot.pause()
        assert kc.find("COMP_GZIP").value() == "y"
        assert highlighted(app) == "    Compression (Gzip)  --->"
        await pilot.press("u", "u")
        await pilot.pause()
        assert kc.find("FOO").value() == "m" and kc.find("KEXEC").value() == "n"
        await pilot.press("u")
        await pilot.pause()
        assert kc.find("SMP").value() == "y"
        assert kc.config_text() == start
        assert app.undo.stack == []

    run_app(kc, tmp, script)


def test_save_and_load_an_alternate_file_and_mouse(project):
    tmp, kc = project

    async def script(app, pilot):
        await pilot.press("n")                      # MODULES off
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, InputScreen)
        app.screen.query_one("Input").value = "alt.config"
        await pilot.press("enter")
        await pilot.pause()
        assert app.config_name == "alt.config"
        assert "# CONFIG_MODULES is not set" in (tmp / "alt.config").read_text()
        await pilot.press("y")                      # MODULES on again
        await pilot.pause()
        assert kc.find("MODULES").value() == "y"
        await pilot.press("o")                      # load alt.config back
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert kc.find("MODULES").value() == "n"
        assert highlighted(app) == "[ ] Enable loadable module support"
        # the mouse: a click moves the cursor, a click on it opens
        from kbuild.ui.widgets import MenuList
        await pilot.click(MenuList, offset=(6, 1))
        await pilot.pause()
        assert highlighted(app) == "    Features  --->"
        await pilot.click(MenuList, offset=(6, 1))
        await pilot.pause()
        assert app.screen.menu.prompt.text == "Features"

    run_app(kc, tmp, script)


def test_esc_esc_is_one_step_back(project):
    tmp, kc = project

    async def go():
        app = MenuconfigApp(kc, ".config", tmp)
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            await goto(app, pilot, "Features")
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("escape", "escape")       # as mconf users do: one step
            await pilot.pause()
            assert app.screen.menu is kc.rootmenu
            await pilot.press("escape", "escape")       # the exit question (kc.changed)
            await pilot.pause()
            assert isinstance(app.screen, YesNoScreen)
            await pilot.pause(0.6)
            await pilot.press("escape", "escape")       # back to the configuration
            await pilot.pause()
            assert isinstance(app.screen, MenuScreen)
    asyncio.run(go())


def test_80x24_and_no_color(project, monkeypatch):
    tmp, kc = project
    monkeypatch.setenv("NO_COLOR", "1")

    async def script(app, pilot):
        ml = app.screen.option_list
        assert ml.size.height >= 10            # rows for entries at the minimum size
        assert ml.item_text(0) == "  [*] Enable loadable module support (NEW)"
        await pilot.press("down")
        await pilot.pause()
        assert ml.highlighted == 1
        # the cursor is drawn in reverse video, which stays visible without colours
        strip = ml.render_line(1)
        assert any(seg.style is not None and seg.style.reverse for seg in strip)

    run_app(kc, tmp, script, size=(80, 24))


def test_entry_point_needs_a_terminal_and_a_known_target(tmp_path, capsys):
    from kbuild.ui.app import main
    assert main(["-C", str(HELLO), "O=%s" % tmp_path, "menuconfig"]) == 1
    assert "needs a terminal" in capsys.readouterr().err
    assert main(["-C", str(HELLO), "xconfig"]) == 2
    assert main(["-C", str(tmp_path / "nowhere"), "menuconfig"]) == 1


def test_hotkeys_jump_like_mconf(project):
    tmp, kc = project
    assert model.first_alpha("[*] Enable loadable module support (NEW)") == 4
    assert model.first_alpha("(8)   Maximum number of CPUs") == 7      # M is exempt: 'a'
    assert model.first_alpha("    Compression (Gzip)  --->") == 4

    async def script(app, pilot):
        await pilot.press("c")
        await pilot.pause()
        assert highlighted(app) == "    Compression (Gzip)  --->"
        await pilot.press("f")
        await pilot.pause()
        assert highlighted(app) == "    Features  --->"
        await pilot.press("enter", "f", "f")     # Foo driver, then Foo extras
        await pilot.pause()
        assert highlighted(app) == "[ ]   Foo extras (NEW)"

    run_app(kc, tmp, script)
