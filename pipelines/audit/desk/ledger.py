"""What the desk's questions share: which core tables carry load_id, and each load's file."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class LoadFile:
    """A load and the archived bytes it read."""
    load_id: str
    dataset: str
    partition_key: str
    status: str
    file_name: str | None
    sha256: str | None
    archive_path: str | None  # relative to KONEKTIVITAS_HOME


def core_tables_with_load_id(con: duckdb.DuckDBPyConnection) -> list[str]:
    """core.<table> for every core table whose rows name the load that published them."""
    return [f"core.{t}" for (t,) in con.execute(
        """SELECT table_name FROM duckdb_columns()
           WHERE database_name = current_database() AND schema_name = 'core'
             AND column_name = 'load_id' ORDER BY table_name""").fetchall()]


def columns_of(con: duckdb.DuckDBPyConnection, qualified: str) -> dict[str, str]:
    """{column: DuckDB type} of schema.table, in order; empty when there is no such table."""
    schema, table = qualified.split(".", 1)
    return dict(con.execute(
        """SELECT column_name, data_type FROM duckdb_columns()
           WHERE database_name = current_database() AND schema_name = ? AND table_name = ?
           ORDER BY column_index""", [schema, table]).fetchall())


def load_files(con: duckdb.DuckDBPyConnection, load_ids: list[str]) -> list[LoadFile]:
    if not load_ids:
        return []
    return [LoadFile(*r) for r in con.execute(
        f"""SELECT l.load_id, l.dataset, l.partition_key, l.status, l.file_name, l.sha256,
                   f.archive_path
            FROM audit.load AS l LEFT JOIN audit.file AS f USING (sha256)
            WHERE l.load_id IN ({', '.join('?' * len(load_ids))})
            ORDER BY l.dataset, l.partition_key, l.load_id""", list(load_ids)).fetchall()]


def rows_in_core(con: duckdb.DuckDBPyConnection, load_ids: list[str]) -> list[tuple[str, str, int]]:
    """(core table, load_id, rows) for each core table holding rows of these loads."""
    if not load_ids:
        return []
    marks = ", ".join("?" * len(load_ids))
    found = []
    for table in core_tables_with_load_id(con):
        found += [(table, lid, n) for lid, n in con.execute(
            f"SELECT load_id, count(*) FROM {table} WHERE load_id IN ({marks}) GROUP BY 1 ORDER BY 1",
            list(load_ids)).fetchall()]
    return found
