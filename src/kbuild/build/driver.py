"""``kbuild build``: configure-if-needed, write build.ninja, run ninja.

Make-style command line (``python -m kbuild.build`` or ``kbuild build``)::

    kbuild build [-C SRCDIR] [O=DIR] [V=1] [-s] [-j N] [-k] [VAR=value ...] [TARGET ...]

Targets: ``all`` (default: the image and the modules), ``modules``, ``clean``
(what the build made), ``mrproper`` (``clean`` plus the configuration and
everything generated), ``compile_commands.json``, or any output path
(``init/main.o``).  ``VAR=value`` (``CC=clang``, ``CROSS_COMPILE=...``,
``KBUILD_CFLAGS=...``) are make command-line variables for the Kbuild files;
``CROSS_COMPILE`` and ``KCFLAGS`` (added to ``KBUILD_CFLAGS``) are also taken from
the environment, as the kernel does.  ``KBUILD_LAUNCHER=ccache|distcc|icecc|sccache``
(or ``CC="ccache gcc"``) runs the compiles through a launcher without changing
their command lines (turning it on or off rebuilds nothing); with distcc or icecc
the default ``-j`` is four times the local processors.

Steps, each skipped when up to date:

1. syncconfig (through ``kbuild-conf``) when ``include/config/auto.conf`` is
   missing or older than ``.config`` or a Kconfig file it was made from;
2. ``build.ninja`` when it is missing or was made with other variables or
   directories (ninja itself regenerates it when a Kbuild file or auto.conf
   changes: see :mod:`kbuild.build.ninja`);
3. ninja, in the build directory, with kernel-style quiet lines.

Exit codes: 0 success, 1 build or input error (``file:line: error: ...``), 2 usage.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from .errors import BuildError

__all__ = ["main", "ninja_binary", "generate", "syncconfig_if_needed"]

LAUNCHERS = ("ccache", "distcc", "icecc", "sccache")
DISTRIBUTED = ("distcc", "icecc")

_VAR = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)


class UsageError(Exception):
    pass


def ninja_binary() -> str:
    """The ninja of the ``ninja`` package (PyPI), else one on PATH.

    The package installs it next to the interpreter (a venv's bin/): looked for there
    first, as importing the package costs more than the rest of a no-op build's Python."""
    here = os.path.join(os.path.dirname(sys.executable), "ninja")
    if os.path.isfile(here) and os.access(here, os.X_OK):
        return here
    try:
        import ninja  # type: ignore
        path = os.path.join(ninja.BIN_DIR, "ninja")
        if os.path.exists(path):
            return path
    except ImportError:
        pass
    import shutil
    found = shutil.which("ninja")
    if found is None:
        raise BuildError("ninja not found: pip install ninja")
    return found


def _is_kernel_tree(path: str) -> bool:
    """kconfig.kernel.is_kernel_tree() without importing the Kconfig engine (a no-op build
    starts in well under 0.1 s; that import alone takes about 60 ms)."""
    j = os.path.join
    return os.path.isfile(j(path, "Makefile")) and os.path.isfile(j(path, "Kconfig")) and \
        os.path.isdir(j(path, "arch")) and os.path.isdir(j(path, "scripts", "kconfig"))


def _mtime(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _kconfig_deps(cmd_file: str) -> list[str]:
    try:
        with open(cmd_file, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return []
    m = re.search(r"deps_config := \\\n((?:\t.*\\\n)*)", text)
    if not m:
        return []
    return [line.strip().rstrip("\\").strip() for line in m.group(1).splitlines()
            if line.strip().rstrip("\\").strip()]


def syncconfig_if_needed(srctree: str, objtree: str, environ: dict, out, err) -> bool:
    """Run syncconfig as the kernel's top Makefile does; True if it ran."""
    config = os.path.join(objtree, environ.get("KCONFIG_CONFIG", ".config"))
    autoconf = os.path.join(objtree, "include/config/auto.conf")
    c = _mtime(config)
    if c is None:
        raise BuildError("no configuration: run `kbuild -C %s%s defconfig` (or another "
                         "configuration target) first" % (
                             srctree, "" if objtree == srctree else " O=" + objtree), config)
    a = _mtime(autoconf)
    stale = a is None or c > a
    if not stale:
        for dep in _kconfig_deps(autoconf + ".cmd"):
            m = _mtime(os.path.join(srctree, dep))
            if m is None or m > a:
                stale = True
                break
    if not stale:
        return False
    from ..conf import main as conf_main
    env = dict(environ)
    env["srctree"] = "." if srctree == objtree else srctree
    cwd = os.getcwd()
    os.chdir(objtree)
    try:
        out.flush()
        rc = conf_main(["scripts/kconfig/conf", "--syncconfig", _kconfig_name(srctree)], env,
                       sys.stdin, out, err)
    finally:
        os.chdir(cwd)
    if rc:
        raise BuildError("syncconfig failed")
    return True


def _kconfig_name(srctree: str) -> str:
    """The top Kconfig file: ``kconfig`` in kbuild.toml (as for the kbuild CLI), else Kconfig."""
    toml = os.path.join(srctree, "kbuild.toml")
    if os.path.isfile(toml):
        import tomllib
        try:
            with open(toml, "rb") as f:
                return str(tomllib.load(f).get("kconfig", "Kconfig"))
        except (OSError, ValueError) as e:
            raise BuildError(str(e), toml) from None
    return "Kconfig"


def regen_command(srctree: str, objtree: str, variables: dict) -> list[str]:
    return [sys.executable, "-m", "kbuild.build", "--regen", "-C", srctree, "O=" + objtree] + \
        ["%s=%s" % kv for kv in sorted(variables.items())]


STATE = ".kbuild/build.json"


def _interpreter() -> str:
    """The interpreter, the same for a venv's ``python`` and ``python3`` (the ``kbuild``
    script runs one, ``python -m kbuild.build`` often the other): its directory and the
    binary it resolves to."""
    exe = os.path.abspath(sys.executable)
    return os.path.join(os.path.dirname(exe), os.path.basename(os.path.realpath(exe)))


def _key(srctree: str, objtree: str, variables: dict) -> dict:
    return {"srctree": srctree, "objtree": objtree, "variables": variables,
            "python": _interpreter()}


def generate(srctree: str, objtree: str, variables: dict, environ: dict | None = None):
    """Evaluate the Kbuild files and write build.ninja (and modules.order,
    compile_commands.json, .kbuild/build.json: what it was made from); returns the Project.

    build.ninja gets the current time even when its text is the same, so that it is
    newer than what it was made from (for ninja's generator edge and for this driver)."""
    from .graph import load_project
    from .ninja import regen_inputs, write_ninja
    from .check import check_symbols, kconfig_symbols
    proj = load_project(srctree, objtree, variables, environ)
    check_symbols(proj.kbuild_files, kconfig_symbols(srctree, objtree, _kconfig_name(srctree),
                                                     environ))
    write_ninja(proj, regen_command(srctree, objtree, variables))
    state = dict(_key(srctree, objtree, variables), inputs=regen_inputs(proj),
                 clean_files=proj.clean_files)
    path = os.path.join(objtree, STATE)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(state, f, sort_keys=True)
    os.replace(tmp, path)
    os.utime(os.path.join(objtree, "build.ninja"))
    return proj


def _needs_generate(srctree: str, objtree: str, variables: dict) -> bool:
    """build.ninja is missing, was made with other settings, or is older than a Kbuild
    file, auto.conf or the code that writes it (ninja would notice that too, but here the
    errors come without ninja's FAILED lines and with one interpreter start less)."""
    made = _mtime(os.path.join(objtree, "build.ninja"))
    if made is None:
        return True
    try:
        with open(os.path.join(objtree, STATE), encoding="utf-8") as f:
            state = json.load(f)
    except (OSError, ValueError):
        return True
    inputs = state.pop("inputs", [])
    state.pop("clean_files", None)
    if state != _key(srctree, objtree, variables):
        return True
    for path in inputs:
        m = _mtime(os.path.join(objtree, path))
        if m is None or m > made:
            return True
    return False


def parse_args(argv: list[str]):
    srcdir = None
    variables: dict[str, str] = {}
    jobs = None
    keep_going = False
    regen = False
    targets = []
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--regen":
            regen = True
        elif a == "-C":
            if i >= len(argv):
                raise UsageError("option -C needs a directory")
            srcdir = argv[i]
            i += 1
        elif a.startswith("-C"):
            srcdir = a[2:]
        elif a in ("-j", "--jobs"):
            if i < len(argv) and argv[i].isdigit():
                jobs = int(argv[i])
                i += 1
            else:
                jobs = 0
        elif re.fullmatch(r"-j\d+|--jobs=\d+", a):
            jobs = int(re.sub(r"\D", "", a))
        elif a in ("-k", "--keep-going"):
            keep_going = True
        elif _VAR.match(a):
            k, v = _VAR.match(a).groups()
            variables[k] = v
        elif a in ("-s", "--silent", "--quiet"):
            variables["V"] = "s"
        elif a in ("-w", "--no-print-directory"):
            pass                # make options that change nothing here
        elif a == "--help":
            targets.append("help")
        elif a.startswith("-"):
            raise UsageError("unknown option '%s'" % a)
        else:
            targets.append(a)
    return srcdir, variables, jobs, keep_going, regen, targets


def main(argv=None, environ=None, stdout=None, stderr=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        return _main(argv, dict(os.environ if environ is None else environ), out, err)
    except UsageError as e:
        err.write("kbuild build: %s\n" % e)
        return 2
    except BuildError as e:
        if e.file is None:
            err.write("kbuild build: error: %s\n" % e.message)
        else:
            loc = e.file if e.line is None else "%s:%d" % (e.file, e.line)
            err.write("%s: error: %s\n" % (loc, e.message))
        return 1


def _main(argv, environ, out, err) -> int:
    srcdir, variables, jobs, keep_going, regen, targets = parse_args(argv)
    srctree = os.path.abspath(srcdir or ".")
    objdir = variables.pop("O", None) or environ.get("KBUILD_OUTPUT")
    objtree = os.path.abspath(os.path.join(srctree, objdir)) if objdir else srctree
    verbose = variables.pop("V", "0")
    # the environment variables the kernel's top Makefile takes (command line wins)
    for name in ("CROSS_COMPILE", "KCFLAGS"):
        if name not in variables and environ.get(name):
            variables[name] = environ[name]
    # a compiler launcher: KBUILD_LAUNCHER=ccache, or CC="ccache gcc"; kept out of the
    # commands ninja compares (see kbuild.build.ninja)
    launcher = variables.pop("KBUILD_LAUNCHER", environ.get("KBUILD_LAUNCHER", ""))
    cc = variables.get("CC", "").split()
    if len(cc) > 1 and os.path.basename(cc[0]) in LAUNCHERS:
        launcher = cc[0]
        variables["CC"] = " ".join(cc[1:])
    environ = dict(environ, KBUILD_LAUNCHER=launcher)
    if jobs is None and os.path.basename(launcher.split()[0] if launcher else "") in DISTRIBUTED:
        jobs = 4 * (os.cpu_count() or 1)     # the compiles run elsewhere
    if "help" in targets or "--help" in argv:
        out.write(__doc__.split("Steps,")[0].split("\n\n", 1)[1])
        return 0
    if regen:
        generate(srctree, objtree, variables, environ)
        return 0
    if not os.path.isdir(srctree):
        raise UsageError("-C %s: no such directory" % srcdir)
    if _is_kernel_tree(srctree):
        raise UsageError("%s is a Linux tree: kbuild build is for projects outside Linux "
                         "(build the kernel with make)" % srctree)
    os.makedirs(objtree, exist_ok=True)
    if targets == ["mrproper"] or targets == ["distclean"]:
        return _mrproper(objtree, out)
    if "clean" in targets:
        if os.path.exists(os.path.join(objtree, "build.ninja")):
            rc = _ninja(objtree, ["-t", "clean"], environ, out)
            if rc:
                return rc
        _remove_clean_files(objtree)
        targets = [t for t in targets if t != "clean"]
        if not targets:
            return 0
    if objtree != srctree and (os.path.exists(os.path.join(srctree, ".config")) or
                               os.path.isdir(os.path.join(srctree, "include/config"))):
        # as the kernel: its include/generated/ would be found before the build's
        raise BuildError("the source tree is not clean, please run 'kbuild build mrproper' "
                         "in it", srctree)
    syncconfig_if_needed(srctree, objtree, environ, out, err)
    if _needs_generate(srctree, objtree, variables):
        if verbose != "s":
            out.write("  GEN     build.ninja\n")
        generate(srctree, objtree, variables, environ)
        if os.path.exists(os.path.join(objtree, ".ninja_log")):
            # ninja compares its generator edge with the time in its log: record the new one
            subprocess.call([ninja_binary(), "-t", "restat", "build.ninja"], cwd=objtree)
    args = []
    if jobs is not None:
        args += ["-j", str(jobs)]
    if keep_going:
        args += ["-k", "0"]
    if verbose == "s":
        args.append("--quiet")      # -s: only the commands' own output
    elif verbose not in ("", "0"):
        args.append("-v")
    if "compile_commands.json" in targets:          # written with build.ninja
        targets = [t for t in targets if t != "compile_commands.json"]
        if not targets:
            return 0
    return _ninja(objtree, args + targets, environ, out)


def _ninja(objtree: str, args: list[str], environ: dict, out) -> int:
    env = dict(environ)
    # kernel-style lines ("  CC      x.o"), no [n/N]; V=1: the commands as they are
    env["NINJA_STATUS"] = "" if "-v" in args else "  "
    env["TERM"] = "dumb"         # every line kept (no overwriting status line)
    out.flush()
    return subprocess.call([ninja_binary()] + args, cwd=objtree, env=env)


def _remove_clean_files(objtree: str) -> None:
    """The Kbuild files' clean-files (recorded with build.ninja)."""
    import shutil
    try:
        with open(os.path.join(objtree, STATE), encoding="utf-8") as f:
            names = json.load(f).get("clean_files", [])
    except (OSError, ValueError):
        return
    for name in names:
        path = os.path.join(objtree, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        elif os.path.lexists(path):
            os.remove(path)


def _mrproper(objtree: str, out) -> int:
    import shutil
    if os.path.exists(os.path.join(objtree, "build.ninja")):
        subprocess.call([ninja_binary(), "-t", "clean"], cwd=objtree,
                        stdout=subprocess.DEVNULL)
        _remove_clean_files(objtree)
    for name in ("build.ninja", ".ninja_log", ".ninja_deps", "modules.order",
                 "compile_commands.json", ".config", ".config.old"):
        p = os.path.join(objtree, name)
        if os.path.exists(p):
            os.remove(p)
    for name in ("include/config", "include/generated", ".kbuild"):
        p = os.path.join(objtree, name)
        if os.path.isdir(p):
            shutil.rmtree(p)
    return 0
