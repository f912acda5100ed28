"""Airflow's own UI on a home: `airflow standalone` (api-server, scheduler, dag-processor,
triggerer) on the metadata the embedded run wrote, so its runs, the Assets graph and the
DAGs can be browsed, and new runs triggered, on one machine.

The services share the embedded run's configuration (runner.airflow_environment: SQLite
under <home>/airflow, the project's dags/) and run tasks with the LocalExecutor on the same
home. Login is Airflow's simple auth manager: user `admin`, its password kept in
<home>/airflow/simple_auth_manager_passwords.json (made once, readable by its owner only).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipelines.runner import airflow_environment, configure_airflow, init_metadata
from pipelines.settings import Settings

USER = "admin"
SIMPLE_AUTH = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"


@dataclass(frozen=True)
class Login:
    url: str
    user: str
    password: str


def password_file(settings: Settings) -> Path:
    return settings.airflow_home / "simple_auth_manager_passwords.json"


def login(settings: Settings, port: int) -> Login:
    """The UI's address and its admin login (the password made on first use)."""
    path = password_file(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump({USER: secrets.token_urlsafe(12)}, fh)
    return Login(f"http://127.0.0.1:{port}", USER, json.loads(path.read_text())[USER])


def standalone_environment(settings: Settings, port: int) -> dict[str, str]:
    """What the standalone services must see: the embedded run's Airflow configuration,
    the API on loopback at `port`, the simple auth manager with our password file, and the
    home for the tasks they run."""
    return {
        **airflow_environment(settings),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(password_file(settings)),
        "KONEKTIVITAS_HOME": str(settings.home),
        "KONEKTIVITAS_PROJECT_ROOT": str(settings.project_root),
        # standalone starts each service as `airflow ...`: this venv's, first on the path.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), *os.get_exec_path()]),
    }


def serve(settings: Settings, port: int, on_ready: Callable[[Login], None],
          stop_grace_s: float = 30.0) -> int:
    """Run `airflow standalone` until Ctrl-C (SIGINT) or SIGTERM, then stop it and every
    process it started. Its output goes to <home>/airflow/logs/standalone.log."""
    configure_airflow(settings)
    init_metadata(settings)  # the metadata database and the writer pool, as the run makes them
    who = login(settings, port)
    # Children inherit this process's environment: the services see the settings above.
    os.environ.update(standalone_environment(settings, port))
    log = settings.airflow_home / "logs" / "standalone.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    airflow = str(Path(sys.executable).with_name("airflow"))
    with log.open("ab") as out:
        # Its own process group: on the way out every service and worker it started is
        # signalled together, none left behind.
        proc = subprocess.Popen([airflow, "standalone"], stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=settings.home)
    stopping = []

    def stop(signum, frame) -> None:
        stopping.append(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        ready = False
        while not stopping and proc.poll() is None:
            if not ready and _answers(who.url):
                ready = True
                on_ready(who)
            time.sleep(0.5)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        stop_group(proc, stop_grace_s)
    return 0 if stopping else (proc.returncode or 1)


def stop_group(proc: subprocess.Popen, grace_s: float) -> None:
    """Ask standalone to stop its services (SIGINT, as Ctrl-C), then end whatever of its
    process group is left: SIGTERM, then SIGKILL."""
    pgid = proc.pid
    for sig, wait in ((signal.SIGINT, grace_s), (signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        if not group_alive(pgid):
            break
        try:
            if sig == signal.SIGINT:
                proc.send_signal(sig)
            else:
                os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and group_alive(pgid):
            proc.poll()  # reap standalone itself once it exits
            time.sleep(0.2)
    proc.poll()


def group_members(pgid: int) -> list[int]:
    """Live processes (not zombies) of process group `pgid`, from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def group_alive(pgid: int) -> bool:
    return bool(group_members(pgid))


def _answers(url: str) -> bool:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/api/v2/version", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False
