"""`kbuild build` on the example project: real gcc, ar, ld and ninja.

One build directory is shared by the tests of the incremental-build class, in
order (full build, no-op, option changes, header touch, Kbuild change); the
expected rebuild sets are computed independently of fixdep, from the
dependencies ninja recorded (the sources and headers, grepped for the option).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbuild.build import driver
from kbuild.build.fixdep import config_symbols, parse_depfile

HELLO = Path(__file__).resolve().parent.parent / "examples" / "hello"

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")

_STEP = re.compile(r"^  (CC \[M\]|LD \[M\]|[A-Z]+) +(\S+)$", re.M)


def build(src, out, *args, env=None):
    """Run the driver in a subprocess (as a user would); (rc, stdout+stderr, steps)."""
    p = subprocess.run([sys.executable, "-m", "kbuild.build", "-C", str(src), "O=" + str(out),
                        *args], capture_output=True, text=True, env=env)
    text = p.stdout + p.stderr
    return p.returncode, text, _STEP.findall(p.stdout)


def compiled(steps):
    return {path for kind, path in steps if kind.startswith("CC") or kind == "AS"}


def configure(src, out, defconfig="configs/hello_defconfig"):
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, srctree=str(src))
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "kbuild-conf"),
                    "--defconfig=" + str(src / defconfig), "Kconfig"],
                   cwd=out, env=env, check=True, capture_output=True)


def set_options(src, out, **values):
    """Change options with the engine: .config, then the syncconfig outputs (stamps of the
    changed options only)."""
    from kbuild.kconfig import load
    cwd = os.getcwd()
    os.chdir(out)
    try:
        kc = load("Kconfig", environ=dict(os.environ, srctree=str(src), KBUILD_PREFETCH="0"),
                  stdout=lambda s: None, stderr=lambda s: None)
        kc.read_config(".config")
        for name, value in values.items():
            assert kc.set_value(name, value), name
        assert kc.write_config() == 0
        assert kc.write_autoconf(True) == 0
    finally:
        os.chdir(cwd)


def ninja_deps(out):
    """{object: [dependencies]} as ninja recorded them."""
    text = subprocess.run([driver.ninja_binary(), "-t", "deps"], cwd=out, capture_output=True,
                          text=True, check=True).stdout
    deps, cur = {}, None
    for line in text.splitlines():
        if line and not line[0].isspace():
            cur = line.split(":")[0]
            deps[cur] = []
        elif line.strip() and cur:
            deps[cur].append(line.strip())
    return deps


def mentioning(out, symbol):
    """The objects whose source or headers (not the stamps) contain the option's name."""
    word = re.compile(r"(?<![A-Za-z0-9_])CONFIG_%s(_MODULE)?(?![A-Za-z0-9_])" % symbol)
    result = set()
    for obj, deps in ninja_deps(out).items():
        for d in deps:
            if d.startswith("include/config/"):
                continue
            path = d if os.path.isabs(d) else os.path.join(out, d)
            if word.search(Path(path).read_text(errors="replace")):
                result.add(obj)
                break
    return result


@pytest.fixture(scope="class")
def tree(tmp_path_factory):
    base = tmp_path_factory.mktemp("build")
    src = base / "src"
    shutil.copytree(HELLO, src)
    out = base / "out"
    configure(src, out)
    return src, out


class TestIncremental:
    def test_full_build_runs_and_prints_the_configuration(self, tree):
        src, out = tree
        rc, text, steps = build(src, out, "-j4")
        assert rc == 0, text
        assert ("CC", "init/main.o") in steps
        assert ("CC [M]", "drivers/led.o") in steps
        assert ("LD [M]", "drivers/net/udp.o") in steps       # the two-part module, ld -r
        assert ("LD [M]", "drivers/net/udp.so") in steps
        assert ("AR", "built-in.a") in steps and ("AR", "lib/lib.a") in steps
        assert ("LD", "hello") in steps
        # Kbuild rules: a post-link step (always-y) and a generated header made before
        # the object that includes it
        assert ("STRIP", "hello.stripped") in steps and (out / "hello.stripped").exists()
        assert [k for k, p in steps].index("GEN") < steps.index(("CC", "init/version.o"))
        # a host program run during the build (lib/gen_crc32table writes crc32table.h)
        assert steps.index(("HOSTCC", "lib/gen_crc32table")) < \
            steps.index(("GEN", "lib/crc32table.h")) < steps.index(("CC [M]", "lib/crc32.o"))
        # thin archive of thin archives: every built-in object, in link order
        members = subprocess.run(["ar", "t", str(out / "built-in.a")], capture_output=True,
                                 text=True, check=True).stdout.split()
        assert [os.path.relpath(m, out) if os.path.isabs(m) else m for m in members] == [
            "init/main.o", "init/version.o", "kernel/printk.o", "kernel/notifier.o",
            "kernel/initcall.o", "kernel/module.o", "drivers/console.o", "drivers/gpio.o"]
        # kbuild's order: a directory's obj-y subdirectories first, then its obj-m
        assert (out / "modules.order").read_text().split() == [
            "drivers/net/udp.o", "drivers/led.o", "lib/crc32.o", "lib/stats.o"]
        run = subprocess.run([str(out / "hello")], capture_output=True, text=True, timeout=10)
        assert run.returncode == 0, run.stderr
        o = run.stdout
        assert "name:        kernel hackers" in o
        assert "language:    German" in o and "repeat:      5" in o
        assert o.count("Hallo, kernel hackers!") == 5
        assert "udp: net sender for localhost:9999 (module)" in o
        assert "led: 4 LED(s) (module)" in o and "crc32: table of 256 entries (module)" in o
        assert "console: char console (stdout, built-in) at 0x10000000" in o
        assert "stats: 5 greeting(s) sent over the network" in o
        # lib.a: only what the image uses is linked (ctype.o is not)
        syms = subprocess.run(["nm", str(out / "hello")], capture_output=True, text=True).stdout
        assert " strscpy" in syms and "hello_isupper" not in syms
        cdb = json.loads((out / "compile_commands.json").read_text())
        assert {e["output"] for e in cdb} >= {str(out / "init/main.o")}
        assert all("fixdep" not in e["command"] for e in cdb)

    def test_noop_rebuild_runs_nothing(self, tree):
        src, out = tree
        t = time.perf_counter()
        rc, text, steps = build(src, out)
        elapsed = time.perf_counter() - t
        assert rc == 0 and steps == [], text
        explain = subprocess.run([driver.ninja_binary(), "-n", "-d", "explain"], cwd=out,
                                 capture_output=True, text=True)
        assert "no work to do" in explain.stdout, explain.stdout + explain.stderr
        assert "ninja explain" not in explain.stderr
        assert elapsed < 5.0      # about 0.1 s (a loaded machine gets some slack)

    def test_one_option_rebuilds_exactly_its_users(self, tree):
        src, out = tree
        expected = mentioning(out, "HELLO_REPEAT")
        assert expected == {"init/main.o"}
        set_options(src, out, HELLO_REPEAT="2")
        rc, text, steps = build(src, out)
        assert rc == 0, text
        assert compiled(steps) == expected, text
        assert subprocess.run([str(out / "hello")], capture_output=True,
                              text=True).stdout.count("Hallo, kernel hackers!") == 2

    def test_option_in_a_header_rebuilds_the_header_users(self, tree):
        src, out = tree
        expected = mentioning(out, "HELLO_DEBUG")        # include/hello/printk.h
        assert len(expected) > 5
        set_options(src, out, HELLO_DEBUG="n")
        rc, text, steps = build(src, out)
        assert rc == 0, text
        assert compiled(steps) == expected, text

    def test_y_to_m_rebuilds_users_and_changed_command_lines(self, tree):
        src, out = tree
        users = mentioning(out, "HELLO_GPIO")
        set_options(src, out, HELLO_GPIO="m")
        rc, text, steps = build(src, out)
        assert rc == 0, text
        # gpio.o's command line changed (-fPIC -DMODULE): rebuilt as a module part
        assert compiled(steps) == users | {"drivers/gpio.o"}, text
        assert ("CC [M]", "drivers/gpio.o") in steps and ("LD [M]", "drivers/gpio.so") in steps
        assert "drivers/gpio.o" in (out / "modules.order").read_text().split()
        run = subprocess.run([str(out / "hello")], capture_output=True, text=True)
        assert "gpio: char GPIO controller (module)" in run.stdout
        rc, text, steps = build(src, out)
        assert steps == []

    def test_edited_config_is_synced_then_exact_rebuild(self, tree):
        src, out = tree
        expected = mentioning(out, "HELLO_UDP_PORT")
        assert expected == {"drivers/net/udp_main.o"}
        config = out / ".config"
        config.write_text(config.read_text().replace("CONFIG_HELLO_UDP_PORT=9999",
                                                     "CONFIG_HELLO_UDP_PORT=1234"))
        rc, text, steps = build(src, out)
        assert rc == 0, text
        assert "CONFIG_HELLO_UDP_PORT=1234" in (out / "include/config/auto.conf").read_text()
        assert compiled(steps) == expected, text
        run = subprocess.run([str(out / "hello")], capture_output=True, text=True)
        assert "datagram to localhost:1234" in run.stdout

    def test_touching_a_header_rebuilds_exactly_its_includers(self, tree):
        src, out = tree
        header = src / "include/hello/gpio.h"
        includers = {o for o, deps in ninja_deps(out).items()
                     if any(d.endswith("include/hello/gpio.h") for d in deps)}
        assert includers == {"drivers/gpio.o", "drivers/led.o"}
        os.utime(header)                        # now: newer than the objects
        rc, text, steps = build(src, out)
        assert rc == 0, text
        assert compiled(steps) == includers, text

    def test_kbuild_change_regenerates_and_rebuilds_the_changed_command(self, tree):
        src, out = tree
        kbuild = src / "drivers/Kbuild"
        kbuild.write_text(kbuild.read_text() + "CFLAGS_console.o := -DCONSOLE_EXTRA=1\n")
        rc, text, steps = build(src, out)
        assert rc == 0, text
        assert steps.count(("GEN", "build.ninja")) == 1, text     # by the driver, not again
        assert compiled(steps) == {"drivers/console.o"}, text

    def test_changed_compiler_command_rebuilds_everything(self, tree):
        src, out = tree
        everything = {o for o in ninja_deps(out) if o.endswith(".o")}   # not the host tools
        rc, text, steps = build(src, out, "-j4", "CC=gcc -fno-common")
        assert rc == 0, text
        assert compiled(steps) == everything, text
        rc, text, steps = build(src, out, "CC=gcc -fno-common")
        assert steps == []

    def test_launcher_is_used_and_kept_out_of_the_command_lines(self, tree, tmp_path):
        src, out = tree
        log = tmp_path / "launcher.log"
        (tmp_path / "bin").mkdir()
        launcher = tmp_path / "bin/ccache"              # a fake ccache: logs, then compiles
        launcher.write_text('#!/bin/sh\necho "$*" >> %s\nexec "$@"\n' % log)
        launcher.chmod(0o755)
        rc, text, steps = build(src, out, "CC=gcc -fno-common", "KBUILD_LAUNCHER=%s" % launcher)
        assert rc == 0 and steps == [], text           # turning it on rebuilds nothing
        (src / "lib/string.c").touch()
        rc, text, steps = build(src, out, "CC=%s gcc -fno-common" % launcher)
        assert rc == 0 and compiled(steps) == {"lib/string.o"}, text
        assert re.search(r"^gcc .* -c -o lib/string\.o ", log.read_text(), re.M)
        rc, text, steps = build(src, out, "CC=gcc -fno-common")
        assert rc == 0 and steps == [], text           # nor turning it off

    def test_v1_shows_commands(self, tree):
        src, out = tree
        (src / "init/version.c").touch()
        rc, text, steps = build(src, out, "V=1")
        assert rc == 0
        # the shell expands the launcher (empty here) when the command runs
        assert re.search(r"^\$\{KBUILD_LAUNCHER\} gcc .* -c -o init/version\.o ", text, re.M), text

    def test_bad_kbuild_is_reported_before_anything_is_built(self, tree):
        src, out = tree
        (src / "init/main.c").touch()          # would be rebuilt
        kbuild = src / "lib/Kbuild"
        saved = kbuild.read_text()
        lines = saved.splitlines()
        kbuild.write_text(saved + "obj-y += missing.o\n")
        try:
            rc, text, steps = build(src, out)
            assert rc != 0
            assert re.search(r"lib/Kbuild:%d: error: 'missing\.o': no source" % (len(lines) + 1),
                             text), text
            assert compiled(steps) == set()
        finally:
            kbuild.write_text(saved)
        rc, text, steps = build(src, out)
        assert rc == 0 and "init/main.o" in compiled(steps)


class TestErrors:
    @pytest.fixture
    def fresh(self, tmp_path):
        src = tmp_path / "src"
        shutil.copytree(HELLO, src)
        out = tmp_path / "out"
        configure(src, out)
        return src, out

    def test_missing_source(self, fresh):
        src, out = fresh
        k = src / "kernel/Kbuild"
        k.write_text(k.read_text() + "\nobj-$(CONFIG_MODULES) += nosuch.o\n")
        n = len(k.read_text().splitlines())
        rc, text, steps = build(src, out)
        assert rc == 1
        assert re.search(r"kernel/Kbuild:%d: error: 'nosuch\.o': no source nosuch\.c" % n, text)
        assert compiled(steps) == set() and not list(out.rglob("*.o"))

    def test_missing_directory(self, fresh):
        src, out = fresh
        k = src / "drivers/Kbuild"
        text0 = k.read_text().splitlines()
        text0.insert(3, "obj-y += nodir/")
        k.write_text("\n".join(text0) + "\n")
        rc, text, steps = build(src, out)
        assert rc == 1
        assert re.search(r"drivers/Kbuild:4: error: 'nodir/': no such directory", text), text
        assert compiled(steps) == set() and not list(out.rglob("*.o"))

    def test_missing_part_of_a_composite_object(self, fresh):
        src, out = fresh
        (src / "drivers/net/udp_proto.c").unlink()
        rc, text, steps = build(src, out)
        assert rc == 1
        assert re.search(r"drivers/net/Kbuild:6: error: 'udp_proto\.o'", text), text

    def test_unknown_config_symbol(self, fresh):
        src, out = fresh
        k = src / "lib/Kbuild"
        k.write_text(k.read_text() + "# CONFIG_IN_A_COMMENT is fine\nobj-$(CONFIG_HELLO_CRC23) += x.o\n")
        n = len(k.read_text().splitlines())
        rc, text, steps = build(src, out)
        assert rc == 1
        assert re.search(r"lib/Kbuild:%d: error: CONFIG_HELLO_CRC23: no such Kconfig symbol "
                         r"\(did you mean CONFIG_HELLO_CRC32\?\)" % n, text), text
        assert compiled(steps) == set()

    def test_keep_going(self, fresh):
        src, out = fresh
        (src / "drivers/gpio.c").write_text("this is not C;\n")
        rc, text, steps = build(src, out, "-k", "-j1")
        assert rc == 1
        assert "drivers/gpio.c:1" in text and "FAILED" in text
        assert (out / "init/main.o").exists() and (out / "lib/crc32.o").exists()
        assert not (out / "hello").exists()

    def test_out_of_tree_needs_a_clean_source_tree(self, fresh):
        src, out = fresh
        shutil.copy(out / ".config", src / ".config")
        rc, text, steps = build(src, out)
        assert rc == 1 and "the source tree is not clean" in text and steps == []

    def test_no_configuration(self, tmp_path):
        src = tmp_path / "src"
        shutil.copytree(HELLO, src)
        rc, text, steps = build(src, tmp_path / "out")
        assert rc == 1 and "no configuration" in text


def test_in_tree_build_with_default_configuration(tmp_path):
    """alldefconfig (no modules chosen), in the source tree, then clean."""
    src = tmp_path / "src"
    shutil.copytree(HELLO, src)
    env = dict(os.environ, srctree=".")
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "kbuild-conf"),
                    "--alldefconfig", "Kconfig"], cwd=src, env=env, check=True,
                   capture_output=True)
    p = subprocess.run([sys.executable, "-m", "kbuild.build", "-j2"], cwd=src,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    run = subprocess.run([str(src / "hello")], capture_output=True, text=True)
    assert "Hello, world!" in run.stdout and "language:    English" in run.stdout
    assert (src / "modules.order").read_text() == ""
    cdb = json.loads((src / "compile_commands.json").read_text())
    main = next(e for e in cdb if e["file"].endswith("init/main.c"))
    assert main["directory"] == str(src) and " init/main.c" in main["command"]
    (src / "init/build-info.h.old").write_text("")           # clean-files in init/Kbuild
    p = subprocess.run([sys.executable, "-m", "kbuild.build", "clean"], cwd=src,
                       capture_output=True, text=True)
    assert p.returncode == 0
    assert not (src / "init/build-info.h.old").exists() and not (src / "init/build-info.h").exists()
    p = subprocess.run([sys.executable, "-m", "kbuild.build", "mrproper"], cwd=src,
                       capture_output=True, text=True)
    assert p.returncode == 0
    for gone in (".config", "include/config", "include/generated", "build.ninja", ".kbuild",
                 ".ninja_log", "compile_commands.json"):
        assert not (src / gone).exists(), gone
    assert (src / "include/hello/printk.h").exists() and (src / "Kbuild").exists()
    assert not (src / "hello").exists() and not (src / "init/main.o").exists()
    assert (src / "init/main.c").exists()


# ---------------------------------------------------------------------------
# Units: fixdep and the Kbuild semantics (no compiler)

def test_fixdep_words():
    text = b"""#ifdef CONFIG_FOO
    IS_ENABLED(CONFIG_BAR_MODULE) XCONFIG_NOT _CONFIG_NOT2 CONFIG_FOO CONFIG_
    /* CONFIG_BAZ_1 */"""
    assert config_symbols(text) == ["FOO", "BAR", "BAZ_1"]


def test_fixdep_depfile_parsing():
    target, deps = parse_depfile("a/b.o: a/b.c include/x\\ y.h \\\n /usr/include/stdio.h\n")
    assert target == "a/b.o" and deps == ["a/b.c", "include/x y.h", "/usr/include/stdio.h"]


def _project(tmp_path, files, auto_conf):
    from kbuild.build import load_project
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (tmp_path / "include/config").mkdir(parents=True, exist_ok=True)
    (tmp_path / "include/config/auto.conf").write_text(auto_conf)
    return load_project(str(tmp_path))


def test_kbuild_semantics(tmp_path):
    files = {
        "Kbuild": "KBUILD_IMAGE := prog\nKBUILD_CFLAGS := -O2 -Wall\nobj-y += a/ b/\n"
                  "obj-$(CONFIG_M) += m/\n",
        "a/Kbuild": "obj-y += one.o two.o one.o\nobj-m += two.o three.o\n"
                    "obj-$(CONFIG_Y) += comp.o\ncomp-y := p1.o p2.o\ncomp-$(CONFIG_N) += p3.o\n"
                    "subdir-ccflags-y := -DSUB\nccflags-y := -DA -Wall\n"
                    "ccflags-remove-y := -Wall\nCFLAGS_one.o := -O3\nCFLAGS_REMOVE_one.o := -O2\n"
                    "lib-y := z.o one.o y.o\nobj-y += sub/\n",
        "a/sub/Kbuild": "obj-y := s.o\nobj-m := mod.o\nmod-objs := m1.o m2.o\n"
                        "KBUILD_CFLAGS += -DSUBDIR_OWN\nsubdir-y += deeper\n",
        "a/sub/deeper/Kbuild": "",
        "b/Makefile": "obj-y := b.o\n",
        "m/Kbuild": "obj-y := notbuilt.o\nobj-m := mm.o\n",
    }
    files["a/Kbuild"] += "obj-y += start.o\nasflags-y := -DASM\nAFLAGS_start.o := -DSTART\n"
    files["a/start.S"] = ""
    for f in ("a/one", "a/two", "a/three", "a/p1", "a/p2", "a/p3", "a/z", "a/y", "a/sub/s",
              "a/sub/m1", "a/sub/m2", "b/b", "m/notbuilt", "m/mm"):
        files[f + ".c"] = ""
    p = _project(tmp_path, files, "CONFIG_Y=y\nCONFIG_M=m\n")
    assert p.image == "prog"
    assert p.dirs["."].builtin == ["a/built-in.a", "b/built-in.a"]
    a = p.dirs["a"]
    # order kept, duplicates dropped, composite parts in place, built-in wins over module
    assert a.builtin == ["a/one.o", "a/two.o", "a/p1.o", "a/p2.o", "a/sub/built-in.a",
                         "a/start.o"]
    assert [m.name for m in a.modules] == ["a/three.o"]
    assert a.lib == ["a/y.o", "a/z.o"]                     # sorted, minus obj-y
    assert p.dirs["a/sub"].modules[0].parts == ["a/sub/m1.o", "a/sub/m2.o"]
    assert not p.dirs["m"].need_builtin and "m/notbuilt.o" not in p.objects
    assert p.modules_order() == ["a/sub/mod.o", "a/three.o", "m/mm.o"]
    one = p.objects["a/one.o"].cflags
    # -Wall removed by ccflags-remove-y, -O2 by CFLAGS_REMOVE_one.o, -DSUB from subdir-ccflags-y
    assert "-Wall" not in one and "-O2" not in one and "-O3" in one
    assert one.index("-DSUB") < one.index("-DA")
    assert "-DSUB" in p.objects["a/sub/s.o"].cflags
    # a Kbuild file's own KBUILD_CFLAGS change applies there and below (make exports it)
    assert "-DSUBDIR_OWN" in p.objects["a/sub/s.o"].cflags
    assert "-DSUBDIR_OWN" not in p.objects["a/one.o"].cflags
    assert "a/sub/deeper" in p.dirs and not p.dirs["a/sub/deeper"].need_builtin
    assert "-DSUB" not in p.objects["b/b.o"].cflags
    assert "-fPIC" in p.objects["a/sub/m1.o"].cflags and "-DMODULE" in p.objects["a/three.o"].cflags
    assert "-fPIC" not in p.objects["a/two.o"].cflags
    assert "-DKBUILD_MODNAME='\"mod\"'" in p.objects["a/sub/m1.o"].cflags
    start = p.objects["a/start.o"]
    assert start.assembler and start.source == "a/start.S"
    assert {"-D__ASSEMBLY__", "-DASM", "-DSTART", "-DSUB"} - set(start.cflags) == {"-DSUB"}


def test_c_fixdep_equals_python_fixdep(tmp_path):
    """The fixdep the build compiles (fixdep_c.SOURCE) writes what fixdep.py writes."""
    from kbuild.build import fixdep as pyfixdep
    from kbuild.build.fixdep_c import SOURCE
    (tmp_path / "fixdep.c").write_text(SOURCE)
    subprocess.run(["gcc", "-O2", "-Wall", "-Werror", "-o", str(tmp_path / "fixdep"),
                    str(tmp_path / "fixdep.c")], check=True)
    src = tmp_path / "src"
    (src / "include").mkdir(parents=True)
    (src / "a.c").write_text('#include "b.h"\n#if IS_ENABLED(CONFIG_FOO)\nint x; /* CONFIG_BAR_MODULE'
                             ' XCONFIG_NO CONFIG_ */\n#endif\n')
    (src / "include/b h.h").write_text("#define Y CONFIG_BAZ\n#ifdef CONFIG_FOO\n#endif\n")
    outside = tmp_path / "sys.h"
    outside.write_text("CONFIG_SYSTEM\n")
    gen = tmp_path / "include/generated/autoconf.h"
    gen.parent.mkdir(parents=True)
    gen.write_text("#define CONFIG_ALL 1\n")
    depfile = "obj/a.o: %s/a.c \\\n %s/include/b\\ h.h %s \\\n  %s\n" % (src, src, outside, gen)
    results = []
    for i, run in enumerate(("c", "py")):
        work = tmp_path / run
        (work / "include/config").mkdir(parents=True)
        (work / "include/config/FOO").write_text("")
        (work / "a.o.d").write_text(depfile)
        if run == "c":
            subprocess.run([str(tmp_path / "fixdep"), "include/config", str(src), "a.o.d",
                            "obj/a.o"], cwd=work, check=True)
        else:
            cwd = os.getcwd()
            os.chdir(work)
            try:
                assert pyfixdep.main(["include/config", str(src), "a.o.d", "obj/a.o"]) == 0
            finally:
                os.chdir(cwd)
        stamps = {p.name: p.stat().st_mtime == pyfixdep.OLD_STAMP_TIME
                  for p in (work / "include/config").iterdir()}
        results.append(((work / "a.o.d").read_text(), stamps))
    assert results[0] == results[1]
    text, stamps = results[0]
    assert "include/config/FOO" in text and "include/config/BAR" in text
    assert "include/config/BAZ" in text and "b\\ h.h" in text
    assert "SYSTEM" not in text and "autoconf.h" not in text and "ALL" not in text
    assert stamps == {"FOO": False, "BAR": True, "BAZ": True}   # missing ones created old


def test_kbuild_errors_have_locations(tmp_path):
    from kbuild.build import BuildError
    files = {"Kbuild": "obj-y += a/\n", "a/Kbuild": "# comment\nobj-y += ../a/\n"}
    with pytest.raises(BuildError) as e:
        _project(tmp_path, files, "")
    assert str(e.value).endswith("a/Kbuild:2: '../a/': not a subdirectory of a")
    files = {"Kbuild": "obj-y += a/\n", "a/Kbuild": "obj-y := \\\n  x.o\n"
             "obj-$(CONFIG_Y) += y.o\n", "a/x.c": ""}
    with pytest.raises(BuildError) as e:
        _project(tmp_path, files, "CONFIG_Y=y\n")
    assert "a/Kbuild:3: 'y.o': no source y.c or y.S" in str(e.value)
    files = {"Kbuild": "obj-y += a/\n", "a/Kbuild": "obj-y := x.o\nthis is no make line\n"}
    with pytest.raises(BuildError) as e:
        _project(tmp_path, files, "")
    assert "a/Kbuild:2: missing separator" in str(e.value)
    files = {"Kbuild": "obj-y += a/\n", "a/Kbuild": "$(error stop here)\n"}
    with pytest.raises(BuildError) as e:
        _project(tmp_path, files, "")
    assert "a/Kbuild:1: stop here" in str(e.value)
    files = {"Kbuild": "KCFLAGS_TEST := 1\nobj-y += a/\n", "a/Kbuild": "obj-y := x.o\nobj-y += lib.a\n"}
    with pytest.raises(BuildError) as e:
        _project(tmp_path, files, "")
    assert "a/Kbuild:2: 'lib.a' in obj-y" in str(e.value)


def test_composite_module_cannot_be_its_own_part(tmp_path):
    from kbuild.build import BuildError
    files = {"Kbuild": "obj-m += foo.o\nfoo-y := bar.o foo.o\n", "foo.c": "", "bar.c": ""}
    with pytest.raises(BuildError) as e:
        _project(tmp_path, files, "")
    assert "Kbuild:2: 'foo.o' is a composite module and one of its own parts" in str(e.value)


def test_kbuild_rules(tmp_path):
    from kbuild.build import BuildError
    files = {"Kbuild": "obj-y += a/\nalways-y += img.bin\n"
                       "$(obj)/img.bin: $(obj)/prog FORCE\n\t$(call if_changed,objcopy)\n"
                       "quiet_cmd_objcopy = OBJCOPY $@\ncmd_objcopy = $(OBJCOPY) -O binary $< $@\n"
                       "KBUILD_IMAGE := prog\n",
             "a/Kbuild": "obj-y := x.o\n$(obj)/x.o: $(obj)/gen.h\n"
                         "$(obj)/gen.h: $(src)/gen.sh FORCE\n\t$(call if_changed,gen)\n"
                         "cmd_gen = sh $< > $@\n",
             "a/x.c": "", "a/gen.sh": ""}
    p = _project(tmp_path, files, "")
    img, gen = p.commands[0], p.commands[1]
    assert (img.outputs, img.inputs, img.command, img.description) == (
        ["img.bin"], ["prog"], "objcopy -O binary prog img.bin", "OBJCOPY img.bin")
    assert (gen.outputs, gen.inputs, gen.command) == (["a/gen.h"], ["a/gen.sh"],
                                                      "sh a/gen.sh > a/gen.h")
    assert p.extra_deps == {"a/x.o": ["a/gen.h"]} and p.always == ["img.bin"]
    from kbuild.build.ninja import ninja_text
    text = ninja_text(p, ["regen"])
    assert "build a/x.o: cc a/x.c | a/gen.h || .kbuild/fixdep" in text
    assert "build all: phony prog modules img.bin" in text

    files["a/Kbuild"] = "obj-y := x.o\n\n$(obj)/y.h: FORCE\n\techo hi > $@\n"
    with pytest.raises(BuildError) as e:
        _project(tmp_path, files, "")
    assert "a/Kbuild:3: only $(call if_changed,NAME)" in str(e.value)
    files["a/Kbuild"] = "obj-y := x.o\n$(obj)/y.h: $(src)/nosuch FORCE\n\t$(call cmd,gen)\n" \
                        "cmd_gen = cp $< $@\n"
    with pytest.raises(BuildError) as e:
        _project(tmp_path, files, "")
    assert "a/Kbuild:2: 'a/nosuch': no such file, and no rule makes it" in str(e.value)


def test_hostprogs(tmp_path):
    from kbuild.build import BuildError
    from kbuild.build.ninja import ninja_text
    files = {"Kbuild": "obj-y += t/\n",
             "t/Kbuild": "hostprogs := one two\ntwo-objs := a.o b.o\nHOSTCFLAGS_one.o := -DONE\n",
             "t/one.c": "", "t/a.c": "", "t/b.c": ""}
    p = _project(tmp_path, files, "")
    one, two = p.hostprogs
    assert (one.path, one.sources, one.objects) == ("t/one", ["t/one.c"], [])
    assert "-DONE" in one.cflags and "-DONE" not in two.cflags
    assert two.objects == ["t/a.o", "t/b.o"]
    text = ninja_text(p, ["regen"])
    assert "build t/one: hostprog t/one.c" in text and "build t/two: hostld t/a.o t/b.o" in text
    del files["t/b.c"]
    (tmp_path / "t/b.c").unlink()
    with pytest.raises(BuildError) as e:
        _project(tmp_path, files, "")
    assert "t/Kbuild:2: hostprog 'two': no source b.c" in str(e.value)


def test_linux_trees_are_refused(tmp_path):
    for d in ("arch/x86", "scripts/kconfig"):
        (tmp_path / d).mkdir(parents=True)
    (tmp_path / "Makefile").write_text("")
    (tmp_path / "Kconfig").write_text("")
    out, err = io.StringIO(), io.StringIO()
    assert driver.main(["-C", str(tmp_path)], {}, out, err) == 2
    assert "is a Linux tree" in err.getvalue()


def test_python_fixdep_without_a_host_compiler(tmp_path):
    from kbuild.build.ninja import ninja_text
    files = {"Kbuild": "obj-y += x.o\n", "x.c": ""}
    from kbuild.build import load_project
    p = _project(tmp_path, files, "")
    assert "|| .kbuild/fixdep" in ninja_text(p, ["regen"])
    p = load_project(str(tmp_path), variables={"HOSTCC": "no-such-host-cc"})
    text = ninja_text(p, ["regen"])
    assert "fixdep.py include/config" in text and ".kbuild/fixdep" not in text


@pytest.mark.parametrize("target,expect", [
    ("allnoconfig", ["modules:     no", "Hello, world!"]),
    ("allmodconfig", ["console: char console (stdout, module)", "crc32: table of 256 entries (module)",
                      "can: net CAN bus sender (module)"]),
])
def test_other_configurations_build_and_run(tmp_path, target, expect):
    src = tmp_path / "src"
    shutil.copytree(HELLO, src)
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "kbuild-conf"),
                    "--" + target, "Kconfig"], cwd=out, env=dict(os.environ, srctree=str(src)),
                   check=True, capture_output=True)
    rc, text, steps = build(src, out, "-j4")
    assert rc == 0 and "warning" not in text, text
    run = subprocess.run([str(out / "hello")], capture_output=True, text=True)
    assert run.returncode == 0
    for e in expect:
        assert e in run.stdout, run.stdout


def test_kbuild_cli_build_and_clean(tmp_path):
    """`kbuild [-C DIR] [O=DIR] [-j N] build` and `kbuild clean` go to the build driver."""
    src = tmp_path / "src"
    shutil.copytree(HELLO, src)
    kbuild = os.path.join(os.path.dirname(sys.executable), "kbuild")
    run = lambda *a: subprocess.run([kbuild, "-C", str(src), "O=out", *a],  # noqa: E731
                                    capture_output=True, text=True)
    assert run("hello_defconfig").returncode == 0
    p = run("-j", "4", "build")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "  LD      hello" in p.stdout and (src / "out/hello").exists()
    p = run("build")
    assert p.returncode == 0 and "  CC" not in p.stdout
    p = subprocess.run([kbuild, "--help", "clean"], capture_output=True, text=True)
    assert p.returncode == 0 and "clean:" in p.stdout
    p = run("clean")
    assert p.returncode == 0 and not (src / "out/hello").exists()
    assert (src / "out/.config").exists()


def test_python_and_python3_of_one_venv_share_the_build_state(tmp_path, monkeypatch):
    """`kbuild build` (the script runs python3) after `python -m kbuild.build` does not
    rewrite build.ninja; another venv's interpreter does."""
    real = os.path.realpath(sys.executable)
    for name in ("python", "python3"):
        os.symlink(real, tmp_path / name)
    keys = []
    for exe in (tmp_path / "python", tmp_path / "python3", tmp_path / "other/python"):
        monkeypatch.setattr(sys, "executable", str(exe))
        keys.append(driver._key("/src", "/out", {}))
    assert keys[0] == keys[1] != keys[2]
