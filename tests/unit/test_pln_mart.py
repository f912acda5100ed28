"""marts.partner_sla_monthly on a hand-built September, worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pln_support import FAST, outage, partner_server, site, write_config, write_registry

from pipelines.batch.run import run_deliveries
from pipelines.demo.generate.pln import SheetStyle, write_sla_report
from pipelines.demo.partner_server import PartnerData
from pipelines.marts.engine import build_all
from pipelines.pln import pull as pln
from pipelines.settings import get_settings
from pipelines.warehouse import session

WITA = "+08:00"


def at(day: str, hm: str) -> str:
    return f"2026-{day}T{hm}:00{WITA}"


def september() -> PartnerData:
    return PartnerData(
        sites=[
            site("S1", activated_at=at("09-01", "00:00")),
            site("S3", activated_at=at("09-15", "12:00"), updated_at=at("09-15", "12:00")),
            site("S4", status="PLANNED", activated_at=None),
            site("S5", status="TERMINATED", activated_at=at("08-01", "00:00"),
                 terminated_at=at("09-11", "00:00"), updated_at=at("09-11", "01:00")),
            site("S6", activated_at=at("10-05", "00:00"), updated_at=at("09-20", "00:00")),
        ],
        outages=[
            # S1: 01-03 and 02-04 overlap: 3 hours, not 4
            outage("A", "S1", at("09-10", "01:00"), at("09-10", "03:00")),
            outage("B", "S1", at("09-10", "02:00"), at("09-10", "04:00")),
            # S3: began before activation (only 12-13 counts); one still open at month end
            outage("C", "S3", at("09-15", "10:00"), at("09-15", "13:00")),
            outage("D", "S3", at("09-30", "22:00"), None),
            # S5: runs past its termination (only 20-24 counts), with one nested inside
            outage("E", "S5", at("09-10", "20:00"), at("09-11", "04:00")),
            outage("F", "S5", at("09-10", "21:00"), at("09-10", "22:00")),
        ],
    )


def build_after_pull(settings, tmp_path, monkeypatch, month: date, report: list[dict]) -> None:
    """September's partner data pulled on 2 October, `month`'s SLA report, the marts."""
    monkeypatch.setenv("KONEKTIVITAS_CONFIG", str(write_config(tmp_path, [])))
    settings = get_settings(settings.home)  # one that sees the config
    write_registry(settings)
    with partner_server(september()) as (_, conn):
        pln.pull(settings, conn, datetime(2026, 10, 2, tzinfo=UTC), FAST)
    write_sla_report(settings.landing / "pln" / "sla" / f"{month:%Y-%m}.xlsx", month, report,
                     SheetStyle())
    run_deliveries(settings, "pln_partner", "now")
    build_all(settings)


def test_measured_availability_discrepancy_and_breach_by_hand(settings, tmp_path, monkeypatch):
    build_after_pull(settings, tmp_path, monkeypatch, date(2026, 9, 1), [
        {"no": 1, "site_id": "S1", "contracted_sla_pct": 99.5, "reported_availability_pct": 99.95},
        {"no": 2, "site_id": "S3", "contracted_sla_pct": "99,5", "reported_availability_pct": "99,90"},
    ])
    with session(settings, read_only=True) as con:
        rows = con.execute(
            """SELECT site_id, active_minutes, outage_minutes, sla_measured_availability_pct,
                      sla_reported_availability_pct, sla_discrepancy_pp, sla_discrepancy_flagged,
                      sla_breach
               FROM marts.partner_sla_monthly WHERE month_date = DATE '2026-09-01'
               ORDER BY site_id""").fetchall()
        months = con.execute("SELECT DISTINCT month_date FROM marts.partner_sla_monthly "
                             "ORDER BY 1").fetchall()
    # Only August (S5 active) and September: October is not over at the watermark.
    assert months == [(date(2026, 8, 1),), (date(2026, 9, 1),)]
    s1_active = 30 * 24 * 60  # all of September
    s1_measured = (1 - 180 / s1_active) * 100  # 99.5833...
    s3_active = 15 * 24 * 60 + 12 * 60  # 15 Sep 12:00 to 1 Oct 00:00 = 22320
    s3_measured = (1 - (60 + 120) / s3_active) * 100  # 99.1935...
    s5_active = 10 * 24 * 60  # 1 Sep to its termination on 11 Sep
    s5_measured = (1 - 240 / s5_active) * 100  # 98.333...
    expected = [
        ("S1", s1_active, 180, s1_measured, 99.95, 99.95 - s1_measured, False, False),
        ("S3", s3_active, 180, s3_measured, 99.90, 99.90 - s3_measured, True, True),
        ("S5", s5_active, 240, s5_measured, None, None, None, None),
    ]
    assert [r[0] for r in rows] == ["S1", "S3", "S5"]  # S4 never active, S6 from October
    for got, want in zip(rows, expected, strict=True):
        assert got[:4] == pytest.approx(want[:4])
        assert got[4:6] == pytest.approx(want[4:6]) if want[4] is not None else got[4:6] == (None, None)
        assert got[6:] == want[6:]
    assert expected[0][5] == pytest.approx(0.366667, abs=1e-6)
    with session(settings, read_only=True) as con:  # every table and column of issue 5 described
        undocumented = con.execute(
            """SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns()
               WHERE (table_name IN ('api_watermark', 'dim_partner_site', 'fct_partner_outage',
                                     'fct_partner_sla_reported', 'partner_sla_monthly'))
                 AND (comment IS NULL OR comment = '')
               UNION ALL
               SELECT table_name FROM duckdb_tables()
               WHERE table_name IN ('api_watermark', 'dim_partner_site', 'fct_partner_outage',
                                    'fct_partner_sla_reported', 'partner_sla_monthly')
                 AND (comment IS NULL OR comment = '')""").fetchall()
    assert undocumented == []
    assert expected[1][5] == pytest.approx(0.706452, abs=1e-6)


def test_a_month_reported_but_not_yet_pulled_has_no_measured_availability(
    settings, tmp_path, monkeypatch
):
    """October's report arrives while the outages are pulled only to 2 October: October's
    measured availability is unknown, not 100 %, and so are its discrepancy and breach."""
    build_after_pull(settings, tmp_path, monkeypatch, date(2026, 10, 1), [
        {"no": 1, "site_id": "S1", "contracted_sla_pct": 99.5, "reported_availability_pct": 99.0},
    ])
    with session(settings, read_only=True) as con:
        rows = con.execute(
            """SELECT month_date, site_id, active_minutes, outage_minutes,
                      sla_measured_availability_pct, sla_reported_availability_pct,
                      sla_discrepancy_pp, sla_discrepancy_flagged, sla_breach
               FROM marts.partner_sla_monthly WHERE site_id = 'S1' ORDER BY month_date"""
        ).fetchall()
    september_row, october_row = rows
    assert september_row[3] == 180 and september_row[4] == pytest.approx((1 - 180 / 43200) * 100)
    assert october_row == (date(2026, 10, 1), "S1", 31 * 24 * 60, None, None, 99.0, None, None, None)
