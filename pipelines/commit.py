"""One write to the warehouse, committed whole, however many workers write at once.

On DuckLake every Celery worker commits to the same catalog. DuckLake itself settles two
commits that do not overlap (appends, deletes from different files). Two cases it cannot:

- two writers replacing the same partition: when it is still empty neither deletes a
  row, so DuckLake sees two appends and would keep both copies. A partition is therefore
  claimed first, with a PostgreSQL advisory lock in the catalog's database, and only the
  writer holding the claim replaces it;
- a logical conflict (both deleted from one data file): DuckLake refuses the second
  commit with a TransactionException.

Either way the attempt is rolled back whole (a reader sees the partition before or after,
never half of it: one commit is one DuckLake snapshot), recorded in
audit.warehouse_commit, and retried after a growing wait, at most
`Settings.commit_retries` times (waits doubling from `commit_backoff_s`, at most
MAX_WAIT_S each); then CommitConflict says what happened in one line.
On the DuckDB-file backend there is one writer (the `duckdb_writer` pool), so no claim
is needed; the commit is recorded all the same.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import duckdb

from pipelines.settings import Settings
from pipelines.warehouse import transaction

T = TypeVar("T")
log = logging.getLogger(__name__)
# The longest wait between two attempts: a claim held by a long publish (a month's marts,
# a big KPI day) is waited out in steps this long, within the bound on attempts.
MAX_WAIT_S = 10.0


class CommitConflict(RuntimeError):
    """A write met concurrent writers on every attempt: nothing of it was committed."""


class PartitionBusy(Exception):
    """Another writer holds the partition's claim."""


@dataclass(frozen=True)
class Target:
    """What a commit writes: a dataset's partition (and its load), or a mart partition."""

    dataset: str
    partition_key: str
    load_id: str | None = None

    def __str__(self) -> str:
        return f"{self.dataset} partition {self.partition_key}"


def committed(con: duckdb.DuckDBPyConnection, settings: Settings, target: Target,
              work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run `work` in one transaction and commit it; on a concurrent writer, roll back,
    record the attempt and run it again (it must be repeatable), within the bound."""
    attempts = settings.commit_retries + 1
    for attempt in range(1, attempts + 1):
        started = datetime.now(UTC)
        try:
            with partition_claim(settings, target), transaction(con):
                result = work(con)
        except (PartitionBusy, duckdb.TransactionException) as exc:
            if isinstance(exc, duckdb.TransactionException) and not is_commit_conflict(exc):
                raise
            _end_transaction(con)
            why = _one_line(exc)
            last = attempt == attempts
            _record(con, settings, target, attempt, "failed" if last else "conflict", why, started)
            if last:
                raise _gave_up(str(target), attempts, why, "Nothing of it was written. ") from None
            _back_off(settings, attempt)
            continue
        _record(con, settings, target, attempt, "committed", None, started)
        return result
    raise AssertionError("unreachable")  # the loop returns or raises


def is_commit_conflict(exc: BaseException) -> bool:
    """A DuckLake commit refused because of a concurrent writer. Besides its logical
    conflicts ("Transaction conflict ..."), DuckLake 0.3 may fail to read back a
    concurrent snapshot's changes while settling a race ("Failed to commit DuckLake
    transaction. Failed to parse catalog entry ..."): nothing was committed either way,
    and the same work done again commits."""
    if not isinstance(exc, duckdb.TransactionException):
        return False
    text = str(exc)
    return "conflict" in text.lower() or "Failed to commit DuckLake transaction" in text


def rerun_on_conflict(settings: Settings, what: str, step: Callable[[], T]) -> T:
    """Run a whole step again (in a new session) when one of its own commits outside
    `committed` (a scan's ledger, a staging table) met a concurrent writer. Steps are
    rerun-safe, as an Airflow retry of the task would be; bounded like `committed`."""
    attempts = settings.commit_retries + 1
    for attempt in range(1, attempts + 1):
        try:
            return step()
        except duckdb.TransactionException as exc:
            if not is_commit_conflict(exc):
                raise
            why = _one_line(exc)
            if attempt == attempts:
                raise _gave_up(what, attempts, why, "") from None
            log.warning("%s: a concurrent writer committed first (%s); attempt %d of %d",
                        what, why, attempt + 1, attempts)
            _back_off(settings, attempt)
    raise AssertionError("unreachable")


@contextmanager
def partition_claim(settings: Settings, target: Target) -> Iterator[None]:
    """Hold the partition's claim (DuckLake only) for the duration of the block, or raise
    PartitionBusy at once if another writer holds it."""
    if settings.warehouse_backend != "ducklake":
        yield
        return
    import psycopg2

    key = claim_key(target)
    pg = psycopg2.connect(settings.ducklake_catalog)
    try:
        pg.autocommit = True
        with pg.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(%s)", (key,))
            if not cur.fetchone()[0]:
                raise PartitionBusy(f"another writer is publishing {target}")
        try:
            yield
        finally:
            with pg.cursor() as cur:
                cur.execute("SELECT pg_advisory_unlock(%s)", (key,))
    finally:
        pg.close()


def claim_key(target: Target) -> int:
    """The advisory lock's key: a signed 64-bit number from the dataset and partition."""
    digest = hashlib.sha256(f"{target.dataset}\0{target.partition_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _end_transaction(con: duckdb.DuckDBPyConnection) -> None:
    # A refused COMMIT may leave the transaction open; a rolled-back block has none.
    with suppress(duckdb.Error):
        con.execute("ROLLBACK")


def _record(con: duckdb.DuckDBPyConnection, settings: Settings, target: Target, attempt: int,
            outcome: str, message: str | None, started: datetime) -> None:
    # Its own statement, after the attempt: an insert, which never conflicts.
    con.execute(
        """INSERT INTO audit.warehouse_commit (dataset, partition_key, load_id, attempt, outcome,
                  message, hostname, pid, started_at, finished_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [target.dataset, target.partition_key, target.load_id, attempt, outcome, message,
         settings.hostname, os.getpid(), started, datetime.now(UTC)],
    )


def _back_off(settings: Settings, attempt: int) -> None:
    time.sleep(min(settings.commit_backoff_s * 2 ** (attempt - 1), MAX_WAIT_S))


def _gave_up(what: str, attempts: int, why: str, outcome: str) -> CommitConflict:
    return CommitConflict(
        f"{what}: not committed after {attempts} attempts, each met a concurrent writer "
        f"(last: {why}). {outcome}Run the task again (KONEKTIVITAS_COMMIT_RETRIES sets the bound)."
    )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
