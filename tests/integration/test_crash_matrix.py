"""The crash cases of `konektivitas selftest` (pipelines/selftest/cases/crash.py): a run
killed with SIGKILL at each step of the batch path, or a migration killed, then run
again: the warehouse equals a clean one's, row for row, and audit shows the killed attempt."""

from __future__ import annotations

import pytest

from pipelines.selftest.cases.crash import CASES


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_crash_case(case, tmp_path) -> None:
    assert case.group == "crash" and case.unavailable is None, case.unavailable
    outcome = case.run(tmp_path)
    assert outcome.passed, outcome.detail
    assert (outcome.rows_lost, outcome.rows_duplicated) == (0, 0)
