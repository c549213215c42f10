"""What a Kbuild project builds: objects, archives, modules and the image.

The Kbuild files of a project outside Linux are read with the kernel's meaning
(Documentation/kbuild/makefiles.rst), by the make engine, against the values of
``include/config/auto.conf``:

- ``obj-y`` objects go into the directory's ``built-in.a`` (a thin archive, as
  ``ar cDPrST`` makes it), in order, duplicates dropped at their first place;
  ``dir/`` in ``obj-y`` descends into ``dir`` and puts ``dir/built-in.a`` there
  (a thin archive in a thin archive is flattened, so the top ``built-in.a``
  lists every built-in object in link order);
- ``obj-m`` objects are modules.  A module here is a **shared object**
  ``foo.so`` (compiled with ``KBUILD_CFLAGS_MODULE``, default ``-fPIC
  -DMODULE``, linked with ``KBUILD_LDFLAGS_MODULE``, default ``-shared``) that
  the program may ``dlopen``; the image is linked with ``-rdynamic`` so that
  modules can call into it, as kernel modules call exported symbols.  A
  composite module is first linked with ``ld -r`` into ``foo.o`` (as the
  kernel does), then into ``foo.so``.  ``modules.order`` lists the modules'
  ``.o`` names in kbuild's order (subdirectories in ``obj-y`` first);
- an object in both ``obj-y`` and ``obj-m`` is built in only;
- ``lib-y`` objects (sorted, minus those in ``obj-y``) go into ``lib.a`` (with a
  symbol table), linked after the built-in objects in a group, so only the
  members the program needs are taken;
- composite objects: ``foo-y``/``foo-objs`` (and ``foo-m`` for modules) list
  the parts of ``foo.o``; a built-in composite object's parts go into
  built-in.a directly;
- flags: ``KBUILD_CPPFLAGS KBUILD_CFLAGS subdir-ccflags-y ccflags-y`` minus
  ``ccflags-remove-y``, then ``CFLAGS_foo.o``, all minus ``CFLAGS_REMOVE_foo.o``;
  ``subdir-ccflags-y`` applies to the directory and all below it;
  ``asflags-y``/``AFLAGS_foo.o`` likewise for ``.S`` sources;
  ``ldflags-y`` for the ``ld -r`` of composite modules.

Rules, as the kernel writes them::

    $(obj)/gen.h: $(src)/gen.sh FORCE
    	$(call if_changed,gen)             # or $(call cmd,gen)
    quiet_cmd_gen = GEN     $@
          cmd_gen = sh $< > $@
    $(obj)/x.o: $(obj)/gen.h               # no recipe: an extra prerequisite of x.o

become build steps (``$@ $< $^`` set; run again when the command text or a
prerequisite changes, which is what ``if_changed`` with FORCE means);
``always-y``/``extra-y`` name what is built besides the image, e.g. a post-link
step on ``$(obj)/<image>`` in the top Kbuild file.  Other recipes are refused.
``hostprogs`` (``foo-objs`` for several sources, ``HOSTCFLAGS_foo.o``,
``HOSTLDLIBS_foo``) are built with ``HOSTCC`` for the rules to run (as the
kernel's lib/gen_crc32table).

The top directory's Kbuild file also plays the part of the kernel's top
Makefile: the ``KBUILD_*`` variables it sets (``KBUILD_CFLAGS``,
``KBUILD_CPPFLAGS``, ``KBUILD_AFLAGS``, ``KBUILD_LDFLAGS``, ``KBUILD_LDLIBS``,
``KBUILD_CFLAGS_MODULE``, ``KBUILD_LDFLAGS_MODULE``, ``KBUILD_IMAGE``) are
exported to every directory (a directory's own changes to them apply there and
below, as make passes exported variables to sub-makes), and ``KBUILD_IMAGE``
names the executable (default: the source directory's name).  Command-line variables (``CC=clang``,
``CROSS_COMPILE=...``) beat the Kbuild files' assignments, as in make.

Every problem is a :class:`BuildError` with ``file:line`` (a listed source that
does not exist, a listed directory without a Kbuild file, an error of the make
engine), raised before anything is built.

Use::

    g = load_project("examples/hello", "build/out")   # out holds include/config/auto.conf
    g.image, g.objects["init/main.o"].cflags, g.dirs["."].builtin
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Mapping

from ..make import Make, MakeError
from .errors import BuildError

__all__ = ["BuildError", "Command", "Directory", "Hostprog", "Module", "Object", "Project",
           "check_inputs", "load_project"]

EXPORTED = ("KBUILD_CFLAGS", "KBUILD_CPPFLAGS", "KBUILD_AFLAGS", "KBUILD_LDFLAGS",
            "KBUILD_LDLIBS", "KBUILD_CFLAGS_MODULE", "KBUILD_LDFLAGS_MODULE", "KBUILD_IMAGE",
            "KBUILD_HOSTCFLAGS", "KBUILD_HOSTLDFLAGS")

DEFAULTS = {
    "CROSS_COMPILE": "",
    "CC": "$(CROSS_COMPILE)gcc",
    "LD": "$(CROSS_COMPILE)ld",
    "AR": "$(CROSS_COMPILE)ar",
    "HOSTCC": "gcc",
    "KBUILD_HOSTCFLAGS": "-Wall -O2",
    "KBUILD_HOSTLDFLAGS": "",
    "STRIP": "$(CROSS_COMPILE)strip",
    "OBJCOPY": "$(CROSS_COMPILE)objcopy",
    "KBUILD_CFLAGS": "-Wall -O2",
    "KBUILD_CPPFLAGS": "",
    "KBUILD_AFLAGS": "-D__ASSEMBLY__",
    "KBUILD_LDFLAGS": "",
    "KBUILD_LDLIBS": "",
    "KBUILD_CFLAGS_MODULE": "-fPIC -DMODULE",
    "KBUILD_LDFLAGS_MODULE": "-shared",
}


@dataclass
class Object:
    """One compiled object (path relative to the build directory)."""

    path: str
    source: str            # as the compiler gets it (relative to the build directory)
    cflags: list[str]      # everything between the compiler and -c
    module: bool           # compiled as (part of) a module
    assembler: bool = False


@dataclass
class Module:
    """One module: ``name`` ``drivers/led.o``, its parts, and the shared object."""

    name: str
    parts: list[str]
    ldflags: list[str] = field(default_factory=list)

    @property
    def shared_object(self) -> str:
        return self.name[:-2] + ".so"

    @property
    def composite(self) -> bool:
        return self.parts != [self.name]


@dataclass
class Directory:
    """What one directory's Kbuild file asks for (paths relative to the build directory)."""

    dir: str
    kbuild_file: str
    need_builtin: bool
    builtin: list[str] = field(default_factory=list)   # objects and subdir built-in.a
    lib: list[str] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    order: list[str] = field(default_factory=list)     # modules and subdir/modules.order
    subdirs: list[str] = field(default_factory=list)

    def path(self, name: str) -> str:
        return name if self.dir == "." else self.dir + "/" + name


@dataclass
class Hostprog:
    """A program built with ``HOSTCC`` and run during the build (``hostprogs``)."""

    path: str                # dir/name
    sources: list[str]       # as the host compiler gets them
    objects: list[str]       # composite (name-objs): one object per source; else []
    cflags: list[str]
    ldflags: list[str]


@dataclass
class Command:
    """A Kbuild rule ``target: prerequisites`` with the recipe ``$(call if_changed,NAME)``:
    ``cmd_NAME`` run with ``$@ $< $^`` set, ``quiet_cmd_NAME`` as its quiet line."""

    outputs: list[str]
    inputs: list[str]
    command: str
    description: str
    file: str
    line: int


@dataclass
class Project:
    """The whole build: every directory, object and module, and the image."""

    srctree: str
    objtree: str
    image: str
    tools: dict[str, str]
    ldflags: list[str]
    ldlibs: list[str]
    ldflags_module: list[str]
    dirs: dict[str, Directory] = field(default_factory=dict)
    objects: dict[str, Object] = field(default_factory=dict)
    kbuild_files: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    commands: list[Command] = field(default_factory=list)
    hostprogs: list[Hostprog] = field(default_factory=list)
    always: list[str] = field(default_factory=list)          # always-y, extra-y
    clean_files: list[str] = field(default_factory=list)     # clean-files (build directory)
    extra_deps: dict[str, list[str]] = field(default_factory=dict)  # obj: [prerequisites]

    @property
    def modules(self) -> list[Module]:
        return [m for d in self.dirs.values() for m in d.modules]

    @property
    def libs(self) -> list[str]:
        return [d.path("lib.a") for d in self.dirs.values() if d.lib]

    def modules_order(self, start: str = ".") -> list[str]:
        out: list[str] = []

        def visit(dir_: str) -> None:
            for e in self.dirs[dir_].order:
                if e.endswith("/modules.order"):
                    sub = e[: -len("/modules.order")]
                    if sub in self.dirs:
                        visit(sub)
                else:
                    out.append(e)
        visit(start)
        return list(dict.fromkeys(out))


def _dedup(words) -> list[str]:
    return list(dict.fromkeys(words))


def _filter_out(patterns: list[str], words: list[str]) -> list[str]:
    """make's $(filter-out): words matching no pattern (one % matches any text)."""
    if not patterns:
        return words
    exact = {p for p in patterns if "%" not in p}
    wild = [p.split("%", 1) for p in patterns if "%" in p]
    out = []
    for w in words:
        if w in exact:
            continue
        if any(len(w) >= len(a) + len(b) and w.startswith(a) and w.endswith(b) for a, b in wild):
            continue
        out.append(w)
    return out


def _display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


class _Loader:
    def __init__(self, srctree: str, objtree: str, variables: Mapping[str, str],
                 environ: Mapping[str, str] | None):
        self.srctree = os.path.abspath(srctree)
        self.objtree = os.path.abspath(objtree)
        self.in_tree = self.srctree == self.objtree
        # how commands (run in the build directory) name the sources
        self.src_prefix = "" if self.in_tree else self.srctree + "/"
        self.variables = dict(variables)
        autoconf = os.path.join(self.objtree, "include/config/auto.conf")
        if not os.path.isfile(autoconf):
            raise BuildError("include/config/auto.conf is missing (run syncconfig first)",
                             _display(autoconf))
        env = {k: v for k, v in (os.environ if environ is None else environ).items()
               if k in ("PATH", "HOME", "LANG")}
        base = Make(command_line=dict(self.variables, srctree=self.srctree.rstrip("/")
                                      if not self.in_tree else ".",
                                      objtree="."),
                    environ=env, base_dir=self.objtree, builtin_variables=False)
        for name, value in DEFAULTS.items():
            if name not in self.variables:
                base.define(name, value, recursive=True, origin="default")
        try:
            base.read(autoconf)
        except MakeError as e:
            raise BuildError(e.message, e.file, e.line) from None
        self.base = base
        self.kbuild_files: list[str] = []

    def kbuild_file(self, dir_: str) -> str | None:
        d = self.srctree if dir_ == "." else os.path.join(self.srctree, dir_)
        for name in ("Kbuild", "Makefile"):
            p = os.path.join(d, name)
            if os.path.isfile(p):
                return p
        return None

    def evaluate(self, dir_: str, exported: Mapping[str, str]) -> Make:
        path = self.kbuild_file(dir_)
        assert path is not None
        src = self.src_prefix + dir_ if dir_ != "." else (self.src_prefix.rstrip("/") or ".")
        mk = self.base.fork({"obj": dir_, "src": src})
        for name, value in exported.items():
            if name not in self.variables:      # command-line variables stay as they are
                mk.define(name, value, origin="environment")
        self.kbuild_files.append(path)
        try:
            mk.read(path)
        except MakeError as e:
            raise BuildError(e.message, _display(e.file) if e.file else e.file, e.line) from None
        return mk

    def locate(self, dir_: str, exported: Mapping[str, str], word: str,
               names: tuple[str, ...] = ()) -> tuple[str | None, int | None]:
        """Where ``word`` was last added to a list (taken branches only)."""
        path = self.kbuild_file(dir_)
        src = self.src_prefix + dir_ if dir_ != "." else (self.src_prefix.rstrip("/") or ".")
        mk = self.base.fork({"obj": dir_, "src": src})
        for name, value in exported.items():
            if name not in self.variables:
                mk.define(name, value, origin="environment")
        before = dict(mk.vars)
        last: dict[str, object] = {}
        found: list[tuple[str, int]] = []

        def trace(t) -> None:
            v = mk.vars.get(t.name)
            prev = last.get(t.name, before.get(t.name))
            if v is prev:
                return          # a branch not taken
            last[t.name] = v
            if word in t.words and (not names or t.name in names):
                found.append((t.file, t.line))
        mk.trace = trace
        try:
            mk.read(path)
        except MakeError:
            pass
        if found:
            return _display(found[-1][0]), found[-1][1]
        return _display(path) if path else None, None


def load_project(srctree: str, objtree: str | None = None,
                 variables: Mapping[str, str] | None = None,
                 environ: Mapping[str, str] | None = None) -> Project:
    """Evaluate every Kbuild file reachable from the top directory's."""
    ld = _Loader(srctree, objtree or srctree, variables or {}, environ)
    if ld.kbuild_file(".") is None:
        raise BuildError("no Kbuild or Makefile in the top directory", _display(ld.srctree))
    top = ld.evaluate(".", {})
    exported = {name: top.value(name) for name in EXPORTED}
    if ld.variables.get("KCFLAGS"):
        exported["KBUILD_CFLAGS"] += " " + ld.variables["KCFLAGS"]
    tools = {name: top.value(name) for name in ("CC", "LD", "AR", "HOSTCC")}
    image = exported.pop("KBUILD_IMAGE") or os.path.basename(ld.srctree.rstrip("/"))
    proj = Project(ld.srctree, ld.objtree, image, tools,
                   ldflags=exported["KBUILD_LDFLAGS"].split(),
                   ldlibs=exported["KBUILD_LDLIBS"].split(),
                   ldflags_module=exported["KBUILD_LDFLAGS_MODULE"].split())
    stack: list[tuple[str, bool, dict[str, str], Make | None]] = [(".", True, exported, top)]
    while stack:
        dir_, need_builtin, exp, mk = stack.pop()
        if dir_ in proj.dirs:
            continue
        if mk is None:
            mk = ld.evaluate(dir_, exp)
        d, child_exp = _directory(ld, proj, dir_, need_builtin, exp, mk)
        proj.dirs[dir_] = d
        for sub, nb in reversed(d.subdirs):  # type: ignore[misc]
            stack.append((sub, nb, child_exp, None))
        d.subdirs = [s for s, _ in d.subdirs]  # type: ignore[misc]
    proj.kbuild_files = ld.kbuild_files
    check_inputs(proj)
    proj.variables = dict(ld.variables)
    return proj


_LISTS = ("obj-y", "obj-m", "lib-y", "lib-m", "subdir-y", "subdir-m")


def _directory(ld: _Loader, proj: Project, dir_: str, need_builtin: bool,
               exported: dict[str, str], mk: Make):
    prefix = "" if dir_ == "." else dir_ + "/"
    d = Directory(dir_, _display(ld.kbuild_file(dir_) or ""), need_builtin)
    obj_y = _dedup(mk.words("obj-y"))
    obj_m = _filter_out(obj_y, _dedup(mk.words("obj-m")))
    lib_y = _filter_out(obj_y, sorted(set(mk.words("lib-y") + mk.words("lib-m"))))
    subdir_names = _dedup(mk.words("subdir-y") + mk.words("subdir-m") +
                          [w[:-1] for w in obj_y + obj_m if w.endswith("/")])

    def where(word, names=_LISTS):
        return ld.locate(dir_, exported, word, names)

    # subdirectories: sorted like subdir-ym; need-builtin when listed in obj-y
    in_builtin = {w[:-1] for w in obj_y if w.endswith("/")}
    subdirs = []
    for name in sorted(set(subdir_names)):
        sub = os.path.normpath(prefix + name)
        if sub.startswith("..") or os.path.isabs(name) or sub == dir_ or sub == ".":
            f, line = where(name + "/") if (name + "/") in obj_y + obj_m else where(name)
            raise BuildError(f"'{name}/': not a subdirectory of {dir_}", f, line)
        if ld.kbuild_file(sub) is None:
            f, line = where(name + "/") if (name + "/") in obj_y + obj_m else where(name)
            what = "no such directory" if not os.path.isdir(os.path.join(ld.srctree, sub)) \
                else "no Kbuild or Makefile in it"
            raise BuildError(f"'{name}/': {what} ({_display(os.path.join(ld.srctree, sub))})",
                             f, line)
        subdirs.append((sub, need_builtin and name in in_builtin))
    d.subdirs = subdirs  # type: ignore[assignment]

    # flags of this directory (Makefile.lib)
    sub_cc = mk.words("subdir-ccflags-y")
    sub_as = mk.words("subdir-asflags-y")
    # as make exports them to the sub-makes: with this directory's changes (a Kbuild file
    # may add to KBUILD_CFLAGS too) and subdir-ccflags-y added
    if dir_ != ".":
        exported = {name: (exported[name] if name in ld.variables else mk.value(name))
                    for name in exported}
    kcflags = exported["KBUILD_CFLAGS"].split() + sub_cc
    kaflags = exported["KBUILD_AFLAGS"].split() + sub_as
    child = dict(exported, KBUILD_CFLAGS=" ".join(kcflags), KBUILD_AFLAGS=" ".join(kaflags))
    cppflags = exported["KBUILD_CPPFLAGS"].split()
    ccflags = mk.words("ccflags-y")
    asflags = mk.words("asflags-y")
    cc_remove = mk.words("ccflags-remove-y")
    as_remove = mk.words("asflags-remove-y")
    include = ["-I" + ld.src_prefix + "include"] + ([] if ld.in_tree else ["-Iinclude"]) + \
        ["-include", "include/generated/autoconf.h"]
    module_cflags = exported["KBUILD_CFLAGS_MODULE"].split()

    def parts(name: str, suffixes) -> list[str] | None:
        stem = name[:-2]
        found = []
        defined = False
        for s in suffixes:
            var = mk.get(stem + s)
            if var is not None:
                defined = True
                found += mk.words(stem + s)
        return _dedup(found) if defined and found else None

    def add_object(name: str, module: bool, modname: str) -> None:
        path = prefix + name
        if path in proj.objects:
            if module:
                proj.objects[path].module = True
            return
        stem = name[:-2]
        base = os.path.join(ld.srctree, prefix + stem)
        if os.path.isfile(base + ".c"):
            source, asm = prefix + stem + ".c", False
        elif os.path.isfile(base + ".S"):
            source, asm = prefix + stem + ".S", True
        else:
            f, line = where(name, ())
            raise BuildError(f"'{name}': no source {stem}.c or {stem}.S in "
                             f"{_display(os.path.dirname(base + '.c'))}", f, line)
        if asm:
            flags = _filter_out(as_remove, cppflags + kaflags + asflags) + \
                mk.words(f"AFLAGS_{name}")
            flags = _filter_out(mk.words(f"AFLAGS_REMOVE_{name}"), flags)
        else:
            flags = _filter_out(cc_remove, cppflags + kcflags + ccflags) + \
                mk.words(f"CFLAGS_{name}")
            flags = _filter_out(mk.words(f"CFLAGS_REMOVE_{name}"), flags)
        extra = module_cflags if module else []
        base_name = os.path.basename(stem)
        names = [f"-DKBUILD_BASENAME='\"{base_name}\"'",
                 f"-DKBUILD_MODNAME='\"{modname}\"'"]
        proj.objects[path] = Object(path, ld.src_prefix + source, include + flags + extra + names,
                                    module, asm)

    if need_builtin:
        for w in obj_y:
            if w.endswith("/"):
                d.builtin.append(prefix + w + "built-in.a")
                continue
            if not w.endswith(".o"):
                f, line = where(w)
                raise BuildError(f"'{w}' in obj-y: only objects (.o) and directories (dir/) "
                                 "can be built in", f, line)
            p = parts(w, ("-objs", "-y"))
            stem = os.path.basename(w[:-2])
            for part in p or [w]:
                add_object(part, False, stem)
                d.builtin.append(prefix + part)
        d.builtin = _dedup(d.builtin)
    for w in lib_y:
        if not w.endswith(".o"):
            continue
        add_object(w, False, os.path.basename(w[:-2]))
        d.lib.append(prefix + w)
    d.order = [prefix + w + "modules.order" for w in obj_y if w.endswith("/")]
    for w in obj_m:
        if w.endswith("/"):
            d.order.append(prefix + w + "modules.order")
            continue
        if not w.endswith(".o"):
            f, line = where(w)
            raise BuildError(f"'{w}' in obj-m: only objects (.o) and directories (dir/) "
                             "can be modules", f, line)
        p = parts(w, ("-objs", "-y", "-m"))
        stem = os.path.basename(w[:-2])
        if p and w in p:
            f, line = where(w, ())
            raise BuildError(f"'{w}' is a composite module and one of its own parts "
                             f"(rename the part, e.g. {stem}_main.o)", f, line)
        for part in p or [w]:
            add_object(part, True, stem)
        d.modules.append(Module(prefix + w, [prefix + x for x in (p or [w])],
                                mk.words("ldflags-y")))
        d.order.append(prefix + w)
    d.order = _dedup(d.order)
    _rules(ld, proj, dir_, mk, prefix, add_object, where)
    return d, child


_IF_CHANGED = re.compile(r"\s*\$[({]call\s+(?:if_changed|cmd)\s*,\s*([\w-]+)\s*[)}]\s*")


def _rules(ld: "_Loader", proj: Project, dir_: str, mk: Make, prefix: str, add_object,
           where) -> None:
    """always-y/extra-y, and the directory's rules: ``$(call if_changed,NAME)`` recipes
    become commands; rules without a recipe add prerequisites to objects."""
    kfile = ld.kbuild_file(dir_)

    def norm(path: str) -> str:
        if path.startswith(ld.srctree + "/"):
            rel = os.path.relpath(path, ld.srctree)
            return rel if ld.in_tree else path
        return os.path.normpath(path)

    for name in _dedup(mk.words("hostprogs") + mk.words("hostprogs-y")):
        parts = mk.words(name + "-objs")
        stems = [p[:-2] for p in parts] if parts else [name]
        sources = []
        for stem in stems:
            src = os.path.join(ld.srctree, prefix + stem + ".c")
            if not os.path.isfile(src):
                f, line = where(stem + ".o", (name + "-objs",)) if parts else \
                    where(name, ("hostprogs", "hostprogs-y"))
                raise BuildError(f"hostprog '{name}': no source {stem}.c in "
                                 f"{_display(os.path.dirname(src))}", f, line)
            sources.append(ld.src_prefix + prefix + stem + ".c")
        cflags = mk.words("KBUILD_HOSTCFLAGS") + mk.words("hostccflags-y") + \
            mk.words(f"HOSTCFLAGS_{name}.o")
        proj.hostprogs.append(Hostprog(prefix + name, sources,
                                       [prefix + p for p in parts], cflags,
                                       mk.words("KBUILD_HOSTLDFLAGS") +
                                       mk.words(f"HOSTLDLIBS_{name}")))
    proj.clean_files += [prefix + w for w in mk.words("clean-files")]
    for w in _dedup(mk.words("always-y") + mk.words("extra-y")):
        if w.endswith(".o") and os.path.exists(os.path.join(ld.srctree, prefix + w[:-2] + ".c")):
            add_object(w, False, os.path.basename(w[:-2]))
        proj.always.append(prefix + w)
    for rule in mk.rules:
        if rule.file != kfile or rule.target_pattern is not None:
            continue
        targets = [norm(t) for t in rule.targets]
        prereqs = [norm(p) for p in rule.prerequisites if p != "FORCE"]
        where_ = (_display(rule.file), rule.line)
        if not rule.recipe:
            for t in targets:
                proj.extra_deps.setdefault(t, []).extend(prereqs)
            continue
        m = _IF_CHANGED.fullmatch(" ".join(rule.recipe))
        if m is None:
            raise BuildError("only $(call if_changed,NAME) and $(call cmd,NAME) recipes are "
                             "supported", *where_)
        name = m.group(1)
        if mk.get("cmd_" + name) is None:
            raise BuildError(f"cmd_{name} is not defined", *where_)
        mk.define("@", targets[0])
        mk.define("<", prereqs[0] if prereqs else "")
        mk.define("^", " ".join(_dedup(prereqs)))
        try:
            command = mk.expand(f"$(cmd_{name})").strip()
            quiet = mk.expand(f"$(quiet_cmd_{name})").strip()
        except MakeError as e:
            raise BuildError(e.message, *where_) from None
        if quiet:
            word, _, rest = quiet.partition(" ")
            quiet = f"{word:<7} {rest.strip()}" if rest else word
        proj.commands.append(Command(targets, prereqs, command, quiet or command, *where_))


def check_inputs(proj: Project) -> None:
    """Every prerequisite of a rule exists or is built (else file:line, before building)."""
    built = set(proj.objects) | {m.name for m in proj.modules if m.composite} | \
        {m.shared_object for m in proj.modules} | {proj.image, "built-in.a"} | \
        {d.path("built-in.a") for d in proj.dirs.values()} | set(proj.libs) | \
        {o for c in proj.commands for o in c.outputs} | {h.path for h in proj.hostprogs}
    for c in proj.commands:
        for i in c.inputs:
            if i not in built and not os.path.exists(os.path.join(proj.srctree, i)) and \
                    not os.path.exists(os.path.join(proj.objtree, i)):
                raise BuildError(f"'{i}': no such file, and no rule makes it", c.file, c.line)
    for a in proj.always:
        if a not in built:
            raise BuildError(f"'{a}' (always-y/extra-y): no rule makes it")
