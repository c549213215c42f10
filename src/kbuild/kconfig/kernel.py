"""What a Linux source tree implies for Kconfig: the variables the top Makefile derives and exports.

``make ARCH=arm O=build olddefconfig`` runs ``scripts/kconfig/conf`` in the build directory with an
environment the top Makefile computed: srctree, ARCH and SRCARCH, the tool names (CC, LD, ... with the
CROSS_COMPILE prefix or the LLVM names), CC_VERSION_TEXT, KERNELVERSION, KBUILD_DEFCONFIG from the
architecture's Makefile, KCONFIG_DEFCONFIG_LIST from scripts/kconfig/Makefile, and so on.
:func:`kernel_setup` derives the same values without running make, so that a front end can drive
the engine (or kbuild-conf) and get the same files.

Make's precedence rules are kept: a ``VAR=value`` given on the command line beats everything; the
caller's environment only counts for variables the Makefiles assign with ``?=`` or do not assign at
all (ARCH, CROSS_COMPILE, LLVM, KCONFIG_CONFIG, ...), never for ``CC = $(CROSS_COMPILE)gcc``.
Command-line variables are also exported to conf, as make exports them to every recipe.

This module only computes; it prints nothing.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from pathlib import Path

# Variables the Makefiles take from the environment (assigned with ?= or not at all).
_FROM_ENVIRONMENT = ("ARCH", "CROSS_COMPILE", "LLVM", "LLVM_IAS", "KCONFIG_CONFIG", "KBUILD_KCONFIG",
                     "cross_compiling", "KBUILD_EXTRA_WARN", "SUBARCH")

# Tools the top Makefile names; with LLVM=... some become LLVM's (see the top Makefile).
_GNU_TOOLS = {"CC": "gcc", "LD": "ld", "AR": "ar", "NM": "nm", "OBJCOPY": "objcopy",
              "OBJDUMP": "objdump", "READELF": "readelf", "STRIP": "strip"}
_LLVM_TOOLS = {"CC": "clang", "LD": "ld.lld", "AR": "llvm-ar", "NM": "llvm-nm",
               "OBJCOPY": "llvm-objcopy", "OBJDUMP": "llvm-objdump", "READELF": "llvm-readelf",
               "STRIP": "llvm-strip"}
_FIXED_TOOLS = {"RUSTC": "rustc", "BINDGEN": "bindgen", "PAHOLE": "pahole", "PYTHON3": "python3",
                "PERL": "perl", "HOSTRUSTC": "rustc", "HOSTPKG_CONFIG": "pkg-config"}

# ARCH values whose sources live under another arch/ directory (top Makefile).
_SRCARCH = {"i386": "x86", "x86_64": "x86", "sparc64": "sparc", "parisc64": "parisc", "sh64": "sh"}

# scripts/Makefile.clang: the --target of each source architecture.
_CLANG_TARGETS = {"arm": "arm-linux-gnueabi", "arm64": "aarch64-linux-gnu",
                  "hexagon": "hexagon-linux-musl", "loongarch": "loongarch64-linux-gnusf",
                  "m68k": "m68k-linux-gnu", "mips": "mipsel-linux-gnu",
                  "powerpc": "powerpc64le-linux-gnu", "riscv": "riscv64-linux-gnu",
                  "s390": "s390x-linux-gnu", "x86": "x86_64-linux-gnu"}

# arch/*/Makefile that pick a CROSS_COMPILE prefix themselves when none is given, and the ones
# that only do it when 'cross_compiling' is defined (6.12's top Makefile never defines it).
_CROSS_PREFIXES = {"arc": ["arc-linux-", "arceb-linux-", "arc-linux-gnu-"]}
_CROSS_PREFIXES_IF_CROSS = {
    "m68k": ["m68k-linux-gnu-", "m68k-linux-", "m68k-unknown-linux-gnu-"],
    "sh": ["sh-linux-", "sh-linux-gnu-", "sh-unknown-linux-gnu-"],
    "powerpc": ["%s-%s-" % (a, s) for a in ("powerpc", "powerpc64", "powerpc64le")
                for s in ("linux", "linux-gnu", "unknown-linux-gnu")],
}


class KernelTreeError(Exception):
    """The directory is not a kernel tree, or ARCH names no architecture."""


def is_kernel_tree(path) -> bool:
    p = Path(path)
    return (p / "Makefile").is_file() and (p / "Kconfig").is_file() and (p / "arch").is_dir() \
        and (p / "scripts" / "kconfig").is_dir()


def subarch_of(machine: str) -> str:
    """SUBARCH: `uname -m` mapped like scripts/subarch.include."""
    m = re.sub(r"i.86", "x86", machine)
    m = m.replace("x86_64", "x86").replace("sun4u", "sparc64")
    if m != "arm64":
        m = re.sub(r"arm.*", "arm", m)
    m = m.replace("sa110", "arm").replace("s390x", "s390")
    m = re.sub(r"ppc.*", "powerpc", m)
    m = re.sub(r"mips.*", "mips", m)
    m = re.sub(r"sh[234].*", "sh", m)
    m = re.sub(r"aarch64.*", "arm64", m)
    m = re.sub(r"riscv.*", "riscv", m)
    m = re.sub(r"loongarch.*", "loongarch", m)
    return m


def kernel_version(srctree) -> tuple[str, dict[str, str]]:
    """KERNELVERSION and VERSION/PATCHLEVEL/SUBLEVEL/EXTRAVERSION of the top Makefile."""
    parts = {"VERSION": "", "PATCHLEVEL": "", "SUBLEVEL": "", "EXTRAVERSION": ""}
    with open(Path(srctree) / "Makefile", encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            m = re.match(r"(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)\s*[:?]?=\s*(.*?)\s*$", line)
            if m:
                parts[m.group(1)] = m.group(2)
            if all(parts[k] for k in ("VERSION", "PATCHLEVEL", "SUBLEVEL")) and "EXTRAVERSION" in line:
                break
    v = parts["VERSION"]
    if parts["PATCHLEVEL"]:
        v += "." + parts["PATCHLEVEL"]
        if parts["SUBLEVEL"]:
            v += "." + parts["SUBLEVEL"]
    return v + parts["EXTRAVERSION"], parts


def _first_on_path(prefixes, path_env):
    for c in prefixes:
        if shutil.which(c + "gcc", path=path_env):
            return c
    return ""


def _shell_line(cmd, env, first_line_only):
    """$(shell ...) as make runs it: stdout, newlines turned into spaces, '#' removed."""
    try:
        r = subprocess.run(["sh", "-c", cmd], env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    out = r.stdout.decode("utf-8", "surrogateescape")
    if first_line_only:
        out = out.split("\n", 1)[0]
    out = out.rstrip("\n").replace("\n", " ")
    return out.replace("#", "")


def default_kbuild_defconfig(srctree, arch, srcarch, subarch, machine) -> str:
    """KBUILD_DEFCONFIG as arch/$(SRCARCH)/Makefile sets it ("defconfig" when it does not)."""
    if srcarch == "x86":
        if arch == "x86":
            return "i386_defconfig" if re.sub(r"i.86", "i386", machine) == "i386" else "x86_64_defconfig"
        return arch + "_defconfig"
    if srcarch == "um":
        if subarch == "x86":
            return "x86_64_defconfig" if machine == "x86_64" else "i386_defconfig"
        return subarch + "_defconfig"
    if srcarch == "sparc":
        return "sparc64_defconfig" if arch == "sparc64" else "sparc32_defconfig"
    if srcarch == "parisc":
        return "generic-64bit_defconfig" if arch == "parisc64" else "generic-32bit_defconfig"
    if srcarch == "powerpc":
        return (machine if machine.startswith("ppc") else "ppc64le") + "_defconfig"
    mk = Path(srctree) / "arch" / srcarch / "Makefile"
    try:
        text = mk.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return "defconfig"
    m = re.search(r"^\s*KBUILD_DEFCONFIG\s*:?=\s*(\S+)\s*$", text, re.M)
    if m and "$" not in m.group(1):
        return m.group(1)
    return "defconfig"


@dataclasses.dataclass
class KernelSetup:
    """The result of :func:`kernel_setup`."""
    srctree: Path            # the source tree (absolute)
    objtree: Path            # the build directory (absolute): conf's working directory
    arch: str
    srcarch: str
    kbuild_defconfig: str
    kconfig: str             # the top Kconfig file, relative to srctree ("Kconfig")
    config: str              # KCONFIG_CONFIG (".config")
    environ: dict            # the complete environment conf runs with
    variables: dict          # the make variables given on the command line

    @property
    def building_out_of_srctree(self) -> bool:
        return self.srctree != self.objtree


def kernel_setup(srctree, objtree=None, variables=None, environ=None, machine=None,
                 kernel_release=None) -> KernelSetup:
    """Derive conf's environment for a kernel tree, like ``make -C srctree O=objtree VAR=...``.

    ``variables``: the ``VAR=value`` of the command line; ``environ``: the caller's environment
    (default os.environ); ``machine``/``kernel_release``: `uname -m`/`uname -r` (default: this
    host's).
    """
    src = Path(srctree).resolve()
    if not is_kernel_tree(src):
        raise KernelTreeError("%s is not a Linux source tree" % src)
    obj = Path(objtree).resolve() if objtree is not None else src
    cmdline = dict(variables or {})
    base = dict(os.environ if environ is None else environ)
    uname = os.uname()
    machine = machine or uname.machine
    kernel_release = kernel_release or uname.release

    def var(name, default=None):
        if name in cmdline:
            return cmdline[name]
        if name in _FROM_ENVIRONMENT and base.get(name, "") != "":
            return base[name]
        return default

    subarch = var("SUBARCH") or subarch_of(machine)
    arch = var("ARCH") or subarch
    srcarch = _SRCARCH.get(arch, arch)
    if not (src / "arch" / srcarch / "Kconfig").is_file():
        known = sorted(p.name for p in (src / "arch").iterdir() if (p / "Kconfig").is_file())
        import difflib
        names = known + ["i386", "x86_64", "sparc64", "parisc64"]
        close = difflib.get_close_matches(arch, names, n=3, cutoff=0.5)
        raise KernelTreeError("ARCH=%s: no arch/%s/Kconfig (%s)" % (
            arch, srcarch, "did you mean: %s?" % ", ".join(close) if close
            else "architectures: " + " ".join(sorted(names))))
    cross = var("CROSS_COMPILE", "")
    path_env = base.get("PATH", os.defpath)
    if not cross and srcarch in _CROSS_PREFIXES and arch != subarch:
        cross = _first_on_path(_CROSS_PREFIXES[srcarch], path_env)
    if not cross and var("cross_compiling") and srcarch in _CROSS_PREFIXES_IF_CROSS:
        cross = _first_on_path(_CROSS_PREFIXES_IF_CROSS[srcarch], path_env)

    env = dict(base)
    # what the caller's environment must not leak into conf: make would override these
    for k in list(env):
        if k in ("CC_VERSION_TEXT", "RUSTC_VERSION_TEXT", "KERNELVERSION", "SRCARCH", "srctree",
                 "objtree", "CLANG_FLAGS", "KCONFIG_DEFCONFIG_LIST", "KBUILD_DEFCONFIG") \
                or k.startswith("CONFIG_"):
            del env[k]
    env.update(cmdline)

    llvm = var("LLVM", "")
    prefix = suffix = ""
    if llvm:
        if llvm.endswith("/"):
            prefix = llvm
        elif llvm.startswith("-"):
            suffix = llvm
    tools = {}
    if llvm:
        tools["HOSTCC"] = prefix + "clang" + suffix
        tools["HOSTCXX"] = prefix + "clang++" + suffix
        for k, v in _LLVM_TOOLS.items():
            tools[k] = prefix + v + suffix
    else:
        tools["HOSTCC"] = "gcc"
        tools["HOSTCXX"] = "g++"
        for k, v in _GNU_TOOLS.items():
            tools[k] = cross + v
    tools.update(_FIXED_TOOLS)
    for k, v in tools.items():
        env[k] = cmdline.get(k, v)

    version, parts = kernel_version(src)
    env.update({k: v for k, v in parts.items() if k != "EXTRAVERSION"})
    env["KERNELVERSION"] = cmdline.get("KERNELVERSION", version)
    env["ARCH"] = arch
    env["SRCARCH"] = srcarch
    env["CROSS_COMPILE"] = cross
    if srcarch == "um":
        env["SUBARCH"] = subarch
        env["HEADER_ARCH"] = "x86" if subarch in ("i386", "x86_64") else subarch
    env["srctree"] = "." if obj == src else str(src)
    env["objtree"] = "."
    config = var("KCONFIG_CONFIG", ".config")
    env["KCONFIG_CONFIG"] = config
    kconfig = var("KBUILD_KCONFIG") or "Kconfig"
    env["KBUILD_KCONFIG"] = var("KBUILD_KCONFIG", "")
    defconfig = cmdline.get("KBUILD_DEFCONFIG") or \
        default_kbuild_defconfig(src, arch, srcarch, subarch, machine)
    env["KBUILD_DEFCONFIG"] = defconfig
    dlist = []
    if not var("cross_compiling"):
        dlist += ["/lib/modules/%s/.config" % kernel_release, "/etc/kernel-config",
                  "/boot/config-%s" % kernel_release]
    dlist.append("arch/%s/configs/%s" % (srcarch, defconfig))
    env["KCONFIG_DEFCONFIG_LIST"] = " ".join(dlist)
    extra_warn = var("KBUILD_EXTRA_WARN", "") or ""
    w = cmdline.get("W")
    if w:
        extra_warn = w
    if "c" in extra_warn:
        env["KCONFIG_WARN_UNKNOWN_SYMBOLS"] = "1"
    if "e" in extra_warn:
        env["KCONFIG_WERROR"] = "1"

    shell_env = dict(env, LC_ALL="C")
    if "CC_VERSION_TEXT" in cmdline:
        env["CC_VERSION_TEXT"] = cmdline["CC_VERSION_TEXT"]
    else:
        env["CC_VERSION_TEXT"] = _shell_line("LC_ALL=C %s --version 2>/dev/null" % env["CC"],
                                             shell_env, True)
    if "RUSTC_VERSION_TEXT" in cmdline:
        env["RUSTC_VERSION_TEXT"] = cmdline["RUSTC_VERSION_TEXT"]
    else:
        env["RUSTC_VERSION_TEXT"] = _shell_line("%s --version 2>/dev/null" % env["RUSTC"],
                                                env, False)
    if "clang" in env["CC_VERSION_TEXT"]:
        target = _CLANG_TARGETS.get(srcarch)
        if srcarch == "um":
            target = _CLANG_TARGETS.get(subarch)
        flags = ["--target=%s" % target] if target else []
        if var("LLVM_IAS") == "0":
            elfedit = shutil.which(cross + "elfedit", path=path_env)
            d = os.path.dirname(elfedit) + "/" if elfedit else ""
            flags += ["-fno-integrated-as", "--prefix=%s%s" % (d, os.path.basename(cross))]
        else:
            flags.append("-fintegrated-as")
        flags += ["-Werror=unknown-warning-option", "-Werror=ignored-optimization-argument",
                  "-Werror=option-ignored", "-Werror=unused-command-line-argument"]
        env["CLANG_FLAGS"] = " ".join(flags)
    env["LC_COLLATE"] = "C"
    env["LC_NUMERIC"] = "C"
    return KernelSetup(src, obj, arch, srcarch, defconfig, kconfig, config, env, cmdline)


def config_fragments(setup: KernelSetup, name: str) -> list[Path]:
    """The files a ``<name>.config`` target merges: kernel/configs/ then arch/$(SRCARCH)/configs/."""
    out = []
    for d in (setup.srctree / "kernel" / "configs", setup.srctree / "arch" / setup.srcarch / "configs"):
        p = d / name
        if p.is_file():
            out.append(p)
    return out


def all_config_fragments(setup: KernelSetup) -> list[str]:
    names = set()
    for d in (setup.srctree / "kernel" / "configs", setup.srctree / "arch" / setup.srcarch / "configs"):
        if d.is_dir():
            names.update(p.name for p in d.glob("*.config"))
    return sorted(names)


def named_defconfigs(setup: KernelSetup) -> list[str]:
    d = setup.srctree / "arch" / setup.srcarch / "configs"
    if not d.is_dir():
        return []
    return sorted(str(p.relative_to(d)) for p in d.rglob("*_defconfig"))
