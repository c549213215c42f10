"""The Kconfig macro language (Documentation/kbuild/kconfig-macro-language.rst).

Variables (recursive ``=``, simple ``:=``, append ``+=``), user functions with ``$(1)``...,
the built-in functions and environment variables.  Every environment variable that is read is
remembered, in order, so that include/config/auto.conf.cmd can list it.
"""

from __future__ import annotations

import collections
import os
import threading

VAR_SIMPLE, VAR_RECURSIVE, VAR_APPEND = range(3)

_MAX_ARGS = 16


class MacroError(Exception):
    """A macro error; the parser adds the file:line."""


class Preprocessor:
    """Expands ``$(...)`` references.  ``where()`` returns the (filename, lineno) being read."""

    def __init__(self, environ, where, stdout, stderr, shell_cache=None):
        self.environ = environ
        self.where = where
        self.stdout = stdout
        self.stderr = stderr
        self.variables = {}
        self.env_used = {}
        self.env_seen = {}      # every variable looked up, set or not (what a parse depends on)
        self.shell_cache = shell_cache
        self.runner = None
        self.speculative = False

    # --- variables -------------------------------------------------------------

    def add_variable(self, name, value, flavor):
        """variable_add(): define or extend a variable."""
        v = self.variables.get(name)
        append = False
        if v is not None:
            if flavor == VAR_APPEND:
                flavor = v[1]
                append = True
        elif flavor == VAR_APPEND:
            flavor = VAR_RECURSIVE
        new_value = self.expand_string(value) if flavor == VAR_SIMPLE else value
        if append:
            new_value = v[0] + " " + new_value
            self.variables[name] = [new_value, flavor, v[2]]
        else:
            self.variables[name] = [new_value, flavor, v[2] if v is not None else 0]

    def _variable_expand(self, name, args):
        v = self.variables.get(name)
        if v is None:
            return None
        if not args and v[2]:
            raise MacroError("Recursive variable '%s' references itself (eventually)" % name)
        if v[2] > 1000:
            raise MacroError("Too deep recursive expansion")
        v[2] += 1
        try:
            if v[1] == VAR_RECURSIVE:
                return self.expand_string(v[0], args)
            return v[0]
        finally:
            v[2] -= 1

    def _env_expand(self, name):
        if not name:
            return None
        if name in self.env_used:
            return self.env_used[name]
        value = self.environ.get(name)
        self.env_seen[name] = value
        if value is None:
            return None
        self.env_used[name] = value
        return value

    # --- functions -----------------------------------------------------------

    def _function(self, name, args):
        f = _FUNCTIONS.get(name)
        if f is None:
            return None
        lo, hi, fn = f
        if len(args) < lo:
            raise MacroError("too few function arguments passed to '%s'" % name)
        if len(args) > hi:
            raise MacroError("too many function arguments passed to '%s'" % name)
        return fn(self, args)

    def _do_error_if(self, args):
        if args[0] == "y":
            raise MacroError(args[1])
        return ""

    def _do_filename(self, args):
        return self.where()[0]

    def _do_info(self, args):
        self.stdout(args[0] + "\n")
        return ""

    def _do_lineno(self, args):
        return str(self.where()[1])

    def _do_shell(self, args):
        cmd = args[0]
        cache = self.shell_cache
        if cache is not None:
            hit = cache.get(cmd)
            if hit is not None:
                return hit
        if self.runner is not None:
            out = self.runner.run(cmd, self.speculative)
            if self.speculative:
                return out          # maybe only a placeholder: the parse stores the answer
        else:
            out = run_shell(cmd, self.environ)
        if cache is not None:
            cache[cmd] = out
        return out

    def _do_warning_if(self, args):
        if args[0] == "y":
            f, l = self.where()
            self.stderr("%s:%d: %s\n" % (f, l, args[1]))
        return ""

    # --- expansion -------------------------------------------------------------

    def _eval_clause(self, text, args):
        # $(1), $(2)... are the arguments of the user function being expanded
        if text.isdigit() and text.isascii():
            n = int(text)
            if 0 < n <= len(args):
                return args[n - 1]
        parts = []
        nest = 0
        prev = 0
        for i, c in enumerate(text):
            if c == "," and nest == 0:
                parts.append(text[prev:i])
                prev = i + 1
                if len(parts) >= _MAX_ARGS:
                    raise MacroError("too many function arguments")
            elif c == "(":
                nest += 1
            elif c == ")":
                nest -= 1
        if len(parts) >= _MAX_ARGS:
            raise MacroError("too many function arguments")
        parts.append(text[prev:])
        name = self.expand_string(parts[0], args)
        new_args = [self.expand_string(p, args) for p in parts[1:]]
        res = self._variable_expand(name, new_args)
        if res is not None:
            return res
        res = self._function(name, new_args)
        if res is not None:
            return res
        if not new_args:
            res = self._env_expand(name)
            if res is not None:
                return res
        return ""

    def expand_dollar(self, s, pos, args=()):
        """Expand the reference after the ``$`` at ``s[pos-1]``; returns (text, new position)."""
        if pos >= len(s) or s[pos] != "(":
            return "$", pos
        nest = 0
        q = pos + 1
        n = len(s)
        while q < n:
            c = s[q]
            if c == "(":
                nest += 1
            elif c == ")":
                if nest == 0:
                    break
                nest -= 1
            q += 1
        if q >= n:
            raise MacroError("unterminated reference to '%s': missing ')'" % s[pos + 1:])
        return self._eval_clause(s[pos + 1:q], args), q + 1

    def expand_string(self, s, args=()):
        """Expand every reference in ``s``."""
        if "$" not in s:
            return s
        out = []
        i = 0
        n = len(s)
        while True:
            j = s.find("$", i)
            if j < 0:
                out.append(s[i:])
                break
            out.append(s[i:j])
            text, i = self.expand_dollar(s, j + 1, args)
            out.append(text)
            if i >= n:
                break
        return "".join(out)

    def expand_token(self, s, pos):
        """expand_one_token(): expand from ``pos`` up to the end of a word; (text, end)."""
        out = []
        i = pos
        n = len(s)
        start = i
        while i < n:
            c = s[i]
            if c == "$":
                out.append(s[start:i])
                text, i = self.expand_dollar(s, i + 1)
                out.append(text)
                start = i
                continue
            if not (c.isalnum() and c.isascii() or c == "_" or c == "-"):
                break
            i += 1
        out.append(s[start:i])
        return "".join(out), i


SPECULATIVE = "\0spec\0"


class _Job:
    """One command of a ShellRunner: its output once a worker has run it."""

    __slots__ = ("cmd", "done", "output", "error")

    def __init__(self, cmd, event):
        self.cmd = cmd
        self.done = event
        self.output = None
        self.error = None

    def result(self):
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.output


class ShellRunner:
    """Runs $(shell ...) commands, starting those a look-ahead pass found in the background so
    that compiler probes overlap each other and the parse.  The results are the same as running
    each command where the parser meets it.  (A few threads of its own: concurrent.futures
    would cost more to import than the parse spends waiting for it.)"""

    def __init__(self, workers, environ=None):
        self.workers = workers
        self.environ = os.environ if environ is None else environ
        self.threads = []
        self.idle = 0
        self.queue = collections.deque()
        self.cond = threading.Condition()
        self.closed = False
        self.futures = {}

    def _submit(self, cmd):
        job = _Job(cmd, threading.Event())
        with self.cond:
            self.queue.append(job)
            if self.idle:
                self.cond.notify()
            elif len(self.threads) < self.workers:
                t = threading.Thread(target=self._work, daemon=True)
                self.threads.append(t)
                t.start()
        return job

    def _work(self):
        cond = self.cond
        while True:
            with cond:
                while not self.queue and not self.closed:
                    self.idle += 1
                    cond.wait()
                    self.idle -= 1
                if not self.queue:
                    return
                job = self.queue.popleft()
            try:
                job.output = run_shell(job.cmd, self.environ)
            except MacroError as e:
                job.error = e
            except BaseException as e:      # never leave a waiting parser hanging
                job.error = MacroError("%s: %s" % (job.cmd, e))
            job.done.set()

    def run(self, cmd, speculative):
        """``speculative``: False for the parse itself; True to start ``cmd`` and return a
        placeholder; "wait" to start it and wait for the result (for ':=' assignments, whose
        values later commands are built from)."""
        if speculative:
            # never start a command whose text depends on a result we only guessed
            if SPECULATIVE in cmd:
                return SPECULATIVE
            f = self.futures.get(cmd)
            if f is None:
                f = self.futures[cmd] = self._submit(cmd)
            if speculative == "wait":
                try:
                    return f.result()
                except MacroError:
                    return SPECULATIVE
            return SPECULATIVE
        f = self.futures.pop(cmd, None)
        if f is not None:
            return f.result()
        return run_shell(cmd, self.environ)

    def close(self):
        """Drop the commands not started yet; wait for those running."""
        with self.cond:
            self.closed = True
            self.queue.clear()
            self.cond.notify_all()
        for t in self.threads:
            t.join()


def run_shell(cmd, environ=None):
    """Run ``cmd`` with /bin/sh as popen() does and post-process the output like do_shell().
    The command sees ``environ`` (default: ours), the environment the tree is configured in:
    probes such as `... | $CC -x c -` read variables of it that make would have exported."""
    # posix_spawn, like popen(): the child gets our environment and open descriptors (ours are
    # close-on-exec; make's jobserver pipes stay open, as for the C tool), stdout is the pipe.
    # (The subprocess module would cost more to import than all the commands of a tree.)
    try:
        r, w = os.pipe()
    except OSError as e:
        raise MacroError("%s: %s" % (cmd, e.strerror))
    try:
        try:
            pid = os.posix_spawn("/bin/sh", ["/bin/sh", "-c", cmd],
                                 os.environ if environ is None else environ,
                                 file_actions=[(os.POSIX_SPAWN_DUP2, w, 1)])
        finally:
            os.close(w)
        chunks = []
        while True:
            b = os.read(r, 65536)
            if not b:
                break
            chunks.append(b)
        os.waitpid(pid, 0)
    except OSError as e:
        raise MacroError("%s: %s" % (cmd, e.strerror))
    finally:
        os.close(r)
    data = b"".join(chunks)
    data = data[:4095]
    data = data.rstrip(b"\n").replace(b"\n", b" ")
    # popen reads bytes; a NUL ends the C string
    data = data.split(b"\0", 1)[0]
    return data.decode("utf-8", "surrogateescape")


_FUNCTIONS = {
    "error-if": (2, 2, Preprocessor._do_error_if),
    "filename": (0, 0, Preprocessor._do_filename),
    "info": (1, 1, Preprocessor._do_info),
    "lineno": (0, 0, Preprocessor._do_lineno),
    "shell": (1, 1, Preprocessor._do_shell),
    "warning-if": (2, 2, Preprocessor._do_warning_if),
}
