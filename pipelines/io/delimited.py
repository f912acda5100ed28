"""Reading delimited text deliveries into DuckDB as text, keeping each row's line number."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.sqlnames import identifier, quoted
from pipelines.sqlnames import load_id as checked_load_id
from pipelines.warehouse import quote_literal


def read_options(path: Path, delimiter: str = ",", header: bool = True) -> str:
    # all_varchar: types are decided by the staging model, so a bad value becomes a
    # quarantined row, never a failed file.
    return (
        f"{quote_literal(str(path))}, header={str(header).lower()}, all_varchar=true, "
        f"delim={quote_literal(delimiter)}, quote='\"', escape='\"', strict_mode=false, "
        "null_padding=true"
    )


def csv_header(con: duckdb.DuckDBPyConnection, path: Path, delimiter: str = ",") -> list[str]:
    rel = con.sql(f"SELECT * FROM read_csv({read_options(path, delimiter)}) LIMIT 0")
    return [c.lstrip("\ufeff").strip() for c in rel.columns]


def load_raw(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, delimiter: str = ",",
    header: bool = True,
) -> None:
    """Text rows into `table`, with _line = the row's line number in the file."""
    con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT * FROM read_csv({read_options(path, delimiter, header)})"
    )
    first = 2 if header else 1
    con.execute(f"ALTER TABLE {table} ADD COLUMN _line BIGINT")
    con.execute(f"UPDATE {table} SET _line = rowid + {first}")
    # A UTF-8 BOM, if any, stays on the first column's name: give the name back.
    name = con.sql(f"SELECT * FROM {table} LIMIT 0").columns[0]
    if header and name != name.lstrip("\ufeff").strip():
        con.execute(f"ALTER TABLE {table} RENAME COLUMN {quoted(name)} "
                    f"TO {quoted(name.lstrip(chr(0xFEFF)).strip())}")


@contextmanager
def raw_csv(
    con: duckdb.DuckDBPyConnection, path: Path, load_id: str, delimiter: str = ",",
    header: bool = True,
) -> Iterator[str]:
    """The file as a temporary text table (see load_raw), dropped when the block ends."""
    raw = identifier(f"raw_{checked_load_id(load_id)}")
    load_raw(con, path, raw, delimiter=delimiter, header=header)
    try:
        yield raw
    finally:
        con.execute(f"DROP TABLE IF EXISTS {raw}")
