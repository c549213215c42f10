"""``kbuild``: the command line for people.

Make-style: ``kbuild [-C DIR] [O=DIR] [VAR=value ...] TARGET ...`` runs configuration targets in a
Linux tree (or any project with a top-level Kconfig) and gives the same files as
``make [O=DIR] [VAR=value] TARGET``; ``kbuild find|show|why|diff ...`` answer questions about a
configuration.  Exit codes: 0 success, 1 user or input error, 2 usage error.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import sys
from pathlib import Path

from . import __version__
from .kconfig.model import tree_version

USAGE = """\
usage: kbuild [-C DIR] [-s] [O=DIR] [VAR=value ...] TARGET ...
       kbuild [-C DIR] [O=DIR] [VAR=value ...] find|show|why|diff ARGS ... [--json]
       kbuild [-C DIR] [O=DIR] [VAR=value ...] objects [DIR] | which FILE | why FILE [--json]
       kbuild --help [TARGET] | --version

Configuration targets (the results equal `make TARGET`):
  config          update the configuration with a line-oriented program
  menuconfig      the menu-driven front end (kbuild.ui)
  build [TARGET]  build with the kbuild build driver (kbuild.build)
  clean           remove what `kbuild build` made (the configuration stays)
  oldconfig       update .config, asking only about new options
  olddefconfig    update .config, new options get their defaults
  defconfig       the architecture's default configuration
  NAME_defconfig  arch/$SRCARCH/configs/NAME_defconfig
  savedefconfig   write the minimal configuration to ./defconfig
  allnoconfig allyesconfig allmodconfig alldefconfig randconfig
  yes2modconfig mod2yesconfig mod2noconfig
  listnewconfig   list options that .config does not set yet
  helpnewconfig   the same with their help texts
  syncconfig      update include/config/ and include/generated/ from .config
  tinyconfig      the smallest configuration (allnoconfig + tiny.config)
  localmodconfig  keep only the modules that are loaded now (`lsmod`, or LSMOD=file)
  localyesconfig  the same, with the loaded modules built in
  NAME.config     merge kernel/configs/NAME.config and arch/$SRCARCH/configs/NAME.config
                  into .config (like merge_config.sh), then olddefconfig

Questions:
  find PATTERN          symbols whose name matches the regex or whose prompt contains the text
  show SYMBOL           everything menuconfig's help shows, the value and where it comes from
  why SYMBOL [=y|m|n]   why SYMBOL is not at that value (default y) or not visible
  diff OLD NEW          the differences of two .config files (like scripts/diffconfig);
                        --explain gives the cause of each change

What the Kbuild files build with .config (a Linux tree; include/config/auto.conf is synced first):
  objects [DIR]         the members of every built-in.a and lib.a, each module with its parts,
                        modules.order and the directories descended (DIR: that subtree only)
  which FILE            the conditions (over CONFIG symbols) under which a source file is built
                        in or as a module, with the Kbuild lines from the top down to it
  why FILE              which FILE, plus `why` for each option that is not at the value needed

Edits of .config, through the dependency rules (every value that did not stick is reported):
  set SYMBOL=VALUE ...   enable SYMBOL ...   disable SYMBOL ...   module SYMBOL ...
  undefine SYMBOL ...    forget the values given (back to the defaults)
  genconfig --format header|make|cmake|json|json-menus [-o FILE]
                         the configuration for other build systems
  merge [-m -n -r -y -s -Q] BASE FRAGMENT...   scripts/kconfig/merge_config.sh, then the
                         values that did not stick are explained

Options: -C DIR (the source tree, default .), O=DIR (the build directory), ARCH=, CROSS_COMPILE=,
LLVM=, CC=, ... as for make; -s silent.  Outside a kernel tree, a kbuild.toml next to the top
Kconfig may give `kconfig = "Kconfig"`, `defconfig = "configs/defconfig"` and an [env] table.
"""

SIMPLE_TARGETS = ("oldconfig", "allnoconfig", "allyesconfig", "allmodconfig", "alldefconfig",
                  "randconfig", "listnewconfig", "olddefconfig", "syncconfig", "helpnewconfig",
                  "yes2modconfig", "mod2yesconfig", "mod2noconfig")
QUESTIONS = ("find", "show", "why", "diff", "set", "enable", "disable", "module", "undefine",
             "merge", "genconfig", "objects", "which")
TARGET_HELP = {
    "config": "update the configuration with a line-oriented program (conf)",
    "oldconfig": "update .config, asking only about options it does not set",
    "olddefconfig": "update .config; options it does not set get their defaults",
    "defconfig": "the architecture's default configuration (KBUILD_DEFCONFIG)",
    "savedefconfig": "write the minimal configuration that gives .config to ./defconfig",
    "allnoconfig": "answer no wherever possible (KCONFIG_ALLCONFIG may pin values)",
    "allyesconfig": "answer yes wherever possible",
    "allmodconfig": "answer mod wherever possible",
    "alldefconfig": "every option at its default",
    "randconfig": "random answers (KCONFIG_SEED, KCONFIG_PROBABILITY)",
    "listnewconfig": "list the options .config does not set yet",
    "helpnewconfig": "list the options .config does not set yet, with their help",
    "syncconfig": "update include/config/auto.conf and include/generated/autoconf.h",
    "tinyconfig": "the smallest kernel: allnoconfig with tiny-base.config, then tiny.config",
    "yes2modconfig": "turn y into m where possible",
    "localmodconfig": "disable the modules that are not loaded (lsmod, or LSMOD=file; LMC_KEEP)",
    "localyesconfig": "like localmodconfig, and build the loaded modules in",
    "mod2yesconfig": "turn m into y",
    "mod2noconfig": "turn m into n",
    "build": "kbuild build [V=1] [-j N] [-k] [CC=...] [TARGET ...]: build a project outside "
             "Linux from its Kbuild files with ninja (kbuild build help: the details)",
    "clean": "kbuild clean: remove what `kbuild build` made (kbuild build mrproper: the "
             "configuration too)",
    "find": "kbuild find PATTERN [--json]: where symbols are defined and where their menus are",
    "show": "kbuild show SYMBOL [--json]: menuconfig's help screen, the value and its origin",
    "why": "kbuild why SYMBOL [=y|m|n] [--json]: every unmet condition, down to options you can "
           "set; kbuild why FILE: what must change for a source file to be built in",
    "objects": "kbuild objects [DIR] [--json]: every built-in.a and lib.a with its members, each "
               "module with its parts, modules.order and the directories descended, for .config",
    "which": "kbuild which FILE [--json]: when a source file is built in and when as a module "
             "(Kconfig expressions), and the Kbuild lines from the top down to it",
    "diff": "kbuild diff OLD NEW [--explain] [--json]: changes between two configurations",
    "set": "kbuild set SYMBOL=VALUE ...: set values in .config as menuconfig would",
    "enable": "kbuild enable SYMBOL ...: set them to y (dependency-aware)",
    "disable": "kbuild disable SYMBOL ...: set them to n (dependency-aware)",
    "module": "kbuild module SYMBOL ...: set them to m (dependency-aware)",
    "undefine": "kbuild undefine SYMBOL ...: forget their values; they go back to their defaults",
    "genconfig": "kbuild genconfig --format header|make|cmake|json|json-menus [-o FILE]: the "
                 "configuration for other build systems",
    "merge": "kbuild merge [-m] [-n] [-r] [-y] [-s] [-Q] BASE FRAGMENT...: merge_config.sh "
             "(-m: merge only; -n: allnoconfig instead of alldefconfig; -y: no y->m; -s: strict; "
             "-r: list redundant; -Q: quiet)",
}


class UsageError(Exception):
    """Bad command line: exit code 2."""


class UserError(Exception):
    """Bad input (unknown symbol, missing file, ...): exit code 1."""


def did_you_mean(word, candidates, n=3):
    """' (did you mean: A, B?)' or ''."""
    close = difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.6)
    if not close and word.upper() != word:
        close = difflib.get_close_matches(word.upper(), list(candidates), n=n, cutoff=0.6)
    return " (did you mean: %s?)" % ", ".join(close) if close else ""


# --------------------------------------------------------------------------
# The project: a kernel tree or any Kconfig project
# --------------------------------------------------------------------------

class Project:
    """Where the sources are, where the build goes, and conf's environment."""

    def __init__(self, srcdir, objdir, variables, environ):
        from .kconfig import kernel
        self.variables = variables
        self.kernel = None
        srcdir = Path(srcdir).resolve()
        if kernel.is_kernel_tree(srcdir):
            try:
                self.kernel = kernel.kernel_setup(srcdir, objdir, variables, environ)
            except kernel.KernelTreeError as e:
                raise UserError(str(e)) from None
            self.srctree = self.kernel.srctree
            self.objtree = self.kernel.objtree
            self.kconfig = self.kernel.kconfig
            self.environ = self.kernel.environ
            return
        if not (srcdir / "Kconfig").is_file() and not (srcdir / "kbuild.toml").is_file():
            raise UserError("no Kconfig in %s (use -C DIR to name the project)" % srcdir)
        self.srctree = srcdir
        self.objtree = Path(objdir).resolve() if objdir else srcdir
        settings = {}
        toml = srcdir / "kbuild.toml"
        if toml.is_file():
            import tomllib
            try:
                settings = tomllib.loads(toml.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                raise UserError("%s: %s" % (toml, e)) from None
        self.kconfig = str(settings.get("kconfig", "Kconfig"))
        env = dict(os.environ if environ is None else environ)
        for k, v in dict(settings.get("env", {})).items():
            env.setdefault(str(k), str(v))
        env.update(variables)
        env["srctree"] = "." if self.objtree == self.srctree else str(self.srctree)
        env.setdefault("KCONFIG_CONFIG", ".config")
        defconfig = settings.get("defconfig")
        if defconfig and "KCONFIG_DEFCONFIG_LIST" not in env:
            env["KCONFIG_DEFCONFIG_LIST"] = str(defconfig)
        self.defconfig = defconfig
        self.environ = env

    def _shell_cache(self):
        """The remembered $(shell ...) answers for this tree and toolchain: (dict or None, path).

        The key covers the source tree, the variables the probes see (tool names, flags, PATH,
        ARCH, ...) and the identity of the tools (path, size, mtime), so a new compiler or
        another ARCH never gets old answers.  KBUILD_SHELL_CACHE=0 turns it off."""
        if self.environ.get("KBUILD_SHELL_CACHE", "1") == "0":
            return None, None
        import hashlib
        import shutil
        env = self.environ
        names = ("srctree", "ARCH", "SRCARCH", "SUBARCH", "HEADER_ARCH", "KERNELVERSION", "CC", "LD",
                 "AR", "NM", "OBJCOPY", "OBJDUMP", "READELF", "STRIP", "HOSTCC", "HOSTCXX",
                 "CLANG_FLAGS", "CC_VERSION_TEXT", "RUSTC", "RUSTC_VERSION_TEXT", "BINDGEN",
                 "PAHOLE", "PYTHON3", "PATH", "CROSS_COMPILE", "LLVM", "LLVM_IAS")
        # (the format: 2 since the probes run in this environment rather than kbuild's own;
        # answers remembered before may lack variables such as CC)
        key = ["2", str(self.srctree), str(self.objtree), self.kconfig]
        key += ["%s=%s" % (n, env.get(n)) for n in names]
        for n in ("CC", "LD", "AR", "NM", "OBJCOPY", "RUSTC", "BINDGEN", "PAHOLE", "PYTHON3", "HOSTCC"):
            tool = (env.get(n) or "").split()
            path = shutil.which(tool[-1], path=env.get("PATH")) if tool else None
            if path:
                st = os.stat(path)
                key.append("%s:%s:%d:%d" % (n, os.path.realpath(path), st.st_size, st.st_mtime_ns))
        digest = hashlib.sha256("\0".join(key).encode("utf-8", "surrogateescape")).hexdigest()[:24]
        base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(base) / "kbuild" / "shell" / (digest + ".json")
        try:
            return json.loads(path.read_text()), path
        except (OSError, ValueError):
            return {}, path

    @property
    def config_path(self):
        return self.objtree / self.environ.get("KCONFIG_CONFIG", ".config")

    def load(self, config=True, warnings=None):
        """Parse the Kconfig tree (cwd = build dir) and read .config; returns the Kconfig."""
        from .kconfig import KconfigError, load
        sink = warnings if warnings is not None else []
        cwd = os.getcwd()
        os.makedirs(self.objtree, exist_ok=True)
        os.chdir(self.objtree)
        cache, cache_file = self._shell_cache()
        env = self.environ
        before = None
        if cache_file is not None:
            before = len(cache)
            if cache:
                # the answers are remembered: no need to start the probes early
                env = dict(env, KBUILD_PREFETCH="0")
        try:
            kc = None
            if cache_file is not None:
                # the parsed tree of an earlier run, if nothing it read has changed
                from .kconfig import cache as tree_cache
                tree_file = cache_file.parent.parent / "tree" / (cache_file.stem + ".pickle")
                kc = tree_cache.restore(str(tree_file), env, sink.append, sink.append)
            if kc is None:
                said = []
                kc = load(self.kconfig, environ=env,
                          stdout=lambda s: (said.append(("stdout", s)), sink.append(s)),
                          stderr=lambda s: (said.append(("stderr", s)), sink.append(s)),
                          shell_cache=cache)
                if cache_file is not None:
                    if len(cache) != before:
                        _save_json(cache_file, cache)
                    tree_cache.store(kc, str(tree_file), said)
                kc.stdout = kc.stderr = sink.append
            if config is True:
                kc.read_config(None)
            elif config:
                kc.read_config(str(config))
        except KconfigError as e:
            raise UserError(str(e) or "the Kconfig files have errors") from None
        finally:
            os.chdir(cwd)
        return kc


# --------------------------------------------------------------------------
# Configuration targets
# --------------------------------------------------------------------------

def _save_json(path, data):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".%d.tmp" % os.getpid())
        tmp.write_text(json.dumps(data))
        os.replace(tmp, path)
    except OSError:
        pass        # a cache that cannot be written is no error


class Runner:
    def __init__(self, project, silent, out, err, stdin):
        self.p = project
        self.silent = silent
        self.out = out
        self.err = err
        self.stdin = stdin

    def echo(self, text):
        if not self.silent:
            self.out.write(text + "\n")

    def conf(self, args, extra_env=None):
        """Run kbuild-conf (the drop-in for scripts/kconfig/conf) in the build directory."""
        from .conf import main as conf_main
        env = dict(self.p.environ)
        if extra_env:
            env.update(extra_env)
        argv = ["scripts/kconfig/conf"] + (["-s"] if self.silent else []) + args + [self.p.kconfig]
        cwd = os.getcwd()
        os.chdir(self.p.objtree)
        try:
            self.out.flush()
            rc = conf_main(argv, env, self.stdin, self.out, self.err)
        finally:
            os.chdir(cwd)
        if rc:
            raise TargetFailed(rc)
        return rc

    def outputmakefile(self):
        """What the top Makefile does first in a separate build directory."""
        k = self.p.kernel
        if k is None or not k.building_out_of_srctree:
            return
        src = k.srctree
        if (src / ".config").exists() or (src / "include/config").is_dir() or \
                (src / "arch" / k.srcarch / "include/generated").is_dir():
            self.err.write("***\n*** The source tree is not clean, please run 'make%s mrproper'\n"
                           "*** in %s\n***\n" % (" ARCH=%s" % k.arch if "ARCH" in k.variables else "",
                                                 src))
            raise TargetFailed(2)
        obj = k.objtree
        obj.mkdir(parents=True, exist_ok=True)
        link = obj / "source"
        if link.is_symlink() or link.exists():
            if not (link.is_symlink() and os.readlink(link) == str(src)):
                link.unlink()
        if not link.is_symlink():
            os.symlink(str(src), link)
        self.echo("  GEN     Makefile")
        (obj / "Makefile").write_text("# Automatically generated by %s/Makefile: don't edit\n"
                                      "include %s/Makefile\n" % (src, src))
        if not (obj / ".gitignore").exists():
            (obj / ".gitignore").write_text("# this is build directory, ignore it\n*\n")

    def make(self, target):
        """`$(MAKE) -f $(srctree)/Makefile target`: every make run starts with outputmakefile."""
        if self.p.kernel is not None:
            self.outputmakefile()
        return self.run(target)

    def run(self, target):
        k = self.p.kernel
        if target == "config":
            return self.conf([])
        if target in SIMPLE_TARGETS:
            return self.conf(["--" + target])
        if target == "savedefconfig":
            return self.conf(["--savedefconfig=defconfig"])
        if target == "defconfig":
            if k is None:
                if not self.p.defconfig:
                    raise UserError("no default configuration: set `defconfig` in kbuild.toml")
                return self.conf(["--defconfig=%s" % self.p.defconfig])
            name = k.kbuild_defconfig
            if (k.srctree / "arch" / k.srcarch / "configs" / name).is_file():
                self.echo("*** Default configuration is based on '%s'" % name)
                return self.conf(["--defconfig=arch/%s/configs/%s" % (k.srcarch, name)])
            self.echo("*** Default configuration is based on target '%s'" % name)
            return self.make(name)
        if target in ("localmodconfig", "localyesconfig") and k is not None:
            return self.localconfig(target)
        if target == "tinyconfig" and k is not None:
            self.outputmakefile()
            self.conf(["--allnoconfig"], {"KCONFIG_ALLCONFIG": "kernel/configs/tiny-base.config"})
            return self.make("tiny.config")
        if target.endswith("_defconfig"):
            if k is None:
                path = self.p.srctree / "configs" / target
                if not path.is_file():
                    raise UserError("no %s in %s" % (target, path.parent))
                return self.conf(["--defconfig=%s" % path])
            if (k.srctree / "arch" / k.srcarch / "configs" / target).is_file():
                return self.conf(["--defconfig=arch/%s/configs/%s" % (k.srcarch, target)])
            merged = arch_merge_defconfig(k, target)
            if merged is None:
                raise UserError("no %s for ARCH=%s%s" % (target, k.arch, did_you_mean(
                    target, _kernel_targets(k))))
            base, frags = merged
            self.merge(base, frags, output=True)
            return self.make("olddefconfig")
        if target.endswith(".config") and k is not None:
            from .kconfig.kernel import config_fragments
            frags = config_fragments(k, target)
            if not frags:
                raise UserError("%s fragment does not exists on this architecture%s"
                                % (target, did_you_mean(target, _kernel_targets(k))))
            self.merge(self.p.environ.get("KCONFIG_CONFIG", ".config"), frags)
            return self.make("olddefconfig")
        raise UsageError("unknown target '%s'%s" % (target, did_you_mean(
            target, _kernel_targets(k) if k else SIMPLE_TARGETS + QUESTIONS)))

    def localconfig(self, target):
        """localmodconfig/localyesconfig: the tree's streamline_config.pl (run with perl, as make
        does) picks the options of the loaded modules (`lsmod`, or LSMOD=file), then oldconfig."""
        import filecmp
        import subprocess
        k = self.p.kernel
        env = dict(self.p.environ)
        script = k.srctree / "scripts" / "kconfig" / "streamline_config.pl"
        perl = env.get("PERL") or "perl"
        cwd = os.getcwd()
        os.chdir(self.p.objtree)
        try:
            self.out.flush()
            with open(".tmp.config", "wb") as tmp:
                r = subprocess.run([perl, str(script), "--" + target, env["srctree"], self.p.kconfig],
                                   stdout=tmp, stderr=subprocess.PIPE, env=env, stdin=subprocess.DEVNULL)
            self.err.write(r.stderr.decode("utf-8", "replace"))
            if r.returncode != 0:
                os.unlink(".tmp.config")
                raise TargetFailed(r.returncode)
            config = self.p.environ.get("KCONFIG_CONFIG", ".config")
            if os.path.isfile(config):
                if not filecmp.cmp(".tmp.config", config, shallow=False):
                    os.replace(config, ".config.old.1")
                    os.replace(".tmp.config", config)
                    self.conf(["--oldconfig"])
                    os.replace(".config.old.1", ".config.old")
            else:
                os.replace(".tmp.config", config)
                self.conf(["--oldconfig"])
            if os.path.exists(".tmp.config"):
                os.unlink(".tmp.config")
        finally:
            os.chdir(cwd)
        return 0

    def merge_command(self, args):
        """kbuild merge [-m] [-n] [-r] [-y] [-s] [-Q] BASE FRAGMENT...: merge_config.sh, run in the
        build directory; then the values that did not stick are explained."""
        opts = {"-m": False, "-n": False, "-r": False, "-y": False, "-s": False, "-Q": False}
        files = []
        for a in args:
            if a in opts:
                opts[a] = True
            elif a.startswith("-"):
                raise UsageError("merge: unknown option '%s' (options: -m -n -r -y -s -Q)" % a)
            else:
                files.append(a)
        if len(files) < 2:
            raise UsageError("merge: give a base file and at least one fragment")
        config = self.p.environ.get("KCONFIG_CONFIG", ".config")
        # like the script: file names as given, taken in the current directory
        text = merge_fragments(files[0], files[1:], self.out, self.err,
                               warn_override=not opts["-Q"], builtin=opts["-y"],
                               redundant=opts["-r"], strict=opts["-s"])
        cwd = os.getcwd()
        os.makedirs(self.p.objtree, exist_ok=True)
        os.chdir(self.p.objtree)
        try:
            if opts["-m"]:
                with open(config, "wb") as f:
                    f.write(text.encode("utf-8", "surrogateescape"))
                self.out.write("#\n# merged configuration written to %s (needs make)\n#\n" % config)
                return 0
            import tempfile
            fd, tmpname = tempfile.mkstemp(prefix=".tmp.config.", dir=".")
            tmpname = "./" + os.path.basename(tmpname)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(text.encode("utf-8", "surrogateescape"))
                if self.p.kernel is not None:
                    self.outputmakefile()        # the script runs make
                self.conf(["--allnoconfig" if opts["-n"] else "--alldefconfig"],
                          {"KCONFIG_ALLCONFIG": tmpname})
                missed = check_merged(text, config, self.out)
            finally:
                os.unlink(tmpname)
        finally:
            os.chdir(cwd)
        if missed:
            from .explain.why import why
            kc = self.p.load()
            for cfg in missed:
                sym = kc.symbols.get(cfg[7:])
                if sym is None or not sym.menus:
                    self.err.write("kbuild: %s is not defined by the Kconfig files\n" % cfg)
                    continue
                want = [ln for ln in text.split("\n") if _word(cfg).search(ln)][-1:]
                want = "n" if want and want[0].startswith("#") else (want[0].split("=", 1)[1] if want else "y")
                if want in ("y", "m", "n"):
                    rec = why(kc, sym, want)
                    if rec["settable"]:
                        self.err.write("kbuild: %s=%s needs a change in: %s (see `kbuild why %s=%s`)\n"
                                       % (cfg[7:], want, ", ".join(rec["settable"]), cfg[7:], want))
        return 0

    def merge(self, base, fragments, output=False):
        """scripts/kconfig/merge_config.sh -m [-O objtree] BASE FRAGMENTS... (run in the build dir)."""
        cwd = os.getcwd()
        os.chdir(self.p.objtree)
        try:
            # under make -s, Kbuild's cmd sinks the script's stdout (silent_log_print); the
            # Makefiles before 6.11 ran the script bare (checked on 6.1)
            version = tree_version(self.p.environ)
            quiet = self.silent and (version is None or version >= (6, 11))
            merge_config(str(base), [str(f) for f in fragments],
                         self.p.environ.get("KCONFIG_CONFIG", ".config"),
                         io.StringIO() if quiet else self.out, self.err)
        finally:
            os.chdir(cwd)


class TargetFailed(Exception):
    def __init__(self, status):
        super().__init__(status)
        self.status = status


_CFG_EXP1 = re.compile(r"^(CONFIG_[a-zA-Z0-9_]*)=")
_CFG_EXP2 = re.compile(r"^# (CONFIG_[a-zA-Z0-9_]*) is not set$")


def _cfg_names(text):
    out = []
    for line in text.split("\n"):
        m = _CFG_EXP1.match(line) or _CFG_EXP2.match(line)
        if m:
            out.append(m.group(1))
    return out


def _word(cfg):
    """grep -w CFG"""
    return re.compile(r"(?<![A-Za-z0-9_])%s(?![A-Za-z0-9_])" % re.escape(cfg))


def merge_fragments(initfile, fragments, out, err, warn_override=True, builtin=False,
                    redundant=False, strict=False):
    """The merge of scripts/kconfig/merge_config.sh: the base file, then each fragment, where a
    fragment's CONFIG_X line replaces every earlier line that mentions CONFIG_X (with -y, an m
    does not replace a y).  Prints the script's messages; returns the merged text.
    (The prefix is always CONFIG_: make unexports CONFIG_, the script's way to change it.)"""
    if not os.access(initfile, os.R_OK):
        err.write("The base file '%s' does not exist. Creating one...\n" % initfile)
        open(initfile, "a").close()
    with open(initfile, "rb") as f:
        tmp = f.read().decode("utf-8", "surrogateescape")
    out.write("Using %s as base\n" % initfile)

    def echo(*words):
        if warn_override:
            out.write(" ".join(w for part in words for w in part.split()) + "\n")

    strict_violated = False
    for frag in fragments:
        out.write("Merging %s\n" % frag)
        if not os.access(frag, os.R_OK):
            err.write("The merge file '%s' does not exist.  Exit.\n" % frag)
            raise TargetFailed(1)
        with open(frag, "rb") as f:
            merge = f.read().decode("utf-8", "surrogateescape")
        for cfg in _cfg_names(merge):
            word = _word(cfg)
            tmp_lines = tmp.split("\n")
            prev = [ln for ln in tmp_lines if word.search(ln)]
            if not prev:
                continue
            new = [ln for ln in merge.split("\n") if word.search(ln)]
            prev_text, new_text = "\n".join(prev), "\n".join(new)
            keep_prev = False
            if builtin and new_text.split("=", 1)[-1] == "m" and prev_text.split("=", 1)[-1] == "y":
                echo("Previous  value:", " ".join(prev))
                echo("New value:      ", " ".join(new))
                echo("-y passed, will not demote y to m")
                echo("")
                keep_prev = True
            elif prev_text != new_text:
                echo("Value of", cfg, "is redefined by fragment", frag + ":")
                echo("Previous  value:", " ".join(prev))
                echo("New value:      ", " ".join(new))
                echo("")
                if strict:
                    strict_violated = True
            elif redundant:
                echo("Value of", cfg, "is redundant by fragment", frag + ":")
            dele = re.compile(re.escape(cfg) + "[ =]")
            if keep_prev:
                merge = "\n".join(ln for ln in merge.split("\n") if not dele.search(ln))
            else:
                tmp = "\n".join(ln for ln in tmp_lines if not dele.search(ln))
        tmp += "\n" + merge
    if strict_violated:
        out.write("The fragment redefined a value and strict mode had been passed.\n")
        raise TargetFailed(1)
    return tmp


def merge_config(initfile, fragments, kconfig_config, out, err, **options):
    """merge_config.sh -m: merge and write the result to KCONFIG_CONFIG."""
    text = merge_fragments(initfile, fragments, out, err, **options)
    with open(kconfig_config, "wb") as f:
        f.write(text.encode("utf-8", "surrogateescape"))
    out.write("#\n# merged configuration written to %s (needs make)\n#\n" % kconfig_config)


def check_merged(requested_text, config_path, out):
    """merge_config.sh's last step: every requested value must be in the final .config.
    Returns the names that are not."""
    with open(config_path, encoding="utf-8", errors="surrogateescape") as f:
        final = f.read().split("\n")
    req_lines = requested_text.split("\n")
    missed = []
    for cfg in _cfg_names(requested_text):
        word = _word(cfg)
        requested = "\n".join(ln for ln in req_lines if word.search(ln))
        actual = "\n".join(ln for ln in final if word.search(ln))
        if requested != actual:
            out.write("Value requested for %s not in final .config\n" % cfg)
            out.write("Requested value:  %s\n" % " ".join(requested.split()))
            out.write("Actual value:     %s\n" % " ".join(actual.split()))
            out.write("\n")
            missed.append(cfg)
    return missed


def arch_merge_defconfig(k, target):
    """A defconfig target that arch/$(SRCARCH)/Makefile makes with merge_into_defconfig:
    (base defconfig path, fragment paths) or None."""
    mk = k.srctree / "arch" / k.srcarch / "Makefile"
    try:
        text = mk.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return None
    m = re.search(r"^%s:\s*\n\s*\$\(call merge_into_defconfig(?:_override)?,([^,)]+),([^)]*)\)"
                  % re.escape(target), text, re.M)
    if not m:
        return None
    configs = k.srctree / "arch" / k.arch / "configs"
    base = configs / m.group(1).strip()
    frags = [configs / (f + ".config") for f in m.group(2).split()]
    return base, frags


def _kernel_targets(k):
    from .kconfig.kernel import all_config_fragments, named_defconfigs
    return (("config", "defconfig", "savedefconfig", "tinyconfig", "localmodconfig",
             "localyesconfig") + SIMPLE_TARGETS + QUESTIONS
            + tuple(named_defconfigs(k)) + tuple(all_config_fragments(k)))


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

_VAR_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)


def parse_command_line(argv):
    """(srcdir, variables, silent, words): make-style options, VAR=value and the rest."""
    srcdir = None
    variables = {}
    silent = False
    words = []
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if words and words[0] in QUESTIONS:
            words.append(a)
            continue
        if a == "-C":
            if i >= len(argv):
                raise UsageError("option -C needs a directory")
            srcdir = argv[i]
            i += 1
        elif a.startswith("-C") and len(a) > 2:
            srcdir = a[2:]
        elif a in ("-s", "--silent", "--quiet"):
            silent = True
        elif re.fullmatch(r"-j\d*|--jobs(=\d+)?|-k|--keep-going|--no-print-directory|-w", a):
            # make options that change nothing here (kbuild runs targets in order)
            if a in ("-j", "--jobs") and i < len(argv) and argv[i].isdigit():
                i += 1
        elif _VAR_RE.match(a):
            k, v = _VAR_RE.match(a).groups()
            variables[k] = v
        elif a.startswith("-") and not words:
            raise UsageError("unknown option '%s' (try: kbuild --help)" % a)
        else:
            words.append(a)
    return srcdir, variables, silent, words


def main(argv=None, environ=None, stdin=None, stdout=None, stderr=None):
    """Entry point of ``kbuild``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        return _main(argv, environ, stdin or sys.stdin, out, err)
    except UsageError as e:
        err.write("kbuild: %s\n" % e)
        return 2
    except UserError as e:
        err.write("kbuild: %s\n" % e)
        return 1
    except TargetFailed as e:
        return 1 if e.status else 0
    except KeyboardInterrupt:
        err.write("\nInterrupted.\n")
        return 130
    except BrokenPipeError:
        return 1
    except OSError as e:
        err.write("kbuild: %s: %s\n" % (e.filename or "", e.strerror))
        return 1
    finally:
        try:
            out.flush()
        except (OSError, ValueError):
            pass


def _main(argv, environ, stdin, out, err):
    if not argv:
        err.write(USAGE)
        return 2
    if argv[0] in ("-h", "--help", "help"):
        if len(argv) > 1:
            t = argv[1]
            text = TARGET_HELP.get(t)
            if text is None and t.endswith("_defconfig"):
                text = "the default configuration arch/$SRCARCH/configs/%s" % t
            if text is None and t.endswith(".config"):
                text = "merge the fragment %s into .config, then olddefconfig" % t
            if text is None:
                raise UsageError("no help for '%s'%s" % (t, did_you_mean(
                    t, list(TARGET_HELP))))
            out.write("%s: %s\n" % (t, text))
            return 0
        out.write(USAGE)
        return 0
    if argv[0] == "--version":
        out.write("kbuild %s\n" % __version__)
        return 0
    if argv[0] == "conf":
        from .conf import main as conf_main
        return conf_main(["kbuild conf"] + argv[1:])
    if argv[0] == "completion":
        if argv[1:] != ["bash"]:
            raise UsageError("completion: only 'bash' is supported (kbuild completion bash)")
        out.write(BASH_COMPLETION)
        return 0
    if argv[0] == "__complete":
        return _complete(argv[1:], environ, out)
    srcdir, variables, silent, words = parse_command_line(argv)
    if not words:
        raise UsageError("no target (try: kbuild --help)")
    # the other front ends: menuconfig (kbuild.ui) and the build driver (kbuild.build)
    if words in (["menuconfig"], ["nconfig"]):
        from .ui.app import main as ui_main
        return ui_main(argv, environ)
    if words[0] in ("build", "clean"):
        from .build.driver import main as build_main
        i = argv.index(words[0])
        rest = argv[:i] + argv[i + 1:]
        if words[0] == "clean":
            rest.append("clean")
        return build_main(rest, environ, out, err)
    if "--help" in words[1:] or "-h" in words[1:]:
        return _main(["--help", words[0]], environ, stdin, out, err)
    objdir = variables.pop("O", None)
    env = dict(os.environ if environ is None else environ)
    if objdir is None and env.get("KBUILD_OUTPUT"):
        objdir = env["KBUILD_OUTPUT"]
    base = Path(srcdir) if srcdir else Path.cwd()
    if objdir is not None:
        objdir = Path(objdir)
        if not objdir.is_absolute():
            objdir = base / objdir      # make changes into the -C directory first
    if srcdir is not None and not base.is_dir():
        raise UserError("-C %s: no such directory" % srcdir)
    project = Project(base, objdir, variables, env)
    if words[0] == "merge":
        return Runner(project, silent, out, err, stdin).merge_command(words[1:])
    if words[0] in QUESTIONS:
        from .explain import command
        return command.run(project, words[0], words[1:], out, err)
    runner = Runner(project, silent, out, err, stdin)
    # check every target before running any (as make knows its rules up front)
    for t in words:
        if t in QUESTIONS:
            raise UsageError("'%s' must come first (kbuild %s ...)" % (t, t))
    os.makedirs(project.objtree, exist_ok=True)
    for t in words:
        runner.make(t)
    return 0


BASH_COMPLETION = r"""# kbuild bash completion: eval "$(kbuild completion bash)"
_kbuild() {
    local line=${COMP_LINE:0:COMP_POINT} cur=""
    local -a words
    read -ra words <<< "$line"
    if [[ $line != *" " ]]; then cur=${words[-1]}; unset 'words[-1]'; fi
    COMPREPLY=($(kbuild __complete "${words[@]:1}" -- "$cur" 2>/dev/null))
}
complete -o default -F _kbuild kbuild
"""

_SYMBOL_COMMANDS = ("find", "show", "why", "set", "enable", "disable", "module", "undefine")


def _complete(args, environ, out):
    """Candidates for the word being typed: targets and commands, or symbol names after a
    command that takes them (the names are remembered per tree, ARCH and toolchain)."""
    if "--" in args:
        i = args.index("--")
        words, cur = args[:i], (args[i + 1] if len(args) > i + 1 else "")
    else:
        words, cur = args, ""
    try:
        srcdir, variables, _, rest = parse_command_line(words)
    except UsageError:
        return 1
    env = dict(os.environ if environ is None else environ)
    base = Path(srcdir) if srcdir else Path.cwd()
    objdir = variables.pop("O", None)
    try:
        project = Project(base, (base / objdir) if objdir else None, variables, env)
    except UserError:
        return 1
    if rest and rest[0] in _SYMBOL_COMMANDS:
        names = _symbol_names(project)
        prefix = cur.removeprefix("CONFIG_")
        if rest[0] == "set" and "=" in prefix:
            return 0
        out.write("".join(n + ("=" if rest[0] == "set" else "") + "\n"
                          for n in names if n.startswith(prefix.upper())))
        return 0
    if rest and rest[0] in QUESTIONS:
        return 0
    cands = list(SIMPLE_TARGETS) + ["config", "defconfig", "savedefconfig", "tinyconfig",
                                    "completion"] + list(QUESTIONS)
    if project.kernel is not None:
        cands += _kernel_targets(project.kernel)
    out.write("".join(c + "\n" for c in sorted(set(cands)) if c.startswith(cur)))
    return 0


def _symbol_names(project):
    cache, path = project._shell_cache()
    listing = path.with_suffix(".symbols") if path is not None else None
    if listing is not None:
        try:
            return listing.read_text().split()
        except OSError:
            pass
    kc = project.load(config=False)
    names = sorted(n for n, s in kc.symbols.items() if s.menus)
    if listing is not None:
        try:
            listing.write_text("\n".join(names) + "\n")
        except OSError:
            pass
    return names


if __name__ == "__main__":
    sys.exit(main())
