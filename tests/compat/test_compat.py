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
    if compat_case.input and not Path(compat_case.input).is_file():
        skip_or_fail(f"{compat_case.input} missing (apt-get install linux-config-6.12)")
    res = compat_futures[compat_case.id].result()
    if not res.identical:
        pytest.fail(f"{res.line()}\n{res.report}", pytrace=False)
