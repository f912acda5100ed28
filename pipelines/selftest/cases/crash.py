"""Crash cases: a `konektivitas run` killed with SIGKILL at each step of the batch path
(pipelines.faults), then run again without the fault, must leave core and marts equal to
a clean run's (pipelines.selftest.compare) and audit must show what happened to the
killed attempt. A kill during the migrations, then `konektivitas migrate`, must leave the
warehouse equal to one migrated without interruption.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.faults import BATCH_POINTS
from pipelines.selftest.case import Case, Outcome
from pipelines.selftest.compare import Comparison, compare_warehouses
from pipelines.selftest.small_home import FIRST_DAY, clean_warehouse, konektivitas, registry_home

DATASET = "tower_kpi"  # the fault's load: the first day's KPI file (landed rows in core)

# What audit.load must show for the faulted partition after the rerun, oldest first: the
# killed attempt abandoned, then the rerun's load published. Killed after the publish
# committed, the attempt is the published load and the rerun has nothing to redo.
LEDGER = {point: ["abandoned", "published"] for point in BATCH_POINTS}
LEDGER["after-publish"] = ["published"]


def _ledger(warehouse: Path) -> tuple[list[str], int, list[str]]:
    """(the faulted partition's load statuses in order, loads still running anywhere,
    staging tables left behind)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        statuses = [s for (s,) in con.execute(
            "SELECT status FROM audit.load WHERE dataset = ? AND partition_key = ? "
            "AND status <> 'duplicate' ORDER BY started_at", [DATASET, FIRST_DAY]).fetchall()]
        (running,) = con.execute(
            "SELECT count(*) FROM audit.load WHERE status = 'running'").fetchone()
        staging = [t for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'staging' UNION ALL "
            "SELECT view_name FROM duckdb_views() WHERE schema_name = 'staging'").fetchall()]
        return statuses, running, staging
    finally:
        con.close()


def _outcome(died: bool, first: str, rerun_rc: int, rerun: str, diff: Comparison,
             problems: list[str]) -> Outcome:
    if not died:
        problems.insert(0, f"the faulted run was not killed by SIGKILL ({first})")
    if rerun_rc != 0:
        problems.insert(0, f"the rerun exited {rerun_rc}: {rerun}")
    if not diff.equal:
        problems.append(diff.summary())
    return Outcome(passed=not problems, detail="; ".join(problems) or diff.summary(),
                   rows_lost=diff.lost, rows_duplicated=diff.duplicated)


def batch_case(point: str) -> Case:
    def run(scratch: Path) -> Outcome:
        home = registry_home(scratch / "home")
        reference = clean_warehouse()
        faulted = konektivitas(home, "run", fault=f"{point}:{DATASET}")
        rerun = konektivitas(home, "run")
        diff = compare_warehouses(reference, home / "warehouse.duckdb")
        statuses, running, staging = _ledger(home / "warehouse.duckdb")
        problems = []
        if statuses != LEDGER[point]:
            problems.append(f"audit.load of {DATASET} {FIRST_DAY}: {statuses}, "
                            f"expected {LEDGER[point]}")
        if running:
            problems.append(f"{running} loads still 'running' after the rerun")
        if staging:
            problems.append(f"staging left behind: {', '.join(staging)}")
        return _outcome(faulted.killed, faulted.last_line(), rerun.returncode,
                        rerun.last_line(), diff, problems)

    return Case(
        group="crash", name=f"kill-{point}",
        expects=f"SIGKILL {point.replace('-', ' ')} of a KPI load, then a rerun: core and "
                f"marts equal a clean run's, audit.load shows {' then '.join(LEDGER[point])}",
        run=run)


def _migrated(home: Path) -> Path:
    ran = konektivitas(home, "migrate")
    if ran.returncode != 0:
        raise RuntimeError(f"konektivitas migrate failed: {ran.last_line()}")
    return home / "warehouse.duckdb"


def _catalog(warehouse: Path) -> list[tuple]:
    """Every column of every table and view, and the migrations applied (not when)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            """SELECT schema_name, table_name, column_name, data_type, is_nullable
               FROM duckdb_columns() WHERE database_name = current_database()
               UNION ALL SELECT 'applied', version, name, sha256, NULL
               FROM audit.schema_migrations ORDER BY ALL""").fetchall()
    finally:
        con.close()


def _applied(warehouse: Path) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [v for (v,) in con.execute(
            "SELECT version FROM audit.schema_migrations ORDER BY version").fetchall()]
    finally:
        con.close()


def migration_case(point: str, version: str) -> Case:
    def run(scratch: Path) -> Outcome:
        reference = _migrated(scratch / "clean")
        home = scratch / "home"
        faulted = konektivitas(home, "migrate", fault=f"{point}:{version}")
        got = home / "warehouse.duckdb"
        want = _catalog(reference)
        killed_at = _applied(got)
        rerun = konektivitas(home, "migrate")
        diff = compare_warehouses(reference, got)
        problems = []
        if not 0 < len(killed_at) < len(_applied(reference)):
            problems.append(f"the kill left {len(killed_at)} migrations applied: not a "
                            "partly migrated warehouse")
        have = _catalog(got)
        if want != have:
            problems.append(f"schema differs from a clean migration: {len(set(want) - set(have))} "
                            f"columns or migrations missing, {len(set(have) - set(want))} extra")
        if not problems and faulted.killed:
            return Outcome(True, f"killed with {len(killed_at)} of {len(_applied(reference))} "
                                 f"migrations applied; then {len(want)} columns and migrations "
                                 f"equal a clean migration's")
        return _outcome(faulted.killed, faulted.last_line(), rerun.returncode,
                        rerun.last_line(), diff, problems)

    where = "inside" if point == "mid-migration" else "after"
    return Case(
        group="crash", name=f"kill-{point}-{version}",
        expects=f"SIGKILL {where} migration {version} (some applied, not all), then "
                "`konektivitas migrate`: schema, applied migrations and core/marts rows equal "
                "a clean migration's",
        run=run)


CASES: list[Case] = [batch_case(p) for p in BATCH_POINTS] + [
    migration_case("mid-migration", "200"),
    migration_case("after-migration", "102"),
]
