"""The partner's monthly SLA spreadsheet: landing/pln/sla/<YYYY-MM>.xlsx (docs/sources.md 3b).

Made by hand, so the reader looks for the table rather than assuming where it is: the
header row wherever it lies (one row, or two under merged group cells), numbers as
numbers or decimal-comma text, the total/average row dropped as a total, and the
title's period checked against the file name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import duckdb

from pipelines.audit import records as audit
from pipelines.batch.errors import BatchRejected
from pipelines.batch.feed import landed_feed
from pipelines.batch.landing import Landed, accepted
from pipelines.batch.steps import Dataset
from pipelines.io.workbook import sheet_rows
from pipelines.pln.pull import raw_table
from pipelines.settings import Settings
from pipelines.warehouse import render_model

_FILE = re.compile(r"^([0-9]{4})-([0-9]{2})\.xlsx$")
# Header labels as the partner writes them (suite column names) and the staged field each fills.
COLUMNS = {
    "No": "no",
    "ID Layanan": "site_id",
    "Nama Desa": "village_name",
    "Kecamatan": "district_name",
    "Jenis Layanan": "service",
    "Bandwidth (Mbps)": "bandwidth_mbps",
    "SLA Kontrak (%)": "contracted_sla_pct",
    "Availability (%)": "reported_availability_pct",
    "Downtime (menit)": "downtime_minutes",
    "Jumlah Gangguan": "outage_count",
    "Keterangan": "remarks",
}
MONTHS = {
    **{m: i for i, m in enumerate(
        ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
         "september", "oktober", "november", "desember"], 1)},
    **{m: i for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"], 1)},
    **{m: i for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"], 1)},
    "may": 5, "aug": 8, "agt": 8, "oct": 10, "dec": 12, "sept": 9,
}
_PERIOD = re.compile(r"\bperiod[e]?\b\s*:?\s*([a-z]+)\.?\s+(\d{4})", re.IGNORECASE)
_TOTAL_WORDS = ("total", "jumlah", "ratarata", "rerata", "average", "mean", "grandtotal")


def _key(value: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(value).lower()) if value is not None else ""


_LABELS = {_key(label): label for label in COLUMNS}


@dataclass
class Sheet:
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)  # label -> 0-based column
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (sheet row, values)
    totals: list[int] = field(default_factory=list)
    period: str | None = None  # the title's words, e.g. "Oktober 2026"
    period_month: str | None = None  # YYYY-MM


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_sheet(path: Path) -> Sheet:
    """The report's table, read as a stream that stops where the table ends (rows below it,
    however many, are never read); a hostile workbook is refused by io.workbook."""
    with closing(sheet_rows(path)) as rows:
        return _table(rows)


def _table(rows: Iterator[tuple[Any, ...]]) -> Sheet:
    sheet = Sheet()
    title: list[list[Any]] = []
    top = None
    for row in rows:
        if any(_key(v) == "idlayanan" for v in row):
            top = list(row)
            break
        title.append(list(row))
    _find_period(sheet, title if top is not None else title[:10])
    if top is None:
        return sheet
    sheet.header_row = len(title) + 1
    below = list(next(rows, ()))
    # Under a merged group cell ("Kinerja Layanan") the labels sit one row lower.
    two_rows = any(_key(v) in _LABELS and _key(v) not in map(_key, top) for v in below)
    for c in range(max(len(top), len(below))):
        for row in ([below] if two_rows else []) + [top]:
            label = _LABELS.get(_key(row[c])) if c < len(row) else None
            if label and label not in sheet.columns:
                sheet.columns[label] = c
                break
    first = sheet.header_row + (2 if two_rows else 1)
    for n, row in enumerate(rows if two_rows else chain([below], rows), first):
        if all(_blank(v) for v in row):
            if sheet.rows:
                break  # the table ended; notes below it are not data
            continue
        values = {label: row[c] if c < len(row) else None for label, c in sheet.columns.items()}
        sid = values.get("ID Layanan")
        if (_blank(sid) or _key(sid).startswith(_TOTAL_WORDS)) and any(
            isinstance(v, str) and _key(v).startswith(_TOTAL_WORDS) for v in row
        ):
            sheet.totals.append(n)
            break
        sheet.rows.append((n, values))
    return sheet


def _find_period(sheet: Sheet, rows: list[list[Any]]) -> None:
    for row in rows:
        for v in row:
            m = _PERIOD.search(v) if isinstance(v, str) else None
            if m:
                sheet.period = f"{m.group(1)} {m.group(2)}"
                month = MONTHS.get(m.group(1).lower())
                sheet.period_month = f"{m.group(2)}-{month:02d}" if month else None
                return


def report_month(path: Path) -> str:
    m = _FILE.match(path.name)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"{path.name}: an SLA report is named <YYYY-MM>.xlsx, e.g. 2026-10.xlsx")
    return f"{m.group(1)}-{m.group(2)}"


def header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    return list(read_sheet(path).columns)


def _cell_text(v: Any) -> str | None:
    if _blank(v):
        return None  # an empty cell stays empty: never zero
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def stage_report(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: audit.Load
) -> None:
    sheet = read_sheet(path)
    month = load.partition_key
    if sheet.period is None:
        raise BatchRejected("no 'Periode: <month> <year>' in the title block; cannot check the period")
    if sheet.period_month != month:
        raise BatchRejected(
            f"period mismatch: the title says 'Periode: {sheet.period}' "
            f"({sheet.period_month or 'unknown month name'}) but the file is named for {month}. "
            "Nothing of it was loaded."
        )
    raw = f"raw_{load.load_id}"
    fields = list(COLUMNS.values())
    raw_table(con, raw, fields, [
        ("sheet", {COLUMNS[k]: _cell_text(v) for k, v in values.items()}) for _, values in sheet.rows
    ], lines=[n for n, _ in sheet.rows])  # the sheet's own row numbers: what a person finds
    select = render_model(settings, "staging", "stg_pln_sla_report", raw=raw,
                          load_id=load.load_id, report_month=month)
    con.execute(f"CREATE TABLE {table} AS {select}")
    con.execute(f"DROP TABLE {raw}")


DATASET = Dataset(
    name="pln_sla_report", source="pln", core_table="core.fct_partner_sla_reported",
    partition_column="report_month", header=header, stage=stage_report,
)


LANDED = Landed("pln/sla/*", report_month)


def landed_reports(settings: Settings) -> list[Path]:
    return accepted(settings, LANDED)


# Each new report is one load of its month.
FEED = landed_feed(DATASET, LANDED)
