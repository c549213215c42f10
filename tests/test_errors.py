"""Bad input: a clear message with file:line, a non-zero exit, no traceback, no lost .config."""

import os
import subprocess
import sys

import pytest

CONF = [sys.executable, "-m", "kbuild.conf"]


def run(tmp_path, kconfig, args=("--olddefconfig",), files=None, config=None, env=None):
    (tmp_path / "Kconfig").write_bytes(kconfig if isinstance(kconfig, bytes) else kconfig.encode())
    for name, text in (files or {}).items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text if isinstance(text, bytes) else text.encode())
    if config is not None:
        (tmp_path / ".config").write_bytes(config if isinstance(config, bytes) else config.encode())
    e = dict(os.environ, srctree=str(tmp_path), **(env or {}))
    p = subprocess.run(CONF + list(args) + ["Kconfig"], cwd=tmp_path, env=e,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert "Traceback" not in p.stderr, p.stderr
    return p


GOOD = 'config A\n\tbool "a"\n\tdefault y\n'


@pytest.mark.parametrize("text,expect", [
    ('config A\n\tbool "a"\nfoo bar\n', 'Kconfig:3: unknown statement "foo"'),
    ('config A\n\tbool "a"\n\tdefault\n', "Kconfig:3: invalid statement"),
    ('menu "m"\nconfig A\n\tbool "a"\n', "Kconfig:1: missing end statement for this entry"),
    ('choice\n\tprompt "c"\nconfig A\n\tbool "a"\n', "Kconfig:1: missing end statement for this entry"),
    ('if A\nconfig B\n\tbool "b"\n', "Kconfig:1: missing end statement for this entry"),
    ('menu "m"\nendif\nendmenu\n', "Kconfig:2: unexpected 'if' within menu block"),
    ('source "nonexistent/Kconfig"\n', 'Kconfig:1: can\'t open file "nonexistent/Kconfig"'),
    ('$(error-if,y,this tree needs a newer compiler)\n', "Kconfig:1: this tree needs a newer compiler"),
    ('config A\n\tbool "$(foo"\n', "Kconfig:2: unterminated reference to 'foo\"'"),
    ('X = $(X)\nconfig A\n\tbool "$(X)"\n', "Kconfig:3: Recursive variable 'X' references itself (eventually)"),
    ('config A\n\tbool "a"\n\tdepends on B\nconfig B\n\tbool "b"\n\tdepends on A\n',
     "error: recursive dependency detected!"),
    (b'config A\n\tbool "a\x00"\n', "Kconfig:2: error: binary data (NUL byte) in Kconfig file"),
])
def test_bad_kconfig(tmp_path, text, expect):
    p = run(tmp_path, text)
    assert p.returncode != 0
    assert expect in p.stderr, p.stderr
    assert not (tmp_path / ".config").exists()


def test_recursive_source(tmp_path):
    p = run(tmp_path, 'source "Kconfig.a"\n', files={"Kconfig.a": 'source "Kconfig"\n'})
    assert p.returncode == 1
    assert "Recursive inclusion detected." in p.stderr
    assert "included from: Kconfig.a:1" in p.stderr


@pytest.mark.parametrize("k2,k3,path", [
    ('source "Kconfig.b"', None, ["current file : Kconfig.b", "included from: Kconfig.b:1",
                                  "included from: Kconfig:2"]),
    ('source "Kconfig.c"', 'config C\n\tbool "c"\nsource "Kconfig.b"',
     ["current file : Kconfig.b", "included from: Kconfig.c:3", "included from: Kconfig.b:1",
      "included from: Kconfig:2"]),
])
def test_recursive_source_at_end_of_file(tmp_path, k2, k3, path):
    """A 'source' that ends its file without a newline: C's lexer leaves the file first, so the
    file sourcing itself that way (directly or through another) loops for ever in the C tool.
    kbuild-conf reports the recursive inclusion."""
    files = {"Kconfig.b": k2}
    if k3 is not None:
        files["Kconfig.c"] = k3
    p = run(tmp_path, 'mainmenu "m"\nsource "Kconfig.b"\n', files=files)
    assert p.returncode == 1
    assert "Recursive inclusion detected." in p.stderr
    for line in path:
        assert "  " + line in p.stderr, p.stderr
    assert p.stderr.count("no new line at end of file") == (2 if k3 else 1)


def test_missing_root(tmp_path):
    p = subprocess.run(CONF + ["--olddefconfig", "NoSuchKconfig"], cwd=tmp_path,
                       capture_output=True, text=True, env=dict(os.environ, srctree=str(tmp_path)))
    assert p.returncode == 1
    assert p.stderr.strip() == "can't find file NoSuchKconfig"


def test_non_utf8_is_kept(tmp_path):
    p = run(tmp_path, b'mainmenu "caf\xe9"\nconfig S\n\tstring "s"\n\tdefault "\xff"\n')
    assert p.returncode == 0, p.stderr
    data = (tmp_path / ".config").read_bytes()
    assert b"# caf\xe9\n" in data and b'CONFIG_S="\xff"\n' in data


def test_malformed_config_lines_warn_and_keep_going(tmp_path):
    p = run(tmp_path, GOOD, config="garbage\nCONFIG_A\nCONFIG_A=maybe\n")
    assert p.returncode == 0
    assert ".config:1:warning: unexpected data: garbage" in p.stderr
    assert ".config:2:warning: unexpected data: CONFIG_A" in p.stderr
    assert ".config:3:warning: symbol value 'maybe' invalid for A" in p.stderr
    assert (tmp_path / ".config.old").read_text().startswith("garbage")


def test_werror_turns_config_warnings_into_failure(tmp_path):
    p = run(tmp_path, GOOD, config="garbage\n", env={"KCONFIG_WERROR": "1"})
    assert p.returncode == 1
    assert (tmp_path / ".config").read_text() == "garbage\n"


def test_config_is_a_directory(tmp_path):
    (tmp_path / ".config").mkdir()
    p = run(tmp_path, GOOD)
    assert p.returncode == 1
    assert ".config: Is a directory" in p.stderr


def test_no_change_keeps_old(tmp_path):
    p = run(tmp_path, GOOD)
    assert p.returncode == 0
    first = (tmp_path / ".config").read_bytes()
    p = run(tmp_path, GOOD)
    assert "No change to .config" in p.stdout
    assert (tmp_path / ".config").read_bytes() == first
    assert not list(tmp_path.glob(".config.*.tmp"))


def test_number_defaulting_to_a_choice_member(tmp_path):
    """An int/hex symbol whose default is a bool choice member that only the choice computed:
    the C tool reads a NULL string there (writes CONFIG_H=(null), then crashes writing
    auto.conf); kbuild-conf takes "n", as for any other bool (with the 'number is invalid'
    warning), and writes the configuration."""
    kconfig = ('choice\n\tprompt "c"\nconfig C1\n\tbool "c1"\nconfig C2\n\tbool "c2"\nendchoice\n'
               'config H\n\thex "h"\n\tdepends on C1\n\tdefault C2\n')
    p = run(tmp_path, kconfig)
    assert p.returncode == 0, p.stderr
    assert "'H': number is invalid" in p.stderr
    assert "CONFIG_H=n\n" in (tmp_path / ".config").read_text()


def test_choice_without_a_visible_member_is_not_asked_for_ever(tmp_path):
    """syncconfig/oldconfig on a choice whose prompt shows but none of whose members does: the C
    tool asks "choice[1-0?]" again for ever; kbuild-conf asks once and goes on."""
    kconfig = ('config A\n\tbool "a"\nchoice\n\tprompt "c"\nconfig C1\n\tbool "c1"\n'
               '\tdepends on A && !A\nendchoice\n')
    (tmp_path / "Kconfig").write_text(kconfig)
    for mode in ("--syncconfig", "--oldconfig"):
        for old in (".config", ".config.old"):
            if (tmp_path / old).exists():
                (tmp_path / old).unlink()
        p = subprocess.run(CONF + [mode, "Kconfig"], cwd=tmp_path, input="\n" * 5, text=True,
                           capture_output=True, timeout=60,
                           env=dict(os.environ, srctree=str(tmp_path)))
        assert p.returncode == 0, p.stderr
        assert p.stdout.count("choice[1-0?]") == 1, p.stdout


@pytest.mark.parametrize("depends,expect", [
    # deeper than the parser goes: C's bison stops at 10,000 states with these words
    ("(" * 12000 + "B" + ")" * 12000, "Kconfig:3: memory exhausted"),
    ("!" * 30000 + "B", "Kconfig:3: memory exhausted"),
    # parsed, but deeper than the engine's recursion: the entry is named
    (" && ".join(["B"] * 50000), "Kconfig:1: expression nested too deeply (50000 levels)"),
], ids=["parentheses", "negations", "and-chain"])
def test_expression_too_deep(tmp_path, depends, expect):
    p = run(tmp_path, 'config A\n\tbool "a"\n\tdepends on %s\nconfig B\n\tbool "b"\n' % depends,
            config="CONFIG_A=y\n")
    assert p.returncode == 1
    assert p.stderr.strip() == expect
    assert (tmp_path / ".config").read_text() == "CONFIG_A=y\n"


def test_too_many_selects_named(tmp_path):
    """A reverse dependency too long to evaluate is reported at the selected symbol."""
    n = 30000
    text = "".join("config S%d\n\tbool\n\tdefault y\n\tselect A\n" % i for i in range(n))
    p = run(tmp_path, text + 'config A\n\tbool "a"\n')
    assert p.returncode == 1
    assert p.stderr.strip() == "Kconfig:%d: expression nested too deeply (%d levels)" % (4 * n + 1, n)
    assert not (tmp_path / ".config").exists()
