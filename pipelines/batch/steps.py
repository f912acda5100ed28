"""The batch path every source shares: archive → stage → validate → publish.

Each step is a plain function of a connection and a load; pipelines.batch.run runs them
over a partition's loads, `load_file` runs them all on one file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.audit import records as audit
from pipelines.audit.datadocs import write_index
from pipelines.audit.suites import load_suite, required_columns
from pipelines.audit.validation import ValidationSummary, validate_table
from pipelines.batch.errors import BatchRejected
from pipelines.commit import Target, committed, is_commit_conflict
from pipelines.faults import fault_point
from pipelines.io.archive import archive_file
from pipelines.io.compressed import gzip_problem
from pipelines.settings import Settings
from pipelines.sqlnames import identifier
from pipelines.sqlnames import load_id as checked_load_id
from pipelines.warehouse import render_model


@dataclass(frozen=True)
class Dataset:
    name: str  # also the expectation suite's name
    source: str
    core_table: str  # schema.table built by warehouse/models/core/<table>.sql
    partition_column: str | None  # None: each load replaces the whole table
    header: Callable[[duckdb.DuckDBPyConnection, Path], list[str]]
    # stage(con, settings, archived file, staging table, load): create the staging table
    # with a _line column (the row's line or record number) and typed columns; it may
    # return the number of rows staged (else they are counted).
    stage: Callable[[duckdb.DuckDBPyConnection, Settings, Path, str, audit.Load], int | None]
    # Optional: replace the default "delete partition, insert model" publish.
    publish: Callable[[duckdb.DuckDBPyConnection, Settings, Dataset, audit.Load, str], int] | None = None
    # Optional, for a staging view over stored rows: (con, settings, staging table, load)
    # re-derives it, as validate and publish may run in a later session than stage.
    restage: Callable[[duckdb.DuckDBPyConnection, Settings, str, audit.Load], None] | None = None

    def __post_init__(self) -> None:
        # Declared names become SQL text (staging and core tables): checked once, here.
        for name in (self.name, self.core_table, self.partition_column):
            if name is not None:
                identifier(name)

    @property
    def core_model(self) -> str:
        return self.core_table.split(".", 1)[1]


@dataclass(frozen=True)
class LoadResult:
    load_id: str
    status: str
    rows_read: int
    rows_published: int
    rows_quarantined: int
    message: str | None = None


def staging_table(dataset: Dataset, load_id: str) -> str:
    return identifier(f"staging.{dataset.name}_{checked_load_id(load_id)}")


def drop_staging(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Drop a staged batch: a table, or a view (over landed rows, see towers.land_kpi)."""
    schema, name = table.split(".", 1)
    kinds = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, name],
    ).fetchall()
    for (kind,) in kinds:
        con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} IF EXISTS {table}")


def drop_orphan_staging(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Drop the staged batches of loads no longer running: what a killed attempt left
    behind (its load abandoned by the rerun, or published before the clean-up ran)."""
    found = con.execute(
        """SELECT table_schema || '.' || table_name, split_part(table_name, '_', -1)
           FROM information_schema.tables WHERE table_schema = 'staging'""").fetchall()
    running = {i for (i,) in con.execute(
        "SELECT load_id FROM audit.load WHERE status = 'running'").fetchall()}
    orphans = [table for table, load_id in found if load_id not in running]
    for table in orphans:
        drop_staging(con, table)
    return orphans


def archive_step(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, path: Path,
    partition_key: str,
) -> audit.Load:
    """Archive the delivery; a delivery already published becomes a 'duplicate' load."""
    archived = archive_file(con, settings.home, settings.archive, dataset.source, path)
    name = _relative(path, settings.home)
    original = audit.published_load_of(con, dataset.name, archived.sha256, partition_key)
    if original:
        return audit.record_duplicate(
            con, dataset.source, dataset.name, partition_key, archived.sha256, name, original
        )
    load = audit.start_load(con, dataset.source, dataset.name, partition_key, archived.sha256,
                            name)
    fault_point(settings, "after-archive", dataset.name)
    return load


def archived_path(con: duckdb.DuckDBPyConnection, settings: Settings, sha256: str) -> Path:
    (rel,) = con.execute(
        "SELECT archive_path FROM audit.file WHERE sha256 = ?", [sha256]
    ).fetchone()
    return settings.home / rel


def reject(
    con: duckdb.DuckDBPyConnection, settings: Settings, load: audit.Load, message: str
) -> BatchRejected:
    audit.finish_load(con, load.load_id, "rejected", message, rows_published=0)
    write_index(con, settings)
    return BatchRejected(message)


def stage_step(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: audit.Load
) -> int:
    """Typed rows of the archived bytes into staging, after the suite's header check."""
    path = archived_path(con, settings, load.sha256)
    suite = load_suite(settings.expectations_dir, dataset.name)
    damaged = gzip_problem(path) if path.name.endswith(".gz") else None
    if damaged:
        raise reject(con, settings, load, f"{load.file_name}: {damaged}. Nothing of it was loaded.")
    try:
        found = dataset.header(con, path)
    except (duckdb.Error, ValueError, OSError) as exc:
        raise reject(con, settings, load, f"{load.file_name}: cannot be read: {exc}") from exc
    missing = [c for c in required_columns(suite) if c not in found]
    if missing:
        raise reject(
            con, settings, load,
            f"{load.file_name}: missing required column(s) {', '.join(missing)}; "
            f"found {', '.join(found) or 'none'}. Nothing of it was loaded.",
        )
    table = staging_table(dataset, load.load_id)
    drop_staging(con, table)
    try:
        rows = dataset.stage(con, settings, path, table, load)
    except BatchRejected as exc:
        raise reject(con, settings, load, f"{load.file_name}: {exc}") from exc
    except duckdb.TransactionException as exc:
        if is_commit_conflict(exc):
            raise  # a concurrent writer, not the file: the step is run again
        raise reject(con, settings, load, f"{load.file_name}: cannot be parsed: {exc}") from exc
    except duckdb.Error as exc:
        raise reject(con, settings, load, f"{load.file_name}: cannot be parsed: {exc}") from exc
    if rows is None:
        (rows,) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    audit.set_rows_read(con, load.load_id, rows)
    fault_point(settings, "after-stage", dataset.name)
    return rows


def staged(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: audit.Load
) -> str:
    """The load's staging table, derived again where the dataset's staging depends on the
    session (see Dataset.restage)."""
    table = staging_table(dataset, load.load_id)
    if dataset.restage:
        dataset.restage(con, settings, table, load)
    return table


def validate_step(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: audit.Load
) -> ValidationSummary:
    table = staged(con, settings, dataset, load)
    rows = audit.rows_read(con, load.load_id)
    summary = validate_table(
        con, settings, dataset.name, table, load.load_id,
        {"file": load.file_name or "", "sha256": load.sha256 or "",
         "partition": load.partition_key},
        rows=rows,
    )
    fault_point(settings, "after-validate", dataset.name)
    return summary


def valid_rows(dataset: Dataset, load_id: str) -> str:
    """A relation of the staged rows that no rule quarantined."""
    return (
        f"(SELECT s.* FROM {staging_table(dataset, load_id)} AS s ANTI JOIN "
        f"(SELECT record_no FROM audit.quarantine WHERE load_id = '{checked_load_id(load_id)}') AS q "
        f"ON s._line = q.record_no)"
    )


def default_publish(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: audit.Load,
    valid: str,
) -> int:
    """Delete the partition (or the whole table) and insert the valid rows: one write."""
    select = render_model(
        settings, "core", dataset.core_model, valid=valid, load_id=load.load_id,
        partition_key=load.partition_key,
    )
    if dataset.partition_column:
        con.execute(
            f"DELETE FROM {dataset.core_table} WHERE {dataset.partition_column} = ?",
            [load.partition_key],
        )
    else:
        con.execute(f"DELETE FROM {dataset.core_table}")
    # Row order in core does not matter: let DuckDB write in parallel.
    con.execute("SET preserve_insertion_order = false")
    try:
        (n,) = con.execute(f"INSERT INTO {dataset.core_table} BY NAME {select}").fetchone()
    finally:
        con.execute("SET preserve_insertion_order = true")
    return n


def publish_step(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: audit.Load
) -> LoadResult:
    """Replace the load's partition in core and close the load, in one transaction."""
    table = staged(con, settings, dataset, load)
    (quarantined,) = con.execute(
        "SELECT count(*) FROM audit.quarantine WHERE load_id = ?", [load.load_id]
    ).fetchone()
    read = audit.rows_read(con, load.load_id)
    publish = dataset.publish or default_publish

    def replace_partition(con: duckdb.DuckDBPyConnection) -> int:
        published = publish(con, settings, dataset, load, valid_rows(dataset, load.load_id))
        fault_point(settings, "mid-publish", dataset.name)  # core rows written, not committed
        if published + quarantined != read:
            raise RuntimeError(
                f"{load.file_name}: {read} rows read but {published} published + "
                f"{quarantined} quarantined; nothing published"
            )
        audit.supersede_partition(con, dataset.name, load.partition_key, load.load_id)
        audit.finish_load(con, load.load_id, "published", None, published, quarantined)
        return published

    # One commit (one DuckLake snapshot), retried whole if another worker writes the
    # partition at the same time.
    published = committed(con, settings, Target(dataset.name, load.partition_key, load.load_id),
                          replace_partition)
    if settings.warehouse_backend == "ducklake":
        audit.record_snapshot(con, load.load_id)
    # Core rows and the load's verdict commit together: the one window left is between
    # that commit and the clean-up (staging, the Data Docs index).
    fault_point(settings, "after-publish", dataset.name)
    drop_staging(con, table)
    write_index(con, settings)
    return LoadResult(load.load_id, "published", read, published, quarantined)


def load_file(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, path: Path,
    partition_key: str,
) -> LoadResult:
    """Every step for one file. Raises BatchRejected when the whole file is refused."""
    load = archive_step(con, settings, dataset, path, partition_key)
    if load.status == "duplicate":
        return LoadResult(load.load_id, "duplicate", 0, 0, 0, "already published")
    stage_step(con, settings, dataset, load)
    validate_step(con, settings, dataset, load)
    return publish_step(con, settings, dataset, load)


def _relative(path: Path, home: Path) -> str:
    try:
        return str(path.resolve().relative_to(home))
    except ValueError:
        return str(path)
