"""Fixtures shared by every test directory.

``kernel_src`` is the Linux 6.12 tree (see tests/compat/harness.py for where it is looked
for).  KBUILD_COMPAT=0 skips the tests that need it (quick local runs), except in CI
(CI=true), where they always run; outside CI a missing tree skips them with the reason, in CI
it fails them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "compat"))
import harness  # noqa: E402


@pytest.fixture(scope="session")
def kernel_src() -> Path:
    if os.environ.get("KBUILD_COMPAT", "").strip() == "0" and not harness.is_ci():
        pytest.skip("KBUILD_COMPAT=0")
    try:
        return harness.locate_kernel_source()
    except harness.HarnessError as e:
        harness.skip_or_fail(str(e))
