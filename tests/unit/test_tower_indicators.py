"""Tower indicators on a hand-built month end, against values worked out by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from towerfiles import day_samples, syslog, write_events, write_inventory, write_kpi

from pipelines.batch.run import run_deliveries
from pipelines.marts.engine import build_all

D29, D30 = date(2026, 9, 29), date(2026, 9, 30)


def degraded(rows: list[dict], slots: range) -> list[dict]:
    for r in rows:
        if int(r["ts"][11:13]) * 12 + int(r["ts"][14:16]) // 5 in slots:
            r["status"] = "DEGRADED"
    return rows


@pytest.fixture
def month_end(con, settings, home):
    """Two days at the end of September 2026.

    The only inventory snapshot is dated 29 September, so earlier days have no tower in
    service. T2 is decommissioned on the 30th, T3 commissioned on the 30th.

    29th  T1: DOWN 00:50-01:45 (slots 10-21), no sample 08:20-08:45 (slots 100-105);
              LINK_DOWN 00:50, LINK_UP 01:50; one POWER_LOSS.
          T2: DEGRADED 00:00-00:20 (counts as available); two POWER_LOSS.
    30th  T1: DOWN from 23:00 (slots 276-287); LINK_DOWN 23:00, never back up in September.
          T2: samples all day, but no longer in service.
          T3: in service, no sample at all.
    """
    write_inventory(home, D29, [
        {"tower_id": "T1"},
        {"tower_id": "T2", "decommissioned_on": "2026-09-30"},
        {"tower_id": "T3", "commissioned_on": "2026-09-30"},
    ])
    write_kpi(home, D29, day_samples("T1", D29, down_slots=set(range(10, 22)),
                                     skip_slots=set(range(100, 106)))
              + degraded(day_samples("T2", D29), range(0, 5)))
    write_events(home, D29, [
        syslog("T1", datetime(2026, 9, 29, 0, 50), "netwatch", "link ether1 down"),
        syslog("T1", datetime(2026, 9, 29, 1, 50), "netwatch", "link ether1 up"),
        syslog("T1", datetime(2026, 9, 29, 3, 0), "power", "mains lost, running on battery"),
        syslog("T2", datetime(2026, 9, 29, 4, 0), "power", "mains lost, running on battery"),
        syslog("T2", datetime(2026, 9, 29, 5, 0), "power", "mains restored"),
        syslog("T2", datetime(2026, 9, 29, 6, 0), "power", "mains lost, running on battery"),
    ])
    write_kpi(home, D30, day_samples("T1", D30, down_slots=set(range(276, 288)))
              + day_samples("T2", D30))
    write_events(home, D30, [
        syslog("T1", datetime(2026, 9, 30, 23, 0), "netwatch", "link ether1 down"),
    ])
    run_deliveries(settings, "tower_logs", str(D29), con=con)
    run_deliveries(settings, "tower_logs", str(D30), con=con)
    return con


DAILY = [
    # day, tower, availability %, completeness %, downtime minutes, power-loss events
    (D29, "T1", 100 * 270 / 288, 100 * 282 / 288, 5 * 18, 1),
    (D29, "T2", 100.0, 100.0, 0, 2),
    (D30, "T1", 100 * 276 / 288, 100.0, 5 * 12, 0),
    (D30, "T3", 0.0, 0.0, 1440, 0),
]
MONTHLY = [
    # tower, days in service, availability %, completeness %, downtime, power losses,
    # outages, MTTR minutes: (60 + 60 clipped at 1 October 00:00 WITA) / 2
    ("T1", 2, 100 * 546 / 576, 100 * 570 / 576, 150, 1, 2, 60.0),
    ("T2", 1, 100.0, 100.0, 0, 2, 0, None),
    ("T3", 1, 0.0, 0.0, 1440, 0, 0, None),
]


def rounded(rows: list[tuple]) -> list[tuple]:
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in r) for r in rows]


def daily(con) -> list[tuple]:
    rows = con.execute(
        """SELECT kpi_date, tower_id, tower_availability_pct, tower_data_completeness_pct,
                  tower_downtime_minutes, tower_power_loss_events
           FROM marts.tower_availability_daily ORDER BY ALL"""
    ).fetchall()
    return rounded(rows)


def monthly(con) -> list[tuple]:
    rows = con.execute(
        """SELECT tower_id, days_in_service, tower_availability_pct,
                  tower_data_completeness_pct, tower_downtime_minutes, tower_power_loss_events,
                  link_outages, tower_mttr_minutes
           FROM marts.tower_availability_monthly WHERE month_start = DATE '2026-09-01'
           ORDER BY tower_id"""
    ).fetchall()
    return rounded(rows)


def test_daily_and_monthly_indicators_equal_hand_worked_values(month_end):
    assert daily(month_end) == rounded(DAILY)
    assert monthly(month_end) == rounded(MONTHLY)


def test_full_mart_rebuild_gives_the_same_values(month_end, settings):
    month_end.close()  # build_all opens its own session
    build_all(settings)
    from pipelines.warehouse import connect

    con = connect(settings)
    try:
        assert daily(con) == rounded(DAILY)
        assert monthly(con) == rounded(MONTHLY)
        (comment,) = con.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = 'tower_availability_daily'"
        ).fetchone()
        assert comment  # the documented table survives a full rebuild
    finally:
        con.close()
