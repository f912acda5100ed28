"""Small homes for the crash and race cases, and `konektivitas` run on them in a subprocess.

The input is the demo generator's, as small as still meaningful: the real registry
editions and three towers over one local day (KPI, syslog, inventory: some bad rows,
gzip and plain files). A case starts from a home where the registry is already loaded (the
daily situation: a day's tower files land on a working warehouse), so its runs spend their
time on the tower days the faults hit. Built once per process and copied per case.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines.settings import child_environment

START, DAYS, TOWERS, SEED = date(2026, 9, 29), 1, 3, 42
FIRST_DAY = str(START)  # the tower partition every fault targets
CLI_TIMEOUT_S = 900


@dataclass(frozen=True)
class Ran:
    returncode: int
    output: str

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL

    def last_line(self) -> str:
        lines = [ln.strip() for ln in self.output.splitlines() if ln.strip()]
        return lines[-1] if lines else ""


def konektivitas(home: Path, *args: str, fault: str = "", env: dict[str, str] | None = None,
                 timeout: float = CLI_TIMEOUT_S) -> Ran:
    """`konektivitas <args> --home <home>` in a new process, with KONEKTIVITAS_FAULT=fault."""
    environ = child_environment(KONEKTIVITAS_HOME=str(home), COLUMNS="160", **(env or {}),
                                **({"KONEKTIVITAS_FAULT": fault} if fault else {}))
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)], env=environ,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    return Ran(done.returncode, done.stdout)


def start_konektivitas(home: Path, *args: str, env: dict[str, str] | None = None,
                       ) -> subprocess.Popen:
    """As `konektivitas`, without waiting (the races)."""
    environ = child_environment(KONEKTIVITAS_HOME=str(home), COLUMNS="160", **(env or {}))
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)], env=environ,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@functools.cache
def _cache() -> Path:
    """A directory for what the cases share, removed when the process ends."""
    path = Path(tempfile.mkdtemp(prefix="konektivitas-selftest-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@functools.cache
def _landing() -> Path:
    """The generated input: <cache>/input/landing."""
    from pipelines.demo.generate import GenerateOptions, generate
    from pipelines.demo.generate.towers import TowerOptions

    home = _cache() / "input"
    generate(GenerateOptions(home=home, seed=SEED, start=START, days=DAYS,
                             towers=TowerOptions(towers=TOWERS)), only=("registry", "towers"))
    return home / "landing"


def copy_landing(home: Path, part: str | None = None) -> None:
    """The generated input, or one source's part of it, into the home's landing zone."""
    src = _landing()
    marks = [p for p in src.iterdir() if p.is_file()]  # the demo mark goes with every part
    for path in ([src] if part is None else [src / part, *marks]):
        target = home / "landing" / path.relative_to(src)
        if path.is_dir():
            shutil.copytree(path, target, dirs_exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


# What a copy of a home takes: the warehouse, its archive and landing zone, and Airflow's
# metadata. Not gx/ nor reports/: their configuration names the home's absolute path, and
# a run writes them anew.
_HOME_PARTS = ("warehouse.duckdb", "archive", "landing", "airflow/airflow.db")


@functools.cache
def _registry_home() -> Path:
    home = _cache() / "registry"
    copy_landing(home, "registry")
    ran = konektivitas(home, "run")
    if ran.returncode != 0:
        raise RuntimeError(f"the registry home did not build: {ran.last_line()}")
    return home


def registry_home(home: Path) -> Path:
    """A home with the registry loaded and the tower days landed, none of them loaded."""
    base = _registry_home()
    for part in _HOME_PARTS:
        src, dst = base / part, home / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, symlinks=True)
        else:
            shutil.copy2(src, dst)
    copy_landing(home, "towers")
    return home


@functools.cache
def clean_warehouse() -> Path:
    """The reference: the warehouse of one uninterrupted run over registry_home's input."""
    home = registry_home(_cache() / "clean")
    ran = konektivitas(home, "run")
    if ran.returncode != 0:
        raise RuntimeError(f"the clean reference run failed: {ran.last_line()}")
    return home / "warehouse.duckdb"
