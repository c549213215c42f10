"""The parsed tree kept between runs (kbuild.kconfig.cache, used by kbuild.cli.Project.load):
restored only while nothing the parse read has changed, and then equal to a fresh parse."""

from __future__ import annotations

import os

import pytest

from kbuild.cli import Project

KCONFIG = """\
mainmenu "cache test"
$(info,parsing $(FOO))
config A
\tbool "a"
\tdefault y
config B
\tint "b"
\tdefault $(shell,echo 7)
source "sub/Kconfig"
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "Kconfig").write_text(KCONFIG)
    (src / "sub" / "Kconfig").write_text('config C\n\tstring "c"\n\tdefault "x"\n')
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("FOO", "one")
    return src


def _load(src, warnings=None):
    return Project(src, src / "out", {}, dict(os.environ)).load(config=False, warnings=warnings)


def _config(kc, path):
    kc.write_config(str(path))
    return path.read_text().split("\n", 4)[4]      # past the header with its date


def test_second_load_is_restored_and_equal(project, tmp_path):
    said = []
    first = _load(project, said)
    assert first.restored_from is None
    assert said == ["parsing one\n"]
    said2 = []
    second = _load(project, said2)
    assert second.restored_from is not None
    assert said2 == said                      # the parse's messages come again
    assert second["B"].value() == "7" and second["C"].value() == "x"
    assert _config(first, tmp_path / "a") == _config(second, tmp_path / "b")
    assert [s.name for s in second.all_symbols()] == [s.name for s in first.all_symbols()]


def test_changed_file_or_environment_is_a_miss(project):
    _load(project)
    assert _load(project).restored_from is not None
    # a Kconfig file changes (other size and time)
    (project / "sub" / "Kconfig").write_text('config C\n\tstring "c"\n\tdefault "changed"\n')
    kc = _load(project)
    assert kc.restored_from is None and kc["C"].value() == "changed"
    assert _load(project).restored_from is not None
    # an environment variable the Kconfig files read
    os.environ["FOO"] = "two"
    said = []
    kc = _load(project, said)
    assert kc.restored_from is None and said == ["parsing two\n"]


def test_damaged_cache_file_is_a_miss(project, tmp_path):
    _load(project)
    files = list((tmp_path / "cache" / "kbuild" / "tree").iterdir())
    assert len(files) == 1
    files[0].write_bytes(files[0].read_bytes()[:1000])
    kc = _load(project)
    assert kc.restored_from is None and kc["B"].value() == "7"


def test_shell_cache_off_means_no_tree_cache(project, tmp_path, monkeypatch):
    monkeypatch.setenv("KBUILD_SHELL_CACHE", "0")
    _load(project)
    assert _load(project).restored_from is None
    assert not (tmp_path / "cache" / "kbuild" / "tree").exists()


def test_old_saved_trees_are_pruned(project, tmp_path, monkeypatch):
    from kbuild.kconfig import cache
    monkeypatch.setattr(cache, "KEEP", 2)
    tree_dir = tmp_path / "cache" / "kbuild" / "tree"
    for i in range(4):
        # another build directory is another cache key
        Project(project, project / ("out%d" % i), {}, dict(os.environ)).load(config=False)
    assert len(list(tree_dir.iterdir())) == 2
