"""The load ledger: what each load read, kept, rejected and why."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Load:
    load_id: str
    source: str
    dataset: str
    partition_key: str
    sha256: str | None
    file_name: str | None
    status: str


def new_load_id() -> str:
    return uuid.uuid4().hex[:16]


def start_load(
    con: duckdb.DuckDBPyConnection, source: str, dataset: str, partition_key: str,
    sha256: str | None, file_name: str | None,
) -> Load:
    load_id = new_load_id()
    # An earlier attempt at the same bytes that never finished is closed out, so the
    # ledger never shows two live loads of one delivery.
    con.execute(
        """UPDATE audit.load SET status = 'abandoned', finished_at = now(),
                  message = 'superseded by retry ' || ?
           WHERE dataset = ? AND partition_key = ? AND status = 'running'""",
        [load_id, dataset, partition_key],
    )
    con.execute(
        """INSERT INTO audit.load (load_id, source, dataset, partition_key, sha256, file_name,
                                   status, started_at)
           VALUES (?, ?, ?, ?, ?, ?, 'running', now())""",
        [load_id, source, dataset, partition_key, sha256, file_name],
    )
    return Load(load_id, source, dataset, partition_key, sha256, file_name, "running")


def get_load(con: duckdb.DuckDBPyConnection, load_id: str) -> Load:
    row = con.execute(
        """SELECT load_id, source, dataset, partition_key, sha256, file_name, status
           FROM audit.load WHERE load_id = ?""",
        [load_id],
    ).fetchone()
    if row is None:
        raise KeyError(f"no load {load_id!r} in audit.load")
    return Load(*row)


def published_load_of(
    con: duckdb.DuckDBPyConnection, dataset: str, sha256: str, partition_key: str
) -> tuple[str, str] | None:
    """(load_id, file_name) of the published load of these bytes for this partition, if any.

    A delivery is its bytes and its partition: the same bytes under another partition (an
    edition re-issued unchanged under a new effective date, a file copied under another
    day's name) are a new delivery, loaded as that partition; the archive keeps the bytes once.
    """
    return con.execute(
        """SELECT load_id, file_name FROM audit.load
           WHERE dataset = ? AND sha256 = ? AND partition_key = ?
             AND status IN ('published', 'superseded')
           ORDER BY started_at LIMIT 1""",
        [dataset, sha256, partition_key],
    ).fetchone()


def published_load_of_partition(
    con: duckdb.DuckDBPyConnection, dataset: str, partition_key: str
) -> str | None:
    """The load whose rows are the partition now (at most one is published at a time)."""
    row = con.execute(
        """SELECT load_id FROM audit.load
           WHERE dataset = ? AND partition_key = ? AND status = 'published'""",
        [dataset, partition_key],
    ).fetchone()
    return row[0] if row else None


def set_rows_read(con: duckdb.DuckDBPyConnection, load_id: str, rows: int) -> None:
    con.execute("UPDATE audit.load SET rows_read = ? WHERE load_id = ?", [rows, load_id])


def rows_read(con: duckdb.DuckDBPyConnection, load_id: str) -> int:
    (n,) = con.execute("SELECT rows_read FROM audit.load WHERE load_id = ?", [load_id]).fetchone()
    return n


def finish_load(
    con: duckdb.DuckDBPyConnection, load_id: str, status: str, message: str | None = None,
    rows_published: int | None = None, rows_quarantined: int | None = None,
) -> None:
    con.execute(
        """UPDATE audit.load SET status = ?, message = ?, finished_at = now(),
                  rows_published = coalesce(?, rows_published),
                  rows_quarantined = coalesce(?, rows_quarantined)
           WHERE load_id = ?""",
        [status, message, rows_published, rows_quarantined, load_id],
    )


def record_duplicate(
    con: duckdb.DuckDBPyConnection, source: str, dataset: str, partition_key: str,
    sha256: str, file_name: str, original: tuple[str, str],
) -> Load:
    load = start_load(con, source, dataset, partition_key, sha256, file_name)
    finish_load(
        con, load.load_id, "duplicate",
        f"same bytes as load {original[0]} ({original[1]}); nothing loaded again",
        rows_published=0, rows_quarantined=0,
    )
    con.execute("UPDATE audit.load SET rows_read = 0 WHERE load_id = ?", [load.load_id])
    return Load(load.load_id, source, dataset, partition_key, sha256, file_name, "duplicate")


def supersede_partition(
    con: duckdb.DuckDBPyConnection, dataset: str, partition_key: str, by_load_id: str
) -> None:
    con.execute(
        """UPDATE audit.load SET status = 'superseded',
                  message = 'partition replaced by load ' || ?
           WHERE dataset = ? AND partition_key = ? AND status = 'published' AND load_id <> ?""",
        [by_load_id, dataset, partition_key, by_load_id],
    )


def record_unrecognised(con: duckdb.DuckDBPyConnection, files: list[tuple[str, str]]) -> None:
    """Replace the list of landed files no delivery takes with this scan's (path, reason)."""
    con.execute("DELETE FROM audit.unrecognised_file")
    if files:
        con.executemany(
            "INSERT INTO audit.unrecognised_file VALUES (?, ?, now()::TIMESTAMP)", files)


def record_snapshot(con: duckdb.DuckDBPyConnection, load_id: str) -> int:
    """On DuckLake: note the lake's snapshot right after the load's publish committed, so the
    lake can be read as it was then. Returns the snapshot id."""
    (snapshot,) = con.execute("SELECT id FROM current_snapshot()").fetchone()
    con.execute("INSERT INTO audit.load_snapshot VALUES (?, ?, now())", [load_id, snapshot])
    return snapshot
