"""The look-ahead that starts $(shell ...) commands before the parse reaches them
(kbuild.kconfig.lookahead): it must start every command of the statements and none of the
help texts, whatever their indentation."""

from __future__ import annotations

from pathlib import Path

from kbuild.kconfig import load, lookahead
from kbuild.kconfig.lexer import split_lines
from kbuild.kconfig.preprocess import ShellRunner

HELP_TRAPS = """\
config A
\tbool "a"
\tdefault $(shell,touch stmt-a && echo y)
\thelp
\t  Text with a tab\tafter words; then a command that must not run:
\t  default $(shell,touch help-1 && echo y)

\t  After a blank line, still help: $(shell,touch help-2)
\t    deeper: $(shell,touch help-3)
\t  help
\t  a 'help' line inside a help text starts nothing: $(shell,touch help-4)

config B
\tbool
\tdefault $(shell,touch stmt-b && echo n)
\thelp
  two spaces only
  $(shell,touch help-5)
X := $(shell,touch stmt-x && echo 1)
comment "$(X)"
config C
\tbool "c"
\thelp
\t  $(shell,touch help-6)
\tdepends on $(shell,touch stmt-c && echo y)
source "sub/Kconfig"
"""

SUB = """\
config D
\tbool "d $(shell,touch stmt-d)"
\thelp
\t  $(shell,touch help-7)"""          # no newline at the end


def test_commands_of_statements_only(tmp_path, monkeypatch):
    (tmp_path / "Kconfig").write_text(HELP_TRAPS)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "Kconfig").write_text(SUB)
    monkeypatch.chdir(tmp_path)
    started = []
    orig = ShellRunner.run

    def spy(self, cmd, speculative):
        if speculative:
            started.append(cmd)
        return orig(self, cmd, speculative)

    monkeypatch.setattr(ShellRunner, "run", spy)
    kc = load("Kconfig", environ={"srctree": str(tmp_path)}, stdout=lambda s: None,
              stderr=lambda s: None)
    made = sorted(p.name for p in tmp_path.iterdir() if p.is_file() and p.name != "Kconfig")
    assert made == ["stmt-a", "stmt-b", "stmt-c", "stmt-d", "stmt-x"]
    # the look-ahead started them (not the parse alone), and nothing from a help text
    assert sorted(c.split()[1] for c in started) == made
    assert kc.find("A").menus[0].help.count("$(shell") == 4


def _indent(body):
    """Columns of a line's leading blanks, as the lexer's help state counts them."""
    stripped = body.lstrip(" \t")
    if not stripped:
        return None
    return len(body[:len(body) - len(stripped)].expandtabs(8))


def _logical_lines(text):
    """The reference scan: line by line, joining backslash continuations, help texts
    measured a line at a time."""
    lines = text.split("\n")
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        i += 1
        while line.endswith("\\") and i < n:
            line = line[:-1] + lines[i]
            i += 1
        if "help" in line and lookahead._HELP.match(line):
            first = None
            while i < n:
                ind = _indent(lines[i])
                if ind is not None:
                    if first is None:
                        if ind == 0:
                            break
                        first = ind
                    elif ind < first:
                        break
                i += 1
            continue
        yield line


def _interesting(line):
    return (("=" in line and lookahead._ASSIGN.match(line))
            or ("source" in line and lookahead._SOURCE.match(line)) or "$" in line)


def test_fast_scan_equals_line_scan(kernel_src: Path):
    """The string-search scan finds the same statement lines as the line-by-line one on every
    Kconfig file of the kernel (with backslash continuations joined beforehand, as the walk
    does)."""
    files = [p for p in kernel_src.rglob("Kconfig*") if p.is_file()]
    assert len(files) > 1000
    compared = 0
    for p in files:
        text = p.read_bytes().decode("utf-8", "surrogateescape")
        fast = [x for x in lookahead._statement_lines(text.replace("\\\n", "")) if _interesting(x)]
        slow = [x for x in _logical_lines(text) if _interesting(x)]
        assert fast == slow, p
        compared += 1
    assert compared > 1000


HELP_EDGES = [
    "\t  one\n\t  two\nconfig X\n",
    "\t  one\n\n\t  after blank\n\n\nconfig X\n",
    "\t  one\n  less indented\n\tbool\n",
    "\t  one\n\t\tdeeper\n\t    more\n\t  back\n\t \t mixed\n\tdefault y\n",
    "\t  \x0c\n\t  \r\n",
    "\t\n\t  \n",
    "no indent first\n\t  then indented\n\t less\n",
    "\t  last line without newline",
    "\t  text\n\t  \n",
    "",
    "\t  a\\\n\t  b\n",
]


def _help_cases(text):
    lines = split_lines(text)
    for i, line in enumerate(lines):
        if line.strip() in ("help", "---help---"):
            yield lines, i + 1


def _compare_help(lines, start):
    from kbuild.kconfig.lexer import FileBuffer, Lexer
    a, b = Lexer(None, None), Lexer(None, None)
    a.buf = FileBuffer("f", list(lines), None, 0)
    b.buf = FileBuffer("f", list(lines), None, 0)
    a.buf.idx = b.buf.idx = start
    text = a.read_help()
    lazy, blank = b.skip_help()
    assert (str(lazy), blank, b.buf.idx, b.lineno, b.buf.lines) == \
        (text, not text.strip(" \f\n\r\t\v"), a.buf.idx, a.lineno, a.buf.lines)


def test_skip_help_equals_read_help():
    for tail in HELP_EDGES:
        lines = split_lines("config A\n\tbool\n\thelp\n" + tail)
        _compare_help(lines, 3)


def test_skip_help_equals_read_help_kernel(kernel_src: Path):
    n = 0
    for p in kernel_src.rglob("Kconfig*"):
        if p.is_file():
            for lines, start in _help_cases(p.read_bytes().decode("utf-8", "surrogateescape")):
                _compare_help(lines, start)
                n += 1
    assert n > 10000
