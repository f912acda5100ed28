"""The statisticians' query desk: one read-only SELECT on the warehouse.

The warehouse is attached read-only, but a session can detach it and attach the file again
writable, COPY to any path or read any file. So the desk takes exactly one statement that
reads, and before running it locks the session: no file or network access outside the
result's own folder (and DuckLake's data files), and no setting can be changed back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.settings import Settings
from pipelines.warehouse import quote_literal, session

# SELECT covers FROM-first queries, DESCRIBE, SHOW, SUMMARIZE and read-only PRAGMAs.
READING = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


class QueryRefused(ValueError):
    """The desk does not run this SQL; the message says why."""


def reading_statement(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Statement:
    """The one reading statement in `sql`, or QueryRefused naming what is not allowed."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"the query does not parse: {exc}") from exc
    if len(statements) != 1:
        kinds = ", ".join(s.type.name for s in statements) or "nothing"
        raise QueryRefused(f"the query desk runs one statement at a time, got {len(statements)} ({kinds})")
    (statement,) = statements
    if statement.type not in READING:
        raise QueryRefused(
            f"{statement.type.name} statements are refused: the query desk is read-only "
            "(one SELECT, DESCRIBE, SHOW or EXPLAIN)"
        )
    return statement


def lock_session(con: duckdb.DuckDBPyConnection, settings: Settings, writable: Path | None) -> None:
    """No file or network access but the result's folder and the lake's data; settings frozen."""
    allowed = [str(writable.resolve()) + "/"] if writable else []
    if settings.warehouse_backend == "ducklake" and settings.ducklake_data_path:
        allowed.append(settings.ducklake_data_path)
    if allowed:
        con.execute(f"SET allowed_directories = [{', '.join(map(quote_literal, allowed))}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


@contextmanager
def reading_session(settings: Settings, writable: Path | None = None
                    ) -> Iterator[duckdb.DuckDBPyConnection]:
    """The reports' and exports' connection: the warehouse read-only and the session locked
    (lock_session), so nothing but `writable` can be written through it."""
    with session(settings, read_only=True) as con:
        lock_session(con, settings, writable)
        yield con


def run_query(
    con: duckdb.DuckDBPyConnection, settings: Settings, sql: str, writable: Path | None = None,
) -> duckdb.DuckDBPyRelation:
    """The relation of one reading statement, on a session locked by lock_session."""
    statement = reading_statement(con, sql)
    lock_session(con, settings, writable)
    try:
        return con.sql(statement.query)
    except duckdb.PermissionException as exc:
        raise QueryRefused(f"the query desk has no external access: {exc}") from exc
