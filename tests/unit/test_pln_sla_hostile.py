"""Hostile SLA spreadsheets: each is refused whole with its reason recorded, in bounded work,
and the other months' reports still load."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.batch.errors import BatchRejected
from pipelines.batch.run import run_deliveries
from pipelines.demo.generate.pln import SheetStyle, write_sla_report
from pipelines.selftest.workbooks import (
    ROW,
    SHEET,
    billion_laughs,
    bomb,
    empty_rows_below,
    not_a_zip,
    rewrite_part,
    valid_report,
)
from pipelines.warehouse import session


def load_reports(settings) -> list:
    """The pln_partner run without a partner connection: the SLA reports only."""
    return run_deliveries(settings, "pln_partner", "now")["sla_report"]


CASES = {
    "not a zip": (not_a_zip, "not an XLSX workbook"),
    "entity expansion": (lambda p: rewrite_part(p, SHEET, billion_laughs), "DTD"),
    "zip bomb": (lambda p: rewrite_part(p, SHEET, bomb), "expands"),
    # A table that does not end: far more sites than any partner report has.
    "more rows than a report has": (
        lambda p: write_sla_report(p, date(2026, 9, 1), [ROW] * 25_000, SheetStyle()), "rows"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_report_is_rejected_and_the_next_month_loads(settings, case) -> None:
    spoil, reason = CASES[case]
    spoil(valid_report(settings, "2026-09"))
    valid_report(settings, "2026-10")
    with pytest.raises(BatchRejected, match=reason):
        load_reports(settings)
    with session(settings, read_only=True) as con:
        loads = con.execute(
            """SELECT partition_key, status, message FROM audit.load
               WHERE dataset = 'pln_sla_report' ORDER BY partition_key""").fetchall()
        months = con.execute(
            "SELECT DISTINCT report_month FROM core.fct_partner_sla_reported").fetchall()
    assert [(k, s) for k, s, _ in loads] == [("2026-09", "rejected"), ("2026-10", "published")]
    assert "2026-09.xlsx" in loads[0][2] and reason in loads[0][2]
    assert months == [("2026-10",)]


def test_a_million_empty_rows_below_the_table_are_never_read(settings) -> None:
    rewrite_part(valid_report(settings, "2026-09"), SHEET, empty_rows_below)
    (result,) = load_reports(settings)
    assert (result.status, result.rows_read, result.rows_published) == ("published", 1, 1)
