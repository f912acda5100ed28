"""The load ledger: what each load read, kept, rejected and why.

Append-only: a load's every state change appends its whole new state to audit.load_event
(audit.load is the view of each load's latest event) and seals it in the hash chain
(pipelines.audit.chain), inside the caller's transaction when there is one. Only the
attempt that owns a load appends to its history (and a publish to the load it replaces),
so no two writers ever number an event of one load alike; an attempt overtaken by a later
one at its partition shows as abandoned in audit.load without anyone writing it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import duckdb

from pipelines.audit import chain
from pipelines.warehouse import transaction

LOAD_COLUMNS = (
    "load_id", "source", "dataset", "partition_key", "sha256", "file_name", "status",
    "rows_read", "rows_published", "rows_quarantined", "message", "started_at", "finished_at",
)


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


def append_events(
    con: duckdb.DuckDBPyConnection, changes: dict[str, str | tuple[str, object]], where: str,
    params: list,
) -> int:
    """For every load in audit.load matching `where` (its `?` bound to `params`), append
    its latest state with `changes` and seal it. A change is a column's SQL expression, or
    (expression, value) for one with a `?`. Events added."""
    exprs, values = [], []
    for col in LOAD_COLUMNS:
        change = changes.get(col, col)
        if isinstance(change, tuple):
            change, value = change
            values.append(value)
        exprs.append(f"{change} AS {col}")
    with transaction(con):
        (last,) = con.execute("SELECT coalesce(max(event_no), 0) FROM audit.load_event").fetchone()
        # Chosen by the state audit.load shows; carried on from the load's own last event,
        # so what the view derives (abandoned) is never written as if it had been an event.
        con.execute(
            f"""INSERT INTO audit.load_event (event_no, {", ".join(LOAD_COLUMNS)})
                SELECT ? + row_number() OVER (ORDER BY load_id), *
                FROM (SELECT {", ".join(exprs)} FROM audit.load_event
                      WHERE load_id IN (SELECT load_id FROM audit.load WHERE {where})
                      QUALIFY row_number() OVER (PARTITION BY load_id ORDER BY event_no DESC) = 1)""",
            [last, *values, *params],
        )
        return chain.seal(con, "load_event", "t.event_no > ?", [last])


def _change(con: duckdb.DuckDBPyConnection, load_id: str, **values: object) -> None:
    """Append one load's new state: the given columns set to these values."""
    append_events(con, {c: ("?", v) for c, v in values.items()}, "load_id = ?", [load_id])


def start_load(
    con: duckdb.DuckDBPyConnection, source: str, dataset: str, partition_key: str,
    sha256: str | None, file_name: str | None,
) -> Load:
    """Open a new attempt at a partition. An earlier attempt there that has not finished
    shows as abandoned from now on (audit.load), so the ledger never shows two live loads
    of one partition; that attempt, if still alive, sees it and stops."""
    load_id = new_load_id()
    with transaction(con):
        (last,) = con.execute("SELECT coalesce(max(event_no), 0) FROM audit.load_event").fetchone()
        con.execute(
            """INSERT INTO audit.load_event (event_no, load_id, source, dataset, partition_key,
                                             sha256, file_name, status, started_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'running', now())""",
            [last + 1, load_id, source, dataset, partition_key, sha256, file_name],
        )
        chain.seal(con, "load_event", "t.event_no > ?", [last])
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


def published_since(con: duckdb.DuckDBPyConnection, load: Load) -> bool:
    """Whether an attempt at the load's partition started after it has published (or found
    the same bytes published already: a duplicate)."""
    (n,) = con.execute(
        """SELECT count(*) FROM audit.load AS later
           WHERE dataset = ? AND partition_key = ? AND load_id <> ?
             AND status IN ('published', 'superseded', 'duplicate')
             AND started_at >= (SELECT started_at FROM audit.load WHERE load_id = ?)""",
        [load.dataset, load.partition_key, load.load_id, load.load_id],
    ).fetchone()
    return n > 0


def message_of(con: duckdb.DuckDBPyConnection, load_id: str) -> str | None:
    return con.execute("SELECT message FROM audit.load WHERE load_id = ?", [load_id]).fetchone()[0]


def rows_read(con: duckdb.DuckDBPyConnection, load_id: str) -> int:
    (n,) = con.execute("SELECT rows_read FROM audit.load WHERE load_id = ?", [load_id]).fetchone()
    return n


def set_rows_read(con: duckdb.DuckDBPyConnection, load_id: str, rows: int) -> None:
    _change(con, load_id, rows_read=rows)


def finish_load(
    con: duckdb.DuckDBPyConnection, load_id: str, status: str, message: str | None = None,
    rows_published: int | None = None, rows_quarantined: int | None = None,
) -> None:
    append_events(
        con,
        {"status": ("?", status), "message": ("?", message), "finished_at": "now()",
         "rows_published": ("coalesce(?, rows_published)", rows_published),
         "rows_quarantined": ("coalesce(?, rows_quarantined)", rows_quarantined)},
        "load_id = ?", [load_id],
    )


def fail_running(con: duckdb.DuckDBPyConnection, datasets: tuple[str, ...], message: str) -> None:
    """Close every running load of these datasets as failed, with `message`."""
    marks = ", ".join("?" for _ in datasets)
    append_events(
        con, {"status": "'failed'", "message": ("?", message), "finished_at": "now()"},
        f"dataset IN ({marks}) AND status = 'running'", list(datasets),
    )


def record_duplicate(
    con: duckdb.DuckDBPyConnection, source: str, dataset: str, partition_key: str,
    sha256: str, file_name: str, original: tuple[str, str],
) -> Load:
    with transaction(con):
        load = start_load(con, source, dataset, partition_key, sha256, file_name)
        append_events(
            con,
            {"status": "'duplicate'", "finished_at": "now()", "rows_read": "0",
             "rows_published": "0", "rows_quarantined": "0",
             "message": ("?", f"same bytes as load {original[0]} ({original[1]}); "
                              "nothing loaded again")},
            "load_id = ?", [load.load_id],
        )
    return Load(load.load_id, source, dataset, partition_key, sha256, file_name, "duplicate")


def supersede_partition(
    con: duckdb.DuckDBPyConnection, dataset: str, partition_key: str, by_load_id: str
) -> None:
    append_events(
        con, {"status": "'superseded'",
              "message": ("'partition replaced by load ' || ?", by_load_id)},
        "dataset = ? AND partition_key = ? AND status = 'published' AND load_id <> ?",
        [dataset, partition_key, by_load_id],
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
