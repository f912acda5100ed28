"""The towers' after-step: the day's and the month's tower indicators, once the day's
files are published."""

from __future__ import annotations

from datetime import date

import duckdb

from pipelines.audit import records as audit
from pipelines.settings import Settings
from pipelines.towers.kpi import KPI
from pipelines.warehouse import render_model, transaction


def refresh_indicators(con: duckdb.DuckDBPyConnection, settings: Settings, day: date) -> int:
    """Replace the day's rows of the daily mart, then the month's rows of the monthly mart."""
    month = day.replace(day=1)
    published = audit.published_load_of_partition(con, KPI.name, str(day))
    daily = render_model(
        settings, "marts", "tower_availability_daily", day=str(day),
        **({"published_load": published} if published else {}),
    )
    monthly = render_model(settings, "marts", "tower_availability_monthly", month=str(month))
    with transaction(con):
        con.execute("DELETE FROM marts.tower_availability_daily WHERE kpi_date = ?", [day])
        (n,) = con.execute(f"INSERT INTO marts.tower_availability_daily BY NAME {daily}").fetchone()
        con.execute("DELETE FROM marts.tower_availability_monthly WHERE month_start = ?", [month])
        con.execute(f"INSERT INTO marts.tower_availability_monthly BY NAME {monthly}")
    return n


def refresh_day(con: duckdb.DuckDBPyConnection, settings: Settings, partition: str) -> int:
    return refresh_indicators(con, settings, date.fromisoformat(partition))
