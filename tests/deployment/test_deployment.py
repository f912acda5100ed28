"""The multi-machine deployment, run for real: docker-compose.yml's Airflow services
(init, api-server, scheduler, dag-processor, triggerer, Celery worker) as plain processes,
with the local PostgreSQL as Airflow's metadata database and DuckLake catalog and the local
Redis as the Celery broker. The scheduler schedules a tower_logs day, the Celery worker
runs its tasks, and the day lands in DuckLake. Skips where PostgreSQL or Redis is absent
(.ci/run starts both)."""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta

import pytest
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

from pipelines.batch.days import WITA
from pipelines.settings import get_settings

DAG = "tower_logs"


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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead = [p.name for p in procs if p.proc.poll() is not None]
            assert not dead, f"{dead} exited while waiting for {what}\n{tail(procs)}"
            try:
                got = check()
                if got:
                    return got
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(2)
        raise AssertionError(f"timed out waiting for {what}\n{tail(procs)}")


def test_compose_services_run_a_tower_day_through_celery_into_ducklake(local, tmp_path, monkeypatch):
    from pipelines.demo.generate import GenerateOptions, generate

    services = compose()["services"]
    logs = tmp_path / "logs"
    logs.mkdir()
    queue = f"kk_{local.airflow_db[-8:]}"
    extra = {
        # Test-only: a free port, one API worker, a token without a password, a queue of
        # this test's own on the shared Redis, two task slots on a 2-core machine.
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

    # The day the scheduler will pick for an unpaused DAG without catchup: the last complete
    # WITA day (and the current one, in case midnight passes during the test).
    yesterday = datetime.now(WITA).date() - timedelta(days=1)
    generate(GenerateOptions(home=local.data, start=yesterday, days=2), only={"registry", "towers"})

    init = subprocess.run(service_argv(services["airflow-init"]), env=envs["airflow-init"],
                          capture_output=True, text=True, timeout=300, cwd=logs)
    assert init.returncode == 0, init.stdout[-3000:] + init.stderr[-3000:]

    procs = [start(name, service_argv(services[name]), envs[name], logs)
             for name in envs if name != "airflow-init"]
    try:
        api = Api(local.api_port)
        api.wait("the api-server", lambda: api.call("GET", "/api/v2/version"), 180, procs)
        api.token = api.wait("a token", lambda: api.call("GET", "/auth/token").get("access_token"),
                             30, procs)
        api.wait(f"{DAG} to be parsed", lambda: api.call("GET", f"/api/v2/dags/{DAG}"), 180, procs)
        api.call("PATCH", f"/api/v2/dags/{DAG}", {"is_paused": False})

        def finished():
            runs = api.call("GET", f"/api/v2/dags/{DAG}/dagRuns")["dag_runs"]
            done = [r for r in runs if r["state"] in ("success", "failed")]
            return done[0] if done else None

        run = api.wait(f"a {DAG} run to finish", finished, 420, procs)
        tis = api.call("GET", f"/api/v2/dags/{DAG}/dagRuns/{run['dag_run_id']}/taskInstances")
    finally:
        stop(procs)
        _forget_queue(local.redis_db, queue)
    states = {ti["task_id"]: ti["state"] for ti in tis["task_instances"]}
    assert run["state"] == "success", f"{states}\n{tail(procs)}"
    # no Connection noc_sftp in this deployment: the SFTP fetch is skipped, landing/ loads
    assert states.pop("fetch") == "skipped", states
    assert set(states.values()) == {"success"}
    # Every task went through Redis to the Celery worker (this test's queue, a host).
    assert {ti["queue"] for ti in tis["task_instances"]} == {queue}
    assert all(ti["hostname"] for ti in tis["task_instances"])

    day = datetime.fromisoformat(run["logical_date"]).astimezone(WITA).date()
    assert day in (yesterday, yesterday + timedelta(days=1))
    # The day is in DuckLake: catalog in PostgreSQL, Parquet on the data volume.
    for key in ("KONEKTIVITAS_WAREHOUSE", "KONEKTIVITAS_DUCKLAKE_CATALOG",
                "KONEKTIVITAS_DUCKLAKE_DATA_PATH"):
        monkeypatch.setenv(key, envs["airflow-worker"][key])
    from pipelines.warehouse import session

    with session(get_settings(local.data), read_only=True) as con:
        published = con.execute(
            """SELECT dataset, rows_read, rows_published + rows_quarantined FROM audit.load
               WHERE status = 'published' AND partition_key = ? ORDER BY dataset""",
            [str(day)],
        ).fetchall()
        samples = con.execute(
            "SELECT count(*) FROM core.fct_tower_kpi_5min WHERE kpi_date = ?", [day]
        ).fetchone()[0]
        daily = con.execute(
            "SELECT count(*) FROM marts.tower_availability_daily WHERE kpi_date = ?", [day]
        ).fetchone()[0]
    assert {"tower_event", "tower_kpi"} <= {d for d, *_ in published}
    assert all(read == accounted for _, read, accounted in published)
    assert samples > 0 and daily > 0
    assert list(local.data.rglob("*.parquet"))
