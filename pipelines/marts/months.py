"""Which months new data touched, and rebuilding them through the mart engine.

New data is what audit.load recorded after the last build; each dataset says which
months its partitions touch. audit.mart_build records every build and why.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb

from pipelines.audit import chain
from pipelines.marts import engine
from pipelines.settings import Settings
from pipelines.warehouse import session, transaction

# Datasets whose partition key is a local day or month that bounds the reporting period.
PERIOD_DATASETS = ("tower_kpi", "pln_sla_report")
# Datasets whose partition touches only its own month; anything else touches every month
# from its partition's month on (an inventory snapshot, a registry edition, an API pull).
OWN_MONTH_DATASETS = ("tower_kpi", "tower_event", "pln_sla_report")
# Datasets partitioned by local day that feed the day-partitioned tower marts.
DAY_DATASETS = ("tower_kpi", "tower_event")


def day_complete(con: duckdb.DuckDBPyConnection, day: date) -> bool:
    """Every day-partitioned tower dataset has a published load for the day."""
    (n,) = con.execute(
        "SELECT count(DISTINCT dataset) FROM audit.load WHERE status = 'published' "
        "AND partition_key = ? AND dataset IN (SELECT unnest(?::VARCHAR[]))",
        [day.isoformat(), list(DAY_DATASETS)],
    ).fetchone()
    return n == len(DAY_DATASETS)


def month_of(partition_key: str) -> date | None:
    try:
        return date.fromisoformat(partition_key[:7] + "-01")
    except ValueError:
        return None


def feeds_month(dataset: str, partition_key: str, month: date) -> bool:
    """Whether a load of this dataset and partition is an input of `month`'s marts."""
    start = month_of(partition_key)
    if dataset in OWN_MONTH_DATASETS:
        return start == month
    return start is None or start <= month


def reporting_months(con: duckdb.DuckDBPyConnection) -> list[date]:
    """Every month from the first to the last with period data (tower days, SLA months)."""
    keys = [k for (k,) in con.execute(
        f"""SELECT DISTINCT partition_key FROM audit.load
            WHERE status = 'published' AND dataset IN {PERIOD_DATASETS}"""
    ).fetchall()]
    months = sorted({m for m in map(month_of, keys) if m})
    if not months:
        return []
    out, m = [], months[0]
    while m <= months[-1]:
        out.append(m)
        m = date(m.year + m.month // 12, m.month % 12 + 1, 1)
    return out


def last_build_watermark(con: duckdb.DuckDBPyConnection) -> datetime | None:
    return con.execute("SELECT max(loads_through_at) FROM audit.mart_build").fetchone()[0]


def stale_months(con: duckdb.DuckDBPyConnection,
                 ) -> tuple[dict[date, list[str]], datetime | None, list[str]]:
    """{month: [dataset:partition, ...]} of months that loads no build has seen touched,
    the finished_at of the newest of those loads, and their load ids."""
    since = last_build_watermark(con)
    # Not "finished after the last build": a load's finished_at is its transaction's start,
    # and on DuckLake a load that started earlier may commit after a build began.
    loads = con.execute(
        """SELECT dataset, partition_key, finished_at, load_id FROM audit.load
           WHERE status IN ('published', 'superseded') AND finished_at IS NOT NULL
             AND load_id NOT IN (SELECT load_id FROM audit.mart_build_load)
           ORDER BY finished_at""",
    ).fetchall()
    universe = reporting_months(con)
    stale: dict[date, list[str]] = {}
    for dataset, key, _, _ in loads:
        start = month_of(key)
        if dataset in OWN_MONTH_DATASETS:
            touched = [start] if start in universe else []
        else:
            touched = [m for m in universe if start is None or m >= start]
        for m in touched:
            stale.setdefault(m, []).append(f"{dataset}:{key}")
    newest = max([since, loads[-1][2]] if since else [loads[-1][2]]) if loads else since
    return dict(sorted(stale.items())), newest, [row[3] for row in loads]


def build_stale_months(settings: Settings) -> list[date]:
    """Rebuild the whole marts and every month new data touched; record each build."""
    with session(settings) as con:
        stale, newest, seen = stale_months(con)
        whole = engine.build_whole(con, settings)
        # The towers' after-step builds a day's indicators; a run killed between the day's
        # publish and that step leaves them to this build. Only a whole day qualifies: one
        # whose KPI file was rejected stays unbuilt, as its failed run left it.
        for day in sorted({date.fromisoformat(r.split(":", 1)[1]) for rs in stale.values()
                           for r in rs if r.split(":", 1)[0] in DAY_DATASETS}):
            if day_complete(con, day):
                engine.refresh_indicators(con, settings, day)
        for month, reasons in stale.items():
            built = engine.build_month(con, settings, month)
            record_build(con, month, list(built), "; ".join(sorted(set(reasons)))[:2000], newest)
        record_build(con, None, list(whole), "whole marts", newest)
        if seen:
            con.execute("INSERT INTO audit.mart_build_load SELECT unnest(?), now()", [seen])
    return list(stale)


def record_build(
    con: duckdb.DuckDBPyConnection, month: date | None, marts: list[str], reason: str,
    loads_through_at: datetime | None,
) -> None:
    """Append the build's record to audit.mart_build and seal it in the chain."""
    with transaction(con):
        con.execute("INSERT INTO audit.mart_build VALUES (?, ?, ?, ?, now())",
                    [month, marts, reason, loads_through_at])
        chain.seal(con, "mart_build", "t.built_at = now()")
