"""All settings in one place, read from the environment, with defaults that run the demo."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipelines.batch.sources import EARLIEST_DAY
from pipelines.faults import parse_fault

# The checkout: where dags/, expectations/, warehouse/ and config/ are unless a deployment
# mounts them elsewhere (KONEKTIVITAS_PROJECT_ROOT).
PROJECT_ROOT = Path(__file__).resolve().parents[1]
LOCAL_TZ = "Asia/Makassar"  # WITA, UTC+8: every local day and month in docs/sources.md
SFTP_LAYOUT = {"kpi": "kpi", "events": "events", "inventory": "inventory"}


def sftp_layout(text: str) -> dict[str, str]:
    """KONEKTIVITAS_SFTP_LAYOUT: "kpi=<folder>,events=<folder>,inventory=<folder>", any
    kind left out keeping its default folder."""
    layout = dict(SFTP_LAYOUT)
    for part in filter(None, (p.strip() for p in text.split(","))):
        kind, _, folder = part.partition("=")
        if kind.strip() not in SFTP_LAYOUT or not folder.strip():
            raise ValueError(f"KONEKTIVITAS_SFTP_LAYOUT: {part!r} is not <kind>=<folder> "
                             f"with a kind of {', '.join(SFTP_LAYOUT)}")
        layout[kind.strip()] = folder.strip().rstrip("/") or "/"
    return layout


@dataclass(frozen=True)
class Settings:
    home: Path
    region_code: str = "64.02"
    # "duckdb" (one file, one writer) or "ducklake" (PostgreSQL catalog, shared Parquet).
    warehouse_backend: str = "duckdb"
    ducklake_catalog: str = ""
    ducklake_data_path: str = ""
    project_root: Path = PROJECT_ROOT
    config_path: Path | None = None  # None: <project_root>/config
    log_level: str = "WARNING"  # Airflow's, in the embedded run
    # DuckDB's memory limit while loading KPIs (the parse, the duplicate rule's sort): it
    # bounds the load's peak memory; past it DuckDB spills to disk.
    duckdb_memory_limit: str = "800MB"
    # How long after its day ends a day's tower files may still land before the wait gives up.
    tower_wait_hours: float = 12.0
    # The first local day the pipeline loads: a day's file dated before it, or after
    # tomorrow, is refused with that reason. Never before the daily DAG's start date.
    first_day: date = date.fromisoformat(EARLIEST_DAY)
    # How long a second `konektivitas run` on the same home waits for the first to finish.
    run_lock_wait_s: float = 300.0
    # A fault to inject (pipelines.faults): empty, never; only the crash matrix sets it.
    fault: str = ""
    # The PLN partner API pull (pipelines.pln.api_client.PullOptions.from_settings).
    pln_first_pull: str = ""  # ISO instant of the first pull; empty: PullOptions' default
    pln_lookback_days: float = 7.0
    pln_page_size: int = 100
    pln_timeout_s: float = 10.0
    pln_max_retries: int = 4
    pln_backoff_s: float = 0.5
    # Where the tower logs are on the NOC's SFTP server (Connection noc_sftp): the remote
    # folder of each kind (relative to the session's start folder, or absolute); the names
    # in them are the landing zone's (docs/sources.md).
    sftp_layout: dict[str, str] = field(default_factory=lambda: dict(SFTP_LAYOUT))
    # The registry portal's index of editions, on the registry_portal Connection's host.
    portal_index_path: str = "/index.json"
    # A warehouse commit that meets a concurrent writer (DuckLake: another worker publishing
    # the same partition, or a conflicting change committed first) is retried this many times,
    # waiting commit_backoff_s, then twice that, ... up to 10 s (pipelines.commit): about
    # 1.5 min in all by default.
    commit_retries: int = 12
    commit_backoff_s: float = 0.5
    # Who writes, as audit.warehouse_commit records it: the machine's name unless set (a
    # container's hostname tells Celery workers apart; processes on one host need it set).
    hostname: str = field(default_factory=socket.gethostname)
    # The token the demo partner API server (`konektivitas partner-api serve`) expects.
    partner_api_token: str = field(default="", repr=False)
    thresholds: dict[str, float] = field(
        default_factory=lambda: {
            "covered_min_tower_availability_pct": 50.0,
            "sla_discrepancy_flag_pp": 0.5,
        }
    )

    @property
    def landing(self) -> Path:
        return self.home / "landing"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def data_docs(self) -> Path:
        return self.reports / "data_docs"

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def gx_root(self) -> Path:
        return self.home / "gx"

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"

    @property
    def expectations_dir(self) -> Path:
        return self.project_root / "expectations"

    @property
    def warehouse_dir(self) -> Path:
        return self.project_root / "warehouse"

    @property
    def config_dir(self) -> Path:
        return self.config_path or self.project_root / "config"

    @property
    def dags_dir(self) -> Path:
        return self.project_root / "dags"


def first_day(text: str) -> date:
    day = date.fromisoformat(text)
    if day < date.fromisoformat(EARLIEST_DAY):
        raise ValueError(f"KONEKTIVITAS_FIRST_DAY={text}: no day before {EARLIEST_DAY} (the "
                         "daily DAG's start date) can be loaded")
    return day


def region_code(text: str, what: str = "KONEKTIVITAS_REGION_CODE") -> str:
    """A province (`64`), a regency (`64.02`) or `national`: the marts' region."""
    text = text.strip()
    if text != "national" and not re.fullmatch(r"\d{2}(\.\d{2})?", text):
        raise ValueError(f"{what}={text!r}: expected a Kemendagri province "
                         "code (64), a regency code (64.02) or 'national'")
    return text


_in_use: Settings | None = None


def use_settings(settings: Settings | None) -> None:
    """Make get_settings() answer `settings` in this process (the embedded runner: its tasks
    run in-process and must see the home it was given, not the environment's)."""
    global _in_use
    _in_use = settings


def get_settings(home: str | Path | None = None) -> Settings:
    """Settings from the environment, each variable read here and only here; an explicit
    home wins over KONEKTIVITAS_HOME, settings in use (use_settings) over both."""
    if _in_use is not None and home is None:
        return _in_use
    env = os.environ
    home_path = Path(home or env.get("KONEKTIVITAS_HOME", "./data")).resolve()
    root = Path(env.get("KONEKTIVITAS_PROJECT_ROOT") or PROJECT_ROOT)
    s = Settings(
        home=home_path,
        region_code=region_code(env.get("KONEKTIVITAS_REGION_CODE", "64.02")),
        warehouse_backend=env.get("KONEKTIVITAS_WAREHOUSE", "duckdb"),
        ducklake_catalog=env.get("KONEKTIVITAS_DUCKLAKE_CATALOG", ""),
        ducklake_data_path=env.get("KONEKTIVITAS_DUCKLAKE_DATA_PATH", ""),
        project_root=root,
        config_path=Path(env["KONEKTIVITAS_CONFIG"]) if env.get("KONEKTIVITAS_CONFIG") else None,
        log_level=env.get("KONEKTIVITAS_LOG_LEVEL", "WARNING"),
        duckdb_memory_limit=env.get("KONEKTIVITAS_DUCKDB_MEMORY_LIMIT", "800MB"),
        tower_wait_hours=float(env.get("KONEKTIVITAS_TOWER_WAIT_HOURS", "12")),
        first_day=first_day(env.get("KONEKTIVITAS_FIRST_DAY", EARLIEST_DAY)),
        run_lock_wait_s=float(env.get("KONEKTIVITAS_RUN_LOCK_WAIT_S", "300")),
        fault=parse_fault(env.get("KONEKTIVITAS_FAULT", "")),
        pln_first_pull=env.get("KONEKTIVITAS_PLN_FIRST_PULL", ""),
        pln_lookback_days=float(env.get("KONEKTIVITAS_PLN_LOOKBACK_DAYS", "7")),
        pln_page_size=int(float(env.get("KONEKTIVITAS_PLN_PAGE_SIZE", "100"))),
        pln_timeout_s=float(env.get("KONEKTIVITAS_PLN_TIMEOUT_S", "10")),
        pln_max_retries=int(float(env.get("KONEKTIVITAS_PLN_MAX_RETRIES", "4"))),
        pln_backoff_s=float(env.get("KONEKTIVITAS_PLN_BACKOFF_S", "0.5")),
        commit_retries=int(env.get("KONEKTIVITAS_COMMIT_RETRIES", "12")),
        commit_backoff_s=float(env.get("KONEKTIVITAS_COMMIT_BACKOFF_S", "0.5")),
        hostname=env.get("KONEKTIVITAS_HOSTNAME") or socket.gethostname(),
        partner_api_token=env.get("PLN_PARTNER_API_TOKEN", ""),
        sftp_layout=sftp_layout(env.get("KONEKTIVITAS_SFTP_LAYOUT", "")),
        portal_index_path=env.get("KONEKTIVITAS_PORTAL_INDEX", "/index.json"),
    )
    if "KONEKTIVITAS_COVERED_MIN_AVAILABILITY_PCT" in env:
        s.thresholds["covered_min_tower_availability_pct"] = float(
            env["KONEKTIVITAS_COVERED_MIN_AVAILABILITY_PCT"]
        )
    return s


def child_environment(**overrides: str) -> dict[str, str]:
    """This process's environment for a child `konektivitas` process, with `overrides`
    and without an injected fault unless one is given (KONEKTIVITAS_FAULT)."""
    env = {k: v for k, v in os.environ.items() if k != "KONEKTIVITAS_FAULT"}
    env.update(overrides)
    return env


@contextmanager
def airflow_connections_hidden() -> Iterator[None]:
    """Airflow Connections given in the environment (AIRFLOW_CONN_*) hidden for the block:
    a run that must fetch nothing (`audit replay`) finds none."""
    hidden = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("AIRFLOW_CONN_")}
    try:
        yield
    finally:
        os.environ.update(hidden)
