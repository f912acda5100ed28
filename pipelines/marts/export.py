"""The publication set for a month: every mart as CSV and Parquet, and one XLSX workbook
with a sheet per mart and a metadata sheet, as open-data portals expect. Indicators go out
rounded to their published precision; the warehouse keeps full precision."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from pipelines.demo import marking
from pipelines.io import result_files as tabular
from pipelines.marts.dictionary import entries
from pipelines.marts.indicators import Indicator, indicators
from pipelines.marts.query import reading_session
from pipelines.settings import Settings
from pipelines.sqlnames import identifier, sql_date

MONTH_COLUMNS = ("month_date", "month_start", "month")
_FRACTIONAL = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


def month_column(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    name = identifier(f"marts.{table}", {f"marts.{t}" for t in marts_tables(con)})
    cols = [d[0] for d in con.execute(f"SELECT * FROM {name} LIMIT 0").description]
    return next((c for c in MONTH_COLUMNS if c in cols), None)


def mart_for_month(
    con: duckdb.DuckDBPyConnection, table: str, month: date
) -> duckdb.DuckDBPyRelation:
    col = month_column(con, table)
    rel = con.table(identifier(f"marts.{table}"))
    if col is None:  # a mart without periods (the indicator list) goes out whole
        return rel
    return rel.filter(f"date_trunc('month', \"{identifier(col)}\")::DATE = DATE '{sql_date(month)}'")


def published(rel: duckdb.DuckDBPyRelation, defs: dict[str, Indicator]) -> duckdb.DuckDBPyRelation:
    """The relation with every indicator column rounded to its published decimals."""
    exprs, rounded = [], False
    for col, typ in zip(rel.columns, rel.types, strict=True):
        ind = defs.get(col)
        if ind and ind.decimals is not None and str(typ).upper().startswith(_FRACTIONAL):
            exprs.append(f'round("{col}", {ind.decimals}) AS "{col}"')
            rounded = True
        else:
            exprs.append(f'"{col}"')
    return rel.project(", ".join(exprs)) if rounded else rel


def marts_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [t for (t,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'marts' ORDER BY table_name"
    ).fetchall()]


def metadata_rows(con: duckdb.DuckDBPyConnection, tables: list[str]) -> list[tuple]:
    return [
        (f"{e.schema}.{e.table}", e.column or "(table)", e.data_type or "", e.comment or "")
        for e in entries(con) if e.schema == "marts" and e.table in tables
    ]


def demo_metadata_rows() -> list[tuple]:
    """The metadata sheet's first rows when the data is generated."""
    return [("(dataset)", "(demo)", "", marking.MARK), ("(dataset)", "(demo)", "", marking.EXPLANATION)]


def export_month(settings: Settings, month: date, out_dir: Path | None = None) -> list[Path]:
    """Demo data goes out as demo_*.csv/.parquet/.xlsx with the mark atop the metadata sheet."""
    month = month.replace(day=1)
    out = out_dir or settings.reports / "exports" / month.strftime("%Y-%m")
    out.mkdir(parents=True, exist_ok=True)
    demo = marking.is_demo(settings)
    written: list[Path] = []
    sheets: dict[str, tuple[list[str], list[tuple]]] = {}
    defs = indicators(settings)
    with reading_session(settings, out) as con:  # writes only into the export folder
        tables = marts_tables(con)
        for table in tables:
            rel = published(mart_for_month(con, table, month), defs)
            name = marking.file_name(table, demo)
            written.append(tabular.write_csv(con, rel, out / f"{name}.csv"))
            written.append(tabular.write_parquet(rel, out / f"{name}.parquet"))
            sheets[table] = (rel.columns, rel.fetchall())
        sheets["metadata"] = (["table", "column", "type", "description"],
                              (demo_metadata_rows() if demo else []) + metadata_rows(con, tables))
    name = marking.file_name(f"konektivitas_{month.strftime('%Y-%m')}.xlsx", demo)
    written.append(tabular.write_xlsx(sheets, out / name))
    return written
