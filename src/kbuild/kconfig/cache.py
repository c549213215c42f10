"""A parsed Kconfig tree kept on disk between runs.

Front ends that parse the same tree again and again (menuconfig, `kbuild why`, `show`, `find`)
restore it in a fraction of the parse.  A saved tree is used only while everything its parse
read is unchanged: every Kconfig file (and which of srctree or the build directory it came
from), every environment variable the Kconfig files looked up (set or not), the engine's own
code and the Python version.  What ``$(shell ...)`` answered is the caller's part: it names the
file after the key of its shell cache (see kbuild.cli.Project).
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import threading

__all__ = ["restore", "store"]

_FORMAT = 1


def _engine_stamp():
    here = os.path.dirname(os.path.abspath(__file__))
    out = []
    for name in sorted(os.listdir(here)):
        if name.endswith(".py"):
            st = os.stat(os.path.join(here, name))
            out.append((name, st.st_mtime_ns, st.st_size))
    return tuple(out)


def _file_stamp(name, srctree):
    # the parser opens a relative name in the build directory first, then in srctree
    paths = [name]
    if srctree and not name.startswith("/"):
        paths.append(os.path.join(srctree, name))
    out = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            out.append(None)
            continue
        out.append((st.st_mtime_ns, st.st_size, st.st_ino))
        break
    return tuple(out)


def _header(kc, environ):
    srctree = environ.get("srctree")
    return (_FORMAT, sys.version, _engine_stamp(), os.getcwd(),
            tuple((f, _file_stamp(f, srctree)) for f in kc.files),
            tuple(sorted((k, environ.get(k)) for k in kc.env_deps)))


def store(kc, path, messages=()):
    """Save ``kc`` (just parsed, nothing read into it yet) to ``path``; ``messages`` are the
    (stream, text) pairs the parse printed, given again on every restore.  Run from the
    directory the tree was parsed in.  Failures to write are ignored: it is only a cache."""
    head = _header(kc, kc.environ)
    result = {}

    def dump():
        # the menu tree is a long linked structure: pickling recurses deeply
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 1_000_000))
        try:
            result["data"] = pickle.dumps((head, list(messages)), protocol=5), \
                pickle.dumps(kc, protocol=5)
        except (pickle.PicklingError, RecursionError, TypeError, AttributeError):
            pass

    old = threading.stack_size()
    threading.stack_size(512 << 20)
    try:
        t = threading.Thread(target=dump)
        t.start()
    finally:
        threading.stack_size(old)
    t.join()
    if "data" not in result:
        return False
    tmp = "%s.tmp%d" % (path, os.getpid())
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            for part in result["data"]:
                f.write(part)
        os.replace(tmp, path)
        _prune(os.path.dirname(path), keep=KEEP)
        return True
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


KEEP = 8        # saved trees per cache directory (about 11 MB each for x86_64)


def _prune(directory, keep):
    """Remove all but the ``keep`` most recently used saved trees."""
    try:
        entries = []
        for name in os.listdir(directory):
            if name.endswith(".pickle"):
                p = os.path.join(directory, name)
                entries.append((os.stat(p).st_mtime, p))
    except OSError:
        return
    entries.sort(reverse=True)
    for _, p in entries[keep:]:
        try:
            os.unlink(p)
        except OSError:
            pass


def restore(path, environ, stdout=None, stderr=None):
    """The tree saved at ``path`` if it is still what a parse in the current directory with
    ``environ`` would give, else None.  The parse's messages go to ``stdout``/``stderr`` again."""
    from .expr import consts
    try:
        f = open(path, "rb")
    except OSError:
        return None
    with f:
        try:
            head, messages = pickle.load(f)
            fmt, version, engine, cwd, files, env = head
            if fmt != _FORMAT or version != sys.version or engine != _engine_stamp() \
                    or cwd != os.getcwd():
                return None
            if any(environ.get(k) != v for k, v in env):
                return None
            srctree = environ.get("srctree")
            if any(_file_stamp(name, srctree) != stamp for name, stamp in files):
                return None
            was = gc.isenabled()
            gc.disable()
            try:
                kc = pickle.load(f)
            finally:
                gc.freeze()
                if was:
                    gc.enable()
        except Exception:       # a damaged or foreign file is just a miss
            return None
    try:
        os.utime(path)          # recently used: kept by _prune
    except OSError:
        pass
    kc.environ = environ
    kc.restored_from = path
    if stdout is not None:
        kc.stdout = stdout
    if stderr is not None:
        kc.stderr = stderr
    consts.yes, consts.mod, consts.no = kc.y, kc.m, kc.n
    for stream, text in messages:
        (kc.stderr if stream == "stderr" else kc.stdout)(text)
    return kc
