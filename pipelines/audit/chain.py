"""The hash chain over the audit records: each sealed record's content and its place.

One global chain (audit.chain), ordered by `seq`: entry n carries the sha256 of one audit
record's canonical content, the entry_sha256 of entry n-1, and its own entry_sha256 over
both and its place (seq, kind, key). Editing a record breaks its content hash, deleting
one leaves an entry without its record, reordering entries breaks the links, and a record
written outside the pipeline has no entry. One chain rather than one per table, so a
verifier walks one sequence and also sees records moved between tables' histories.

Sealing is two steps, so that writers on several machines (DuckLake) never fork the chain
and a long publish never waits on the chain. `seal` computes a record's content hash in
the writer's own transaction and appends it to audit.chain_pending: an insert, which
commits with the record or not at all. Once that transaction has committed, `link` gives
the pending hashes their places (seq, prev) in a short transaction of its own that also
moves audit.chain_head, the chain's one-row head. Two linkers at once both replace that
row: DuckLake (and DuckDB) refuse the second commit, which links again on the new head. A
process killed between the two steps leaves its hashes pending, committed with their
records; the next link, by any writer, places them.

A record's canonical content is DuckDB's JSON of its row (columns in table order, the
session in UTC), so it is computed in SQL both when sealed and when verified. Kinds with
many rows per load (quarantine, validation results) are sealed as one batch per load: the
sha256 over their rows' JSON, one per line, in a fixed order.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from pipelines.warehouse import after_commit, transaction

GENESIS = "0" * 64
log = logging.getLogger(__name__)
LINK_ATTEMPTS = 40  # concurrent linkers: each lost race costs one short transaction


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
    row = con.execute("SELECT seq, entry_sha256 FROM audit.chain_head").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def seal(
    con: duckdb.DuckDBPyConnection, kind_name: str, where: str, params: list | None = None,
) -> int:
    """Seal each record of the kind matching `where`: its content hash goes to
    audit.chain_pending in the caller's transaction, if any, and is linked into the chain
    once that has committed. A record whose latest sealed content is unchanged is not
    sealed again. Records sealed."""
    kind = KINDS[kind_name]
    found = content_hashes(con, kind, where, params)
    if not found:
        return 0
    sealed = dict(con.execute(
        f"""SELECT record_key, content_sha256 FROM (
                SELECT record_key, content_sha256, seq AS n FROM audit.chain WHERE kind = ?
                UNION ALL
                SELECT record_key, content_sha256, 9e18 + epoch_us(pended_at)
                FROM audit.chain_pending WHERE kind = ?)
            WHERE record_key IN (SELECT {kind.key} FROM {kind.table} AS t WHERE {where})
            QUALIFY row_number() OVER (PARTITION BY record_key ORDER BY n DESC) = 1""",
        [kind_name, kind_name, *(params or [])],
    ).fetchall())
    at = datetime.now(UTC)  # wall time, not the transaction's: the order sealed
    rows = [[kind_name, key, found[key], at] for key in sorted(found)
            if sealed.get(key) != found[key]]
    if rows:
        con.executemany(
            """INSERT INTO audit.chain_pending (kind, record_key, content_sha256, pended_at)
               VALUES (?, ?, ?, ?)""",
            rows,
        )
        after_commit(con, "chain.link", lambda: link(con))
    return len(rows)


def link(con: duckdb.DuckDBPyConnection) -> int:
    """Give every pending content hash its place in the chain, in the order sealed, in one
    transaction that also moves the head. Losing a race to another linker (its commit
    refused) links again from the new head. Entries appended. Never raises a lost race:
    it runs after its records committed, and what it could not place stays pending for
    the next link."""
    from pipelines.commit import is_commit_conflict

    for attempt in range(1, LINK_ATTEMPTS + 1):
        try:
            with transaction(con):
                return _link_pending(con)
        except duckdb.TransactionException as exc:
            if not is_commit_conflict(exc):
                raise
            time.sleep(random.uniform(0.01, 0.05 * attempt))  # let the winner's commit land
    log.warning("audit chain: %d linkers in a row committed first; the sealed hashes stay in "
                "audit.chain_pending for the next link", LINK_ATTEMPTS)
    return 0


def _link_pending(con: duckdb.DuckDBPyConnection) -> int:
    pending = con.execute(
        """SELECT kind, record_key, content_sha256, pended_at FROM audit.chain_pending
           ORDER BY pended_at, kind, record_key"""
    ).fetchall()
    if not pending:
        return 0
    seq, prev = head(con)
    rows = []
    for kind, key, content, _ in pending:
        seq += 1
        entry = entry_hash(seq, kind, key, content, prev)
        rows.append([seq, kind, key, content, prev, entry])
        prev = entry
    con.executemany(
        """INSERT INTO audit.chain (seq, kind, record_key, content_sha256, prev_sha256,
                                    entry_sha256, sealed_at) VALUES (?, ?, ?, ?, ?, ?, now())""",
        rows,
    )
    con.execute("DELETE FROM audit.chain_pending")  # the rows read above: this snapshot's
    # Replacing the one head row is what makes two linkers at once conflict.
    con.execute("UPDATE audit.chain_head SET seq = ?, entry_sha256 = ?, moved_at = now()",
                [seq, prev])
    return len(rows)
