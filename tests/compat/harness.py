#!/usr/bin/env python3
"""Conformance harness: the kernel's C ``conf`` versus ``kbuild-conf``.

Every case is run twice through the kernel's own top-level Makefile, exactly
as a user would run it (``make -s ARCH=<arch> O=<dir> <target>``):

* in the *C* build directory ``scripts/kconfig/conf`` is the binary that make
  built from the kernel sources;
* in the *py* build directory the same file has been replaced by
  ``kbuild-conf`` (see :func:`install_conf`).

Both build directories start from a copy of one template in which make built
``conf`` once (``make build_config``).  Make does not relink the replaced file:
``scripts/Makefile.host`` relinks a host program through ``if_changed``, i.e.
only if a prerequisite (the ``*.o`` files) is newer than the target or the
link command differs from the one saved in ``scripts/kconfig/.conf.cmd``.
Neither is the case (the copy keeps the mtimes, the replacement is written
after the objects, and ``.conf.cmd`` is untouched), so make runs whatever
file it finds.  The harness checks this after every make call: if the file
was changed behind its back it stops with an error instead of comparing C
against C.

After each make step the harness compares the exit code, stdout, stderr and
every file in the build directory (contents and permission bits; the
``scripts/`` build products of the template are left out), and prints a
unified diff of the first differences.

Use it as a library (``tests/compat/test_compat.py``) or as a program::

    python tests/compat/harness.py                  # representative subset
    python tests/compat/harness.py --full -j2       # everything (make compat)
    python tests/compat/harness.py --series 6.1     # the subset on Linux 6.1 and its own C conf
    python tests/compat/harness.py --self-check     # C against C: must be all ok
    python tests/compat/harness.py --inject-diff -k x86_64:allnoconfig
    python tests/compat/harness.py --list --full

Only the standard library is used, so it also runs outside the venv.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import difflib
import fcntl
import lzma
import os
import queue
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
KERNEL_SERIES = "6.12"
# an older LTS tree, from before kconfig's rework of 6.11 (choices as symbols, tristate
# choices, other file formats): its own C conf is the reference there
OLDER_SERIES = "6.1"
DEV_TREE = Path("/work/linux/linux-source-6.12")
DEBIAN_CONFIG_DIR = Path("/usr/src/linux-config-6.12")


def debian_package(series: str = KERNEL_SERIES) -> str:
    return f"linux-source-{series}"


def tarball(series: str = KERNEL_SERIES) -> Path:
    return Path(f"/usr/src/linux-source-{series}.tar.xz")

# The five whole-tree targets of the sweep.  defconfig is always followed by
# savedefconfig in the same build directory (the result after each step is
# compared, so that case also covers plain defconfig).
BASIC_CASES: tuple[tuple[str, ...], ...] = (
    ("allnoconfig",),
    ("allyesconfig",),
    ("allmodconfig", "savedefconfig"),
    ("alldefconfig",),
    ("defconfig", "savedefconfig"),
)
REPRESENTATIVE_ARCHES = ("x86_64", "arm", "arm64", "riscv")
# ARCH values besides the arch/ directory names that the full sweep covers.
ARCH_ALIASES = ("x86_64", "i386")
NAMED_DEFCONFIG_ARCHES = ("x86", "arm", "arm64", "riscv", "powerpc", "mips")
DEBIAN_CONFIGS = ("config.amd64_none_amd64.xz", "config.amd64_none_cloud-amd64.xz")

DEFAULT_TIMEOUT = 300.0          # seconds per make call


class HarnessError(RuntimeError):
    """The harness itself could not do its job (not a conformance difference)."""


class KernelSourceUnavailable(HarnessError):
    pass


class MissingInput(HarnessError):
    """A case's input .config is not on this machine (reported per case)."""


# --------------------------------------------------------------------------
# Environment
# --------------------------------------------------------------------------

def is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> None:
    """For pytest: skip a test that cannot run here, but fail it in CI."""
    import pytest
    if is_ci():
        pytest.fail(f"{reason} (CI never skips conformance tests)", pytrace=False)
    pytest.skip(reason)


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kbuild"


def _looks_like_kernel(path: Path) -> bool:
    return (path / "Makefile").is_file() and (path / "scripts/kconfig/conf.c").is_file() \
        and (path / "Kconfig").is_file()


def _apt_install(package: str) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    apt = ["apt-get", "-q", "-y", "-o", "Dpkg::Use-Pty=0"]
    if os.geteuid() != 0 and shutil.which("sudo"):
        apt = ["sudo", "-E"] + apt
    print(f"harness: installing {package} with apt-get", file=sys.stderr, flush=True)
    if subprocess.run(apt + ["install", package], env=env, stdin=subprocess.DEVNULL,
                      stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(apt + ["update"], env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, check=False)
        subprocess.run(apt + ["install", package], env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, check=True)


def _extract_tarball(tarball: Path, series: str) -> Path:
    """Extract the Debian linux-source tarball once into the cache dir."""
    cache = _cache_root()
    cache.mkdir(parents=True, exist_ok=True)
    dest = cache / f"linux-{series}"
    stamp = cache / f"linux-{series}.stamp"
    st = tarball.stat()
    want = f"{tarball} {st.st_size} {st.st_mtime_ns}\n"
    with open(cache / f"linux-{series}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.is_file() and stamp.read_text() == want and _looks_like_kernel(dest):
            return dest
        print(f"harness: extracting {tarball} into {dest} (once)", file=sys.stderr, flush=True)
        stamp.unlink(missing_ok=True)
        shutil.rmtree(dest, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"linux-{series}.", dir=cache))
        try:
            if subprocess.run(["tar", "-xf", str(tarball), "-C", str(tmp)],
                              stdin=subprocess.DEVNULL).returncode != 0:
                raise KernelSourceUnavailable(f"extracting {tarball} failed")
            tops = [p for p in tmp.iterdir() if p.is_dir()]
            if len(tops) != 1 or not _looks_like_kernel(tops[0]):
                raise KernelSourceUnavailable(f"{tarball} does not hold one kernel tree")
            tops[0].rename(dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        stamp.write_text(want)
        return dest


def locate_kernel_source(series: str = KERNEL_SERIES) -> Path:
    """Find (or make) a Linux source tree of ``series`` (6.12, or OLDER_SERIES).

    Order: $KBUILD_LINUX_SRC (for 6.1: $KBUILD_LINUX_SRC_6_1); for 6.12 the development
    copy in /work/linux; the Debian tarball extracted into ~/.cache/kbuild (installing
    linux-source-<series> with apt-get first when running in CI).  Raises
    KernelSourceUnavailable.
    """
    var = "KBUILD_LINUX_SRC" if series == KERNEL_SERIES else "KBUILD_LINUX_SRC_" + series.replace(".", "_")
    env = os.environ.get(var)
    if env:
        path = Path(env).resolve()
        if not _looks_like_kernel(path):
            raise KernelSourceUnavailable(f"{var}={env} is not a kernel source tree")
        return path
    if series == KERNEL_SERIES and _looks_like_kernel(DEV_TREE):
        return DEV_TREE
    tar, package = tarball(series), debian_package(series)
    if not tar.is_file():
        if not is_ci():
            raise KernelSourceUnavailable(
                f"no Linux {series} source: set {var} or apt-get install {package}")
        try:
            _apt_install(package)
        except (OSError, subprocess.CalledProcessError) as e:
            raise KernelSourceUnavailable(f"apt-get install {package} failed: {e}") from e
        if not tar.is_file():
            raise KernelSourceUnavailable(f"{package} installed but {tar} missing")
    return _extract_tarball(tar, series)


def locate_py_conf() -> Path:
    """The kbuild-conf executable to test."""
    candidates = []
    if os.environ.get("KBUILD_CONF_EXE"):
        candidates.append(Path(os.environ["KBUILD_CONF_EXE"]))
    # the venv running this (make test: .venv/bin/python), then the repo's .venv
    candidates += [Path(sys.executable).parent / "kbuild-conf", REPO_ROOT / ".venv/bin/kbuild-conf"]
    which = shutil.which("kbuild-conf")
    if which:
        candidates.append(Path(which))
    for cand in candidates:
        if cand.is_file() and os.access(cand, os.X_OK):
            return cand.absolute()
    raise HarnessError("kbuild-conf not found: run `make venv` or set KBUILD_CONF_EXE")


# Variables of the caller's environment that would change what make or conf
# do; the harness starts every make from an environment without them.
_STRIP_VARS = {
    "ARCH", "SUBARCH", "SRCARCH", "CROSS_COMPILE", "O", "V", "W", "C", "M", "LLVM", "LLVM_IAS",
    "CC", "LD", "AR", "NM", "HOSTCC", "HOSTCXX", "HOSTLD", "OBJCOPY", "OBJDUMP", "READELF",
    "STRIP", "RUSTC", "BINDGEN", "LOCALVERSION", "INSTALL_PATH", "srctree", "objtree",
    "KERNELRELEASE", "KERNELVERSION", "MAKEFLAGS", "MFLAGS", "GNUMAKEFLAGS", "MAKELEVEL",
    "MAKEOVERRIDES", "MAKEFILES", "MAKE_TERMOUT", "MAKE_TERMERR", "CLANG_FLAGS",
    # not a behaviour change, but without it every kbuild-conf start recompiles
    # all modules, which only makes the run slower
    "PYTHONDONTWRITEBYTECODE",
}
_STRIP_PREFIXES = ("KCONFIG_", "KBUILD_", "CONFIG_")


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in _STRIP_VARS and not k.startswith(_STRIP_PREFIXES)}
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    if extra:
        env.update(extra)
    return env


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Case:
    arch: str
    steps: tuple[str, ...]
    input: str | None = None          # path of a .config (or .xz) copied in before step 1
    silent: bool = True               # make -s (conf -s) or the normal chatty output
    env: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        s = f"{self.arch}:{'+'.join(self.steps)}"
        if self.input:
            s += "@" + Path(self.input).name.removesuffix(".xz")
        for k, v in self.env:
            s += f":{k}={v}"
        if not self.silent:
            s += ":verbose"
        return s


def kernel_arches(src: Path) -> list[str]:
    return sorted(p.name for p in (src / "arch").iterdir() if (p / "Kconfig").is_file())


def _named_defconfigs(src: Path, srcarch: str) -> list[Case]:
    cases = []
    configs = src / "arch" / srcarch / "configs"
    for path in sorted(configs.rglob("*_defconfig")):
        target = str(path.relative_to(configs))
        arch = srcarch
        if srcarch == "x86":     # i386_defconfig only makes sense with ARCH=i386
            arch = target.removesuffix("_defconfig")
        cases.append(Case(arch, (target,)))
    return cases


def _debian_config(name: str) -> str:
    return str(DEBIAN_CONFIG_DIR / name)


def representative_cases() -> list[Case]:
    """The subset that `make test` runs (needs no kernel tree to enumerate)."""
    cases = [Case(a, steps) for a in REPRESENTATIVE_ARCHES for steps in BASIC_CASES]
    cases += [
        Case("i386", ("i386_defconfig",)),
        Case("arm", ("vexpress_defconfig",)),
        Case("arm", ("imx_v6_v7_defconfig", "savedefconfig")),
        Case("riscv", ("rv32_defconfig",)),          # fragment merge via merge_config.sh
        Case("mips", ("malta_defconfig",)),
        Case("powerpc", ("ppc64le_defconfig",)),     # make target, not a file
        Case("x86_64", ("tinyconfig",)),             # KCONFIG_ALLCONFIG + fragment
        Case("x86_64", ("defconfig", "savedefconfig"), silent=False),
    ]
    cases += [Case("x86_64", ("olddefconfig",), input=_debian_config(n)) for n in DEBIAN_CONFIGS]
    # seeded randconfig must reproduce the C tool's configuration exactly
    cases += [
        Case("x86_64", ("randconfig",), env=(("KCONFIG_SEED", "0x1"),)),
        Case("arm", ("randconfig",), env=(("KCONFIG_SEED", "12345"),)),
        Case("arm64", ("randconfig",), env=(("KCONFIG_SEED", "0xdeadbeef"),
                                            ("KCONFIG_PROBABILITY", "10:30"))),
        Case("riscv", ("randconfig",), env=(("KCONFIG_SEED", "7"), ("KCONFIG_PROBABILITY", "90"))),
    ]
    cases.append(Case("x86_64", ("olddefconfig", "savedefconfig"),
                      input=_debian_config(DEBIAN_CONFIGS[0]), silent=False))
    return cases


def full_cases(src: Path) -> list[Case]:
    """The full sweep (`make compat`)."""
    arches = kernel_arches(src)
    arches += [a for a in ARCH_ALIASES if a not in arches]
    cases = [Case(a, steps) for a in arches for steps in BASIC_CASES]
    for srcarch in NAMED_DEFCONFIG_ARCHES:
        cases += _named_defconfigs(src, srcarch)
    # a few more conf modes, on x86_64
    deb = sorted(str(p) for p in DEBIAN_CONFIG_DIR.glob("config.*.xz"))
    cases += [Case("x86_64", ("olddefconfig", "savedefconfig"), input=p) for p in deb]
    if deb:
        cases += [
            Case("x86_64", ("listnewconfig",), input=deb[0]),
            Case("x86_64", ("helpnewconfig",), input=deb[0]),
            Case("x86_64", ("olddefconfig", "yes2modconfig", "mod2yesconfig", "mod2noconfig"),
                 input=deb[0]),
            Case("x86_64", ("syncconfig",), input=deb[0]),
        ]
    cases += [
        Case("x86_64", ("tinyconfig",)),
        Case("x86_64", ("randconfig",), env=(("KCONFIG_SEED", "0x12345678"),)),
        Case("arm64", ("randconfig",), env=(("KCONFIG_SEED", "0xdeadbeef"),)),
    ]
    # many seeds on several arches: the same seed must give the C tool's configuration
    cases += [
        Case(arch, ("randconfig",), env=(("KCONFIG_SEED", seed),))
        for arch, seed in (("x86_64", "1"), ("x86_64", "2"), ("x86_64", "0xfffffffe"),
                           ("arm", "3"), ("arm", "0x7fffffff"), ("arm64", "4"), ("riscv", "5"),
                           ("powerpc", "6"), ("mips", "7"), ("s390", "8"), ("i386", "9"),
                           ("loongarch", "10"))
    ]
    cases += [
        Case("x86_64", ("allnoconfig",), silent=False),
        Case("x86_64", ("defconfig", "olddefconfig", "savedefconfig"), silent=False),
    ]
    seen: set[str] = set()
    unique = []
    for c in cases:
        if c.id not in seen:
            seen.add(c.id)
            unique.append(c)
    return unique


# --------------------------------------------------------------------------
# Build directories
# --------------------------------------------------------------------------

SELF_CHECK = "self-check"
INJECT_DIFF = "inject-diff"
CONF_REL = "scripts/kconfig/conf"


def install_conf(dst: Path, exe: Path) -> bytes:
    """Make `dst` (a build dir's scripts/kconfig/conf) run `exe`.

    A Python console script (kbuild-conf) is copied as it is: its shebang names
    the venv's interpreter and it only imports kbuild.conf, so the copy works
    from anywhere, and because the kernel passes the script's path to the
    interpreter, sys.argv[0] is "scripts/kconfig/conf" as for the C binary.
    Anything else gets a two-line sh wrapper that execs it.
    Returns the bytes written (to detect a relink later).
    """
    head = exe.read_bytes()[:256]
    if head.startswith(b"#!") and b"python" in head.split(b"\n", 1)[0]:
        data = exe.read_bytes()
    else:
        data = f"#!/bin/sh\nexec '{exe}' \"$@\"\n".encode()
    tmp = dst.with_name(dst.name + ".kbuild-tmp")
    tmp.write_bytes(data)
    tmp.chmod(0o755)
    os.replace(tmp, dst)
    # written now, so newer than every object file: make sees it up to date
    return data


class Workspace:
    """Owns the template build dir and one (C, py) pair of build dirs per slot."""

    def __init__(self, src: Path, py_conf: Path | str, root: Path | None = None,
                 keep: bool = False, timeout: float = DEFAULT_TIMEOUT):
        self.src = src
        self.keep = keep
        self.timeout = timeout
        if root is None:
            base = os.environ.get("KBUILD_COMPAT_WORKDIR")
            if base:
                Path(base).mkdir(parents=True, exist_ok=True)
            root = Path(tempfile.mkdtemp(prefix="kbuild-compat-", dir=base or None))
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._template: Path | None = None
        self._free: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._nslots = 0
        self._baseline: set[str] = set()
        self._py_conf_spec = py_conf
        self.py_conf: Path | None = None

    # -- setup -------------------------------------------------------------
    def template(self) -> Path:
        with self._lock:
            if self._template is None:
                self._template = self._build_template()
            return self._template

    def _build_template(self) -> Path:
        tdir = self.root / "template"
        shutil.rmtree(tdir, ignore_errors=True)
        # no ARCH: conf is a host program, identical for every ARCH
        r = subprocess.run(["make", "-s", "-C", str(self.src), f"O={tdir}", "build_config"],
                           env=clean_env(), stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=self.timeout)
        if r.returncode != 0 or not (tdir / CONF_REL).is_file():
            raise HarnessError(f"building the C conf failed:\n{r.stdout}{r.stderr}")
        self._baseline = set(_walk(tdir))
        tools = self.root / "tools"
        tools.mkdir(exist_ok=True)
        spec = self._py_conf_spec
        if spec in (SELF_CHECK, INJECT_DIFF):
            cconf = tools / "conf-c"
            shutil.copy2(tdir / CONF_REL, cconf)
            if spec == SELF_CHECK:
                self.py_conf = cconf
            else:
                inj = tools / "conf-inject-diff"
                inj.write_text(
                    "#!/bin/sh\n"
                    "# C conf, then a deliberate difference (harness test)\n"
                    f"'{cconf}' \"$@\"\nrc=$?\n"
                    "[ -f .config ] && echo '# injected difference' >> .config\n"
                    "exit $rc\n")
                inj.chmod(0o755)
                self.py_conf = inj
        else:
            self.py_conf = Path(spec).absolute()
        return tdir

    def acquire(self) -> int:
        self.template()
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            n = self._nslots
            self._nslots += 1
        slot = self.root / f"slot{n}"
        for side in ("c", "p"):
            d = slot / side
            shutil.rmtree(d, ignore_errors=True)
            d.parent.mkdir(parents=True, exist_ok=True)
            # cp -a keeps the mtimes, so make considers conf up to date
            subprocess.run(["cp", "-a", str(self._template), str(d)], check=True)
        install_conf(slot / "p" / CONF_REL, self.py_conf)
        return n

    def release(self, n: int) -> None:
        self._free.put(n)

    def dirs(self, n: int) -> tuple[Path, Path]:
        slot = self.root / f"slot{n}"
        return slot / "c", slot / "p"

    def cleanup(self) -> None:
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    # -- per case ----------------------------------------------------------
    def reset(self, odir: Path) -> None:
        """Remove everything a previous case left in a build dir."""
        removed: list[str] = []
        for rel in sorted(set(_walk(odir)) - self._baseline):
            if removed and rel.startswith(removed[-1] + "/"):
                continue        # inside a directory removed just before
            p = odir / rel
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
                removed.append(rel)
            else:
                p.unlink(missing_ok=True)

    def snapshot(self, odir: Path) -> dict[str, tuple[str, bytes]]:
        """Every file/dir/symlink except the template's scripts/ build products."""
        skip = {r for r in self._baseline if r == "scripts" or r.startswith("scripts/")}
        return snapshot_dir(odir, skip)


def snapshot_dir(odir: Path, skip: set[str] = frozenset()) -> dict[str, tuple[str, bytes]]:
    """{relative path: (kind and permission bits, contents)} of a directory tree."""
    snap = {}
    for rel in _walk(odir):
        if rel in skip:
            continue
        p = odir / rel
        st = os.lstat(p)
        mode = f"{stat.S_IMODE(st.st_mode):04o}"
        if stat.S_ISLNK(st.st_mode):
            snap[rel] = ("link", os.readlink(p).encode())
        elif stat.S_ISDIR(st.st_mode):
            snap[rel] = ("dir " + mode, b"")
        else:
            snap[rel] = ("file " + mode, p.read_bytes())
    return snap


def _walk(top: Path) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(top):
        rel = os.path.relpath(dirpath, top)
        rel = "" if rel == "." else rel + "/"
        for name in dirnames + filenames:
            out.append(rel + name)
    return out


# --------------------------------------------------------------------------
# Running and comparing
# --------------------------------------------------------------------------

@dataclasses.dataclass
class StepResult:
    argv: list[str]
    rc: int
    stdout: bytes
    stderr: bytes
    files: dict[str, tuple[str, bytes]]
    seconds: float


@dataclasses.dataclass
class CaseResult:
    case: Case
    identical: bool
    report: str
    seconds_c: float
    seconds_py: float
    c_rc: list[int]
    error: bool = False       # the case could not be run (report says why)

    def line(self) -> str:
        tag = "ok  " if self.identical else ("ERR " if self.error else "DIFF")
        note = ""
        if any(self.c_rc):
            note = f" [C exit {','.join(map(str, self.c_rc))}]"
        return (f"{tag} {self.case.id}  (C {self.seconds_c:.1f}s, py {self.seconds_py:.1f}s)"
                f"{note}")


def run_killable(argv: list[str], timeout: float, **kw) -> tuple[int, bytes, bytes]:
    """subprocess.run(capture_output) that kills the whole process tree on timeout.

    (subprocess.run's timeout kills only make, and a hung conf below it would
    keep running.)  A timeout is reported as exit code -999.
    """
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, **kw)
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return -999, out, err + f"\n[harness: killed after {timeout:.0f}s]\n".encode()


def _prepare_input(case: Case, odir: Path) -> None:
    if not case.input:
        return
    src = Path(case.input)
    if not src.is_file():
        raise MissingInput(f"input config {src} not found")
    data = lzma.decompress(src.read_bytes()) if src.suffix == ".xz" else src.read_bytes()
    (odir / ".config").write_bytes(data)


def run_side(ws: Workspace, case: Case, odir: Path, expect_conf: bytes | None) -> list[StepResult]:
    ws.reset(odir)
    _prepare_input(case, odir)
    conf = odir / CONF_REL
    before = conf.stat().st_mtime_ns
    env = clean_env(dict(case.env))
    results = []
    for target in case.steps:
        argv = ["make"] + (["-s"] if case.silent else []) + \
               ["-C", str(ws.src), f"ARCH={case.arch}", f"O={odir}", target]
        t0 = time.perf_counter()
        rc, out, err = run_killable(argv, ws.timeout, cwd=odir, env=env)
        secs = time.perf_counter() - t0
        # guard the substitution: make must not have rebuilt conf
        if expect_conf is not None and conf.read_bytes() != expect_conf:
            raise HarnessError(f"make rebuilt {conf}: the kbuild-conf substitution was undone")
        if conf.stat().st_mtime_ns != before:
            raise HarnessError(f"make rebuilt {conf} during {case.id}")
        results.append(StepResult(argv, rc, out, err, ws.snapshot(odir), secs))
    return results


def _norm(data: bytes, odir: Path) -> bytes:
    """Build dir paths differ between the sides by one letter: hide them."""
    return data.replace(str(odir).encode(), b"$O")


def _is_text(data: bytes) -> bool:
    return b"\0" not in data[:8192]


def _udiff(a: bytes, b: bytes, name: str, max_lines: int) -> list[str]:
    if not (_is_text(a) and _is_text(b)):
        return [f"  binary {name} differs ({len(a)} vs {len(b)} bytes)"]
    la = a.decode("utf-8", "replace").splitlines(keepends=True)
    lb = b.decode("utf-8", "replace").splitlines(keepends=True)
    lines = list(difflib.unified_diff(la, lb, f"C/{name}", f"py/{name}", n=2))
    out = [ln.rstrip("\n") for ln in lines[:max_lines]]
    if len(lines) > max_lines:
        out.append(f"  ... ({len(lines) - max_lines} more diff lines)")
    if a and b and a.endswith(b"\n") != b.endswith(b"\n"):
        out.append("  (newline at end of file differs)")
    return out


def compare(case: Case, c: list[StepResult], p: list[StepResult], cdir: Path, pdir: Path,
            max_lines: int = 40, max_items: int = 4) -> list[str]:
    """Human-readable list of differences (empty list: identical)."""
    report: list[str] = []
    items = 0
    for i, (rc, rp) in enumerate(zip(c, p)):
        step = f"step {i + 1} ({case.steps[i]})"
        diffs: list[str] = []
        if rc.rc != rp.rc:
            diffs.append(f" exit code: C {rc.rc}, py {rp.rc}")
        for stream in ("stdout", "stderr"):
            a = _norm(getattr(rc, stream), cdir)
            b = _norm(getattr(rp, stream), pdir)
            if a != b and items < max_items:
                items += 1
                diffs.append(f" {stream} differs:")
                diffs += ["  " + ln for ln in _udiff(a, b, stream, max_lines)]
        only_c = sorted(set(rc.files) - set(rp.files))
        only_p = sorted(set(rp.files) - set(rc.files))
        for label, names in (("only in C", only_c), ("only in py", only_p)):
            if names:
                shown = ", ".join(names[:15]) + (f", ... ({len(names)} in all)" if len(names) > 15 else "")
                diffs.append(f" files {label}: {shown}")
        changed = []
        for name in sorted(set(rc.files) & set(rp.files)):
            ka, da = rc.files[name]
            kb, db = rp.files[name]
            da, db = _norm(da, cdir), _norm(db, pdir)
            if ka != kb or da != db:
                changed.append((name, ka, kb, da, db))
        if changed:
            diffs.append(f" {len(changed)} file(s) differ: " +
                         ", ".join(n for n, *_ in changed[:15]) + (" ..." if len(changed) > 15 else ""))
            for name, ka, kb, da, db in changed:
                if items >= max_items:
                    break
                items += 1
                if ka != kb:
                    diffs.append(f"  {name}: type/mode C {ka!r}, py {kb!r}")
                if da != db:
                    diffs += ["  " + ln for ln in _udiff(da, db, name, max_lines)]
        if diffs:
            report.append(step + ":")
            report += diffs
    return report


def run_case(ws: Workspace, case: Case, max_lines: int = 40) -> CaseResult:
    if case.input and not Path(case.input).is_file():
        return CaseResult(case, False, f"input config {case.input} not found", 0.0, 0.0, [],
                          error=True)
    n = ws.acquire()
    try:
        cdir, pdir = ws.dirs(n)
        c = run_side(ws, case, cdir, None)
        expect = (pdir / CONF_REL).read_bytes()
        p = run_side(ws, case, pdir, expect)
        report = compare(case, c, p, cdir, pdir, max_lines=max_lines)
        return CaseResult(case, not report, "\n".join(report),
                          sum(s.seconds for s in c), sum(s.seconds for s in p),
                          [s.rc for s in c])
    finally:
        ws.release(n)


def run_cases(ws: Workspace, cases: list[Case], jobs: int = 1, max_lines: int = 40,
              on_result=None) -> list[CaseResult]:
    """Run cases on `jobs` threads (each make is its own process)."""
    results: dict[int, CaseResult] = {}
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futs = {pool.submit(run_case, ws, c, max_lines): i for i, c in enumerate(cases)}
        for fut in concurrent.futures.as_completed(futs):
            res = fut.result()
            results[futs[fut]] = res
            if on_result:
                on_result(res)
    finally:
        # on an error, do not start the cases still queued
        pool.shutdown(wait=True, cancel_futures=True)
    return [results[i] for i in range(len(cases))]


def run_direct(exe: Path, srctree: Path, steps: list[list[str]], odir: Path,
               env: dict[str, str] | None = None, timeout: float = 120.0) -> list[StepResult]:
    """Run conf-style `exe` directly (no make) in `odir` on a Kconfig project.

    Each step is the argument list before "Kconfig", e.g. ["-s", "--alldefconfig"].
    """
    odir.mkdir(parents=True, exist_ok=True)
    env = clean_env(dict(env or {}, srctree=str(srctree)))
    results = []
    for args in steps:
        argv = [str(exe), *args, "Kconfig"]
        t0 = time.perf_counter()
        rc, out, err = run_killable(argv, timeout, cwd=odir, env=env)
        results.append(StepResult(argv, rc, out, err, snapshot_dir(odir),
                                  time.perf_counter() - t0))
    return results


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="the full sweep instead of the subset")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("-k", "--filter", action="append", default=[],
                    help="only cases whose id matches this regex (repeatable: any of them)")
    ap.add_argument("--list", action="store_true", help="print the case ids and exit")
    ap.add_argument("--py-conf", help="executable to test (default: .venv/bin/kbuild-conf)")
    ap.add_argument("--self-check", action="store_true",
                    help="put the C conf on both sides (must be all ok)")
    ap.add_argument("--inject-diff", action="store_true",
                    help="C conf on both sides, py side appends a line to .config (must DIFF)")
    ap.add_argument("--workdir", type=Path, help="build dirs here (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the build dirs")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="per make call")
    ap.add_argument("--max-diff-lines", type=int, default=40)
    ap.add_argument("--series", default=KERNEL_SERIES, choices=(KERNEL_SERIES, OLDER_SERIES),
                    help=f"the kernel tree and its C conf (default {KERNEL_SERIES})")
    args = ap.parse_args(argv)

    try:
        src = locate_kernel_source(args.series) if (args.full or not args.list) else None
        cases = full_cases(src) if args.full else representative_cases()
        if args.filter:
            cases = [c for c in cases if any(re.search(pat, c.id) for pat in args.filter)]
        if not cases:
            raise HarnessError("no case selected")
        if args.list:
            for c in cases:
                print(c.id)
            return 0
        if args.self_check:
            spec: Path | str = SELF_CHECK
        elif args.inject_diff:
            spec = INJECT_DIFF
        else:
            spec = Path(args.py_conf) if args.py_conf else locate_py_conf()
        ws = Workspace(src, spec, args.workdir, keep=args.keep, timeout=args.timeout)
    except HarnessError as e:
        print(f"harness: {e}", file=sys.stderr)
        return 2

    print(f"kernel: {src}\nconf under test: {spec}\nworkdir: {ws.root}\n"
          f"{len(cases)} case(s), -j{args.jobs}", flush=True)
    t0 = time.perf_counter()

    def show(res: CaseResult) -> None:
        print(res.line(), flush=True)
        if not res.identical:
            print("\n".join("    " + ln for ln in res.report.splitlines()), flush=True)

    try:
        results = run_cases(ws, cases, args.jobs, args.max_diff_lines, on_result=show)
    except HarnessError as e:
        print(f"harness: {e}", file=sys.stderr)
        return 2
    finally:
        ws.cleanup()
    same = sum(r.identical for r in results)
    csec = sum(r.seconds_c for r in results)
    psec = sum(r.seconds_py for r in results)
    print(f"time: {time.perf_counter() - t0:.0f}s wall; make total C {csec:.0f}s, py {psec:.0f}s")
    bad = [r.case.id for r in results if not r.identical]
    if bad:
        print("not identical:\n" + "\n".join("  " + i for i in bad))
    print(f"compat: {same}/{len(results)} identical")
    return 0 if same == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
