"""Temporary homes for the matrix's cases: a migrated warehouse, valid deliveries of several
sources to land beside a hostile one, every pending partition run as `konektivitas run`
plans it (without Airflow: pipelines.batch.run.run_deliveries), and the account of what
became of every landed file."""

from __future__ import annotations

import atexit
import dataclasses
import functools
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from pipelines.batch.days import WITA
from pipelines.batch.errors import BatchRejected, FilesNotLanded
from pipelines.batch.run import pending_partitions, run_deliveries
from pipelines.batch.sources import SOURCES
from pipelines.reference import __file__ as _reference_init
from pipelines.selftest.case import Outcome
from pipelines.selftest.towerfiles import (
    day_samples,
    syslog,
    write_events,
    write_inventory,
    write_kpi,
)
from pipelines.settings import Settings, get_settings
from pipelines.warehouse import migrate_warehouse, session

REGISTRY_EDITION = Path(_reference_init).parent / "registry" / "kemendagri_2025_64.02.csv"
TOWERS = ("T1", "T2")


def days_ago(n: int) -> date:
    """A local day relative to today: the day window (no future, no day before the first)
    holds whenever the selftest runs."""
    return datetime.now(WITA).date() - timedelta(days=n)


@functools.cache
def _migrated_template() -> Path:
    """One migrated warehouse per process: every home starts as a copy (migrating is slow)."""
    folder = Path(tempfile.mkdtemp(prefix="konektivitas-selftest-"))
    atexit.register(shutil.rmtree, folder, True)
    settings = dataclasses.replace(get_settings(folder), warehouse_backend="duckdb")
    migrate_warehouse(settings)
    return settings.warehouse_path


def new_home(scratch: Path, **overrides: object) -> Settings:
    """A fresh home under `scratch` with its warehouse migrated (always a DuckDB file)."""
    settings = dataclasses.replace(get_settings(scratch / "home"), warehouse_backend="duckdb",
                                   **overrides)
    settings.landing.mkdir(parents=True)
    shutil.copyfile(_migrated_template(), settings.warehouse_path)
    return settings


@dataclass
class Landing:
    """What a case landed: rows each valid file carries, and the files that must be refused."""

    settings: Settings
    valid: dict[str, int] = field(default_factory=dict)  # landing/<rel> -> its rows
    hostile: list[str] = field(default_factory=list)  # landing/<rel>
    kpi_rows: int = 0  # valid KPI samples, all to be published

    def rel(self, path: Path) -> str:
        return "landing/" + path.relative_to(self.settings.landing).as_posix()

    def add_valid(self, path: Path, rows: int) -> Path:
        self.valid[self.rel(path)] = rows
        return path

    def add_hostile(self, path: Path) -> Path:
        self.hostile.append(self.rel(path))
        return path


def land_tower_day(landing: Landing, day: date, *, kpi: bool = True, events: bool = True) -> None:
    """A valid day of both towers: inventory, 288 samples each, a few syslog lines."""
    home = landing.settings.home
    landing.add_valid(write_inventory(home, day, [{"tower_id": t} for t in TOWERS]), len(TOWERS))
    if kpi:
        rows = [s for t in TOWERS for s in day_samples(t, day)]
        landing.add_valid(write_kpi(home, day, rows), len(rows))
        landing.kpi_rows += len(rows)
    if events:
        noon = datetime.combine(day, datetime.min.time()) + timedelta(hours=12)
        lines = [syslog(t, noon + timedelta(minutes=i), "system", f"router rebooted {i}")
                 for t in TOWERS for i in range(3)]
        landing.add_valid(write_events(home, day, lines), len(lines))


def land_registry(landing: Landing, name: str = "2025-07-01.csv") -> Path:
    """The real Kemendagri 2025 edition of 64.02 (shipped with the package)."""
    path = landing.settings.landing / "registry" / "kemendagri" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = REGISTRY_EDITION.read_bytes()
    path.write_bytes(data)
    return landing.add_valid(path, len(data.decode().strip().splitlines()) - 1)


def standard_landing(scratch: Path, **overrides: object) -> Landing:
    """A home with a valid tower day (30 days ago) and the registry: what every hostile
    file lands beside."""
    landing = Landing(new_home(scratch, **overrides))
    land_tower_day(landing, days_ago(30))
    land_registry(landing)
    return landing


def run_everything(settings: Settings) -> list[str]:
    """Every source's pending partitions, in order, as `konektivitas run` plans them: the
    one-line reasons runs ended rejected or waiting. Anything else raised is a crash."""
    reasons: list[str] = []
    for source in SOURCES.values():
        with session(settings) as con:
            pending = pending_partitions(con, settings, source)
        if source.partition == "run":
            pending = [datetime.now(UTC).isoformat()] if pending else []
        for partition in pending:
            try:
                run_deliveries(settings, source.dag_id, partition)
            except (BatchRejected, FilesNotLanded) as exc:
                reasons.append(str(exc).splitlines()[0])
    return reasons


@dataclass(frozen=True)
class FileFate:
    status: str  # published, rejected, unrecognised, missing (nothing recorded), ...
    reason: str
    rows_read: int = 0
    rows_published: int = 0
    rows_quarantined: int = 0


def fates(con: duckdb.DuckDBPyConnection) -> dict[str, FileFate]:
    """What audit says became of each landed file: its last load, or its listing as
    unrecognised."""
    out = {path: FileFate("unrecognised", reason) for path, reason in con.execute(
        "SELECT path, reason FROM audit.unrecognised_file").fetchall()}
    for name, status, message, read, published, quarantined in con.execute(
        """SELECT file_name, status, coalesce(message, ''), coalesce(rows_read, 0),
                  coalesce(rows_published, 0), coalesce(rows_quarantined, 0)
           FROM audit.load WHERE file_name IS NOT NULL ORDER BY started_at""").fetchall():
        out[name] = FileFate(status, message, read, published, quarantined)
    return out


def refused(fate: FileFate | None) -> bool:
    """Rejected with a reason, listed as unrecognised, or loaded with every bad row
    quarantined and accounted for (read = published + quarantined)."""
    if fate is None:
        return False
    if fate.status in ("rejected", "unrecognised"):
        return bool(fate.reason) and fate.rows_published == 0
    return (fate.status == "published" and fate.rows_quarantined > 0
            and fate.rows_read == fate.rows_published + fate.rows_quarantined)


def account(landing: Landing, expects_refused: bool = True) -> Outcome:
    """The case's outcome from the warehouse: each hostile file refused (or, when not
    `expects_refused`, loaded whole), nothing left running, and every valid file's rows
    published once."""
    with session(landing.settings, read_only=True) as con:
        seen = fates(con)
        running = con.execute("SELECT count(*) FROM audit.load WHERE status = 'running'"
                              ).fetchone()[0]
        kpi_rows, kpi_distinct = con.execute(
            "SELECT count(*), count(DISTINCT (tower_id, measured_at)) FROM core.fct_tower_kpi_5min"
        ).fetchone()
    lost = max(0, landing.kpi_rows - kpi_distinct)
    for rel, rows in landing.valid.items():
        fate = seen.get(rel)
        lost += rows - (fate.rows_published if fate and fate.status == "published" else 0)
    problems = [f"{n} load(s) left running" for n in [running] if n]
    shown = []
    for rel in landing.hostile:
        fate = seen.get(rel)
        ok = refused(fate) if expects_refused else bool(fate and fate.status == "published")
        what = _fate_text(fate)
        shown.append(f"{Path(rel).name} {what}")
        if not ok:
            problems.append(f"{rel}: {what}")
    dup = kpi_rows - kpi_distinct
    detail = "; ".join(problems) if problems else "; ".join(shown)
    return Outcome(not problems and lost == 0 and dup == 0, _one_line(detail), lost, dup)


def _fate_text(fate: FileFate | None) -> str:
    if fate is None:
        return "nothing recorded"
    if fate.status == "published":
        return (f"published {fate.rows_published} of {fate.rows_read} rows, "
                f"{fate.rows_quarantined} quarantined")
    return f"{fate.status}: {fate.reason}"


def _one_line(text: str, width: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
