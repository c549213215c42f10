"""`kbuild objects`, `kbuild which` and `kbuild why FILE` on the real 6.12 tree (x86_64 tinyconfig).

The real `kbuild` program runs in the output directory that test_make_tree prepares and caches
(`make tinyconfig && make prepare`, and the text of `make -n vmlinux modules` there):

* `objects --json`: every built-in.a and lib.a member list, the modules and modules.order equal
  what make's dry run writes, in make's order; `objects DIR` is that subtree;
* `which FILE`: the conditions of a few real files, the chain of Kbuild lines, the state now;
* `why FILE`: the answer for a driver that tinyconfig leaves out; the changes it proposes,
  made with `kbuild set` in a copy of the configuration, build the file in;
* errors (no .config, missing file or directory) are one line, exit 1, no traceback.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from test_make_tree import ksrc, prepared, real_lists, real_module_parts  # noqa: E402,F401

E1000 = "drivers/net/ethernet/intel/e1000/e1000_main.c"


def _kbuild_exe() -> Path:
    for cand in (Path(sys.executable).parent / "kbuild", harness.REPO_ROOT / ".venv/bin/kbuild"):
        if cand.is_file():
            return cand
    pytest.fail("kbuild executable not found (pip install -e .)")


def kbuild(src, out, *args, check=True):
    r = subprocess.run([str(_kbuild_exe()), "-C", str(src), f"O={out}", "ARCH=x86_64", *args],
                       env=harness.clean_env(), stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=300)
    if check:
        assert r.returncode == 0, r.stderr[-3000:]
        assert "Traceback" not in r.stderr
    return r


@pytest.fixture(scope="module")
def tiny(ksrc):  # noqa: F811
    return prepared(ksrc, "tinyconfig")


def test_objects_json_equals_make(ksrc, tiny):  # noqa: F811
    out, text = tiny
    builtin, libs, order = real_lists(text)
    assert builtin, "no ar commands in make -n output"
    rec = json.loads(kbuild(ksrc, out, "objects", "--json").stdout)
    assert rec["arch"] == "x86_64" and rec["start"] == "."
    dirs = {d["dir"]: d for d in rec["directories"]}
    assert len(dirs) == len(rec["directories"]) > 300
    ours = {d: v["built_in"] for d, v in dirs.items() if v["built_in"] is not None}
    diffs = [d for d in sorted(set(ours) | set(builtin)) if ours.get(d) != builtin.get(d)]
    assert not diffs, [(d, builtin.get(d), ours.get(d)) for d in diffs[:3]]
    assert {d: v["lib"] for d, v in dirs.items() if v["lib"] is not None} == libs
    assert rec["modules_order"] == (order or [])
    parts = {m["object"]: m["parts"] for v in dirs.values() for m in v["modules"]}
    assert {m: parts.get(m) for m in real_module_parts(text)} == real_module_parts(text)
    # every directory listed as descended is a directory the walk visited
    assert all(s in dirs for v in dirs.values() for s in v["subdirs"])


def test_objects_text_and_subtree(ksrc, tiny):  # noqa: F811
    out, text = tiny
    builtin, _libs, _order = real_lists(text)
    r = kbuild(ksrc, out, "objects")
    lines = r.stdout.splitlines()
    init = [ln for ln in lines if ln.startswith("init/built-in.a: ")]
    assert init == ["init/built-in.a: " + " ".join(m[len("init/"):] for m in builtin["init"])]
    assert any(ln.startswith("lib/lib.a: ") for ln in lines)
    assert lines[-1].startswith("# x86_64, ") and "directories descended" in lines[-1]
    sub = json.loads(kbuild(ksrc, out, "objects", "kernel/", "--json").stdout)
    assert sub["start"] == "kernel"
    got = {d["dir"]: d["built_in"] for d in sub["directories"]}
    assert got == {d: m for d, m in builtin.items() if d == "kernel" or d.startswith("kernel/")}


def _which(ksrc, out, path):  # noqa: F811
    return json.loads(kbuild(ksrc, out, "which", path, "--json").stdout)


def test_which_on_real_files(ksrc, tiny):  # noqa: F811
    out, _text = tiny
    w = _which(ksrc, out, E1000)
    assert (w["built_in"], w["module"], w["now"]) == (
        "ETHERNET=y && NET_VENDOR_INTEL=y && E1000=y", "ETHERNET && NET_VENDOR_INTEL && E1000=m",
        "not built")
    assert w["module_name"] == "drivers/net/ethernet/intel/e1000/e1000.ko"
    chain = w["chains"][0]
    assert [(s["file"], s["text"]) for s in chain[:2]] == [("Kbuild", "obj-y += drivers/"),
                                                          ("drivers/Makefile", "obj-y += net/")]
    assert chain[-1]["file"] == "drivers/net/ethernet/intel/e1000/Makefile"
    assert chain[-1]["text"].startswith("e1000-y := e1000_main.o")
    src_line = (ksrc / chain[-1]["file"]).read_text().splitlines()[chain[-1]["line"] - 1]
    assert src_line.startswith("e1000-y")

    w = _which(ksrc, out, "kernel/kexec.c")
    assert (w["built_in"], w["module"], w["now"]) == ("KEXEC=y", "KEXEC=m", "not built")
    assert [s["text"] for s in w["chains"][0]] == ["obj-y += kernel/", "obj-$(CONFIG_KEXEC) += kexec.o"]

    w = _which(ksrc, out, "lib/zlib_inflate/inflate.c")
    assert (w["built_in"], w["module"]) == ("ZLIB_INFLATE=y", "ZLIB_INFLATE=m")
    assert w["module_name"] == "lib/zlib_inflate/zlib_inflate.ko"
    w = _which(ksrc, out, "lib/string.c")          # lib-y: always, into lib.a
    assert (w["built_in"], w["module"], w["now"], w["module_name"]) == ("y", "n", "built in", None)

    text = kbuild(ksrc, out, "which", "kernel/kexec.c").stdout
    assert "built in when:     KEXEC=y" in text
    assert "kernel/Makefile:" in text and "obj-$(CONFIG_KEXEC) += kexec.o" in text


def test_why_file_and_its_plan(ksrc, tiny, tmp_path):  # noqa: F811
    out, _text = tiny
    r = kbuild(ksrc, out, "why", E1000)
    assert r.stdout.startswith(f"{E1000} is not built with this .config.\n")
    assert "It is built in when: ETHERNET=y && NET_VENDOR_INTEL=y && E1000=y" in r.stdout
    assert "\nE1000=y:\n" in r.stdout and "One way: " in r.stdout
    rec = json.loads(kbuild(ksrc, out, "why", E1000, "--json").stdout)
    assert rec["goal"] == "built in" and not rec["holds"]
    assert [t["symbol"] for t in rec["terms"]] == ["ETHERNET", "NET_VENDOR_INTEL", "E1000"]
    assert all(t["why"]["symbol"] == t["symbol"] for t in rec["terms"])
    plan = rec["plan"]
    assert rec["plan_complete"] and ["E1000", "y"] in plan and ["NET", "y"] in plan
    # follow the plan in a copy of the configuration: the file is then built in
    work = tmp_path / "out"
    work.mkdir()
    shutil.copy(out / ".config", work / ".config")
    kbuild(ksrc, work, "set", *("%s=%s" % tuple(s) for s in plan))
    w = _which(ksrc, work, E1000)
    assert w["now"] == "built in", (plan, w)


def test_errors_are_one_line(ksrc, tiny, tmp_path):  # noqa: F811
    out, _text = tiny
    empty = tmp_path / "empty"
    cases = [(empty, ["objects"], "run a *config target first"),
             (empty, ["which", "kernel/kexec.c"], "run a *config target first"),
             (empty, ["why", "kernel/kexec.c"], "run a *config target first"),
             (out, ["which", "kernel/no_such_file.c"], "no such file"),
             (out, ["why", "drivers/no/such.c"], "no such file"),
             (out, ["objects", "no_such_dir"], "no such directory"),
             (out, ["objects", "fs/btrfs"], "no directory above descends into it"),
             (out, ["which", "include/linux/kernel.h"], "not a source file")]
    for o, args, message in cases:
        r = kbuild(ksrc, o, *args, check=False)
        assert r.returncode == 1, (args, r.stderr)
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("kbuild: "), (args, r.stderr)
        assert message in r.stderr and r.stdout == "", (args, r.stderr)
    assert not (empty / ".config").exists()


def test_outside_a_linux_tree(tmp_path):
    """No kernel tree needed: a Kconfig project that is not Linux gets a one-line error."""
    import io

    from kbuild import cli
    (tmp_path / "Kconfig").write_text('config A\n\tbool "A"\n')
    (tmp_path / ".config").write_text("CONFIG_A=y\n")
    for args in (["objects"], ["which", "a.c"], ["why", "src/a.c"]):
        out, err = io.StringIO(), io.StringIO()
        rc = cli.main(["-C", str(tmp_path), *args], environ={"PATH": "/usr/bin:/bin"},
                      stdout=out, stderr=err)
        assert rc == 1 and out.getvalue() == ""
        assert err.getvalue() == "kbuild: %s: needs a Linux source tree (for another project: "\
            "kbuild build)\n" % args[0]
