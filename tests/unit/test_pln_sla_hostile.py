"""Hostile SLA spreadsheets: each is refused whole with its reason recorded, in bounded work,
and the other months' reports still load."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipelines.batch.errors import BatchRejected
from pipelines.batch.run import run_deliveries
from pipelines.demo.generate.pln import SheetStyle, write_sla_report
from pipelines.warehouse import session

ROW = {"no": 1, "site_id": "S1", "village_name": "Kedang Ipil", "district_name": "KOTA BANGUN",
       "service": "FIBER", "bandwidth_mbps": 20, "contracted_sla_pct": 99.0,
       "reported_availability_pct": 99.5, "downtime_minutes": None, "outage_count": None}
SHEET = "xl/worksheets/sheet1.xml"


def load_reports(settings) -> list:
    """The pln_partner run without a partner connection: the SLA reports only."""
    return run_deliveries(settings, "pln_partner", "now")["sla_report"]


def valid_report(settings, month: str) -> Path:
    path = settings.landing / "pln" / "sla" / f"{month}.xlsx"
    return write_sla_report(path, date.fromisoformat(month + "-01"), [ROW], SheetStyle())


def rewrite_part(path: Path, part: str, change) -> Path:
    """The same workbook with one zip member's bytes changed."""
    with zipfile.ZipFile(path) as zin:
        members = {i.filename: zin.read(i) for i in zin.infolist()}
    members[part] = change(members[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members.items():
            zout.writestr(name, data)
    return path


def billion_laughs(xml: bytes) -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    return f"<!DOCTYPE worksheet [{entities}]>".encode() + xml.replace(
        b"<sheetData>", b"<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>", 1)


def bomb(xml: bytes) -> bytes:
    # ~200 MB of white space inside the sheet: a few hundred kB compressed.
    return xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 200_000_000, 1)


def empty_rows_below(xml: bytes) -> bytes:
    rows = b"".join(b'<row r="%d"/>' % n for n in range(20, 1_000_020))
    return xml.replace(b"</sheetData>", rows + b"</sheetData>", 1)


def not_a_zip(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 this is not really a workbook\n" * 100)
    return path


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
