"""Fixtures for the conformance tests (C conf versus kbuild-conf).

Policy:
* KBUILD_COMPAT=0 skips the tests that need the kernel tree (quick local unit
  runs), except in CI (CI=true), where they always run.
* Outside CI a missing kernel tree or kbuild-conf skips those tests with the
  reason; in CI it fails them.
* KBUILD_COMPAT_JOBS sets how many cases run at once (default: CPU count).
"""

from __future__ import annotations

import concurrent.futures
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import skip_or_fail  # noqa: E402


def _start_cases(request, src, param):
    """Start every selected case (the tests' parameter ``param``) at once, on
    KBUILD_COMPAT_JOBS threads; yields {case id: future}."""
    try:
        py_conf = harness.locate_py_conf()
    except harness.HarnessError as e:
        skip_or_fail(str(e))
    cases = []
    for item in request.session.items:
        case = getattr(item, "callspec", None) and item.callspec.params.get(param)
        if case is not None and case not in cases and not (case.input and not Path(case.input).is_file()):
            cases.append(case)
    jobs = int(os.environ.get("KBUILD_COMPAT_JOBS") or os.cpu_count() or 1)
    ws = harness.Workspace(src, py_conf)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    futures = {c.id: pool.submit(harness.run_case, ws, c) for c in cases}
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)
    ws.cleanup()


@pytest.fixture(scope="session")
def compat_futures(request, kernel_src):
    """Start every selected test_compat case at once, on KBUILD_COMPAT_JOBS threads.

    Each test then waits for its own case, so results come in as they finish
    while both CPUs are kept busy.
    """
    yield from _start_cases(request, kernel_src, "compat_case")


@pytest.fixture(scope="session")
def kernel_src_old():
    """The older LTS tree (harness.OLDER_SERIES), as kernel_src is the 6.12 one."""
    if os.environ.get("KBUILD_COMPAT", "").strip() == "0" and not harness.is_ci():
        pytest.skip("KBUILD_COMPAT=0")
    try:
        return harness.locate_kernel_source(harness.OLDER_SERIES)
    except harness.HarnessError as e:
        skip_or_fail(str(e))


@pytest.fixture(scope="session")
def compat_futures_old(request, kernel_src_old):
    """compat_futures for the cases on the older tree (parameter ``old_case``)."""
    yield from _start_cases(request, kernel_src_old, "old_case")


def _workspace(src):
    try:
        py_conf = harness.locate_py_conf()
    except harness.HarnessError as e:
        skip_or_fail(str(e))
    ws = harness.Workspace(src, py_conf)
    yield ws
    ws.cleanup()


@pytest.fixture(scope="module")
def conf_workspace(kernel_src):
    """A Workspace (the C conf built once, kbuild-conf beside it) for tests that run conf
    their own way rather than as harness cases."""
    yield from _workspace(kernel_src)


@pytest.fixture(scope="module")
def conf_workspace_old(kernel_src_old):
    """conf_workspace for the older LTS tree."""
    yield from _workspace(kernel_src_old)
