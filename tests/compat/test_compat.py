"""Representative conformance subset: every case must be byte-identical to C conf.

The full sweep is `make compat` (python tests/compat/harness.py --full).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import skip_or_fail  # noqa: E402

CASES = harness.representative_cases()


@pytest.mark.parametrize("compat_case", CASES, ids=[c.id for c in CASES])
def test_compat(compat_case, compat_futures):
    _check(compat_case, compat_futures)


@pytest.mark.parametrize("old_case", CASES, ids=[c.id for c in CASES])
def test_compat_old(old_case, compat_futures_old):
    """The same cases on an older LTS tree (Linux 6.1, harness.OLDER_SERIES) against that
    tree's own C conf: a tree from before kconfig's rework of 6.11 gets the C behaviour of its
    own version (choices as symbols, tristate choices, the old file formats)."""
    _check(old_case, compat_futures_old)


def _check(case, futures):
    if case.input and not Path(case.input).is_file():
        skip_or_fail(f"{case.input} missing (apt-get install linux-config-6.12)")
    res = futures[case.id].result()
    if not res.identical:
        pytest.fail(f"{res.line()}\n{res.report}", pytrace=False)
