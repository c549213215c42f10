"""The question commands of the ``kbuild`` front end: find, show, why, diff (and --json)."""

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


def run(project, cmd, args, out, err):
    from ..cli import UserError
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

    kc = project.load()
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
