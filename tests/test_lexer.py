"""The lexer's shortcuts for common line shapes give the tokens of the general scanner."""

from __future__ import annotations

from pathlib import Path

from kbuild.kconfig import lexer
from kbuild.kconfig.lexer import T_EOL, Lexer, split_lines

EDGES = [
    "config FOO\n", "\tdepends on PCI\n", "\tbool\n", "\n", "   \t\n", "\tselect A-B_9\n",
    '\tbool "text"\n', '\ttristate "C# and more"  \n', '\tprompt ""\n', '  bool\t"x y z"\t\n',
    '\tbool "a" if B\n', '\tbool "a\\"b"\n', '\tbool "$(X)"\n', "\tdefault 0x10\n",
    "\tdefault -1\n", "\tdepends on A # comment\n", "\tbool 'single'\n", "if X\n", "endif\n",
    '\tbool"glued"\n', "\tdepends on A=y\n", "help\n",
]


def _general(line):
    """Tokens of the general scanner (the one every unusual line takes)."""
    lx = Lexer(None, lambda s: None)
    lx.filename = "f"
    toks = []
    lx._scan_slow(line, 1, toks)
    return toks + [(T_EOL, None)] if toks else []


def _shortcut(line):
    kind_get = lexer._KIND_GET
    if lexer._PLAIN_WORDS(line) is not None:
        raw = line.split()
        return [(kind_get(t, lexer.T_WORD), t) for t in raw] + [(T_EOL, None)] if raw else []
    m = lexer._WORD_STRING(line)
    if m is not None:
        word, text = m.groups()
        return [(kind_get(word, lexer.T_WORD), word), (lexer.T_WORD_QUOTE, text), (T_EOL, None)]
    return None


def _lexed(line):
    """Tokens of the lexer itself (next_statement(), shortcuts and all) for one line."""
    lx = Lexer(None, lambda s: None)
    # as a sourced file: the top file's last line without a newline ends in T_EOF instead
    lx.push("top", "", 0)
    lx.push("f", line, 0)
    toks, _ = lx.next_statement()
    return toks or []


def _check(line):
    got = _shortcut(line)
    if got is None:
        return False
    assert got == _general(line), repr(line)
    return True


def test_shortcut_edges():
    for line in EDGES:
        if "$" not in line:
            assert _lexed(line) == _general(line), repr(line)
    taken = [line for line in EDGES if _check(line)]
    assert "config FOO\n" in taken and '\tbool "text"\n' in taken
    assert '\tbool "$(X)"\n' not in taken and "\tdepends on A=y\n" not in taken


def test_lexer_on_every_kernel_line(kernel_src: Path):
    """Every line of every kernel Kconfig file: the shortcuts give the general scanner's tokens,
    and so does next_statement() itself (its 'config NAME' shortcut included; lines with a '$'
    need a preprocessor and take the general path anyway)."""
    shortcut = lexed = 0
    for p in kernel_src.rglob("Kconfig*"):
        if p.is_file():
            for line in split_lines(p.read_bytes().decode("utf-8", "surrogateescape")):
                shortcut += _check(line)
                if "$" in line or line.rstrip(" \t\n").endswith("\\"):
                    continue
                assert _lexed(line) == _general(line), (p, line)
                lexed += 1
    assert shortcut > 100000
    assert lexed > 100000
