"""Running a source's deliveries, step by step (the DAG tasks) or all at once
(`run_deliveries`: the tests, one-off loads): written once for every source.

A partition is what one run processes: a local day ("day" sources) or everything pending
at the run's end instant ("run" sources). A rejected file does not stop the others: every
load that is not rejected is published, then the publish step fails naming every rejected
file.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.audit import records as audit
from pipelines.batch import steps
from pipelines.batch.days import run_day
from pipelines.batch.errors import (
    BatchRejected,
    FilesNotLanded,
    NotConfigured,
    PartitionTakenOver,
    WarehouseBusy,
)
from pipelines.batch.feed import Feed, Item
from pipelines.batch.landing import Landed, unrecognised_files
from pipelines.batch.sources import SOURCES, Delivery, Source
from pipelines.commit import Target, committed, is_commit_conflict, rerun_on_conflict
from pipelines.settings import Settings
from pipelines.warehouse import session

Con = duckdb.DuckDBPyConnection
log = logging.getLogger(__name__)


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0]


def lock_conflict(exc: BaseException) -> bool:
    """Another process holds the warehouse: no fault of the file, so it is not rejected."""
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def resolve(ref: str) -> Any:
    """The object a declaration names as "module:attribute"."""
    module, attr = ref.split(":")
    return getattr(importlib.import_module(module), attr)


def delivery(source: str, kind: str) -> Delivery:
    return next(d for d in SOURCES[source].deliveries if d.kind == kind)


def feed(source: str, kind: str) -> Feed:
    return resolve(delivery(source, kind).feed)


def landing_layout() -> list[Landed]:
    """Where every delivery kind of every source lands its files."""
    return [landed for src in SOURCES.values() for d in src.deliveries
            for landed in feed(src.dag_id, d.kind).files]


def scan_landing(con: Con, settings: Settings) -> list[tuple[str, str]]:
    """Record in audit.unrecognised_file every landed file no delivery takes, and why."""
    found = unrecognised_files(settings, landing_layout())
    # Every source's list task replaces this ledger: one commit, claimed and retried.
    committed(con, settings, Target("unrecognised_file", "all"),
              lambda c: audit.record_unrecognised(c, found))
    return found


def partition_of(source: str, logical_date: datetime | None, interval_start: datetime | None,
                 interval_end: datetime | None) -> str:
    """The partition a DAG run processes, from its logical date and data interval."""
    if SOURCES[source].partition == "day":
        return str(run_day(logical_date, interval_start))
    when = interval_end or logical_date
    if when is None:
        raise ValueError(f"a {source} run needs a logical date or a data interval")
    return when.isoformat()


# --- the steps, on an open connection ----------------------------------------------------

def list_deliveries(con: Con, settings: Settings, source: str, kind: str, partition: str,
                    connection: Any = None) -> list[Item]:
    d = delivery(source, kind)
    if d.connection and connection is None:
        raise NotConfigured(f"{source}/{kind}: no connection {d.connection!r} configured")
    scan_landing(con, settings)
    steps.drop_orphan_staging(con)
    return feed(source, kind).list(con, settings, partition, connection)


def archive(con: Con, settings: Settings, source: str, kind: str, items: list[Item]) -> list[str]:
    """Archive each delivery and open its load: the load ids to stage (duplicates are not)."""
    f = feed(source, kind)
    loads = []
    for item in items:
        dataset = f.dataset(item["dataset"])
        if "path" in item:
            loads.append(steps.archive_step(con, settings, dataset, Path(item["path"]),
                                            item["partition_key"]))
        else:  # pages the list step already archived
            loads.append(audit.start_load(con, dataset.source, dataset.name,
                                          item["partition_key"], item["sha256"], item["name"]))
    return [load.load_id for load in loads if load.status == "running"]


def each_load(con: Con, settings: Settings, f: Feed, load_ids: list[str],
              step: Callable[[Con, Settings, steps.Dataset, audit.Load], Any],
              reads_file: bool = False) -> list[Any]:
    """`step` on every load not rejected (a rejection is recorded in audit.load and the
    other loads go on). When the step reads the file (stage, validate), a file that breaks
    it in a way no check foresaw is rejected too, naming the error (its traceback goes to
    the log): one file never stops the rest. Past them a failure is the pipeline's, not the
    file's (a crash mid-publish): it stops the step and a rerun takes the load over."""
    done = []
    for load_id in load_ids:
        load = audit.get_load(con, load_id)
        if load.status == "abandoned":
            # Another attempt at the same delivery started since (a task instance racing
            # this one): it carries the load on; this one must not publish a stale copy.
            log.warning("%s: load %s was taken over by a later attempt; not %s here",
                        load.file_name, load_id, step.__name__)
            continue
        if load.status != "running":
            continue  # rejected: recorded in audit.load; publish names it
        try:
            done.append(step(con, settings, f.dataset(load.dataset), load))
        except BatchRejected:
            continue  # recorded in audit.load; publish names it
        except Exception as exc:
            if not reads_file or lock_conflict(exc) or is_commit_conflict(exc):
                raise  # not the file's fault: the task fails or is run again
            log.exception("%s: %s step failed", load.file_name, step.__name__)
            steps.reject(con, settings, load, f"{load.file_name}: could not be loaded: "
                                    f"{type(exc).__name__}: {first_line(exc)}")
    return done


def stage(con: Con, settings: Settings, source: str, kind: str, load_ids: list[str]) -> list[str]:
    each_load(con, settings, feed(source, kind), load_ids, steps.stage_step, reads_file=True)
    return load_ids


def validate(con: Con, settings: Settings, source: str, kind: str, load_ids: list[str]) -> list[str]:
    each_load(con, settings, feed(source, kind), load_ids, steps.validate_step, reads_file=True)
    return load_ids


def publish(con: Con, settings: Settings, source: str, kind: str, partition: str,
            load_ids: list[str]) -> list[steps.LoadResult]:
    """Publish every load not rejected; then BatchRejected naming every rejected file, or
    the feed's own step once all of them are published (e.g. the API watermark)."""
    f = feed(source, kind)
    results = each_load(con, settings, f, load_ids, steps.publish_step)
    loads = [audit.get_load(con, i) for i in load_ids]
    _require_takers_published(con, [load for load in loads if load.status == "abandoned"])
    rejected = [audit.message_of(con, load.load_id) for load in loads if load.status == "rejected"]
    if rejected:
        raise BatchRejected("; ".join(rejected))
    if f.on_published and loads:
        f.on_published(con, settings, partition, loads)
    return results


def _require_takers_published(con: Con, overtaken: list[audit.Load]) -> None:
    """A load taken over by a later attempt is done once a later attempt has published its
    partition. Until then the task is not done: its downstream (the KPI checked against
    this inventory) must not run on a partition nobody has published yet."""
    waiting = [f"{load.file_name}: load {load.load_id} was taken over by a later attempt "
               f"({audit.message_of(con, load.load_id)}), not published yet"
               for load in overtaken if not audit.published_since(con, load)]
    if waiting:
        raise PartitionTakenOver("; ".join(waiting) + "; this task is done once it is, run it again")


def fetch(con: Con, settings: Settings, source: str, partition: str, connection: Any) -> bool:
    """The source's pull (its `fetch` task) for a partition: True once done."""
    pull = SOURCES[source].pull
    if pull is None or connection is None:
        raise NotConfigured(f"{source}: no connection {pull.connection if pull else None!r} "
                            "configured: nothing fetched, landing/ is read as it is")
    return bool(resolve(pull.call)(con, settings, connection, partition))


def after(con: Con, settings: Settings, source: str, task_id: str, partition: str) -> Any:
    step = next(a for a in SOURCES[source].after if a.task_id == task_id)
    return resolve(step.call)(con, settings, partition)


# --- one task each (the DAGs): each step in its own session ------------------------------

def run_step(settings: Settings, source: str, kind: str, step: str, partition: str,
             data: Any = None, connection: Any = None) -> Any:
    """One task of a delivery's group; `data` is what the step before returned."""
    if step == "list":
        f = feed(source, kind)
        if f.landed and not f.landed(settings, partition):
            return None  # not landed yet: the sensor looks again
    with session(settings) as con:
        if step == "list":
            return list_deliveries(con, settings, source, kind, partition, connection)
        if step == "archive":
            return archive(con, settings, source, kind, data)
        if step == "publish":
            return [r.__dict__ for r in publish(con, settings, source, kind, partition, data)]
        return {"stage": stage, "validate": validate}[step](con, settings, source, kind, data)


def run_task(settings: Settings, source: str, kind: str | None, step: str, data: Any,
             connection: Any, logical_date: datetime | None, interval_start: datetime | None,
             interval_end: datetime | None) -> Any:
    """One DAG task: a step of a delivery kind's group, the source's fetch (kind None, step
    "fetch": True once done, None while a sensor must look again), or an after-step."""
    partition = partition_of(source, logical_date, interval_start, interval_end)

    def one_step() -> Any:
        if kind is None and step == "fetch":
            with session(settings) as con:
                return fetch(con, settings, source, partition, connection) or None
        if kind is None:
            with session(settings) as con:
                return after(con, settings, source, step, partition)
        return run_step(settings, source, kind, step, partition, data, connection)

    try:
        return rerun_on_conflict(settings, f"{source}/{kind or step} {step} {partition}", one_step)
    except WarehouseBusy as exc:
        raise WarehouseBusy(f"{source}/{kind or step}: {exc}") from None
    except duckdb.IOException as exc:
        if not lock_conflict(exc):
            raise
        raise WarehouseBusy(
            f"{source}/{kind or step}: the warehouse {settings.warehouse_path} is in use by "
            f"another process ({first_line(exc)}); nothing was changed, run again once it "
            "has finished") from exc


# --- every step of a partition at once ---------------------------------------------------

def run_delivery(con: Con, settings: Settings, source: str, kind: str, partition: str,
                 connection: Any = None) -> list[steps.LoadResult]:
    """One delivery kind's steps for a partition, without waiting: its published loads."""
    ids = archive(con, settings, source, kind,
                  list_deliveries(con, settings, source, kind, partition, connection))
    validate(con, settings, source, kind, stage(con, settings, source, kind, ids))
    return publish(con, settings, source, kind, partition, ids)


def run_deliveries(
    settings: Settings, source: str, partition: str, *, con: Con | None = None,
    connection: Any = None,
) -> dict[str, list[steps.LoadResult]]:
    """What the source's DAG does for one partition, in one session and without Airflow:
    {kind: its published loads}. A delivery that needs a connection is skipped without one.
    A rejected file stops no other: kinds that need its kind load against what is
    published; then BatchRejected names every rejected file (the after-steps wait for a run
    without one, as the DAG's do: its run must end failed)."""
    if con is None:
        with session(settings) as own:
            return run_deliveries(settings, source, partition, con=own, connection=connection)
    src, results, rejected = SOURCES[source], {}, []
    for d in src.deliveries:
        f = feed(source, d.kind)
        if f.landed and not f.landed(settings, partition):
            raise FilesNotLanded(f"{source}: the files of {partition} have not landed yet")
        try:
            results[d.kind] = run_delivery(con, settings, source, d.kind, partition, connection)
        except NotConfigured:
            continue
        except BatchRejected as exc:
            rejected.append(str(exc))
    if rejected:
        raise BatchRejected("; ".join(rejected))
    for step in src.after:
        after(con, settings, source, step.task_id, partition)
    return results


def waiting_for_files(settings: Settings, source: Source, partition: str) -> bool:
    """True while a delivery of the partition still waits for its files, before its
    deadline (past it, the run fails saying what never landed)."""
    for d in source.deliveries:
        f = resolve(d.feed)
        try:
            if f.landed and not f.landed(settings, partition):
                return True
        except FilesNotLanded:
            return False
    return False


def pending_partitions(con: Con, settings: Settings, source: Source) -> list[str]:
    """Partitions with deliveries not yet published (or an after-step's own work), in order."""
    scan_landing(con, settings)
    steps.drop_orphan_staging(con)
    found = {p for d in source.deliveries for p in resolve(d.feed).pending(con, settings)}
    if any(a.pending and resolve(a.pending)(con, settings) for a in source.after):
        found.add("")
    return sorted(found)
