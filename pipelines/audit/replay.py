"""`audit replay --month`: rebuild a month from the archived files alone and compare.

The files of the loads now published that feed the month (its own tower days and partner
reports, and every registry edition, inventory and attribute file up to it) are copied
from the archive into a scratch home's landing zone under the names they were loaded
under; the scratch home then runs exactly as `konektivitas run` does (every DAG through
Airflow's runner, then the marts). Every row of the month's month- and day-partitioned
marts is then compared, column by column, with what is published.

The partner API's pulls are replayed from their archived pages and manifests through the
api delivery's own steps (pipelines.audit.replay_api), never fetched again; then the marts
of every month they touched are built again. A load that came neither from a landed file
nor from a pull is named in the result as not replayable.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from pipelines.audit.replay_api import ArchivedPull, is_api_load, replay_pulls
from pipelines.demo import marking
from pipelines.marts import engine
from pipelines.marts.months import build_stale_months, feeds_month
from pipelines.settings import Settings, airflow_connections_hidden
from pipelines.warehouse import session

PARTITIONS = ("month", "day")
SHOW = 50  # differences printed


@dataclass
class Replay:
    month: date
    scratch: Path
    files: int = 0
    rows: int = 0
    marts: int = 0
    differences: list[tuple[str, str, str, object, object]] = field(default_factory=list)
    not_replayable: list[str] = field(default_factory=list)
    failed_runs: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (self.differences or self.failed_runs)

    def report_lines(self) -> list[str]:
        head = f"replay of {self.month:%Y-%m} from {self.files} archived files"
        lines = [f"{head}: scratch home {self.scratch}"]
        lines += [f"  run FAILED: {r}" for r in self.failed_runs]
        lines += [f"  not replayable from the archive: {n}" for n in self.not_replayable]
        if self.identical:
            lines.append(f"identical: {self.rows} rows in {self.marts} marts")
            return lines
        lines.append(f"DIFFERENT: {len(self.differences)} values differ")
        for mart, key, col, pub, rep in self.differences[:SHOW]:
            lines.append(f"  {mart} [{key}] {col}: published {pub!r}, replayed {rep!r}")
        if len(self.differences) > SHOW:
            lines.append(f"  ... and {len(self.differences) - SHOW} more")
        return lines


def month_inputs(con: duckdb.DuckDBPyConnection, month: date
                 ) -> tuple[list[tuple[str, str]], list[ArchivedPull], list[str]]:
    """([(landing name, archive path)], [partner API pulls, in load order], [loads not
    replayable]) of the published loads that feed the month."""
    rows = con.execute(
        """SELECT l.load_id, l.dataset, l.partition_key, l.file_name, f.archive_path
           FROM audit.load AS l LEFT JOIN audit.file AS f USING (sha256)
           WHERE l.status = 'published' ORDER BY l.started_at, l.file_name"""
    ).fetchall()
    files, pulls, other = {}, [], []
    for load_id, dataset, key, name, archived in rows:
        if not feeds_month(dataset, key, month):
            continue
        if name and name.startswith("landing/") and archived:
            files[name] = archived
        elif is_api_load(name) and archived and "/" in key:
            pulls.append(ArchivedPull(dataset, key, name, archived))
        else:
            other.append(f"load {load_id} ({dataset}:{key}, {name})")
    return sorted(files.items()), pulls, other


def land_archived(settings: Settings, scratch: Settings, files: list[tuple[str, str]]) -> None:
    for name, archived in files:
        target = scratch.home / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(settings.home / archived, target)


def replay_month(settings: Settings, month: date, keep: bool = False) -> Replay:
    from pipelines.runner import run_log, run_pending

    month = month.replace(day=1)
    with session(settings, read_only=True) as con:
        files, pulls, other = month_inputs(con, month)
        demo = marking.is_demo(con)
    root = Path(tempfile.mkdtemp(prefix=f"konektivitas-replay-{month:%Y-%m}-"))
    # The scratch home is always a DuckDB file, whatever backend the published one uses.
    scratch = dataclasses.replace(settings, home=root, warehouse_backend="duckdb",
                                  ducklake_catalog="", ducklake_data_path="")
    result = Replay(month, root, files=len(files) + len(pulls), not_replayable=other)
    try:
        land_archived(settings, scratch, files)
        if demo:
            marking.mark_landing(scratch.landing, seed=0)
        with airflow_connections_hidden():  # the archive is the only input: nothing fetched
            report = run_pending(scratch, log=run_log(scratch))
        result.failed_runs = [f"{d} {when}: {state} (see {run_log(scratch)})"
                              for d, when, state in report.failed]
        if pulls:
            replay_pulls(settings, scratch, pulls)
            build_stale_months(scratch)
        compare(settings, scratch, result)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return result


def compare(published: Settings, replayed: Settings, result: Replay) -> None:
    """Every row of the month's partitioned marts, published against replayed."""
    models = [m for m in engine.discover(published).values()
              if m.partition in PARTITIONS and m.partition_column]
    with session(published, read_only=True) as pub, session(replayed, read_only=True) as rep:
        for m in sorted(models, key=lambda m: m.name):
            a, b = mart_rows(pub, m, result.month), mart_rows(rep, m, result.month)
            result.marts += 1
            result.rows += len(a)
            result.differences += differences(m.name, a, b)


def mart_rows(con: duckdb.DuckDBPyConnection, model: engine.Model, month: date
              ) -> dict[str, dict[str, object]]:
    """{grain key: {column: value}} of the mart's rows in the month (none if no table)."""
    try:
        rel = con.execute(
            f"""SELECT * FROM {model.qualified}
                WHERE date_trunc('month', {model.partition_column}) = ?""",
            [month],
        )
    except duckdb.CatalogException:
        return {}
    cols = [d[0] for d in rel.description]
    out = {}
    for row in rel.fetchall():
        rec = dict(zip(cols, row, strict=True))
        out[",".join(str(rec[g]) for g in model.grain)] = rec
    return out


def differences(mart: str, published: dict[str, dict], replayed: dict[str, dict]
                ) -> list[tuple[str, str, str, object, object]]:
    out = []
    for key in sorted(published.keys() | replayed.keys()):
        a, b = published.get(key), replayed.get(key)
        if a is None or b is None:
            out.append((mart, key, "(row)", "present" if a else "absent",
                        "present" if b else "absent"))
            continue
        for col in a:
            if not _same(a[col], b.get(col)):
                out.append((mart, key, col, a[col], b.get(col)))
    return out


def _same(x: object, y: object) -> bool:
    if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
        return True
    return type(x) is type(y) and x == y
