"""The embedded run: every DAG through Airflow's own in-process runner (`dag.test`),
with a SQLite metadata database under the home. No scheduler or server needed."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.batch.days import local_midnight
from pipelines.batch.sources import SOURCES, Source
from pipelines.settings import Settings, use_settings

if TYPE_CHECKING:
    from airflow.models.connection import Connection

WRITER_POOL = "duckdb_writer"


@dataclass
class RunReport:
    runs: list[tuple[str, str, str]] = field(default_factory=list)  # dag_id, logical date, state
    waiting: list[tuple[str, str]] = field(default_factory=list)  # dag_id, partition not yet run

    @property
    def failed(self) -> list[tuple[str, str, str]]:
        return [r for r in self.runs if r[2] != "success"]


def airflow_environment(settings: Settings) -> dict[str, str]:
    """What Airflow must see, before it is imported, to run embedded in this home."""
    af = settings.airflow_home
    return {
        "AIRFLOW_HOME": str(af),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{af / 'airflow.db'}",
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.dags_dir),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": settings.log_level,
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(af / "logs"),
    }


def configure_airflow(settings: Settings) -> None:
    settings.airflow_home.mkdir(parents=True, exist_ok=True)
    os.environ.update(airflow_environment(settings))
    # Airflow's in-process runner warns about its own httpx use on every start: not ours.
    warnings.filterwarnings("ignore", message=".*httpx.*starlette.testclient.*")
    warnings.filterwarnings("ignore", message=".*determine_kwargs.*deprecated.*")


def init_metadata(settings: Settings) -> None:
    """Create (or upgrade) the SQLite metadata database and the writer pool."""
    from airflow.models import Pool
    from airflow.utils import db

    if (settings.airflow_home / "airflow.db").exists():
        db.upgradedb()
    else:
        db.initdb()
    # DuckDB allows one writing process: every task that writes shares one slot.
    Pool.create_or_update_pool(
        WRITER_POOL, 1, "one writer at a time for the DuckDB warehouse", include_deferred=False
    )


def load_dags(settings: Settings) -> dict:
    from airflow.dag_processing.dagbag import BundleDagBag

    # As Airflow's dag-processor and task runner do: the dags folder on sys.path, so the
    # DAG files share their wiring helper (dags/source_dag.py).
    bag = BundleDagBag(str(settings.dags_dir), bundle_path=settings.dags_dir)
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    return bag.dags


def airflow_connection(conn_id: str) -> Connection | None:
    """The connection as Airflow knows it (its secrets backends: environment, metadata DB),
    outside a task; None when it has none. Airflow must be configured first."""
    from airflow.exceptions import AirflowNotFoundException
    from airflow.models.connection import Connection

    try:
        return Connection.get_connection_from_secrets(conn_id)
    except AirflowNotFoundException:
        return None


def planned_runs(settings: Settings, source: Source, waiting: list[str] | None = None,
                 ) -> list[datetime]:
    """The logical dates to run a source for: one per pending local day ("day" sources), or
    one now when anything is pending or a delivery can be fetched ("run" sources). A day
    whose files are still awaited (before their deadline) is not run but added to `waiting`:
    run in-process, its wait would hold up every other run."""
    from pipelines.batch.run import pending_partitions, waiting_for_files
    from pipelines.warehouse import session

    pulling = fetch_everything(settings, source)
    with session(settings) as con:
        pending = pending_partitions(con, settings, source)
    if source.partition == "day":
        held = [p for p in pending if waiting_for_files(settings, source, p)]
        if waiting is not None:
            waiting.extend(held)
        return [local_midnight(date.fromisoformat(p)) for p in pending if p not in held]
    fetchable = False
    for d in (d for d in source.deliveries if d.connection):
        if airflow_connection(d.connection) is not None:
            fetchable = True
        else:
            from pipelines.commands.common import console

            console.print(f"{source.dag_id}: no connection {d.connection!r}: {d.kind} skipped")
    return [datetime.now(UTC)] if pending or fetchable or pulling else []


def fetch_everything(settings: Settings, source: Source) -> bool:
    """The source's pull of every partition into landing/, before the runs are planned
    from it (each run's own fetch then finds it all held); False without a Connection.
    A server that cannot be reached is reported, and landing/ planned as it is."""
    from pipelines.batch.run import resolve
    from pipelines.commands.common import console
    from pipelines.warehouse import session

    conn = airflow_connection(source.pull.connection) if source.pull else None
    if conn is None:
        return False
    try:
        with session(settings) as con:
            resolve(source.pull.everything)(con, settings, conn)
    except Exception as exc:  # noqa: BLE001 (any server fault: the landed files still load)
        console.print(f"{source.dag_id}: fetching from {source.pull.connection!r} failed: {exc}")
    return True


MARTS_DAG = "connectivity_marts"


def run_log(settings: Settings) -> Path:
    """Where the embedded run writes Airflow's own output (task logs, tracebacks)."""
    return settings.airflow_home / "logs" / "konektivitas-run.log"


def run_dag(dag, logical_date: datetime, log: Path | None = None) -> str:
    """Run the DAG for one logical date: its state. Airflow's output (a failed task's
    traceback among it) goes to `log` when given; the run's summary says what failed."""
    logging.getLogger("airflow").setLevel(logging.WARNING)
    began = datetime.now(UTC)
    if log is None:
        dr = dag.test(logical_date=logical_date)
    else:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a") as out, redirect_stdout(out), redirect_stderr(out):
            print(f"--- {dag.dag_id} {logical_date.isoformat()}", flush=True)
            dr = dag.test(logical_date=logical_date)
    record_true_start(dr.id, began)
    return str(getattr(dr.state, "value", dr.state))


def record_true_start(dag_run_id: int, began: datetime) -> None:
    """dag.test records a run as started at its logical date (a tower day run weeks later
    would show weeks of duration in the UI): store when it really started."""
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session
    from sqlalchemy import update

    with create_session() as session:
        session.execute(update(DagRun).where(DagRun.id == dag_run_id).values(start_date=began))


def run_pending(
    settings: Settings, on_step: Callable[[str, str], None] | None = None,
    log: Path | None = None, then: Callable[[RunReport], None] | None = None,
) -> RunReport:
    """Migrate the warehouse, then run, in order, every DAG interval with landed data not
    yet loaded, then the marts. Airflow's output goes to `log` when given (else as
    Airflow prints it). `then` runs before the run lock is let go: what reads the warehouse
    after the runs (a summary) must not hold it open while the next run starts writing."""
    from pipelines.run_lock import run_lock

    with run_lock(settings):
        report = _run_pending(settings, on_step, log)
        if then:
            then(report)
        return report


def _run_pending(settings: Settings, on_step: Callable[[str, str], None] | None,
                 log: Path | None) -> RunReport:
    from pipelines.warehouse import migrate_warehouse

    migrate_warehouse(settings)
    configure_airflow(settings)
    init_metadata(settings)
    dags = load_dags(settings)
    report = RunReport()
    # dag.test runs the tasks in this process: they get these settings from get_settings().
    use_settings(settings)
    try:
        for dag_id, source in SOURCES.items():
            held: list[str] = []
            for when in planned_runs(settings, source, held):
                if on_step:
                    on_step(dag_id, when.isoformat())
                report.runs.append((dag_id, when.isoformat(), run_dag(dags[dag_id], when, log)))
            report.waiting += [(dag_id, p) for p in held]
        if report.runs or _marts_due(settings):
            now = datetime.now(UTC)
            if on_step:
                on_step(MARTS_DAG, now.isoformat())
            report.runs.append((MARTS_DAG, now.isoformat(), run_dag(dags[MARTS_DAG], now, log)))
    finally:
        use_settings(None)
    return report


def _marts_due(settings: Settings) -> bool:
    """No marts yet, or loads published since their last build: a run killed after a
    publish committed leaves nothing pending but its marts behind."""
    from pipelines.marts.months import stale_months
    from pipelines.warehouse import session

    with session(settings) as con:
        (n,) = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts'"
        ).fetchone()
        return n == 0 or bool(stale_months(con)[0])
