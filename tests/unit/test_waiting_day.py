"""A day whose files are still awaited is not run in-process (its wait would hold up every
other run): the embedded run reports it waiting and goes on."""

from __future__ import annotations

from datetime import date, datetime

from towerfiles import day_samples, write_inventory, write_kpi

from pipelines.batch.days import WITA, local_midnight
from pipelines.batch.sources import SOURCES
from pipelines.runner import planned_runs


def test_a_day_without_its_syslog_waits_and_an_overdue_one_runs(settings, home):
    today = datetime.now(WITA).date()
    overdue = date(2026, 1, 5)
    write_inventory(home, overdue, [{"tower_id": "T1"}])
    for day in (today, overdue):
        write_kpi(home, day, day_samples("T1", day))  # no syslog for either
    held: list[str] = []
    assert planned_runs(settings, SOURCES["tower_logs"], held) == [local_midnight(overdue)]
    assert held == [str(today)]  # its wait lasts until 12 h after the day
