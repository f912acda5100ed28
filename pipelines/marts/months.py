"""The monthly connectivity marts: which months new data touched, and rebuilding them.

A month is a partition: rebuilding replaces exactly its rows, in one transaction, so a
rebuild twice, or after a crash, leaves the same marts. New data is what audit.load
recorded after the last build; each dataset says which months its partitions touch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import duckdb

from pipelines.settings import LOCAL_TZ, Settings
from pipelines.warehouse import render_model, session, transaction

# Rebuilt together for a month, in this order (each reads the ones before it).
MONTHLY_MARTS: tuple[str, ...] = (
    "tower_service_monthly",
    "village_connectivity_monthly",
    "district_connectivity_monthly",
    "regency_connectivity_monthly",
    "district_connectivity_monthly_harmonised",
)
# Rebuilt whole on every build: small, and every month reads them.
REFERENCE_MARTS: tuple[str, ...] = ("region_code_current", "indicator_metadata")

# Small marts rebuilt whole on every run, before the months (each covers every month).
WHOLE_MARTS: tuple[str, ...] = ("district_village_count", "partner_sla_monthly")

# Datasets whose partition key is a local day or month that bounds the reporting period.
PERIOD_DATASETS = ("tower_kpi", "pln_sla_report")
# Datasets whose partition touches only its own month; anything else touches every month
# from its partition's month on (an inventory snapshot, a registry edition, an API pull).
OWN_MONTH_DATASETS = ("tower_kpi", "tower_event", "pln_sla_report")


def model_params(settings: Settings) -> dict[str, object]:
    return {
        "tz": LOCAL_TZ,
        "region_code": settings.region_code,
        "min_availability_pct": settings.thresholds["covered_min_tower_availability_pct"],
        "discrepancy_flag_pp": settings.thresholds["sla_discrepancy_flag_pp"],
        "tower_month_column": "month_start",
    }


def month_of(partition_key: str) -> date | None:
    try:
        return date.fromisoformat(partition_key[:7] + "-01")
    except ValueError:
        return None


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


def stale_months(con: duckdb.DuckDBPyConnection) -> tuple[dict[date, list[str]], datetime | None]:
    """{month: [dataset:partition, ...]} of months that loads since the last build touched,
    and the finished_at of the newest of those loads."""
    since = last_build_watermark(con)
    loads = con.execute(
        """SELECT dataset, partition_key, finished_at FROM audit.load
           WHERE status IN ('published', 'superseded') AND finished_at IS NOT NULL
             AND (CAST(? AS TIMESTAMPTZ) IS NULL OR finished_at > ?)
           ORDER BY finished_at""",
        [since, since],
    ).fetchall()
    universe = reporting_months(con)
    stale: dict[date, list[str]] = {}
    for dataset, key, _ in loads:
        start = month_of(key)
        if dataset in OWN_MONTH_DATASETS:
            touched = [start] if start in universe else []
        else:
            touched = [m for m in universe if start is None or m >= start]
        for m in touched:
            stale.setdefault(m, []).append(f"{dataset}:{key}")
    newest = loads[-1][2] if loads else since
    return dict(sorted(stale.items())), newest


def rebuild_reference(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    params = model_params(settings)
    with transaction(con):
        for name in REFERENCE_MARTS:
            con.execute(f"DELETE FROM marts.{name}")
            con.execute(f"INSERT INTO marts.{name} BY NAME "
                        + render_model(settings, "marts", name, **params))


def rebuild_month(
    con: duckdb.DuckDBPyConnection, settings: Settings, month: date,
    marts: Iterable[str] = MONTHLY_MARTS,
) -> dict[str, int]:
    """Replace one month of every monthly mart, all in one transaction."""
    params = {**model_params(settings), "month": month.isoformat()}
    counts = {}
    with transaction(con):
        for name in marts:
            con.execute(f"DELETE FROM marts.{name} WHERE month_date = ?", [month])
            con.execute(f"INSERT INTO marts.{name} BY NAME "
                        + render_model(settings, "marts", name, **params))
            counts[name] = con.execute(
                f"SELECT count(*) FROM marts.{name} WHERE month_date = ?", [month]
            ).fetchone()[0]
    return counts


def build_stale_months(settings: Settings) -> list[date]:
    """Rebuild the reference marts and every month new data touched; record each build."""
    with session(settings) as con:
        stale, newest = stale_months(con)
        rebuild_reference(con, settings)
        for month, reasons in stale.items():
            rebuild_month(con, settings, month)
            con.execute(
                "INSERT INTO audit.mart_build VALUES (?, ?, ?, ?, now())",
                [month, list(MONTHLY_MARTS), "; ".join(sorted(set(reasons)))[:2000], newest],
            )
        con.execute(
            "INSERT INTO audit.mart_build VALUES (NULL, ?, 'reference marts', ?, now())",
            [list(REFERENCE_MARTS), newest],
        )
    return list(stale)


def build_whole_marts(settings: Settings) -> dict[str, int]:
    from pipelines.marts.build import build_mart

    with session(settings) as con:
        return {name: build_mart(con, settings, name) for name in WHOLE_MARTS}
