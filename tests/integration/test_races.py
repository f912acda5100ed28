"""The race cases of `konektivitas selftest` (pipelines/selftest/cases/races.py), and what
a DAG task makes of a warehouse another process holds."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest

from pipelines.selftest.cases.races import CASES
from pipelines.settings import PROJECT_ROOT


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_race_case(case, tmp_path) -> None:
    assert case.group == "race" and case.unavailable is None, case.unavailable
    outcome = case.run(tmp_path)
    assert outcome.passed, outcome.detail
    assert (outcome.rows_lost, outcome.rows_duplicated) == (0, 0)


HOLD = """
import sys, time
from pipelines.settings import get_settings
from pipelines.warehouse import connect
con = connect(get_settings(sys.argv[1]))
print("held", flush=True)
time.sleep(120)
"""


def test_a_dag_task_on_a_busy_warehouse_fails_retryably_in_one_line(settings, monkeypatch):
    from airflow.sdk.exceptions import AirflowException, AirflowFailException

    monkeypatch.syspath_prepend(str(PROJECT_ROOT / "dags"))  # as Airflow does
    import source_dag

    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(settings.home)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        when = datetime(2026, 9, 1, tzinfo=UTC)
        with pytest.raises(AirflowException) as raised:
            source_dag._work("village_registry", None, "crosswalk", None, None,
                             {"logical_date": when, "data_interval_start": when})
    finally:
        holder.kill()
        holder.wait()
    assert not isinstance(raised.value, AirflowFailException)  # Airflow may retry it
    message = str(raised.value)
    assert "\n" not in message and raised.value.__cause__ is None
    assert message.startswith("village_registry/crosswalk: the warehouse ")
    assert "is in use by another process" in message


def test_airflow_retries_what_another_writer_caused_and_fails_a_refused_file_at_once():
    from airflow.sdk.exceptions import AirflowException, AirflowFailException

    from pipelines.batch.airflow_errors import as_airflow
    from pipelines.batch.errors import BatchRejected, PartitionTakenOver

    taken = as_airflow(PartitionTakenOver("kpi/2026-09-01.csv: not published yet"))
    assert isinstance(taken, AirflowException) and not isinstance(taken, AirflowFailException)
    assert isinstance(as_airflow(BatchRejected("x.csv: missing column")), AirflowFailException)
    # Deployed, a retryable failure is run again: compose gives every task retries.
    from compose_processes import compose

    env = compose()["x-airflow-common"]["environment"]
    assert int(env["AIRFLOW__CORE__DEFAULT_TASK_RETRIES"]) > 0
