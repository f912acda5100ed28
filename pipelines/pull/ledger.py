"""audit.remote_fetch: what a pull saw on a server and what it did with each file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

Con = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class Seen:
    """One file as a pull saw it, and what it did with it."""

    remote: str
    remote_path: str
    size: int | None
    mtime: datetime | None
    outcome: str
    sha256: str | None = None
    landed_as: str | None = None
    legal_basis: str | None = None
    message: str | None = None
    etag: str | None = None
    last_modified: str | None = None


def record(con: Con, seen: Seen) -> Seen:
    con.execute(
        "INSERT INTO audit.remote_fetch VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
        [seen.remote, seen.remote_path, seen.size, seen.mtime, seen.sha256, seen.outcome,
         seen.landed_as, seen.legal_basis, seen.message, seen.etag, seen.last_modified])
    return seen


def _last(con: Con, remote: str, path: str, outcomes: tuple[str, ...] | None) -> Seen | None:
    where = "" if outcomes is None else f"AND outcome IN ({', '.join('?' * len(outcomes))})"
    row = con.execute(
        f"""SELECT remote, remote_path, size, mtime, outcome, sha256, landed_as, legal_basis,
                   message, etag, last_modified
            FROM audit.remote_fetch WHERE remote = ? AND remote_path = ? {where}
            ORDER BY recorded_at DESC, rowid DESC LIMIT 1""",
        [remote, path, *(outcomes or ())]).fetchone()
    return Seen(*row) if row else None


def last_seen(con: Con, remote: str, path: str) -> Seen | None:
    """The previous look at the file, whatever came of it."""
    return _last(con, remote, path, None)


def last_fetched(con: Con, remote: str, path: str) -> Seen | None:
    return _last(con, remote, path, ("fetched",))


def count(con: Con, remote: str, outcome: str) -> int:
    return con.execute("SELECT count(*) FROM audit.remote_fetch WHERE remote = ? AND outcome = ?",
                       [remote, outcome]).fetchone()[0]
