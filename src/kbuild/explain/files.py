"""The source-file commands of the ``kbuild`` front end: objects, which, why FILE.

* ``kbuild objects [DIR] [--json]``: what ``make vmlinux modules`` builds with the
  configuration at hand -- the members of every built-in.a and lib.a, each module
  with its parts, modules.order, the directories descended (all from
  :class:`kbuild.make.kbuild.KbuildTree`);
* ``kbuild which FILE [--json]``: the Kconfig-syntax conditions under which a source
  file is built in and built as (part of) a module, and the Kbuild lines from the
  top down to it (:func:`kbuild.make.which.which`);
* ``kbuild why FILE [--json]``: ``which`` joined with ``why`` (:mod:`kbuild.explain.why`)
  for every symbol of the built-in condition that is not at its needed value.

The engine (``kbuild.make``, ``kbuild.kconfig``) computes; this module formats.
Like ``make vmlinux``, the commands first bring ``include/config/auto.conf`` up to
date (syncconfig) when ``.config`` is newer.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

SOURCE_SUFFIXES = (".c", ".S", ".s", ".rs", ".o")
# the caller's environment variables that reach Kbuild (make exports its environment)
_ENV_NAMES = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "CROSS_COMPILE", "LLVM",
              "LLVM_IAS", "KCFLAGS", "KAFLAGS", "KCPPFLAGS", "KRUSTFLAGS", "KBUILD_EXTRA_WARN")
_ENV_PREFIXES = ("KBUILD_BUILD_",)
_LONG_LINE = 100


def looks_like_file(arg):
    """True for an argument of ``why`` that names a source file rather than a symbol."""
    return "/" in arg or arg.endswith(SOURCE_SUFFIXES)


def _errors():
    from ..cli import UsageError, UserError
    return UsageError, UserError


# --------------------------------------------------------------------------
# The tree, the configuration, the walk
# --------------------------------------------------------------------------

def _base_environ():
    env = {k: v for k, v in os.environ.items()
           if k in _ENV_NAMES or k.startswith(_ENV_PREFIXES)}
    env.setdefault("PATH", os.defpath)
    return env


def _kernel(project, cmd):
    _, UserError = _errors()
    if project.kernel is None:
        raise UserError("%s: needs a Linux source tree (for another project: kbuild build)" % cmd)
    return project.kernel


def _sync_config(project, err):
    """``.config`` must exist; ``include/config/auto.conf`` is refreshed as make refreshes it
    (syncconfig when .config is newer or auto.conf is missing)."""
    _, UserError = _errors()
    config = project.config_path
    if not config.is_file():
        raise UserError("no %s: run a *config target first (e.g. kbuild%s defconfig)" % (
            config, "" if project.objtree == project.srctree else " O=%s" % project.objtree))
    auto = project.objtree / "include" / "config" / "auto.conf"
    try:
        stale = auto.stat().st_mtime_ns < config.stat().st_mtime_ns
    except OSError:
        stale = True
    if stale:
        from ..cli import Runner
        err.write("  SYNC    include/config/auto.conf\n")
        Runner(project, True, err, err, None).conf(["--syncconfig"])
    return auto


def read_auto_conf(path):
    """{"E1000": "y", ...} from include/config/auto.conf (strings keep their quotes)."""
    cfg = {}
    try:
        text = Path(path).read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return cfg
    for line in text.splitlines():
        if line.startswith("CONFIG_") and "=" in line:
            k, v = line.split("=", 1)
            cfg[k[7:]] = v
    return cfg


def _shell_cache(project, k, env):
    """The $(shell) answers of the makefiles' toolchain probes, remembered per tree, build
    directory, ARCH and command line (ShellCache itself checks the environment and the
    tools).  KBUILD_SHELL_CACHE=0 keeps them in memory only."""
    from ..make.shellcache import ShellCache
    if os.environ.get("KBUILD_SHELL_CACHE", "1") == "0":
        return ShellCache(None, env)
    key = "\0".join([str(project.srctree), str(project.objtree), k.arch]
                    + ["%s=%s" % kv for kv in sorted(project.variables.items())])
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return ShellCache(os.path.join(base, "kbuild", "make-shell", digest + ".json"), env)


class Tree:
    """The KbuildTree of a project, with its configuration synced and its probe cache."""

    def __init__(self, project, cmd, err):
        from ..make.kbuild import KbuildTree
        k = _kernel(project, cmd)
        self.project = project
        self.auto_conf = _sync_config(project, err)
        env = _base_environ()
        self.cache = _shell_cache(project, k, env)
        self._cached = len(self.cache)
        variables = {n: v for n, v in project.variables.items() if n not in ("ARCH", "O")}
        self.kt = KbuildTree(str(project.srctree), str(project.objtree), k.arch, environ=env,
                             command_line=variables, shell_cache=self.cache)
        self.srctree = str(project.srctree)

    def config(self):
        return read_auto_conf(self.auto_conf)

    def save(self):
        if len(self.cache) != self._cached:
            try:
                self.cache.save()
            except OSError:
                pass        # a cache that cannot be written is no error

    def rel(self, path):
        """A makefile path relative to the source tree."""
        p = os.path.normpath(path)
        if os.path.isabs(p):
            r = os.path.relpath(p, self.srctree)
            if not r.startswith(".."):
                return r
        return p

    def tree_path(self, arg, what):
        """A path in the source tree from an argument: relative to the tree, or absolute, or
        relative to the current directory (inside the tree)."""
        _, UserError = _errors()
        cands = []
        if os.path.isabs(arg):
            cands.append(arg)
        else:
            cands.append(os.path.join(self.srctree, arg))
            cands.append(os.path.abspath(arg))
        outside = False
        for c in cands:
            if os.path.exists(c):
                r = os.path.relpath(os.path.realpath(c), os.path.realpath(self.srctree))
                if r.startswith(".."):
                    outside = True
                    continue
                return r
        if outside:
            raise UserError("%s: not in the source tree %s" % (arg, self.srctree))
        raise UserError("%s: no such %s in %s" % (arg, what, self.srctree))


def _make_error(e):
    _, UserError = _errors()
    return UserError("reading the Kbuild files: %s" % e)


# --------------------------------------------------------------------------
# kbuild objects
# --------------------------------------------------------------------------

def _descend_to(t, target):
    """Follow the directory listings from the top down to ``target``: (need_builtin,
    need_modorder) that its parent passes, or None if no directory above descends into it."""
    kt = t.kt
    cur, nb, nm = ".", True, True
    while cur != target:
        d, _mk = kt.evaluate_dir(cur, nb, nm)
        nxt = [s for s in d.subdirs if target == s or target.startswith(s + "/")]
        if not nxt:
            return None
        sub = max(nxt, key=len)
        nb, nm = sub + "/built-in.a" in d.subdir_builtin, sub + "/modules.order" in d.subdir_modorder
        cur = sub
    return nb, nm


def objects(project, start, err):
    """The walk as a JSON-ready dict (``kbuild objects --json``)::

        {"srctree", "objtree", "arch", "srcarch", "config", "start": "." or DIR,
         "directories": [            # make's descent order (depth first, sorted subdirs)
            {"dir": "init", "makefile": "init/Makefile",
             "built_in": [...] | null,   # built-in.a members (null: no built-in.a here)
             "lib": [...] | null,        # lib.a members (null: no lib.a)
             "modules": [{"object": "fs/x/x.o", "module": "fs/x/x.ko", "parts": [...]}],
             "modules_order": [...] | null,   # this directory's entries (*.o, sub/modules.order)
             "subdirs": [...]}],         # the directories descended from here
         "modules_order": [...]}     # modules.order as the kernel writes it (6.12: *.o)

    Paths are relative to the source tree; lists keep make's order."""
    from ..make import MakeError
    _, UserError = _errors()
    t = Tree(project, "objects", err)
    if start in (None, "", "."):
        start = "."
    else:
        start = t.tree_path(start, "directory")
        if not os.path.isdir(os.path.join(t.srctree, start)):
            raise UserError("%s: not a directory" % start)
    try:
        flags = (True, True) if start == "." else _descend_to(t, start)
        if flags is None:
            has_mk = any(os.path.isfile(os.path.join(t.srctree, start, f))
                         for f in ("Kbuild", "Makefile"))
            raise UserError("%s: %s" % (start, "no directory above descends into it with this "
                                        "configuration (nothing in it is built)" if has_mk else
                                        "has no Kbuild or Makefile (its objects are listed by a "
                                        "directory above)"))
        # Without remembered probe answers the walk waits on compilers: evaluating two
        # directories at a time lets one's probes run while the other is evaluated.
        tree = t.kt.walk(start, *flags, jobs=1 if t.cache.loaded else 2)
        order = t.kt.modules_order(tree, start)
    except MakeError as e:
        raise _make_error(e) from None
    finally:
        t.save()
    dirs = []
    for d in tree.values():
        dirs.append({
            "dir": d.dir,
            "makefile": t.rel(d.makefile) if d.makefile else None,
            "built_in": list(d.builtin) if d.need_builtin else None,
            "lib": list(d.lib) if d.has_lib else None,
            "modules": [{"object": m, "module": m[:-2] + ".ko", "parts": list(p)}
                        for m, p in d.modules.items()],
            "modules_order": list(d.order) if d.need_modorder else None,
            "subdirs": list(d.subdirs),
        })
    k = project.kernel
    return {"srctree": t.srctree, "objtree": str(project.objtree), "arch": k.arch,
            "srcarch": k.srcarch, "config": str(project.config_path), "start": start,
            "directories": dirs, "modules_order": order}


def _archive(d, name):
    return name if d == "." else "%s/%s" % (d, name)


def _short(d, paths):
    prefix = "" if d == "." else d + "/"
    return " ".join(p[len(prefix):] if prefix and p.startswith(prefix) else p for p in paths)


def format_objects(rec):
    out = []
    n_builtin = n_lib = 0
    n_modules = 0
    for d in rec["directories"]:
        dd = d["dir"]
        printed = False
        if d["built_in"] is not None:
            n_builtin += sum(1 for m in d["built_in"] if not m.endswith("/built-in.a"))
            out.append("%s: %s" % (_archive(dd, "built-in.a"), _short(dd, d["built_in"]) or "(empty)"))
            printed = True
        if d["lib"] is not None:
            n_lib += len(d["lib"])
            out.append("%s: %s" % (_archive(dd, "lib.a"), _short(dd, d["lib"]) or "(empty)"))
            printed = True
        for m in d["modules"]:
            n_modules += 1
            out.append("%s: %s" % (m["module"], _short(dd, m["parts"])))
            printed = True
        if not printed:
            out.append("%s/: %s" % (dd, "modules only (none selected)" if d["modules_order"] is not None
                                    else "nothing built"))
    order = rec["modules_order"]
    out.append("modules.order%s: %s" % ("" if rec["start"] == "." else " of " + rec["start"],
                                        " ".join(order) if order else "(empty)"))
    out.append("# %s, %s: %d directories descended, %d objects built in, %d in lib.a, %d modules"
               % (rec["arch"], rec["config"], len(rec["directories"]), n_builtin, n_lib, n_modules))
    return "\n".join(out) + "\n"


def objects_command(project, args, out, err):
    from .command import _parser
    p = _parser("objects")
    p.add_argument("dir", nargs="?", default=None, help="only this directory and below")
    if any(a in ("-h", "--help") for a in args):
        out.write(p.format_help())
        return 0
    a = p.parse_args(args)
    rec = objects(project, a.dir, err)
    if a.json:
        out.write(json.dumps(rec, indent=1) + "\n")
    else:
        out.write(format_objects(rec))
    return 0


# --------------------------------------------------------------------------
# kbuild which
# --------------------------------------------------------------------------

def _state(w, cfg):
    from ..make.which import evaluate_condition
    b = evaluate_condition(w.builtin_terms(), cfg)
    m = evaluate_condition(w.module_terms(), cfg)
    if b:
        return "built in"
    if m:
        return "in a module"
    if b is None or m is None:
        return "unknown (a condition kept as written)"
    return "not built"


def _abbrev(text, keys):
    """A long assignment shortened around the word that matters for the chain."""
    if len(text) <= _LONG_LINE:
        return text
    words = text.split()
    head = " ".join(words[:2])
    for w in words[2:]:
        if w.rstrip("/").rsplit("/", 1)[-1] in keys or w in keys:
            return "%s ... %s ..." % (head, w)
    return text[:_LONG_LINE - 4] + " ..."


def which_record(t, source):
    """which(), formatted for the front end: a JSON-ready dict."""
    from ..make import MakeError
    from ..make.which import which
    _, UserError = _errors()
    rel = t.tree_path(source, "file")
    if os.path.isdir(os.path.join(t.srctree, rel)):
        raise UserError("%s is a directory (kbuild objects %s lists what is built there)"
                        % (rel, rel))
    if not rel.endswith(SOURCE_SUFFIXES):
        raise UserError("%s: not a source file that Kbuild compiles (.c, .S, .rs)%s" % (
            rel, "; a header is built as part of the files that include it"
            if rel.endswith(".h") else ""))
    try:
        w = which(t.kt, rel)
    except MakeError as e:
        raise _make_error(e) from None
    finally:
        t.save()
    if not w.chains:
        raise UserError("%s: no Kbuild line puts %s into the kernel or a module (host "
                        "programs, generated and #included files are not covered)"
                        % (rel, os.path.basename(w.object)))
    keys = {os.path.basename(w.object)}
    for c in w.chains:
        for s in c:
            base = s.variable.rsplit("-", 1)[0]
            keys.add(base + ".o")
    keys |= set(rel.split("/")[:-1])
    chains = []
    for c in w.chains:
        chains.append([{"file": t.rel(s.file), "line": s.line, "text": s.text,
                        "short": _abbrev(s.text, keys), "variable": s.variable,
                        "built_in": _terms_json(s.builtin), "module": _terms_json(s.module)}
                       for s in c])
    cfg = t.config()
    return {"file": rel, "object": w.object, "built_in": w.builtin, "module": w.module,
            "now": _state(w, cfg), "chains": chains,
            "built_in_terms": w.builtin_terms(), "module_terms": w.module_terms(),
            "module_name": _module_name(w, t) if w.module != "n" else None}


def _terms_json(terms):
    """A step's terms: {"symbol": "E1000", "op": "=", "value": "y"}; op "?" for a test kept as
    written (in "symbol"), "false" for a step that never builds it that way."""
    return [{"symbol": s, "op": op, "value": v} for s, op, v in terms]


def _module_name(w, t):
    """The .ko the object goes into when built as a module: the composite object named by the
    line after the obj- line (in the directory's own Makefile), or the object itself."""
    c = w.chains[0]
    home = t.rel(c[-1].file)
    inner = [s for s in c if t.rel(s.file) == home]
    if len(inner) > 1:
        base = inner[1].variable.rsplit("-", 1)[0]
        d = os.path.dirname(home)
        return (base if d in ("", ".") else d + "/" + base) + ".ko"
    return w.object[:-2] + ".ko"


def format_chain(chain, indent="  "):
    width = max(len("%s:%s" % (s["file"], s["line"])) for s in chain)
    return ["%s%-*s  %s" % (indent, width, "%s:%s" % (s["file"], s["line"]), s["short"])
            for s in chain]


def format_which(rec):
    out = ["%s (object %s%s)" % (rec["file"], rec["object"], "; as a module: " + rec["module_name"]
                                 if rec["module_name"] else ""),
           "  built in when:     %s" % rec["built_in"],
           "  in a module when:  %s" % rec["module"],
           "  with this .config: %s" % rec["now"]]
    n = len(rec["chains"])
    for i, c in enumerate(rec["chains"]):
        out.append("Kbuild lines, from the top%s:" % (" (way %d of %d)" % (i + 1, n) if n > 1 else ""))
        out.extend(format_chain(c))
    return "\n".join(out) + "\n"


def _file_parser(cmd):
    from .command import _parser
    p = _parser(cmd)
    p.add_argument("file", help="a source file (.c, .S, .rs), relative to the source tree")
    return p


def _file_args(cmd, args, out):
    """The parsed arguments of ``cmd FILE``, or None when the help was asked for (and shown)."""
    p = _file_parser(cmd)
    if any(a in ("-h", "--help") for a in args):
        out.write(p.format_help())
        return None
    return p.parse_args(args)


def which_command(project, args, out, err):
    a = _file_args("which", args, out)
    if a is None:
        return 0
    t = Tree(project, "which", err)
    rec = which_record(t, a.file)
    if a.json:
        rec = {k: v for k, v in rec.items() if not k.endswith("_terms")}
        out.write(json.dumps(rec, indent=1) + "\n")
    else:
        out.write(format_which(rec))
    return 0


# --------------------------------------------------------------------------
# kbuild why FILE
# --------------------------------------------------------------------------

def _term_need(op, val):
    """The value ``why`` should explain for a term (SYM op val): SYM=val, SYM!=n (y is
    asked: built in needs it, and it is the value always open to a bool), SYM!=y (n)."""
    if op == "=":
        return val
    if op == "!=" and val == "n":
        return "y"
    return "n"


def _term_holds(value, op, val):
    return value == val if op == "=" else value != val


def why_file(project, args, out, err):
    a = _file_args("why", args, out)
    if a is None:
        return 0
    t = Tree(project, "why", err)
    rec = which_record(t, a.file)
    kc = project.load()
    ans = explain_file(kc, rec)
    if a.json:
        rec = {k: v for k, v in rec.items() if not k.endswith("_terms")}
        out.write(json.dumps(dict(rec, **ans), indent=1) + "\n")
    else:
        out.write(format_why_file(kc, rec, ans))
    return 0


def explain_file(kc, rec):
    """For the way (alternative chain) with the fewest unmet terms of the built-in condition
    (or of the module condition when the file cannot be built in): each term's symbol, its
    value, the value needed, and why() of the symbols not at it; a plan from fix_plan()."""
    from .why import fix_plan, why
    target = "built in"
    alts = rec["built_in_terms"]
    possible = [i for i, terms in enumerate(alts) if not any(tm[1] == "false" for tm in terms)]
    if not possible:
        target = "in a module"
        alts = rec["module_terms"]
        possible = [i for i, terms in enumerate(alts) if not any(tm[1] == "false" for tm in terms)]
    if not possible:
        return {"goal": None, "way": None, "terms": [], "plan": None, "holds": False}
    best = None
    for i in possible:
        checked = []
        for sym_name, op, val in alts[i]:
            item = {"symbol": sym_name, "op": op, "need": val}
            if op == "?":
                item.update(kind="unknown", holds=None)
            else:
                sym = kc.symbols.get(sym_name)
                if sym is None or not sym.menus:
                    item.update(kind="undefined", value="n", holds=_term_holds("n", op, val))
                else:
                    v = sym.str_value()
                    item.update(kind="symbol", value=v, holds=_term_holds(v, op, val))
            checked.append(item)
        unmet = sum(1 for c in checked if c["holds"] is False)
        if best is None or unmet < best[0]:
            best = (unmet, i, checked)
    _unmet, way, checked = best
    plan = []
    complete = True
    for item in checked:
        if item["holds"] is not False:
            continue
        if item["kind"] == "undefined":
            complete = False
            item["why"] = None
            continue
        sym = kc.symbols[item["symbol"]]
        want = _term_need(item["op"], item["need"])
        item["want"] = want
        r = why(kc, sym, want)
        item["why"] = r
        steps = fix_plan(r)
        if steps is None:
            complete = False
        else:
            for s in steps:
                if list(s) not in plan:
                    plan.append(list(s))
    holds = all(c["holds"] is not False for c in checked)
    return {"goal": target, "way": way, "terms": checked, "holds": holds,
            "plan": plan if complete else (plan or None), "plan_complete": complete}


def _term_text(item):
    if item["op"] == "?":
        return item["symbol"]
    if item["op"] == "!=" and item["need"] == "n":
        return "%s != n" % item["symbol"]
    return "%s%s%s" % (item["symbol"], "=" if item["op"] == "=" else "!=", item["need"])


def _tree_symbols(node, acc=None):
    """The symbols named anywhere in a why() answer tree."""
    if acc is None:
        acc = set()
    if node is not None:
        if node.get("symbol"):
            acc.add(node["symbol"])
        for k in node.get("children", ()):
            _tree_symbols(k, acc)
    return acc


def format_why_file(kc, rec, ans):
    from .why import format_why
    cond = rec["built_in"] if ans["goal"] == "built in" else rec["module"]
    out = ["%s is %s with this .config." % (rec["file"], rec["now"])]
    if ans["goal"] is None:
        out.append("No configuration builds it: every way to it has a condition that cannot hold.")
        out.append("Kbuild lines, from the top:")
        out.extend(format_chain(rec["chains"][0]))
        return "\n".join(out) + "\n"
    if ans["goal"] != "built in":
        out.append("It cannot be built in; it is built as a module when: %s" % cond)
    else:
        out.append("It is built in when: %s" % cond)
    n = len(rec["chains"])
    out.append("Kbuild lines, from the top%s:" % (" (way %d of %d, the one with the fewest "
                                                    "unmet conditions)" % (ans["way"] + 1, n)
                                                    if n > 1 else ""))
    out.extend(format_chain(rec["chains"][ans["way"]]))
    if ans["holds"]:
        out.append("Every condition holds: it is %s." % ans["goal"])
        return "\n".join(out) + "\n"
    unmet = [c for c in ans["terms"] if c["holds"] is False]
    unknown = [c for c in ans["terms"] if c["holds"] is None]
    out.append("Not met: %s" % ", ".join(
        "%s (it is %s)" % (_term_text(c), c.get("value", "?")) for c in unmet))
    for c in unknown:
        out.append("Kept as written (check it by hand): %s" % c["symbol"])
    for i, c in enumerate(unmet):
        out.append("")
        if c["kind"] == "undefined":
            out.append("%s: no Kconfig file defines %s for this ARCH, so it is never set."
                       % (_term_text(c), c["symbol"]))
            continue
        # an option further down the chain usually depends on the ones above it: its answer
        # covers theirs
        cover = next((d for d in reversed(unmet[i + 1:]) if d.get("why") and
                      c["symbol"] in _tree_symbols(d["why"].get("reason"))), None)
        if cover is not None:
            out.append("%s=%s: part of the answer for %s=%s below." % (
                c["symbol"], c["want"], cover["symbol"], cover["want"]))
            continue
        out.append("%s=%s:" % (c["symbol"], c["want"]))
        out.extend("  " + line for line in format_why(kc, c["why"]).rstrip("\n").split("\n"))
    out.append("")
    if ans["plan"]:
        out.append("One way: %s%s" % (", ".join("%s=%s" % tuple(s) for s in ans["plan"]),
                                      "" if ans["plan_complete"] else
                                      " (incomplete: some conditions have no way to hold)"))
        out.append("  (kbuild set %s)" % " ".join("%s=%s" % tuple(s) for s in ans["plan"]))
    else:
        out.append("No set of option changes found that meets the conditions.")
    return "\n".join(out) + "\n"
