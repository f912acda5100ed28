"""The hash chain over the audit records: each sealed record's content and its place.

One global chain (audit.chain), ordered by `seq`: entry n carries the sha256 of one audit
record's canonical content, the entry_sha256 of entry n-1, and its own entry_sha256 over
both and its place (seq, kind, key). Editing a record breaks its content hash, deleting
one leaves an entry without its record, reordering entries breaks the links, and a record
written outside the pipeline has no entry. One chain rather than one per table, so a
verifier walks one sequence and also sees records moved between tables' histories.

A record's canonical content is DuckDB's JSON of its row (columns in table order, the
session in UTC), so it is computed in SQL both when sealed and when verified. Kinds with
many rows per load (quarantine, validation results) are sealed as one batch per load: the
sha256 over their rows' JSON, one per line, in a fixed order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb

GENESIS = "0" * 64


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    key: str  # SQL over the row alias t: the record's key (a batch's rows share it)
    order: str  # SQL over t: the rows' order within a batch


_JSON = "CAST(to_json(t) AS VARCHAR)"

KINDS = {
    k.name: k for k in (
        Kind("file", "audit.file", "t.sha256", _JSON),
        Kind("load_event", "audit.load_event", "t.load_id || '#' || t.event_no", _JSON),
        Kind("validation_result", "audit.validation_result", "t.load_id", _JSON),
        Kind("quarantine", "audit.quarantine", "t.load_id", "t.record_no, " + _JSON),
        Kind("mart_build", "audit.mart_build",
             "coalesce(CAST(t.month_date AS VARCHAR), 'whole') || '@' || CAST(t.built_at AS VARCHAR)",
             _JSON),
    )
}


def content_hashes(
    con: duckdb.DuckDBPyConnection, kind: Kind, where: str = "TRUE", params: list | None = None,
) -> dict[str, str]:
    """{key: content sha256} of the kind's records matching `where` (SQL over t)."""
    rows = con.execute(
        f"""SELECT {kind.key} AS k, sha256(string_agg({_JSON}, chr(10) ORDER BY {kind.order}))
            FROM {kind.table} AS t WHERE {where} GROUP BY k""",
        params or [],
    ).fetchall()
    return dict(rows)


def entry_hash(seq: int, kind: str, key: str, content: str, prev: str) -> str:
    return hashlib.sha256(f"{seq}\n{kind}\n{key}\n{content}\n{prev}".encode()).hexdigest()


def head(con: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    """(seq, entry_sha256) of the chain's last entry; (0, GENESIS) for an empty chain."""
    row = con.execute(
        "SELECT seq, entry_sha256 FROM audit.chain ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def seal(
    con: duckdb.DuckDBPyConnection, kind_name: str, where: str, params: list | None = None,
) -> int:
    """Append a chain entry for each record of the kind matching `where`, in key order;
    a record whose latest entry already holds its content is not sealed again. Runs in
    the caller's transaction, if any. Entries appended."""
    kind = KINDS[kind_name]
    found = content_hashes(con, kind, where, params)
    if not found:
        return 0
    sealed = dict(con.execute(
        f"""SELECT record_key, content_sha256 FROM audit.chain WHERE kind = ?
              AND record_key IN (SELECT {kind.key} FROM {kind.table} AS t WHERE {where})
            QUALIFY row_number() OVER (PARTITION BY record_key ORDER BY seq DESC) = 1""",
        [kind_name, *(params or [])],
    ).fetchall())
    seq, prev = head(con)
    rows = []
    for key in sorted(found):
        if sealed.get(key) == found[key]:
            continue
        seq += 1
        entry = entry_hash(seq, kind_name, key, found[key], prev)
        rows.append([seq, kind_name, key, found[key], prev, entry])
        prev = entry
    if rows:
        con.executemany(
            """INSERT INTO audit.chain (seq, kind, record_key, content_sha256, prev_sha256,
                                        entry_sha256, sealed_at) VALUES (?, ?, ?, ?, ?, ?, now())""",
            rows,
        )
    return len(rows)
