"""`konektivitas airflow` on a small demo home: Airflow's standalone services serve the
demo's DAGs and runs through the REST API, a run triggered there succeeds, and Ctrl-C
stops every process it started."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from polling import poll_until

pytestmark = pytest.mark.slow

DAGS = {"village_registry", "tower_logs", "pln_partner", "connectivity_marts"}


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)],
                          capture_output=True, text=True, timeout=900,
                          env={**os.environ, "COLUMNS": "160"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(url: str, method: str = "GET", body: dict | None = None, token: str | None = None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, method=method, headers=headers,
                                 data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read() or b"{}")


def _until(what: str, check, timeout: float, proc: subprocess.Popen, out: Path):
    return poll_until(what, check, timeout,
                      lambda: "konektivitas airflow" if proc.poll() is not None else None,
                      lambda: out.read_text()[-3000:])


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _commands(pids: set[int]) -> dict[int, str]:
    found = {}
    for pid in pids:
        try:
            found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_airflow_serves_the_demo_runs_and_stops_every_process(tmp_path: Path) -> None:
    home = tmp_path / "home"
    gen = _cli("generate", "--start", "2026-10-01", "--days", "1", "--towers", "5", home=home)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    run = _cli("run", home=home)
    assert run.returncode == 0, run.stdout + run.stderr

    port = _free_port()
    out = tmp_path / "airflow.out"
    with out.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipelines.cli", "airflow", "--home", str(home), "--port", str(port)],
            stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    seen: dict[int, str] = {}  # every descendant seen while serving: its command line
    try:
        banner = _until("the URL and login", lambda: re.search(
            r"Airflow UI: (\S+)\s+login: (\S+) / (\S+)", out.read_text()), 420, proc, out)
        url, user, password = banner.groups()
        assert url == f"http://127.0.0.1:{port}"
        token = _call(f"{url}/auth/token", "POST", {"username": user, "password": password})["access_token"]
        # A wrong password gets no token.
        with pytest.raises(urllib.error.HTTPError):
            _call(f"{url}/auth/token", "POST", {"username": user, "password": password + "x"})

        dags = _until("the four DAGs", lambda: {d["dag_id"] for d in _call(
            f"{url}/api/v2/dags", token=token)["dags"]} >= DAGS and True, 180, proc, out)
        assert dags
        runs = _call(f"{url}/api/v2/dags/~/dagRuns", token=token)["dag_runs"]
        by_dag = {r["dag_id"]: r for r in runs}
        assert {"village_registry", "tower_logs", "connectivity_marts"} <= set(by_dag)
        assert all(r["state"] == "success" for r in runs)
        # The tower day's run ran two months after its logical date, for seconds, not months.
        tower = by_dag["tower_logs"]
        assert tower["logical_date"].startswith("2026-09-30T16:00:00")
        started, ended = (datetime.fromisoformat(tower[k]) for k in ("start_date", "end_date"))
        assert started > datetime.fromisoformat(tower["logical_date"]) + timedelta(days=7)
        assert timedelta(0) <= ended - started < timedelta(minutes=30)

        # A new run from the API (what the UI's trigger button calls), on the scheduler.
        _call(f"{url}/api/v2/dags/connectivity_marts", "PATCH", {"is_paused": False}, token)
        new = _call(f"{url}/api/v2/dags/connectivity_marts/dagRuns", "POST",
                    {"logical_date": None}, token)
        path = f"{url}/api/v2/dags/connectivity_marts/dagRuns/{new['dag_run_id']}"

        def finished():
            seen.update(_commands(_descendants(proc.pid)))
            state = _call(path, token=token)["state"]
            return state if state in ("success", "failed") else None

        assert _until("the triggered run", finished, 300, proc, out) == "success"
        assert _call(f"{path}/taskInstances", token=token)["total_entries"] == 2
        seen.update(_commands(_descendants(proc.pid)))
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            proc.wait(timeout=120)
        finally:
            if proc.poll() is None:  # it did not stop: leave nothing behind, then fail below
                for pid in [proc.pid, *seen]:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 0, out.read_text()[-3000:]
    assert "Airflow stopped." in out.read_text()
    # The four services (and the executor's workers) were seen running...
    # (the api-server retitles itself "airflow api_server -- host:...")
    services = {word.replace("_", "-") for cmd in seen.values() for word in cmd.split()}
    assert {"standalone", "api-server", "scheduler", "dag-processor", "triggerer"} <= services, seen
    # ... and none of them, nor anything they started, survives.
    assert {p: c for p, c in seen.items() if _alive(p)} == {}
