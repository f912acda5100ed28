"""docker-compose.yml's Airflow services as plain processes on this machine (no Docker
engine runs here): each service's environment and command, read from the compose file and
pointed at the local PostgreSQL and Redis instead of the `postgres` and `redis` containers.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipelines.settings import PROJECT_ROOT

CONTAINER_ROOT = "/opt/konektivitas"
_VAR = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}` forms."""

    def one(m: re.Match) -> str:
        name, op, arg = m.group("name"), m.group("op"), m.group("arg")
        have = env.get(name)
        if op in (":-", ":?") and not have:
            have = None
        if have is not None:
            return have
        if op and op.endswith("?"):
            raise KeyError(f"compose needs {name}: {arg}")
        return arg or ""

    return _VAR.sub(one, value.replace("$$", "\0")).replace("\0", "$")


@dataclass
class Local:
    """Where the compose file's hosts, databases and mounts are on this machine."""

    airflow_db: str
    lake_db: str
    redis_db: int
    api_port: int
    data: Path  # the konektivitas-data volume
    airflow_home: Path
    secrets: dict[str, str] = field(default_factory=dict)  # what .env would hold

    def rewrite(self, value: str) -> str:
        value = interpolate(value, self.secrets)
        for container, local in (
            ("@postgres/airflow", f"@127.0.0.1/{self.airflow_db}"),
            ("host=postgres", "host=127.0.0.1"),
            ("dbname=ducklake", f"dbname={self.lake_db}"),
            ("@redis:6379/0", f"@127.0.0.1:6379/{self.redis_db}"),
            ("http://airflow-apiserver:8080/", f"http://127.0.0.1:{self.api_port}/"),
            (f"{CONTAINER_ROOT}/data", str(self.data)),
            (CONTAINER_ROOT, str(PROJECT_ROOT)),
        ):
            value = value.replace(container, local)
        return value


def compose() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())


def check_mounts(service: dict) -> None:
    """Mapping /opt/konektivitas to the project root is right only if the service mounts
    the project's own folders there (and the data volume under it)."""
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        if source.startswith("./"):
            assert target == f"{CONTAINER_ROOT}/{source[2:]}", volume
            assert (PROJECT_ROOT / source[2:]).is_dir(), volume
        else:
            assert target == f"{CONTAINER_ROOT}/data", volume


def service_env(service: dict, local: Local, extra: dict[str, str]) -> dict[str, str]:
    env = {k: local.rewrite(str(v)) for k, v in service.get("environment", {}).items()}
    # The image's airflow and konektivitas are this venv's; AIRFLOW_HOME holds logs and config.
    venv_bin = str(Path(sys.executable).parent)
    return {
        "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "AIRFLOW_HOME": str(local.airflow_home),
        **env,
        **extra,
    }


def service_argv(service: dict) -> list[str]:
    """The container's command: bash -c scripts as they are; otherwise `airflow <command>`,
    which is what the official image's entrypoint runs."""
    command = service.get("command")
    if service.get("entrypoint") == "/bin/bash":
        return ["bash", *command]
    return ["airflow", *(command.split() if isinstance(command, str) else command)]


@dataclass
class Started:
    name: str
    proc: subprocess.Popen
    log: Path


def start(name: str, argv: list[str], env: dict[str, str], logs: Path) -> Started:
    log = logs / f"{name}.log"
    with log.open("wb") as fh:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(argv, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=logs)
    return Started(name, proc, log)


def stop(started: list[Started], grace: float = 20.0) -> None:
    """SIGTERM each process group (a celery worker, the api-server's workers), then SIGKILL."""
    for s in started:
        if s.proc.poll() is None:
            os.killpg(s.proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for s in started:
        try:
            s.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(s.proc.pid, signal.SIGKILL)
            s.proc.wait()


def tail(started: list[Started], lines: int = 30) -> str:
    out = []
    for s in started:
        text = s.log.read_text(errors="replace").splitlines()[-lines:] if s.log.exists() else []
        out.append(f"--- {s.name} (exit {s.proc.poll()}) ---\n" + "\n".join(text))
    return "\n".join(out)
