"""The tower_logs DAG through Airflow's own runner (dag.test) on a temporary home.

Airflow reads its configuration when first imported, so each check runs in a fresh
interpreter whose environment points Airflow at the temporary home.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from pipelines.runner import airflow_environment
from pipelines.settings import get_settings


def run_python(home, code: str) -> dict:
    env = {**os.environ, **airflow_environment(get_settings(home))}
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_timetable_gives_the_local_day_to_scheduled_and_test_runs(home):
    got = run_python(home, """
        import json
        from datetime import date
        import pendulum
        from airflow.timetables.base import TimeRestriction
        from airflow.timetables.interval import CronDataIntervalTimetable
        from pipelines.runner import load_dags
        from pipelines.settings import get_settings
        from pipelines.batch.days import local_midnight, run_day

        dag = load_dags(get_settings())["tower_logs"]
        tt = CronDataIntervalTimetable("0 0 * * *", timezone="Asia/Makassar")
        # the DAG's (authoring) timetable is the one checked here, in the scheduler's form
        assert type(dag.timetable).__name__ == type(tt).__name__, dag.timetable
        assert (dag.timetable.expression, str(dag.timetable.timezone)) == ("0 0 * * *", "Asia/Makassar")
        start = pendulum.datetime(2026, 9, 1, tz="Asia/Makassar")
        first = tt.next_dagrun_info(last_automated_data_interval=None,
                                    restriction=TimeRestriction(start, None, True))
        second = tt.next_dagrun_info(last_automated_data_interval=first.data_interval,
                                     restriction=TimeRestriction(start, None, True))
        manual = tt.infer_manual_data_interval(run_after=local_midnight(date(2026, 9, 5)))
        print(json.dumps({
            "scheduled": [str(run_day(i.logical_date, i.data_interval.start)) for i in (first, second)],
            "test": str(run_day(local_midnight(date(2026, 9, 5)), manual.start)),
            "manual_without_logical_date": str(run_day(None, manual.start)),
        }))
    """)
    assert got == {
        "scheduled": ["2026-09-01", "2026-09-02"],
        "test": "2026-09-05",
        "manual_without_logical_date": "2026-09-04",
    }


@pytest.mark.slow
def test_tower_logs_dag_loads_days_then_fails_clearly_on_a_bad_file(home, audit_verified):
    got = run_python(home, """
        import json
        from datetime import date
        from pipelines.demo.generate import GenerateOptions, generate
        from pipelines.runner import run_pending
        from pipelines.settings import get_settings
        from pipelines.warehouse import session

        s = get_settings()
        generate(GenerateOptions(home=s.home, start=date(2026, 9, 1), days=2))
        first = run_pending(s)
        # a third day whose KPI file lacks a column: the run fails, naming file and column
        kpi = s.landing / "towers" / "kpi"
        good = next(kpi.glob("2026-09-02.csv*"))
        import gzip, shutil
        text = (gzip.open if good.suffix == ".gz" else open)(good, "rb").read().decode("utf-8-sig")
        lines = [",".join(l.replace(";", ",").split(",")[:-1]) for l in text.splitlines()]
        (kpi / "2026-09-03.csv").write_text("\\n".join(lines).replace("2026-09-02", "2026-09-03"))
        ev = s.landing / "towers" / "events"
        events = next(ev.glob("2026-09-02.log*"))
        shutil.copy(events, ev / events.name.replace("2026-09-02", "2026-09-03"))
        second = run_pending(s)
        # a day whose files never landed: the wait fails at once (its deadline is past)
        from pipelines.runner import load_dags, run_dag
        from pipelines.batch.days import local_midnight
        import contextlib, io
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            missing = run_dag(load_dags(s)["tower_logs"], local_midnight(date(2026, 8, 20)))
        said = [l for l in out.getvalue().splitlines() if "have not landed" in l][:1]
        with session(s, read_only=True) as con:
            days = con.execute("SELECT DISTINCT kpi_date::VARCHAR FROM core.fct_tower_kpi_5min ORDER BY 1").fetchall()
            balance = con.execute(
                "SELECT count(*) FILTER (WHERE rows_read <> rows_published + rows_quarantined) FROM audit.load WHERE status = 'published'"
            ).fetchone()
            rejected = con.execute("SELECT message FROM audit.load WHERE status = 'rejected'").fetchall()
            daily = con.execute("SELECT count(DISTINCT kpi_date) FROM marts.tower_availability_daily").fetchone()
        print(json.dumps({"first": first.runs, "second": second.runs, "days": days,
                          "missing": missing, "said": said,
                          "unbalanced": balance[0], "rejected": rejected, "daily_days": daily[0]}))
    """)
    first = [(dag_id, state) for dag_id, _, state in got["first"]]
    assert first == [("village_registry", "success"), ("tower_logs", "success"),
                     ("tower_logs", "success"), ("connectivity_marts", "success")]
    assert [r[1] for r in got["first"] if r[0] == "tower_logs"] == [
        "2026-08-31T16:00:00+00:00", "2026-09-01T16:00:00+00:00"]
    assert [(d, s) for d, _, s in got["second"]] == [("tower_logs", "failed"),
                                                     ("connectivity_marts", "success")]
    assert got["days"] == [["2026-09-01"], ["2026-09-02"]]
    assert got["missing"] == "failed"
    assert "tower files for 2026-08-20 have not landed" in got["said"][0]
    assert "landing/towers/kpi/2026-08-20.csv[.gz]" in got["said"][0]
    assert got["unbalanced"] == 0
    assert got["daily_days"] == 2
    (message,) = got["rejected"][0]
    assert "landing/towers/kpi/2026-09-03.csv" in message and "battery_v" in message
    audit_verified(home)
