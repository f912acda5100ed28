"""`audit runs`: every load with its source, partition, file, rows and verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from pipelines.audit.verdict import load_verdicts


@dataclass(frozen=True)
class Run:
    load_id: str
    started_at: datetime
    source: str
    dataset: str
    partition_key: str
    file_name: str | None
    sha256: str | None
    rows_read: int | None
    rows_published: int | None
    rows_quarantined: int | None
    status: str
    verdict: str


def list_runs(
    con: duckdb.DuckDBPyConnection, since: date | None = None, source: str | None = None,
    load_ids: list[str] | None = None,
) -> list[Run]:
    """Loads started on or after `since` (UTC date), of `source`, oldest first."""
    where, params = ["TRUE"], []
    if since is not None:
        where.append("started_at >= CAST(? AS DATE)")
        params.append(since)
    if source is not None:
        where.append("(source = ? OR dataset = ?)")
        params += [source, source]
    if load_ids is not None:
        if not load_ids:
            return []
        where.append(f"load_id IN ({', '.join('?' * len(load_ids))})")
        params += list(load_ids)
    rows = con.execute(
        f"""SELECT load_id, started_at, source, dataset, partition_key, file_name, sha256,
                   rows_read, rows_published, rows_quarantined, status
            FROM audit.load WHERE {' AND '.join(where)} ORDER BY started_at, load_id""",
        params,
    ).fetchall()
    verdicts = load_verdicts(con, [r[0] for r in rows])
    return [Run(*r, verdict=verdicts[r[0]].text) for r in rows]
