"""Writing rows computed in Python into a warehouse table in one statement."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], rows: Sequence[tuple],
    extra: str = "",
) -> int:
    """INSERT the rows (tuples in `columns` order) BY NAME, through Arrow: one statement,
    not one per row (executemany takes ~1 ms a row). `extra`: more select items,
    e.g. "now() AS built_at"."""
    if not rows:
        return 0
    data = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
    con.register("_rows_to_insert", data)
    try:
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT *{', ' + extra if extra else ''} FROM _rows_to_insert"
        )
    finally:
        con.unregister("_rows_to_insert")
    return len(rows)
