"""What the kernel's Kbuild makefiles build, per directory, for a configuration.

This reads a Linux tree the way ``make vmlinux modules`` does, without running
anything but the ``$(shell ...)`` probes (which a caller may answer itself):

1. the top Makefile is evaluated once (in the output directory, as the
   sub-make of an ``O=`` build), which gives the variables it exports to every
   ``scripts/Makefile.build`` run (``srctree``, ``SRCARCH``, ``BITS``, ``CC``...);
2. for each directory, ``scripts/Makefile.build obj=DIR need-builtin=...
   need-modorder=...`` is evaluated with those variables in the environment
   (it includes ``include/config/auto.conf``, the directory's Kbuild or
   Makefile and ``scripts/Makefile.lib``), and the object lists are read from
   the result: ``real-obj-y`` (the members of built-in.a), ``lib-y``,
   ``obj-m``, the composite objects, ``subdir-ym``;
3. the walk descends into ``subdir-ym`` like Makefile.build's ``$(subdir-ym)``
   rule, passing ``need-builtin``/``need-modorder`` the same way.

Members keep make's order; duplicates are dropped as ``$^`` drops them.

Use::

    kt = KbuildTree("/usr/src/linux", "/tmp/out", "x86_64")   # out: .config + syncconfig
    tree = kt.walk()                       # {"init": DirectoryObjects(...), ...}
    tree["init"].builtin                   # ['init/main.o', 'init/version.o', ...]
    kt.modules_order(tree)                 # modules.order, as the kernel writes it

Verified against ``make -n vmlinux modules`` (every ``ar`` member list, every
module's parts, modules.order) for x86_64 tinyconfig, defconfig and
allmodconfig, i386 defconfig and arm64 defconfig: tests/compat/test_make_tree.py.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

from . import parser as _p
from .evaluator import Make, Var

__all__ = ["DirectoryObjects", "KbuildTree"]


_MKDIR = re.compile(r"mkdir -p((?: +[^\s;|&<>$`'\"\\*?]+)+) *")


def _dedup(words) -> list[str]:
    return list(dict.fromkeys(words))


@dataclass
class DirectoryObjects:
    """What one Makefile.build run builds in a directory (paths relative to the tree)."""

    dir: str
    need_builtin: bool
    need_modorder: bool
    builtin: list[str] = field(default_factory=list)   # built-in.a members, in order
    lib: list[str] = field(default_factory=list)       # lib.a members
    has_lib: bool = False
    modules: dict[str, list[str]] = field(default_factory=dict)  # foo.o -> its parts
    order: list[str] = field(default_factory=list)     # obj-m: *.o and */modules.order
    subdirs: list[str] = field(default_factory=list)   # descended into
    makefile: str = ""                                 # the Kbuild file read (kbuild-file)
    # Subdirectories whose built-in.a / modules.order this directory uses
    # (Makefile.build passes need-builtin / need-modorder to them).
    subdir_builtin: set[str] = field(default_factory=set)
    subdir_modorder: set[str] = field(default_factory=set)


class KbuildTree:
    """A Linux source tree, an output directory with a configuration, and ARCH.

    ``objtree`` must hold ``.config`` and ``include/config/auto.conf`` (as after
    ``make syncconfig``).  ``shell``/``run_shell``/``shell_cache`` are passed to
    every :class:`~kbuild.make.Make` (see there); by default probes run for real
    and are cached for the whole walk.  Pass a
    :class:`~kbuild.make.shellcache.ShellCache` with a file to keep the toolchain
    probes' answers between runs (it must be given the same ``environ``).

    ``exact=False`` (the default) evaluates the part of Makefile.build that does
    not depend on the directory (auto.conf, Kbuild.include, Makefile.compiler)
    once and continues each directory from a copy of that state; ``exact=True``
    reads all of Makefile.build for every directory, as make does (slower, the
    same result: a test checks it).

    ``read_cmd_files=False`` (the default) skips the ``.*.cmd`` files that
    Makefile.build includes for targets already built: they hold the saved
    command lines and header dependencies of a previous build, nothing that
    decides what is built, and on a built tree they are most of the reading.
    """

    def __init__(self, srctree: str, objtree: str, arch: str, *,
                 shell: Callable[[str], str | None] | None = None,
                 run_shell: bool = True, shell_cache: dict | None = None,
                 environ: Mapping[str, str] | None = None,
                 command_line: Mapping[str, str] | None = None,
                 exact: bool = False, read_cmd_files: bool = False):
        self.srctree = os.path.abspath(srctree)
        self.objtree = os.path.abspath(objtree)
        self.arch = arch
        self.shell = shell
        self.run_shell = run_shell
        self.shell_cache = {} if shell_cache is None else shell_cache
        base_env = dict(environ) if environ is not None else {
            k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
        self.command_line = {"ARCH": arch, "O": self.objtree}
        if command_line:
            self.command_line.update(command_line)
        self._base_env = base_env
        self.top: Make | None = None
        self.exported: dict[str, str] = {}
        self.exact = exact
        self.read_cmd_files = read_cmd_files
        self._base: Make | None = None
        self._rest: list = []
        self._build_path = os.path.join(self.srctree, "scripts/Makefile.build")

    # ------------------------------------------------------------------

    def _shell(self, command: str) -> str | None:
        """Answer ``mkdir -p DIRS`` (Makefile.build creates its object directories)
        without starting a process; everything else goes to the caller's hook."""
        if self.shell is not None:
            out = self.shell(command)
            if out is not None:
                return out
        m = _MKDIR.fullmatch(command)
        if m is not None and self.run_shell:
            for d in m.group(1).split():
                os.makedirs(os.path.join(self.objtree, d), exist_ok=True)
            return ""
        return None

    def _resolve(self, name: str, including: str | None) -> str | None:
        if not self.read_cmd_files and name.endswith(".cmd") and \
                os.path.basename(name).startswith("."):
            return ""
        return None

    def _make(self, **kw) -> Make:
        return Make(shell=self._shell, include_resolver=self._resolve, run_shell=self.run_shell, shell_cache=self.shell_cache,
                    base_dir=self.objtree, builtin_variables=False, **kw)

    def evaluate_top(self, goals: str = "") -> Make:
        """Evaluate the top Makefile as the sub-make of an O= build; remember its exports."""
        env = dict(self._base_env, sub_make_done="1", MAKEFLAGS="rR --no-print-directory")
        mk = self._make(command_line=self.command_line, environ=env)
        if goals:
            mk.define("MAKECMDGOALS", goals, origin="default")
        mk.read(os.path.join(self.srctree, "Makefile"))
        exported = dict(env)
        for name, v in mk.vars.items():
            exp = v.exported
            if exp is None:
                exp = v.origin == "environment" or (
                    mk.export_all and v.origin in ("file", "override", "command line"))
            if exp and name.replace("_", "a").replace("-", "a").isalnum():
                exported[name] = mk.value(name)
            elif exp is False:
                exported.pop(name, None)
        self.top = mk
        self.exported = exported
        return mk

    def evaluate_dir(self, obj: str, need_builtin: bool = True,
                     need_modorder: bool = True, trace=None,
                     overrides: Mapping[str, str] | None = None
                     ) -> tuple[DirectoryObjects, Make]:
        """Run scripts/Makefile.build for ``obj`` (relative to the tree, '.' for the top).

        ``trace``: set as :attr:`Make.trace` (assignment provenance);
        ``overrides``: extra command-line variables (``CONFIG_FOO=y`` beats auto.conf).
        """
        if self.top is None:
            self.evaluate_top()
        cmd = dict(self.command_line)
        if overrides:
            cmd.update(overrides)
        cmd["obj"] = obj
        cmd["need-builtin"] = "1" if need_builtin else ""
        cmd["need-modorder"] = "1" if need_modorder else ""
        if self.exact:
            mk = self._make(command_line=cmd, environ=self.exported)
            mk.define("MAKELEVEL", "1", origin="environment")
            mk.trace = trace
            mk.read(self._build_path)
        else:
            if self._base is None:
                self._prepare_base()
            mk = self._base.fork(cmd)  # type: ignore[union-attr]
            mk.trace = trace
            mk.run(self._rest, self._build_path)
        return self._collect(mk, obj, need_builtin, need_modorder), mk

    def _prepare_base(self) -> None:
        stmts = _p.parse_file(self._build_path)
        kbuild_file = next(i for i, st in enumerate(stmts)
                           if st[0] == _p.INCLUDE and "kbuild-file" in st[3])
        shared = [i for i in range(kbuild_file) if stmts[i][0] == _p.INCLUDE]
        base = self._make(command_line=self.command_line, environ=self.exported)
        base.define("MAKELEVEL", "1", origin="environment")
        base.vars["MAKEFILE_LIST"] = Var(self._build_path, False, "file")
        base.run([stmts[i] for i in shared], self._build_path)
        self._base = base
        self._rest = [st for i, st in enumerate(stmts) if i not in shared]

    def _collect(self, mk: Make, obj: str, need_builtin: bool,
                 need_modorder: bool) -> DirectoryObjects:
        prefix = "" if obj == "." else obj + "/"
        d = DirectoryObjects(obj, need_builtin, need_modorder)
        d.makefile = mk.value("kbuild-file")
        phony = set(mk.words("PHONY"))
        if need_builtin:
            d.builtin = [w for w in _dedup(mk.words("real-obj-y")) if w not in phony]
        libs = mk.expand("$(strip $(lib-y) $(lib-m) $(lib-))")
        d.has_lib = bool(libs)
        if libs:
            d.lib = [w for w in _dedup(mk.words("lib-y")) if w not in phony]
        obj_m = _dedup(mk.words("obj-m"))
        if need_modorder:
            d.order = obj_m
        for m in obj_m:
            if not m.endswith(".o"):
                continue
            rel = m[len(prefix):] if m.startswith(prefix) else m
            parts = mk.expand(f"$(call suffix-search,{rel},.o,-objs -y -m)").split()
            d.modules[m] = [prefix + p for p in _dedup(parts)] if parts else [m]
        d.subdirs = mk.words("subdir-ym")
        d.subdir_builtin = set(mk.words("subdir-builtin"))
        d.subdir_modorder = set(mk.words("subdir-modorder"))
        return d

    def walk(self, start: str = ".", need_builtin: bool = True, need_modorder: bool = True,
             on_dir: Callable[[DirectoryObjects, Make], None] | None = None,
             jobs: int | None = None) -> dict[str, DirectoryObjects]:
        """Every directory reachable from ``start``, in make's descent order (depth first).

        ``jobs`` > 1 evaluates that many directories at once in threads: the
        evaluation itself holds the interpreter lock, but the ``$(shell)`` probes
        of one directory run while others are evaluated, which shortens a first
        run (probes not cached) a little and slows a cached one a little; the
        result is the same.  ``on_dir`` is called in the calling thread for each
        directory as it is done (in completion order with threads).  Raises
        :class:`~kbuild.make.MakeError` for the first directory that fails.
        """
        if self.top is None:
            self.evaluate_top()
        if not self.exact and self._base is None:
            self._prepare_base()
        if jobs is None:
            jobs = 1
        done: dict[str, DirectoryObjects] = {}
        if jobs <= 1:
            stack = [(start, need_builtin, need_modorder)]
            while stack:
                obj, nb, nm = stack.pop()
                if obj in done:
                    continue
                d, mk = self.evaluate_dir(obj, nb, nm)
                done[obj] = d
                if on_dir is not None:
                    on_dir(d, mk)
                for sub in reversed(d.subdirs):
                    stack.append((sub, sub + "/built-in.a" in d.subdir_builtin,
                                  sub + "/modules.order" in d.subdir_modorder))
            return done
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            pending = {pool.submit(self.evaluate_dir, start, need_builtin, need_modorder): start}
            seen = {start}
            try:
                while pending:
                    finished, _ = concurrent.futures.wait(
                        pending, return_when=concurrent.futures.FIRST_COMPLETED)
                    for fut in finished:
                        pending.pop(fut)
                        d, mk = fut.result()
                        done[d.dir] = d
                        if on_dir is not None:
                            on_dir(d, mk)
                        for sub in d.subdirs:
                            if sub not in seen:
                                seen.add(sub)
                                pending[pool.submit(
                                    self.evaluate_dir, sub, sub + "/built-in.a" in d.subdir_builtin,
                                    sub + "/modules.order" in d.subdir_modorder)] = sub
            finally:
                for fut in pending:
                    fut.cancel()
        # The sequential walk's order: depth first, subdirectories in listed order.
        out: dict[str, DirectoryObjects] = {}
        stack2 = [start]
        while stack2:
            obj = stack2.pop()
            if obj in out or obj not in done:
                continue
            out[obj] = done[obj]
            stack2.extend(reversed(done[obj].subdirs))
        return out

    def modules_order(self, tree: dict[str, DirectoryObjects], start: str = ".") -> list[str]:
        """modules.order of ``start`` as the kernel writes it (6.12: the modules' ``*.o``
        paths), the subdirectories' lists inlined in place."""
        result: list[str] = []

        def visit(dir_: str) -> None:
            for e in tree[dir_].order:
                if e.endswith("/modules.order"):
                    sub = e[: -len("/modules.order")]
                    if sub in tree:
                        visit(sub)
                else:
                    result.append(e)
        visit(start)
        return result
