"""Writing query results as CSV, Parquet or XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

# A cell starting with one of these is run as a formula by spreadsheet programs
# (CSV injection): such text gets a leading apostrophe, which shows as the text itself.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _text_columns(rel: duckdb.DuckDBPyRelation) -> list[str]:
    return [c for c, t in zip(rel.columns, rel.types, strict=True) if str(t) == "VARCHAR"]


def safe_relation(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """The relation with every text cell neutralised against formula execution."""
    text = set(_text_columns(rel))
    if not text:
        return rel
    starts = "[" + ", ".join("'" + s.replace("'", "''") + "'" for s in _FORMULA_START) + "]"
    exprs = [
        f"""CASE WHEN list_contains({starts}, left("{c}", 1)) THEN '''' || "{c}" ELSE "{c}" END AS "{c}" """
        if c in text else f'"{c}"'
        for c in rel.columns
    ]
    return rel.project(", ".join(exprs))


def write_csv(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation, path: Path) -> Path:
    safe_relation(con, rel).write_csv(str(path), header=True)
    return path


def write_parquet(rel: duckdb.DuckDBPyRelation, path: Path) -> Path:
    # Parquet is read by programs, not run: values stay exactly as stored.
    rel.write_parquet(str(path))
    return path


def add_sheet(workbook: Any, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet(title=title[:31])
    ws.append(list(columns))
    for row in rows:
        ws.append([_excel_value(neutralise(v)) for v in row])
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(str(col)) + 2))
    ws.freeze_panes = "A2"


def _excel_value(value: Any) -> Any:
    # Excel has no time zones: store aware timestamps as naive UTC.
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, list | dict | tuple):
        return str(value)
    return value


def write_xlsx(sheets: dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]], path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, (columns, rows) in sheets.items():
        add_sheet(wb, title, columns, rows)
    wb.save(path)
    return path


def write_result(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation, path: Path) -> Path:
    """By the file's suffix: .csv, .parquet or .xlsx."""
    path.parent.mkdir(parents=True, exist_ok=True)
    match path.suffix.lower():
        case ".csv":
            return write_csv(con, rel, path)
        case ".parquet":
            return write_parquet(rel, path)
        case ".xlsx":
            return write_xlsx({"result": (rel.columns, rel.fetchall())}, path)
    raise ValueError(f"{path}: write .csv, .parquet or .xlsx")
