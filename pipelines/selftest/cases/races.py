"""Race cases: two writers on one home, and a reader during a publish.

- Two `konektivitas run` at once: the run lock (pipelines.run_lock) makes the second wait
  (bounded) or refuse in one line; the warehouse ends equal to one clean run's.
- Two task instances of the same DAG and day at once (two processes running its tasks'
  function, pipelines.batch.run.run_task, retrying as Airflow does when told the warehouse
  is busy): one copy of each row, core equal to a clean run's.
- A reader during a publish. A DuckDB file has one writer and, while it writes, no reader
  in another process: the reader is refused in one line, then reads the whole new
  partition. On DuckLake (PostgreSQL catalog) readers run beside the writer: a reader
  polling a partition while it is published again and again only ever sees a whole
  committed version of it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import duckdb

from pipelines.selftest.case import Case, Outcome
from pipelines.selftest.compare import Comparison, compare_warehouses
from pipelines.selftest.small_home import (
    FIRST_DAY,
    clean_warehouse,
    konektivitas,
    registry_home,
    start_konektivitas,
)
from pipelines.settings import Settings, child_environment, get_settings

RAW_LOCK_ERROR = ("Traceback", "Could not set lock", "IO Error")
BUSY_RETRY_S = 300.0


def _raw(output: str) -> list[str]:
    """Raw lock errors shown, outside the clear WarehouseBusy messages that quote DuckDB's."""
    shown = "\n".join(ln for ln in output.splitlines()
                      if "in use by another process" not in ln
                      and "being written by another process" not in ln)
    return [m for m in RAW_LOCK_ERROR if m in shown]


def _judge(problems: list[str], diff: Comparison, seen: str) -> Outcome:
    if not diff.equal:
        problems.append(diff.summary())
    return Outcome(passed=not problems, detail="; ".join(problems) or f"{seen}; {diff.summary()}",
                   rows_lost=diff.lost, rows_duplicated=diff.duplicated)


# --- two `konektivitas run` ---------------------------------------------------------------

def two_runs_case(wait_s: int) -> Case:
    def run(scratch: Path) -> Outcome:
        home = registry_home(scratch / "home")
        reference = clean_warehouse()
        env = {"KONEKTIVITAS_RUN_LOCK_WAIT_S": str(wait_s)}
        first = start_konektivitas(home, "run", env=env)
        second = start_konektivitas(home, "run", env=env)
        outs = [p.communicate(timeout=1800)[0] for p in (first, second)]
        codes = sorted(p.returncode for p in (first, second))
        problems = [f"a run shows a raw lock error ({', '.join(_raw(o))})" for o in outs if _raw(o)]
        # Waiting, both end well; refusing at once, the loser exits 2 saying who holds it.
        want = [0, 0] if wait_s else [0, 2]
        if codes != want:
            tails = [" / ".join(o.strip().splitlines()[-3:]) for p, o in zip((first, second), outs,
                                                                          strict=True) if p.returncode]
            problems.append(f"exit codes {codes}, expected {want}: {' | '.join(tails)}")
        if not wait_s and not any("another run is using" in o for o in outs):
            problems.append("the refused run does not say another run holds the home")
        seen = "the second waited, both ended well" if wait_s else "the second refused in one line"
        return _judge(problems, compare_warehouses(reference, home / "warehouse.duckdb"), seen)

    how = "waits for the first" if wait_s else "refuses at once (wait 0 s)"
    return Case(group="race", name=f"two-runs-{'wait' if wait_s else 'refuse'}",
                expects=f"two `konektivitas run` on one home at once: the second {how}, never a "
                        "raw lock error; core and marts equal one clean run's",
                run=run)


# --- two task instances of one DAG and day --------------------------------------------------

def task_chain(home: str, source: str, day: str) -> None:
    """Every task of the source's DAG for one day, in order, as Airflow runs them: through
    run_task, each retried while the warehouse is busy (another writer holds it)."""
    from pipelines.batch.days import local_midnight
    from pipelines.batch.errors import WarehouseBusy
    from pipelines.batch.run import run_task
    from pipelines.batch.sources import SOURCES, STEPS

    settings = get_settings(home)
    when = local_midnight(date.fromisoformat(day))

    def task(kind: str | None, step: str, data: object = None) -> object:
        deadline = time.monotonic() + BUSY_RETRY_S
        while True:
            try:
                return run_task(settings, source, kind, step, data, None, when, when, None)
            except WarehouseBusy as exc:
                print(f"retry: {exc}", flush=True)
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    for d in SOURCES[source].deliveries:
        data = None
        for step in STEPS:
            data = task(d.kind, step, data)
    for a in SOURCES[source].after:
        task(None, a.task_id)
    print("done", flush=True)


def _one_published_load_each(warehouse: Path) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [f"{d} {p}: {n} published loads" for d, p, n in con.execute(
            """SELECT dataset, partition_key, count(*) FILTER (WHERE status = 'published') AS n
               FROM audit.load GROUP BY ALL HAVING n <> 1""").fetchall()] + [
            f"{n} loads still 'running'" for (n,) in con.execute(
                "SELECT count(*) FROM audit.load WHERE status = 'running'").fetchall() if n]
    finally:
        con.close()


def two_tasks_run(scratch: Path) -> Outcome:
    home = registry_home(scratch / "home")
    reference = clean_warehouse()
    code = ("import sys; from pipelines.selftest.cases.races import task_chain; "
            "task_chain(*sys.argv[1:])")
    env = child_environment(KONEKTIVITAS_HOME=str(home))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(home), "tower_logs", FIRST_DAY],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=1800)[0] for p in procs]
    problems = [f"a task chain exited {p.returncode}: {o.strip().splitlines()[-1:]}"
                for p, o in zip(procs, outs, strict=True) if p.returncode]
    problems += [f"a task shows a raw lock error ({', '.join(_raw(o))})" for o in outs if _raw(o)]
    problems += _one_published_load_each(home / "warehouse.duckdb")
    retries = sum(o.count("retry: ") for o in outs)
    diff = compare_warehouses(reference, home / "warehouse.duckdb", schemas=("core",))
    return _judge(problems, diff, f"{retries} busy retries, one published load each")


# --- a reader during a publish ----------------------------------------------------------------

def _signature_sql(edition: str) -> str:
    # Order-free: the rows' count and a checksum of their values.
    return (f"SELECT count(*), coalesce(sum(hash(code, name, level, parent_code)), 0) "
            f"FROM core.region_edition WHERE edition_date = DATE '{edition}'")


HOLD_PUBLISH = """
import sys
from pipelines.settings import get_settings
from pipelines.warehouse import connect
con = connect(get_settings(sys.argv[1]))
con.execute("BEGIN TRANSACTION")
# As a publish does: the partition's rows deleted, its new rows inserted, not yet committed.
con.execute("CREATE TEMP TABLE new AS SELECT * FROM core.region_edition WHERE edition_date = ?",
            [sys.argv[2]])
con.execute("UPDATE new SET name = name || ' (baru)', load_id = 'race'")
con.execute("DELETE FROM core.region_edition WHERE edition_date = ?", [sys.argv[2]])
con.execute("INSERT INTO core.region_edition SELECT * FROM new")
print("held", flush=True)
sys.stdin.readline()
con.execute("COMMIT")
con.close()
print("committed", flush=True)
"""


def _read(settings: Settings, sql: str) -> tuple:
    from pipelines.warehouse import session

    with session(settings, read_only=True) as con:
        return con.execute(sql).fetchone()


def reader_duckdb_run(scratch: Path) -> Outcome:
    home = registry_home(scratch / "home")
    settings = get_settings(home)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    (edition,) = con.execute("SELECT max(edition_date)::VARCHAR FROM core.region_edition").fetchone()
    con.close()
    sql = _signature_sql(edition)
    old = _read(settings, sql)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_PUBLISH, str(home), edition],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    problems = []
    try:
        if holder.stdout.readline().strip() != "held":
            return Outcome(False, "the writer could not start its publish")
        query = konektivitas(home, "query", sql)
        if query.returncode == 0 or "is being written by another process" not in query.output:
            problems.append(f"a reader during the publish was not refused clearly: "
                            f"{query.last_line()}")
        if "Traceback" in query.output:
            problems.append(f"the refusal shows a traceback: {query.last_line()}")
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.stdout.readline()
    finally:
        holder.communicate(timeout=120)
    new = _read(settings, sql)
    if not (new[0] == old[0] and new[1] != old[1]):
        problems.append(f"after the publish the reader sees {new}, not the whole new partition "
                        f"(old was {old})")
    return Outcome(not problems, "; ".join(problems) or
                   f"`konektivitas query` refused during the publish (exit {query.returncode}, "
                   f"a clear message); then read the whole new partition ({new[0]} rows)")


POLL = """
import sys
from pipelines.settings import get_settings
from pipelines.warehouse import connect
con = connect(get_settings(), read_only=True)  # held open for the whole poll
print("ready", flush=True)
stop = sys.argv[2]
import os
while not os.path.exists(stop):
    print(*con.execute(sys.argv[1]).fetchone(), flush=True)
print(*con.execute(sys.argv[1]).fetchone(), flush=True)
"""
LAKE_VERSIONS = 4
LAKE_EDITION = "2025-07-01"


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def _edition(version: int) -> str:
    villages = [f"64.02.01.{2000 + n},Desa {version}-{n}" for n in range(1, 3 + version)]
    return "\n".join(["kode,nama", "64.02,Kutai Kartanegara", "64.02.01,Semboja", *villages]) + "\n"


def _postgres(sql: str) -> None:
    import psycopg2

    pg = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    try:
        pg.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
        pg.cursor().execute(sql)
    finally:
        pg.close()


def reader_ducklake_run(scratch: Path) -> Outcome:
    from pipelines.batch.steps import load_file
    from pipelines.registry import kemendagri
    from pipelines.warehouse import connect, migrate_warehouse

    db = f"kk_race_{uuid.uuid4().hex[:8]}"
    _postgres(f"CREATE DATABASE {db}")
    env = {"KONEKTIVITAS_WAREHOUSE": "ducklake",
           "KONEKTIVITAS_DUCKLAKE_CATALOG": f"dbname={db} host=127.0.0.1 user=postgres",
           "KONEKTIVITAS_DUCKLAKE_DATA_PATH": f"{scratch / 'lake'}/",
           "KONEKTIVITAS_HOME": str(scratch / "home")}
    settings = Settings(home=scratch / "home", warehouse_backend="ducklake",
                        ducklake_catalog=env["KONEKTIVITAS_DUCKLAKE_CATALOG"],
                        ducklake_data_path=env["KONEKTIVITAS_DUCKLAKE_DATA_PATH"])
    stop = scratch / "stop"
    reader = None
    try:
        migrate_warehouse(settings)
        sql = _signature_sql(LAKE_EDITION)
        reader = subprocess.Popen([sys.executable, "-c", POLL, sql, str(stop)],
                                  env=child_environment(**env), stdout=subprocess.PIPE, text=True)
        if reader.stdout.readline().strip() != "ready":
            return Outcome(False, "the reader could not open the lake")
        committed = {(0, 0)}
        folder = settings.landing / "registry" / "kemendagri"
        folder.mkdir(parents=True, exist_ok=True)
        con = connect(settings)
        for version in range(1, LAKE_VERSIONS + 1):
            path = folder / f"{LAKE_EDITION}.csv"
            path.write_text(_edition(version))
            load_file(con, settings, kemendagri.DATASET, path, LAKE_EDITION)
            committed.add(tuple(con.execute(sql).fetchone()))
        con.close()
        stop.touch()
        seen = [tuple(int(x) for x in line.split()) for line in
                reader.communicate(timeout=120)[0].splitlines() if line.strip()]
    finally:
        if reader and reader.poll() is None:
            reader.kill()
            reader.wait()
        _postgres(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    mixed = sorted(set(seen) - committed)
    versions = len(set(seen) & committed)
    problems = []
    if mixed:
        problems.append(f"the reader saw {len(mixed)} states no publish committed: {mixed[:3]}")
    if versions < 3:
        problems.append(f"the reader saw only {versions} versions: it did not read during publishes")
    return Outcome(not problems, "; ".join(problems) or
                   f"{len(seen)} reads over {LAKE_VERSIONS} publishes saw {versions} committed "
                   "versions, never a mix", rows_lost=0, rows_duplicated=0)


CASES: list[Case] = [
    two_runs_case(wait_s=600),
    two_runs_case(wait_s=0),
    Case(group="race", name="two-task-instances",
         expects="the tower_logs tasks of one day run twice at once, retrying while the other "
                 "holds the warehouse: one published load each, core equal to a clean run's",
         run=two_tasks_run),
    Case(group="race", name="reader-during-publish-duckdb",
         expects="a DuckDB-file reader during an uncommitted publish is refused in one line, "
                 "then reads the whole new partition, never a mix",
         run=reader_duckdb_run),
    Case(group="race", name="reader-during-publish-ducklake",
         expects="a DuckLake reader polling a partition published 4 times sees only whole "
                 "committed versions, never a mix",
         run=reader_ducklake_run,
         unavailable=None if _postgres_answers() else "no PostgreSQL on 127.0.0.1:5432"),
]
