"""Hostile SLA spreadsheets, built from a valid one: written by the tests and by the
selftest's cases."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pipelines.demo.generate.pln import SheetStyle, write_sla_report
from pipelines.settings import Settings

ROW = {"no": 1, "site_id": "S1", "village_name": "Kedang Ipil", "district_name": "KOTA BANGUN",
       "service": "FIBER", "bandwidth_mbps": 20, "contracted_sla_pct": 99.0,
       "reported_availability_pct": 99.5, "downtime_minutes": None, "outage_count": None}
SHEET = "xl/worksheets/sheet1.xml"


def valid_report(settings: Settings, month: str) -> Path:
    path = settings.landing / "pln" / "sla" / f"{month}.xlsx"
    return write_sla_report(path, date.fromisoformat(month + "-01"), [ROW], SheetStyle())


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
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
