"""The local (WITA) day a "day" source's run processes, and back."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from pipelines.settings import LOCAL_TZ

WITA = ZoneInfo(LOCAL_TZ)


def local_midnight(day: date) -> datetime:
    """The UTC instant a local day starts: the logical date of its run."""
    return datetime.combine(day, time(), WITA).astimezone(UTC)


def run_day(logical_date: datetime | None, data_interval_start: datetime | None) -> date:
    """The local day a run processes.

    The DAG's timetable (cron `0 0 * * *` in WITA, data intervals) gives scheduled and
    backfill runs logical_date = data_interval_start = local midnight of the day. A manual
    run with a logical date (as `dag.test(logical_date=...)` makes) gets an inferred
    interval that *ends* at its logical date, while the logical date names the day meant:
    so the logical date decides whenever there is one, the interval's start otherwise
    (a manual run without logical date processes the last complete day).
    """
    when = logical_date or data_interval_start
    if when is None:
        raise ValueError("a daily run needs a logical date or a data interval")
    return when.astimezone(WITA).date()
