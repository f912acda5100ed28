"""Tower logs (docs/sources.md 2a-2c): inventory snapshots, 5-minute KPI files, router syslog.

One local (WITA) day is one partition of the KPI and event facts: `load_day` (or the
`tower_logs` DAG, through the task_* functions) loads the inventory snapshots in force,
then that day's KPI and syslog files, then refreshes the day's and the month's
indicators. All bulk work is SQL inside DuckDB: the KPI file is read exactly once, straight
into core, unpublished until validated (land_kpi).
"""

from __future__ import annotations

import gzip
import os
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from pipelines.audit import records as audit
from pipelines.batch.steps import Dataset, LoadResult, archive_step, default_publish, load_file
from pipelines.io import delimited as csvfiles
from pipelines.marts.engine import refresh_indicators
from pipelines.settings import LOCAL_TZ, Settings
from pipelines.warehouse import quote_literal, render_model

WITA = ZoneInfo(LOCAL_TZ)
SOURCE = "towers"
# Where KPI rows land, published or not (core.fct_tower_kpi_5min shows the published ones).
LANDED = "core.fct_tower_kpi_5min_landed"
_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(csv|log)(\.gz)?$")
# DuckDB's memory limit while loading KPIs (the parse, the duplicate rule's sort): it bounds
# the load's peak memory; past it DuckDB spills to disk.
MEMORY_LIMIT = os.environ.get("KONEKTIVITAS_DUCKDB_MEMORY_LIMIT", "800MB")
# Compression the KPI landing does not try. FSST (for strings) cost ~1.5 s of a 10M-row
# load's ~8 s, nearly all of it on tower_id, which it shrinks little (short ids, tens of
# thousands of distinct values per row group): without it tower_id is stored as a
# dictionary when ids repeat, else plain. Other tables keep DuckDB's defaults.
LANDING_DISABLED_COMPRESSION = "fsst"
# How long after its day ends a day's files may still land before the wait gives up.
WAIT_HOURS = float(os.environ.get("KONEKTIVITAS_TOWER_WAIT_HOURS", "12"))


class FilesNotLanded(Exception):
    """A day's files did not land before the wait's deadline."""


# --- the day a run processes -------------------------------------------------------------

def local_midnight(day: date) -> datetime:
    """The UTC instant a local day starts: the logical date of its tower_logs run."""
    return datetime.combine(day, time(), WITA).astimezone(UTC)


def run_day(logical_date: datetime | None, data_interval_start: datetime | None) -> date:
    """The local day a tower_logs run processes.

    The DAG's timetable (cron `0 0 * * *` in WITA, data intervals) gives scheduled and
    backfill runs logical_date = data_interval_start = local midnight of the day. A manual
    run with a logical date (as `dag.test(logical_date=...)` makes) gets an inferred
    interval that *ends* at its logical date, while the logical date names the day meant:
    so the logical date decides whenever there is one, the interval's start otherwise
    (a manual run without logical date processes the last complete day).
    """
    when = logical_date or data_interval_start
    if when is None:
        raise ValueError("a tower_logs run needs a logical date or a data interval")
    return when.astimezone(WITA).date()


# --- files in the landing zone -----------------------------------------------------------

def file_date(path: Path) -> date:
    m = _DATED.match(path.name)
    if not m:
        raise ValueError(f"{path}: tower files are named <YYYY-MM-DD>.csv[.gz] or .log[.gz]")
    return date.fromisoformat(m.group(1))


def _dated_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.exists():
        return []
    found = [p for p in folder.iterdir() if p.name.endswith(suffixes) and _DATED.match(p.name)]
    return sorted(found, key=lambda p: (file_date(p), p.stat().st_mtime))


def inventory_files(settings: Settings, up_to: date | None = None) -> list[Path]:
    files = _dated_files(settings.landing / "towers" / "inventory", (".csv",))
    return [p for p in files if up_to is None or file_date(p) <= up_to]


def day_file(settings: Settings, kind: str, day: date) -> Path | None:
    """towers/kpi/<day>.csv[.gz] or towers/events/<day>.log[.gz]; the newest if both."""
    ext = ".csv" if kind == "kpi" else ".log"
    folder = settings.landing / "towers" / kind
    found = [p for p in (folder / f"{day}{ext}", folder / f"{day}{ext}.gz") if p.exists()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def missing_files(settings: Settings, day: date) -> list[str]:
    """What the day still lacks: its KPI file, its syslog, an inventory snapshot in force."""
    missing = []
    if day_file(settings, "kpi", day) is None:
        missing.append(f"landing/towers/kpi/{day}.csv[.gz]")
    if day_file(settings, "events", day) is None:
        missing.append(f"landing/towers/events/{day}.log[.gz]")
    if not inventory_files(settings, day):
        missing.append(f"landing/towers/inventory/<YYYY-MM-DD>.csv dated on or before {day}")
    return missing


def files_landed(settings: Settings, day: date, now: datetime | None = None) -> bool:
    """True once the day's files are there; raises FilesNotLanded past the deadline."""
    missing = missing_files(settings, day)
    if not missing:
        return True
    deadline = local_midnight(day + timedelta(days=1)) + timedelta(hours=WAIT_HOURS)
    if (now or datetime.now(UTC)) >= deadline:
        raise FilesNotLanded(
            f"tower files for {day} have not landed by {deadline.astimezone(WITA):%Y-%m-%d %H:%M} "
            f"WITA ({WAIT_HOURS:g} h after the day ended): missing {'; '.join(missing)}"
        )
    return False


# --- staging -----------------------------------------------------------------------------

def _first_line(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        return fh.readline().decode("utf-8-sig", errors="replace")


def kpi_delimiter(path: Path) -> str:
    """`;` when the header is split by semicolons (then numbers carry a decimal comma)."""
    header = _first_line(path)
    return ";" if header.count(";") > header.count(",") else ","


def kpi_header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    return csvfiles.csv_header(con, path, kpi_delimiter(path))


def kpi_source(path: Path, delimiter: str) -> str:
    # all_varchar: the staging model types each value so that a bad one is a quarantined
    # row; null_padding keeps a short row as a row (quarantined for its empty fields).
    return (
        f"read_csv({quote_literal(str(path))}, header=true, all_varchar=true, "
        f"delim={quote_literal(delimiter)}, quote='\"', escape='\"', strict_mode=false, "
        "null_padding=true)"
    )


def landed_rowids(con: duckdb.DuckDBPyConnection, load: audit.Load) -> int:
    """The rowid of a KPI load's first landed row; its rows' rowids follow without a gap
    (one INSERT in file order), which is how a rowid gives a line number."""
    first, last, n = con.execute(
        f"SELECT min(rowid), max(rowid), count(*) FROM {LANDED} WHERE kpi_date = ? AND load_id = ?",
        [date.fromisoformat(load.partition_key), load.load_id],
    ).fetchone()
    if n and last - first + 1 != n:
        raise RuntimeError(
            f"{load.file_name}: landed rows are not contiguous ({n} rows over rowids "
            f"{first}-{last}), so their line numbers are unknown; nothing published"
        )
    return first or 0


def land_kpi(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: audit.Load
) -> int:
    """Parse the file once, straight into core.fct_tower_kpi_5min_landed; `table` becomes
    the view validation reads. The rows stay unpublished (invisible in
    core.fct_tower_kpi_5min) until publish_kpi, so they are written once, compressed, and
    never copied.
    """
    day = date.fromisoformat(load.partition_key)
    # Rows of the day's loads that died before publishing (a retry starts from the file).
    con.execute(
        f"""DELETE FROM {LANDED} WHERE kpi_date = ? AND load_id NOT IN (
                SELECT load_id FROM audit.load WHERE dataset = ? AND status = 'published')""",
        [day, load.dataset],
    )
    delimiter = kpi_delimiter(path)
    parsed = render_model(
        settings, "staging", "stg_tower_kpi", source=kpi_source(path, delimiter),
        day=load.partition_key, decimal_comma=delimiter == ";",
    )
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = true")  # rows land in the file's order
    con.execute(f"SET TimeZone = '{LOCAL_TZ}'")  # a ts without offset is WITA
    con.execute(f"SET disabled_compression_methods = '{LANDING_DISABLED_COMPRESSION}'")
    try:
        select = render_model(
            settings, "core", "fct_tower_kpi_5min_landed", parsed=f"({parsed})",
            load_id=load.load_id, partition_key=load.partition_key,
        )
        (n,) = con.execute(f"INSERT INTO {LANDED} BY NAME {select}").fetchone()
    finally:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("RESET disabled_compression_methods")
    view = render_model(
        settings, "staging", "stg_tower_kpi_batch", day=load.partition_key,
        load_id=load.load_id, first_rowid=landed_rowids(con, load),
    )
    con.execute(f"CREATE VIEW {table} AS {view}")
    return n


def read_lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        return fh.read().decode("utf-8-sig", errors="replace").splitlines()


def event_header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    read_lines(path)  # readable (and gunzippable) or the file is rejected
    return ["line"]


def stage_events(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: audit.Load
) -> None:
    import pyarrow as pa

    lines = read_lines(path)
    src = pa.table({"_line": pa.array(range(1, len(lines) + 1), pa.int64()),
                    "line": pa.array(lines, pa.string())})
    name = f"events_src_{load.load_id}"
    con.register(name, src)
    try:
        select = render_model(
            settings, "staging", "stg_tower_event", source=name, load_id=load.load_id,
            day=load.partition_key,
        )
        con.execute(f"CREATE TABLE {table} AS {select}")
    finally:
        con.unregister(name)


def stage_inventory(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: audit.Load
) -> None:
    with csvfiles.raw_csv(con, path, load.load_id) as raw:
        con.execute(f"CREATE TABLE {table} AS " + render_model(
            settings, "staging", "stg_tower_inventory", raw=raw, load_id=load.load_id,
            snapshot=load.partition_key,
        ))


# --- publishing --------------------------------------------------------------------------


def publish_kpi(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: audit.Load,
    valid: str,
) -> int:
    """In the publish transaction: delete the day's other rows and this load's quarantined
    ones; what is left of the load is the partition once the load is marked published."""
    first = landed_rowids(con, load)
    day = date.fromisoformat(load.partition_key)
    con.execute(f"DELETE FROM {LANDED} WHERE kpi_date = ? AND load_id <> ?", [day, load.load_id])
    con.execute(
        f"""DELETE FROM {LANDED} WHERE kpi_date = ? AND load_id = ? AND rowid IN (
                SELECT record_no - 2 + ? FROM audit.quarantine WHERE load_id = ?)""",
        [day, load.load_id, first, load.load_id],
    )
    # A wrong rowid-to-line mapping would delete the wrong rows: then some row that cannot
    # be a valid sample (a failed cast, an empty key, a ts off the day's grid) is left.
    (n, left) = con.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE _cast_errors IS NOT NULL OR tower_id IS NULL
                                              OR measured_at IS NULL OR slot IS NULL)
            FROM {LANDED} WHERE kpi_date = ? AND load_id = ?""",
        [day, load.load_id],
    ).fetchone()
    if left:
        raise RuntimeError(f"{load.file_name}: {left} invalid rows were not quarantined; nothing published")
    return n


def publish_inventory(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: audit.Load,
    valid: str,
) -> int:
    """Replace the snapshot, then let each snapshot run until the next one takes over."""
    n = default_publish(con, settings, dataset, load, valid)
    con.execute(render_model(settings, "core", "dim_tower_valid_to"))
    return n


INVENTORY = Dataset(
    name="tower_inventory", source=SOURCE, core_table="core.dim_tower",
    partition_column="snapshot_date", header=csvfiles.csv_header, stage=stage_inventory,
    publish=publish_inventory,
)
KPI = Dataset(
    name="tower_kpi", source=SOURCE, core_table=LANDED, partition_column="kpi_date",
    header=kpi_header, stage=land_kpi, publish=publish_kpi,
)
EVENTS = Dataset(
    name="tower_event", source=SOURCE, core_table="core.fct_tower_event",
    partition_column="event_date", header=event_header, stage=stage_events,
    publish=default_publish,
)
DAY_DATASETS = {KPI.name: (KPI, "kpi"), EVENTS.name: (EVENTS, "events")}


# --- one day, step by step (the DAG's tasks) ---------------------------------------------

def _is_published(con: duckdb.DuckDBPyConnection, dataset: Dataset, path: Path) -> bool:
    from pipelines.io.archive import sha256_of

    return audit.published_load_of(con, dataset.name, sha256_of(path)) is not None


def load_inventory(con: duckdb.DuckDBPyConnection, settings: Settings, day: date) -> list[LoadResult]:
    """Publish every landed snapshot dated on or before the day not yet published, oldest first."""
    return [
        load_file(con, settings, INVENTORY, p, str(file_date(p)))
        for p in inventory_files(settings, day)
        if not _is_published(con, INVENTORY, p)
    ]


def archive_day(con: duckdb.DuckDBPyConnection, settings: Settings, day: date) -> dict[str, str]:
    """Archive the day's KPI and syslog files: {dataset: load_id} of what needs loading."""
    loads = {}
    for name, (dataset, kind) in DAY_DATASETS.items():
        path = day_file(settings, kind, day)
        if path is None:
            raise FilesNotLanded(f"landing/towers/{kind}/{day}: no file to load")
        load = archive_step(con, settings, dataset, path, str(day))
        if load.status == "running":
            loads[name] = load.load_id
    return loads


def load_day(con: duckdb.DuckDBPyConnection, settings: Settings, day: date) -> dict[str, LoadResult]:
    """Every step for one day in one session, in the DAG's order (what the tests run)."""
    from pipelines.batch.steps import publish_step, stage_step, validate_step

    results = {r.load_id: r for r in load_inventory(con, settings, day)}
    loads = archive_day(con, settings, day)
    for name, load_id in loads.items():
        dataset, _ = DAY_DATASETS[name]
        load = audit.get_load(con, load_id)
        stage_step(con, settings, dataset, load)
        validate_step(con, settings, dataset, load)
        results[name] = publish_step(con, settings, dataset, load)
    refresh_indicators(con, settings, day)
    return results


# --- the DAG's tasks: each opens its own session -----------------------------------------

def _each_load(settings: Settings, loads: dict[str, str], step) -> None:
    """Run `step(con, settings, dataset, load)` on every load; raise after trying them all."""
    from pipelines.batch.steps import BatchRejected
    from pipelines.warehouse import session

    rejected = []
    with session(settings) as con:
        for name, load_id in loads.items():
            dataset, _ = DAY_DATASETS[name]
            try:
                step(con, settings, dataset, audit.get_load(con, load_id))
            except BatchRejected as exc:
                rejected.append(str(exc))
    if rejected:
        raise BatchRejected("; ".join(rejected))


def task_load_inventory(settings: Settings, day: date) -> int:
    from pipelines.warehouse import session

    with session(settings) as con:
        return len(load_inventory(con, settings, day))


def task_archive(settings: Settings, day: date) -> dict[str, str]:
    from pipelines.warehouse import session

    with session(settings) as con:
        return archive_day(con, settings, day)


def task_load(settings: Settings, loads: dict[str, str]) -> dict[str, dict]:
    """Stage, validate and publish each archived load in one session."""
    from pipelines.batch.steps import publish_step, stage_step, validate_step

    results: dict[str, dict] = {}

    def load_one(con, settings, dataset, load) -> None:
        stage_step(con, settings, dataset, load)
        validate_step(con, settings, dataset, load)
        results[dataset.name] = publish_step(con, settings, dataset, load).__dict__

    _each_load(settings, loads, load_one)
    return results


def task_indicators(settings: Settings, day: date) -> int:
    from pipelines.warehouse import session

    with session(settings) as con:
        return refresh_indicators(con, settings, day)


def pending_days(settings: Settings) -> list[date]:
    """Days whose KPI or syslog file landed with bytes never published, oldest first."""
    from pipelines.warehouse import session

    days = {
        file_date(p) for kind, ext in (("kpi", ".csv"), ("events", ".log"))
        for p in _dated_files(settings.landing / "towers" / kind, (ext, f"{ext}.gz"))
    }
    with session(settings) as con:
        return sorted(
            d for d in days
            if any(
                (p := day_file(settings, kind, d)) is not None and not _is_published(con, ds, p)
                for ds, kind in DAY_DATASETS.values()
            )
        )
