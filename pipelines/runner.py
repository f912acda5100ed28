"""The embedded run: every DAG through Airflow's own in-process runner (`dag.test`),
with a SQLite metadata database under the home. No scheduler or server needed."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pipelines.settings import Settings

WRITER_POOL = "duckdb_writer"


@dataclass
class RunReport:
    runs: list[tuple[str, str, str]] = field(default_factory=list)  # dag_id, logical date, state

    @property
    def failed(self) -> list[tuple[str, str, str]]:
        return [r for r in self.runs if r[2] != "success"]


def airflow_environment(settings: Settings) -> dict[str, str]:
    """What Airflow must see, before it is imported, to run embedded in this home."""
    af = settings.airflow_home
    return {
        "KONEKTIVITAS_HOME": str(settings.home),
        "AIRFLOW_HOME": str(af),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{af / 'airflow.db'}",
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.dags_dir),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get("KONEKTIVITAS_LOG_LEVEL", "WARNING"),
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
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(str(settings.dags_dir))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    return bag.dags


def registry_runs(settings: Settings) -> list[datetime]:
    # Editions, BPS files, attributes or a changed BPS mapping file: one run loads them all.
    from pipelines.registry import deliveries as registry

    return [datetime.now(UTC)] if registry.anything_pending(settings) else []


def pln_runs(settings: Settings) -> list[datetime]:
    """One pln_partner run (pull up to now) when the API is configured or reports landed."""
    from pipelines.pln import api_client as pln_api
    from pipelines.pln import sla_report as pln_sla
    from pipelines.warehouse import session

    with session(settings) as con:
        reports = pln_sla.pending_reports(con, settings)
    configured = bool(os.environ.get(pln_api.ENV_CONN))
    if not configured:
        from pipelines.commands.common import console

        console.print(f"pln_partner: no connection {pln_api.CONN_ID!r} ({pln_api.ENV_CONN} unset): "
                      "API pull skipped")
    return [datetime.now(UTC)] if configured or reports else []


def tower_runs(settings: Settings) -> list[datetime]:
    from pipelines.towers import day as towers

    return [towers.local_midnight(day) for day in towers.pending_days(settings)]


# Each source DAG and the logical dates that have landed data not yet loaded, in order.
PLANS: list[tuple[str, Callable[[Settings], list[datetime]]]] = [
    ("village_registry", registry_runs),
    ("tower_logs", tower_runs),
    ("pln_partner", pln_runs),
]
MARTS_DAG = "connectivity_marts"


def run_dag(dag, logical_date: datetime) -> str:
    logging.getLogger("airflow").setLevel(logging.WARNING)
    dr = dag.test(logical_date=logical_date)
    return str(getattr(dr.state, "value", dr.state))


def run_pending(
    settings: Settings, on_step: Callable[[str, str], None] | None = None,
) -> RunReport:
    """Run, in order, every DAG interval with landed data not yet loaded, then the marts."""
    configure_airflow(settings)
    init_metadata(settings)
    dags = load_dags(settings)
    report = RunReport()
    for dag_id, plan in PLANS:
        for when in plan(settings):
            if on_step:
                on_step(dag_id, when.isoformat())
            report.runs.append((dag_id, when.isoformat(), run_dag(dags[dag_id], when)))
    if report.runs or not _marts_built(settings):
        now = datetime.now(UTC)
        if on_step:
            on_step(MARTS_DAG, now.isoformat())
        report.runs.append((MARTS_DAG, now.isoformat(), run_dag(dags[MARTS_DAG], now)))
    return report


def _marts_built(settings: Settings) -> bool:
    from pipelines.warehouse import session

    with session(settings) as con:
        (n,) = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts'"
        ).fetchone()
    return n > 0
