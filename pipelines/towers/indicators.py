"""The towers' after-step: the day's and the month's tower indicators, through the mart
engine, once the day's files are published."""

from __future__ import annotations

from datetime import date

import duckdb

from pipelines.marts.engine import refresh_indicators
from pipelines.settings import Settings


def refresh_day(con: duckdb.DuckDBPyConnection, settings: Settings, partition: str) -> int:
    return refresh_indicators(con, settings, date.fromisoformat(partition))
