"""The partner's monthly SLA spreadsheet: the header found wherever it is, decimal commas,
empty cells, total rows, and the title's period checked against the file name."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.batch.errors import BatchRejected
from pipelines.batch.run import run_deliveries
from pipelines.demo.generate.pln import SheetStyle, write_sla_report
from pipelines.warehouse import session


def load_reports(settings) -> list:
    """The pln_partner run without a partner connection: the SLA reports only."""
    return run_deliveries(settings, "pln_partner", "now")["sla_report"]


def row(no: int, site_id: str, avail, sla=99.0, downtime=None, outages=None) -> dict:
    return {"no": no, "site_id": site_id, "village_name": "Kedang Ipil", "district_name": "KOTA BANGUN",
            "service": "FIBER", "bandwidth_mbps": 20, "contracted_sla_pct": sla,
            "reported_availability_pct": avail, "downtime_minutes": downtime, "outage_count": outages}


def sla_path(settings, month: str):
    return settings.landing / "pln" / "sla" / f"{month}.xlsx"


def reported(settings) -> list[tuple]:
    with session(settings, read_only=True) as con:
        return con.execute(
            """SELECT report_month, site_id, contracted_sla_pct, reported_availability_pct,
                      downtime_minutes, outage_count, sheet_row
               FROM core.fct_partner_sla_reported ORDER BY report_month, site_id"""
        ).fetchall()


def test_header_anywhere_decimal_commas_empty_cells_and_total_rows(settings):
    write_sla_report(sla_path(settings, "2026-09"), date(2026, 9, 1), [
        row(1, "S1", "99,87", downtime=56, outages=2),
        row(2, "S2", 98.5, sla="99,5", downtime="1.234,5"),
        row(3, "S3", None, outages=0),  # left empty by the partner: empty, not zero
    ], SheetStyle(header_row=4, merged_header=True, total_label="Rata-rata"))
    write_sla_report(sla_path(settings, "2026-10"), date(2026, 10, 1), [
        row(1, "S1", 100),
        row(2, "S2", "n/a"),  # not a number: that row is quarantined, the rest loads
    ], SheetStyle(header_row=9, merged_header=False, english_title=True, total_label="TOTAL"))
    results = load_reports(settings)
    assert [(r.rows_read, r.rows_published, r.rows_quarantined) for r in results] == [
        (3, 3, 0), (2, 1, 1)]  # the total rows are neither data nor bad rows
    assert reported(settings) == [
        ("2026-09", "S1", 99.0, 99.87, 56.0, 2, 6),  # merged two-row header at rows 4-5
        ("2026-09", "S2", 99.5, 98.5, 1234.5, None, 7),
        ("2026-09", "S3", 99.0, None, None, 0, 8),
        ("2026-10", "S1", 99.0, 100.0, None, None, 10),  # one-row header at row 9
    ]
    with session(settings, read_only=True) as con:
        (reasons,) = con.execute("SELECT reasons FROM audit.quarantine").fetchone()
    assert reasons == ["a number cell holds text that is not a number"]


def test_a_period_that_disagrees_with_the_file_name_is_rejected_with_that_reason(settings):
    write_sla_report(sla_path(settings, "2026-11"), date(2026, 11, 1), [row(1, "S1", 99.9)],
                     SheetStyle(period_month=date(2026, 10, 1)))
    with pytest.raises(BatchRejected, match="period mismatch"):
        load_reports(settings)
    with session(settings, read_only=True) as con:
        status, message = con.execute(
            "SELECT status, message FROM audit.load WHERE dataset = 'pln_sla_report'").fetchone()
    assert status == "rejected"
    assert "the title says 'Periode: Oktober 2026' (2026-10) but the file is named for 2026-11" in message
    assert reported(settings) == []


def test_a_corrected_report_replaces_its_month(settings):
    path = sla_path(settings, "2026-09")
    write_sla_report(path, date(2026, 9, 1), [row(1, "S1", 99.0), row(2, "S2", 98.0)], SheetStyle())
    load_reports(settings)
    write_sla_report(path, date(2026, 9, 1), [row(1, "S1", "99,5")],
                     SheetStyle(english_title=True, header_row=7))
    load_reports(settings)
    assert [(r[1], r[3]) for r in reported(settings)] == [("S1", 99.5)]
    assert load_reports(settings) == []  # nothing new: nothing loaded again
