"""Make's builtin functions, with GNU make's whitespace rules.

Each implementation takes the session and its arguments: expanded strings for
most functions, unexpanded templates for the ones that choose what to expand
(``if``, ``or``, ``and``, ``foreach``).  Functions that work on words join
their results with single spaces, as make does.
"""

from __future__ import annotations

import glob as _glob
import os
import re
from itertools import zip_longest

from .errors import MakeError

_WORD = re.compile(r"\S+")
from .expand import FUNCTIONS


def _pattern(p: str):
    i = p.find("%")
    if i < 0:
        return None
    return p[:i], p[i + 1:]


def patsubst_words(pat: str, rep: str, words: list[str]) -> str:
    """``$(patsubst pat,rep,...)`` over a list of words (``pat`` has a ``%``)."""
    pp = _pattern(pat)
    if pp is None:
        out = [rep if w == pat else w for w in words]
    else:
        pre, suf = pp
        lp, ls = len(pre), len(suf)
        minlen = lp + ls
        rp = _pattern(rep)
        out = []
        if rp is None:
            for w in words:
                if len(w) >= minlen and w.startswith(pre) and w.endswith(suf):
                    out.append(rep)
                else:
                    out.append(w)
        else:
            rpre, rsuf = rp
            for w in words:
                if len(w) >= minlen and w.startswith(pre) and w.endswith(suf):
                    out.append(rpre + w[lp:len(w) - ls] + rsuf)
                else:
                    out.append(w)
    if "" in out:
        out = [w for w in out if w]
    return " ".join(out)


def _matcher(patterns: list[str]):
    exact = set()
    pats = []
    for p in patterns:
        pp = _pattern(p)
        if pp is None:
            exact.add(p)
        else:
            pats.append((pp[0], pp[1], len(pp[0]) + len(pp[1])))

    if not pats:
        return exact.__contains__

    def match(w: str) -> bool:
        if w in exact:
            return True
        for pre, suf, n in pats:
            if len(w) >= n and w.endswith(suf) and w.startswith(pre):
                return True
        return False
    return match


def f_filter(mk, a):
    m = _matcher(a[0].split())
    return " ".join([w for w in a[1].split() if m(w)])


def f_filter_out(mk, a):
    m = _matcher(a[0].split())
    return " ".join([w for w in a[1].split() if not m(w)])


def f_patsubst(mk, a):
    pat = a[0].strip()
    if "%" not in pat:
        # Whole-word replacement in the text as it is (whitespace kept), as make does.
        if not pat:
            return a[2]
        return re.sub(r"(?<!\S)" + re.escape(pat) + r"(?!\S)", a[1].replace("\\", "\\\\"), a[2])
    return patsubst_words(pat, a[1], a[2].split())


def f_subst(mk, a):
    frm, to, text = a
    if not frm:
        return text + to
    return text.replace(frm, to)


def f_strip(mk, a):
    return " ".join(a[0].split())


def f_sort(mk, a):
    return " ".join(sorted(set(a[0].split())))


def f_findstring(mk, a):
    return a[0] if a[0] in a[1] else ""


def f_words(mk, a):
    return str(len(a[0].split()))


def f_firstword(mk, a):
    w = a[0].split(None, 1)
    return w[0] if w else ""


def f_lastword(mk, a):
    w = a[0].rsplit(None, 1)
    return w[-1] if w else ""


def _number(text: str, fname: str, which: str) -> int:
    t = text.strip()
    if not t.isdigit():
        raise MakeError(f"non-numeric {which} argument to '{fname}' function: '{t}'")
    return int(t)


def f_word(mk, a):
    n = _number(a[0], "word", "first")
    if n == 0:
        raise MakeError("first argument to 'word' function must be greater than 0")
    w = a[1].split()
    return w[n - 1] if n <= len(w) else ""


def f_wordlist(mk, a):
    s = _number(a[0], "wordlist", "first")
    e = _number(a[1], "wordlist", "second")
    if s == 0:
        raise MakeError(f"invalid first argument to 'wordlist' function: '{s}'")
    if e < s:
        return ""
    # The text from the first to the last selected word, inner whitespace kept.
    spans = [m.span() for m in _WORD.finditer(a[2])]
    if s > len(spans):
        return ""
    return a[2][spans[s - 1][0]:spans[min(e, len(spans)) - 1][1]]


def f_addprefix(mk, a):
    p = a[0]
    return " ".join([p + w for w in a[1].split()])


def f_addsuffix(mk, a):
    s = a[0]
    return " ".join([w + s for w in a[1].split()])


def f_join(mk, a):
    return " ".join([x + y for x, y in zip_longest(a[0].split(), a[1].split(), fillvalue="")])


def f_dir(mk, a):
    out = []
    for w in a[0].split():
        i = w.rfind("/")
        out.append(w[:i + 1] if i >= 0 else "./")
    return " ".join(out)


def f_notdir(mk, a):
    return " ".join([w[w.rfind("/") + 1:] for w in a[0].split()])


def f_suffix(mk, a):
    out = []
    for w in a[0].split():
        d = w.rfind(".")
        if d >= 0 and w.find("/", d) < 0:
            out.append(w[d:])
    return " ".join(out)


def f_basename(mk, a):
    out = []
    for w in a[0].split():
        d = w.rfind(".")
        if d >= 0 and w.find("/", d) < 0:
            out.append(w[:d])
        else:
            out.append(w)
    return " ".join(out)


def _abspath(base: str, w: str) -> str:
    p = os.path.normpath(os.path.join(base, w))
    if p.startswith("//"):
        p = "/" + p.lstrip("/")
    return p


def f_abspath(mk, a):
    return " ".join([_abspath(mk.base_dir, w) for w in a[0].split()])


def f_realpath(mk, a):
    out = []
    for w in a[0].split():
        p = os.path.join(mk.base_dir, w)
        if os.path.exists(p):
            out.append(os.path.realpath(p))
    return " ".join(out)


def f_wildcard(mk, a):
    out = []
    base = mk.base_dir
    for w in a[0].split():
        if "*" in w or "?" in w or "[" in w:
            if os.path.isabs(w):
                out.extend(sorted(_glob.glob(w)))
            else:
                out.extend(sorted(_glob.glob(w, root_dir=base)))
        elif os.path.exists(w if os.path.isabs(w) else os.path.join(base, w)):
            out.append(w)
    return " ".join(out)


def f_shell(mk, a):
    return mk._shell(a[0])


def f_origin(mk, a):
    return mk.origin(a[0])


def f_flavor(mk, a):
    return mk.flavor(a[0])


def f_value(mk, a):
    v = mk._lookup(a[0])
    return "" if v is None else v.value


def f_error(mk, a):
    raise MakeError(a[0])


def f_warning(mk, a):
    mk._message("warning", a[0])
    return ""


def f_info(mk, a):
    mk._message("info", a[0])
    return ""


def f_eval(mk, a):
    stmts = parse_cached(a[0], mk.file or "<eval>")
    mk._run(stmts, mk.file, mk.line)
    return ""


def f_file(mk, a):
    spec = a[0].strip()
    if spec.startswith(">>"):
        mode, name = "a", spec[2:].strip()
    elif spec.startswith(">"):
        mode, name = "w", spec[1:].strip()
    elif spec.startswith("<"):
        mode, name = "r", spec[1:].strip()
    else:
        raise MakeError(f"file: invalid file operation: {spec}")
    if not name:
        raise MakeError("file: missing filename")
    path = os.path.join(mk.base_dir, name)
    if mode == "r":
        if len(a) > 1:
            raise MakeError("file: too many arguments")
        try:
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                text = f.read()
        except FileNotFoundError:
            return ""
        except OSError as e:
            raise MakeError(f"open: {name}: {e.strerror}") from None
        return text[:-1] if text.endswith("\n") else text
    text = a[1] if len(a) > 1 else None
    try:
        with open(path, mode, encoding="utf-8", errors="surrogateescape") as f:
            if text is not None:
                f.write(text if text.endswith("\n") else text + "\n")
    except OSError as e:
        raise MakeError(f"open: {name}: {e.strerror}") from None
    return ""


def f_call(mk, a):
    name = a[0].strip()
    entry = FUNCTIONS.get(name)
    if entry is not None and name != "call":
        return entry[0](mk, a[1:])
    v = mk._lookup(name)
    if v is None:
        return ""
    scope = {"0": Var(name, False, "automatic")}
    n = len(a)
    for i in range(1, n):
        scope[str(i)] = Var(a[i], False, "automatic")
    for i in range(n, mk.max_args):
        scope[str(i)] = Var("", False, "automatic")
    saved = mk.max_args
    mk.max_args = n
    mk.scopes.append(scope)
    try:
        if not v.recursive:
            return v.value
        return mk._x(_compile(v.value))
    finally:
        mk.scopes.pop()
        mk.max_args = saved


def f_foreach(mk, a):
    name = mk._x(a[0]).strip()
    words = mk._x(a[1]).split()
    if not words:
        return ""
    body = a[2]
    scope: dict = {}
    mk.scopes.append(scope)
    try:
        out = []
        for w in words:
            scope[name] = Var(w, False, "automatic")
            out.append(mk._x(body))
    finally:
        mk.scopes.pop()
    return " ".join(out)


def f_if(mk, a):
    if mk._x(a[0]):
        return mk._x(a[1])
    if len(a) > 2:
        return mk._x(a[2])
    return ""


def f_or(mk, a):
    for t in a:
        e = mk._x(t)
        if e:
            return e
    return ""


def f_and(mk, a):
    e = ""
    for t in a:
        e = mk._x(t)
        if not e:
            return ""
    return e


from .evaluator import Var  # noqa: E402  (evaluator imports this module at its end)
from .expand import compile_text as _compile  # noqa: E402
from .parser import parse_cached  # noqa: E402

# name: (implementation, max args (0 = unlimited), min args, lazy)
FUNCTIONS.update({
    "filter": (f_filter, 2, 2, False),
    "filter-out": (f_filter_out, 2, 2, False),
    "patsubst": (f_patsubst, 3, 3, False),
    "subst": (f_subst, 3, 3, False),
    "strip": (f_strip, 1, 0, False),
    "sort": (f_sort, 1, 0, False),
    "findstring": (f_findstring, 2, 2, False),
    "words": (f_words, 1, 0, False),
    "firstword": (f_firstword, 1, 0, False),
    "lastword": (f_lastword, 1, 0, False),
    "word": (f_word, 2, 2, False),
    "wordlist": (f_wordlist, 3, 3, False),
    "addprefix": (f_addprefix, 2, 2, False),
    "addsuffix": (f_addsuffix, 2, 2, False),
    "join": (f_join, 2, 2, False),
    "dir": (f_dir, 1, 0, False),
    "notdir": (f_notdir, 1, 0, False),
    "suffix": (f_suffix, 1, 0, False),
    "basename": (f_basename, 1, 0, False),
    "abspath": (f_abspath, 1, 0, False),
    "realpath": (f_realpath, 1, 0, False),
    "wildcard": (f_wildcard, 1, 0, False),
    "shell": (f_shell, 1, 0, False),
    "origin": (f_origin, 1, 0, False),
    "flavor": (f_flavor, 1, 0, False),
    "value": (f_value, 1, 0, False),
    "error": (f_error, 1, 0, False),
    "warning": (f_warning, 1, 0, False),
    "info": (f_info, 1, 0, False),
    "eval": (f_eval, 1, 0, False),
    "call": (f_call, 0, 1, False),
    "file": (f_file, 2, 1, False),
    "foreach": (f_foreach, 3, 3, True),
    "if": (f_if, 3, 2, True),
    "or": (f_or, 0, 1, True),
    "and": (f_and, 0, 1, True),
})
