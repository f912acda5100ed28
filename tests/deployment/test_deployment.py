"""The multi-machine deployment, run for real: docker-compose.yml's Airflow services
(init, api-server, scheduler, dag-processor, triggerer, two Celery workers) as plain
processes, with the local PostgreSQL as Airflow's metadata database and DuckLake catalog
and the local Redis as the Celery broker. Runs are created through the REST API with a
token: the registry and the partner, and a backfill of a week of tower days; the marts
follow on the sources' Assets. Both workers run tasks and commit to the lake at
overlapping times, and the marts equal, row for row, those of the embedded
`konektivitas run` over a copy of the same landing zone. Skips where PostgreSQL or Redis
is absent (.ci/run starts both)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from audit_check import assert_audit_verifies
from compose_processes import (
    Local,
    check_mounts,
    compose,
    service_argv,
    service_env,
    start,
    stop,
    tail,
)
from local_services import psql, redis_answers
from polling import poll_until

from pipelines.batch.days import WITA
from pipelines.settings import get_settings


def _forget_queue(db: int, queue: str) -> None:
    """Drop what Celery left in Redis for this test's queue (its binding, any message)."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=db)
    keys = [k for k in client.scan_iter(match=f"*{queue}*")]
    if keys:
        client.delete(*keys)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def local(tmp_path):
    """Fresh databases for Airflow and the DuckLake catalog, owned by compose's `airflow`."""
    if not redis_answers():
        pytest.skip("no Redis on 127.0.0.1:6379")
    tag = uuid.uuid4().hex[:8]
    try:
        psql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'airflow') "
              "THEN CREATE ROLE airflow LOGIN PASSWORD 'airflow'; END IF; END $$")
    except (OSError, subprocess.SubprocessError):
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    loc = Local(
        airflow_db=f"kk_airflow_{tag}", lake_db=f"kk_ducklake_{tag}",
        redis_db=int(tag, 16) % 15 + 1, api_port=_free_port(),
        data=tmp_path / "data", airflow_home=tmp_path / "airflow",
        secrets={"AIRFLOW_JWT_SECRET": secrets.token_hex(32)},
    )
    for db in (loc.airflow_db, loc.lake_db):
        psql(f"CREATE DATABASE {db} OWNER airflow")
    loc.data.mkdir()
    loc.airflow_home.mkdir()
    yield loc
    for db in (loc.airflow_db, loc.lake_db):
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


class Api:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token: str | None = None

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base + path, method=method, headers=headers,
                                     data=json.dumps(body).encode() if body is not None else None)
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"{}")

    def wait(self, what: str, check, timeout: float, procs) -> object:
        return poll_until(what, check, timeout,
                          lambda: ", ".join(p.name for p in procs if p.proc.poll() is not None),
                          lambda: tail(procs), (urllib.error.URLError, OSError))


DAYS = 7  # tower days in the backfill
SOURCES = ("village_registry", "pln_partner", "tower_logs")
MARTS = "connectivity_marts"
WORKERS = ("w1", "w2")


def _embedded_run(landing: Path, home: Path, log: Path) -> subprocess.Popen:
    """`konektivitas run` (DuckDB file, Airflow's in-process runner) over a copy of the
    landing zone, in the background."""
    shutil.copytree(landing, home / "landing")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KONEKTIVITAS_", "AIRFLOW"))}
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run", "--home", str(home)],
                                env={**env, "COLUMNS": "160"}, stdout=out, stderr=subprocess.STDOUT)


def _rows(con, table: str) -> list[tuple]:
    # Sums of doubles may differ in their last bits with the order rows are added in.
    rows = con.execute(f"SELECT * FROM marts.{table}").fetchall()
    norm = [tuple(round(v, 9) if isinstance(v, float) else v for v in r) for r in rows]
    return sorted(norm, key=repr)


def _marts(con) -> dict[str, list[tuple]]:
    names = [n for (n,) in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' "
        "ORDER BY table_name").fetchall()]
    return {n: _rows(con, n) for n in names}


def _overlapping(commits: list[tuple[str, datetime, datetime]]) -> list[tuple]:
    """Pairs of commits by different workers whose [start, end] intervals overlap."""
    return [(a, b) for a in commits for b in commits
            if a[0] < b[0] and a[1] < b[2] and b[1] < a[2]]


@pytest.mark.timeout(1200)  # takes 5-10 min on 2 idle cores; more when they are shared
def test_two_celery_workers_load_every_source_and_the_marts_into_ducklake(
        local, tmp_path, monkeypatch, request):
    from pipelines.batch.days import local_midnight
    from pipelines.demo.generate import GenerateOptions, generate
    from pipelines.demo.generate.towers import TowerOptions

    services = compose()["services"]
    logs = tmp_path / "logs"
    logs.mkdir()
    queue = f"kk_{local.airflow_db[-8:]}"
    extra = {
        # Test-only: a free port, one API worker, a token without a password, a queue of
        # this test's own on the shared Redis, two task slots per worker on a 2-core machine.
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(local.api_port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": queue,
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
    }
    envs = {}
    for name, svc in services.items():
        if name in ("postgres", "redis"):
            continue
        check_mounts(svc)
        envs[name] = service_env(svc, local, extra)
        # No partner API here: without the connection its group is skipped (as embedded).
        envs[name].pop("AIRFLOW_CONN_PLN_PARTNER_API", None)

    # A week of tower days ending with the last complete WITA day: the backfill's range,
    # and the day the scheduler would pick on unpausing (the backfill has it already).
    last = datetime.now(WITA).date() - timedelta(days=1)
    first = last - timedelta(days=DAYS - 1)
    generate(GenerateOptions(home=local.data, start=first, days=DAYS, towers=TowerOptions(towers=4)))
    embedded = _embedded_run(local.data / "landing", tmp_path / "embedded", logs / "embedded.log")
    request.addfinalizer(lambda: embedded.poll() is None and embedded.kill())

    init = subprocess.run(service_argv(services["airflow-init"]), env=envs["airflow-init"],
                          capture_output=True, text=True, timeout=300, cwd=logs)
    assert init.returncode == 0, init.stdout[-3000:] + init.stderr[-3000:]

    worker = envs.pop("airflow-worker")
    procs = [start(name, service_argv(services[name]), envs[name], logs)
             for name in envs if name != "airflow-init"]
    # Two workers, as two containers would be: each its own Celery name and host name.
    procs += [start(w, [*service_argv(services["airflow-worker"]), "-H", f"{w}@%h"],
                    {**worker, "KONEKTIVITAS_HOSTNAME": w,
                     # each its own task-log server, as in its own container
                     "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(_free_port())}, logs)
              for w in WORKERS]
    try:
        api = Api(local.api_port)
        api.wait("the api-server", lambda: api.call("GET", "/api/v2/version"), 240, procs)
        api.token = api.wait("a token", lambda: api.call("GET", "/auth/token").get("access_token"),
                             30, procs)
        for dag_id in (*SOURCES, MARTS):
            api.wait(f"{dag_id} to be parsed", lambda d=dag_id: api.call("GET", f"/api/v2/dags/{d}"),
                     240, procs)

        def runs(dag_id: str) -> list[dict]:
            return api.call("GET", f"/api/v2/dags/{dag_id}/dagRuns?limit=100")["dag_runs"]

        def all_done(dag_id: str, at_least: int = 1):
            rs = runs(dag_id)
            return rs if len(rs) >= at_least and all(
                r["state"] in ("success", "failed") for r in rs) else None

        def trigger(dag_id: str) -> None:
            api.call("POST", f"/api/v2/dags/{dag_id}/dagRuns",
                     {"logical_date": datetime.now(UTC).isoformat()})
            api.call("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})

        api.call("PATCH", f"/api/v2/dags/{MARTS}", {"is_paused": False})  # on the Assets
        # The registry first, as the embedded run does: the other sources match against it.
        trigger("village_registry")
        api.wait("the registry run", lambda: all_done("village_registry"), 600, procs)
        backfill = api.call("POST", "/api/v2/backfills", {
            "dag_id": "tower_logs", "from_date": local_midnight(first).isoformat(),
            "to_date": local_midnight(last).isoformat(), "max_active_runs": 4,
            "reprocess_behavior": "none"})
        api.call("PATCH", "/api/v2/dags/tower_logs", {"is_paused": False})
        trigger("pln_partner")
        tower_runs = api.wait("the backfill", lambda: all_done("tower_logs", DAYS), 900, procs)
        source_runs = {d: api.wait(f"{d} runs", lambda d=d: all_done(d), 300, procs)
                       for d in SOURCES}

        def marts_settled():
            queued = api.call("GET", f"/api/v2/dags/{MARTS}/assets/queuedEvents")["total_entries"]
            return None if queued else all_done(MARTS)

        marts_runs = api.wait("the marts on the Assets", marts_settled, 600, procs)
        marts_tis = [ti for r in marts_runs for ti in api.call(
            "GET", f"/api/v2/dags/{MARTS}/dagRuns/{r['dag_run_id']}/taskInstances")["task_instances"]]
    finally:
        stop(procs)
        _forget_queue(local.redis_db, queue)
    embedded.wait(timeout=600)
    assert embedded.returncode == 0, (logs / "embedded.log").read_text()[-3000:]

    assert backfill["dag_id"] == "tower_logs"
    backfilled = [r for r in tower_runs if r["run_type"] == "backfill"]
    assert len(backfilled) == DAYS, [(r["logical_date"], r["run_type"]) for r in tower_runs]
    failed = {d: [r["dag_run_id"] for r in rs if r["state"] != "success"]
              for d, rs in {**source_runs, MARTS: marts_runs}.items()}
    assert all(not f for f in failed.values()), f"{failed}\n{tail(procs)}"
    assert {r["triggered_by"] for d in ("village_registry", "pln_partner")
            for r in source_runs[d] if r["run_type"] == "manual"} == {"rest_api"}
    # The marts ran on the Assets, through Celery (this test's queue).
    assert {r["run_type"] for r in marts_runs} == {"asset_triggered"}
    assert {ti["queue"] for ti in marts_tis} == {queue}
    assert {ti["state"] for ti in marts_tis} == {"success"}
    # Both workers ran tasks (each Celery worker's own log) ...
    for w in WORKERS:
        received = (logs / f"{w}.log").read_text(errors="replace").count(" received")
        assert received > 0, f"{w} ran no task\n{tail(procs)}"

    for key in ("KONEKTIVITAS_WAREHOUSE", "KONEKTIVITAS_DUCKLAKE_CATALOG",
                "KONEKTIVITAS_DUCKLAKE_DATA_PATH"):
        monkeypatch.setenv(key, worker[key])
    from pipelines.warehouse import session

    with session(get_settings(local.data), read_only=True) as con:
        commits = con.execute(
            "SELECT hostname, started_at, finished_at FROM audit.warehouse_commit "
            "WHERE outcome = 'committed'").fetchall()
        lake = _marts(con)
        unaccounted = con.execute(
            "SELECT count(*) FROM audit.load WHERE status = 'published' "
            "AND rows_read <> rows_published + rows_quarantined").fetchone()[0]
    # ... and both committed to the lake, at overlapping times.
    assert {h for h, *_ in commits} == set(WORKERS)
    assert _overlapping(commits), sorted(commits, key=lambda c: c[1])
    assert unaccounted == 0
    assert list(local.data.rglob("*.parquet"))
    # Two workers wrote the audit records at once: one unbroken chain, every check holds.
    assert_audit_verifies(local.data)

    con = duckdb.connect(str(tmp_path / "embedded" / "warehouse.duckdb"), read_only=True)
    try:
        reference = _marts(con)
    finally:
        con.close()
    assert set(lake) == set(reference)
    assert reference["tower_availability_daily"] and reference["village_connectivity_monthly"]
    differ = {t: [r for r in reference[t] if r not in lake[t]][:3] for t in reference
              if lake[t] != reference[t]}
    assert differ == {}, "marts that differ from the embedded run's (its rows not in the lake)"
