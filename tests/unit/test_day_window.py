"""A day's file dated after tomorrow (local) or before the pipeline's first day is refused
with that reason: never published, never silently left out, never run as a day that does
nothing."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from towerfiles import day_samples, syslog, write_events, write_inventory, write_kpi

from pipelines.batch.days import WITA, local_midnight
from pipelines.batch.run import pending_partitions
from pipelines.batch.sources import EARLIEST_DAY, SOURCES
from pipelines.runner import planned_runs
from pipelines.settings import get_settings


def _day(home, day: date) -> None:
    write_inventory(home, min(day, date(2026, 1, 1)), [{"tower_id": "T1"}])
    write_kpi(home, day, day_samples("T1", day))
    write_events(home, day, [syslog("T1", datetime(day.year, day.month, day.day, 3), "system", "rebooted")])


def _unrecognised(con) -> dict[str, str]:
    return dict(con.execute("SELECT path, reason FROM audit.unrecognised_file").fetchall())


def test_a_day_after_tomorrow_or_before_the_first_day_is_refused_with_its_reason(con, settings, home):
    tomorrow = datetime.now(WITA).date() + timedelta(days=1)
    after = tomorrow + timedelta(days=1)
    for day in (date(2099, 9, 1), date(1970, 1, 1), after, tomorrow):
        _day(home, day)
    assert pending_partitions(con, settings, SOURCES["tower_logs"]) == [str(tomorrow)]
    got = _unrecognised(con)
    for day in (date(2099, 9, 1), after):
        for rel in (f"towers/kpi/{day}.csv", f"towers/events/{day}.log"):
            assert f"dated {day}, after tomorrow ({tomorrow})" in got[f"landing/{rel}"]
    assert "before the pipeline's first day 2020-01-01" in got["landing/towers/kpi/1970-01-01.csv"]
    assert "before the pipeline's first day" in got["landing/towers/inventory/1970-01-01.csv"]


def test_the_first_day_is_a_setting_and_the_daily_dag_starts_on_it(settings, home, monkeypatch):
    monkeypatch.setenv("KONEKTIVITAS_FIRST_DAY", "2026-03-01")
    assert get_settings(home).first_day == date(2026, 3, 1)
    later = dataclasses.replace(settings, first_day=date(2026, 3, 1))
    _day(home, date(2026, 2, 28))
    held: list[str] = []
    assert planned_runs(later, SOURCES["tower_logs"], held) == [] and held == []
    assert planned_runs(settings, SOURCES["tower_logs"]) == [local_midnight(date(2026, 2, 28))]

    from pipelines.runner import configure_airflow, load_dags

    monkeypatch.setenv("KONEKTIVITAS_FIRST_DAY", "2019-12-31")
    with pytest.raises(ValueError, match="no day before 2020-01-01"):
        get_settings(home)
    configure_airflow(settings)
    dag = load_dags(settings)["tower_logs"]  # no run before its start, none needed before it
    assert dag.start_date == local_midnight(date.fromisoformat(EARLIEST_DAY)) <= local_midnight(
        settings.first_day)


def test_a_run_for_a_refused_day_fails_saying_why(settings):
    from pipelines.batch.errors import FilesNotLanded
    from pipelines.batch.run import run_deliveries

    with pytest.raises(FilesNotLanded, match="before the pipeline's first day"):
        run_deliveries(settings, "tower_logs", "2019-06-01")
