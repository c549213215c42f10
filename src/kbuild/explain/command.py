"""The question commands of the ``kbuild`` front end: find, show, why, diff (and --json);
objects, which and why FILE are in :mod:`kbuild.explain.files`."""

from __future__ import annotations

import argparse
import json


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        from ..cli import UsageError
        raise UsageError("%s: %s" % (self.prog, message))


def _parser(name):
    p = _Parser(prog="kbuild " + name, add_help=True)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    return p


def lookup(kc, name):
    """The symbol called ``name`` (CONFIG_ prefix allowed), or a UserError with suggestions."""
    from ..cli import UserError, did_you_mean
    key = name.removeprefix("CONFIG_")
    sym = kc.symbols.get(key) or kc.symbols.get(key.upper())
    if sym is None or not sym.menus:
        names = [n for n, s in kc.symbols.items() if s.menus]
        raise UserError("unknown symbol '%s'%s" % (name, did_you_mean(key.upper(), names)))
    return sym


def _file_argument(args):
    """``why`` about a source file (a path) rather than a symbol."""
    from .files import looks_like_file
    words = [a for a in args if not a.startswith("-")]
    return bool(words) and looks_like_file(words[0])


def run(project, cmd, args, out, err):
    from ..cli import UserError
    if cmd in ("objects", "which") or (cmd == "why" and _file_argument(args)):
        from . import files
        handler = {"objects": files.objects_command, "which": files.which_command,
                   "why": files.why_file}[cmd]
        return handler(project, args, out, err)
    p = _parser(cmd)
    if cmd == "find":
        p.add_argument("pattern")
    elif cmd == "show":
        p.add_argument("symbol")
    elif cmd == "why":
        p.add_argument("symbol")
        p.add_argument("value", nargs="?", default=None, help="=y, =m or =n (default: y)")
    elif cmd == "diff":
        p.add_argument("old", nargs="?", default=None)
        p.add_argument("new", nargs="?", default=None)
        p.add_argument("--explain", action="store_true", help="the cause of each change")
        p.add_argument("-m", dest="merge", action="store_true", help="merge style output")
    elif cmd == "genconfig":
        from .genconfig import FORMATS
        p.add_argument("--format", "-f", choices=FORMATS, default="json")
        p.add_argument("-o", "--output", help="write to this file (default: standard output)")
    elif cmd in ("set", "enable", "disable", "module", "undefine"):
        p.add_argument("symbols", nargs="+", metavar="SYMBOL=VALUE" if cmd == "set" else "SYMBOL")
    if any(a in ("-h", "--help") for a in args):
        out.write(p.format_help())
        return 0
    a = p.parse_args(args)
    if cmd == "why":
        want = "y"
        sym_name = a.symbol
        if "=" in sym_name:
            sym_name, _, want = sym_name.partition("=")
        elif a.value is not None:
            want = a.value.lstrip("=")
        want = want.lower()
        if want not in ("y", "m", "n"):
            from ..cli import UsageError
            raise UsageError("why: the value must be y, m or n, not '%s'" % want)
        a.symbol, a.want = sym_name, want

    if cmd == "diff":
        from . import diff
        old = a.old or str(project.objtree / ".config.old")
        new = a.new or str(project.config_path)
        if a.new is None and a.old is not None:
            from ..cli import UsageError
            raise UsageError("diff: give two files, or none (.config.old and .config)")
        try:
            da, db = diff.read_config_file(old), diff.read_config_file(new)
        except OSError as e:
            raise UserError("%s: %s" % (e.filename, e.strerror)) from None
        changes = diff.diff(da, db)
        if not a.explain:
            if a.json:
                out.write(json.dumps({"old": old, "new": new, "changes": changes}, indent=1) + "\n")
            else:
                out.write(diff.format_diff(changes, a.merge))
            return 0
        import os
        old, new = os.path.abspath(old), os.path.abspath(new)
        kc = project.load(config=new)
        rec = diff.explain(kc, changes, old, new)
        if a.json:
            out.write(json.dumps({"old": old, "new": new, **rec}, indent=1) + "\n")
        else:
            out.write(diff.format_explained(rec))
        return 0

    notes = []
    kc = project.load(warnings=notes)
    if not project.config_path.exists():
        used = [n for n in notes if "using defaults found in" in n]
        err.write("kbuild: no %s yet; %s\n" % (
            project.config_path, used[0].strip("#\n ").replace("\n", " ") if used
            else "all options at their defaults"))
    if cmd == "genconfig":
        from .genconfig import generate
        text = generate(kc, a.format)
        if a.output:
            import os
            tmp = a.output + ".tmp"
            with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(text)
            os.replace(tmp, a.output)
        else:
            out.write(text)
        return 0
    if cmd in ("set", "enable", "disable", "module", "undefine"):
        return _edit(project, kc, cmd, a, out, err)
    if cmd == "find":
        from .find import find, format_find, symbol_summary
        syms = find(kc, a.pattern)
        if a.json:
            out.write(json.dumps([symbol_summary(kc, s) for s in syms], indent=1) + "\n")
        else:
            if not syms:
                raise UserError("no symbol matches '%s'" % a.pattern)
            out.write(format_find(kc, syms))
        return 0 if syms else 1
    sym = lookup(kc, a.symbol)
    if cmd == "show":
        from .show import format_show, show
        if a.json:
            out.write(json.dumps(show(kc, sym), indent=1) + "\n")
        else:
            out.write(format_show(kc, sym))
        return 0
    from .why import format_why, why
    rec = why(kc, sym, a.want)
    if a.json:
        out.write(json.dumps(rec, indent=1) + "\n")
    else:
        out.write(format_why(kc, rec))
    return 0


def _edit(project, kc, cmd, a, out, err):
    import os

    from ..cli import UsageError, UserError
    from .edit import apply_edits
    from .why import why
    edits = []
    for item in a.symbols:
        if cmd == "set":
            name, eq, value = item.partition("=")
            if not eq:
                raise UsageError("set: give SYMBOL=VALUE, not '%s'" % item)
        else:
            name, value = item, {"enable": "y", "disable": "n", "module": "m", "undefine": ""}[cmd]
        edits.append((lookup(kc, name), value))
    before = {s.name: s.value() for s, _ in edits}
    if cmd == "undefine":
        from .edit import undefine
        undefine(kc, [s for s, _ in edits])
        results = [(s, s.value(), True) for s, _ in edits]
    else:
        results = apply_edits(kc, edits)
    cwd = os.getcwd()
    os.chdir(project.objtree)
    try:
        if kc.write_config() != 0:
            raise UserError("could not write %s" % project.config_path)
    finally:
        os.chdir(cwd)
    failed = []
    records = []
    for sym, value, ok in results:
        rec = {"symbol": sym.name, "want": value, "old": before[sym.name], "new": sym.value(),
               "ok": ok}
        if not ok:
            want = value[:1].lower()
            if want in ("y", "m", "n") and sym.type in (1, 2):
                w = why(kc, sym, want)
                rec["why"] = w
                rec["settable"] = w["settable"]
            failed.append(rec)
        records.append(rec)
    if a.json:
        out.write(json.dumps(records, indent=1) + "\n")
    else:
        for r in records:
            if r["ok"]:
                out.write(" %s %s -> %s\n" % (r["symbol"], r["old"], r["new"]) if r["old"] != r["new"]
                          else " %s %s (unchanged)\n" % (r["symbol"], r["new"]))
        for r in failed:
            hint = ""
            if r.get("settable") and r["settable"] != [r["symbol"]]:
                hint = "; it depends on options you can change: %s" % ", ".join(r["settable"])
            elif r.get("why") and r["why"]["reason"] and not r["why"]["reason"].get("symbol"):
                hint = ": " + r["why"]["reason"]["text"]
            err.write("kbuild: %s=%s did not stick (it is %s)%s; see `kbuild why %s=%s`\n"
                      % (r["symbol"], r["want"], r["new"], hint, r["symbol"], r["want"]))
        out.write("# configuration written to %s\n" % project.environ.get("KCONFIG_CONFIG", ".config"))
    return 1 if failed else 0
