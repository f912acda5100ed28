"""What `konektivitas run` shows its user: one line per rejected file, the tracebacks only
in the run's log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_a_rejection_is_one_line_and_its_traceback_stays_in_the_log(tmp_path: Path) -> None:
    home = tmp_path / "home"
    editions = home / "landing" / "registry" / "kemendagri"
    editions.mkdir(parents=True)
    (editions / "2025-07-01.csv").write_text("kode,nama_x\n64,KALIMANTAN TIMUR\n")
    env = {**os.environ, "KONEKTIVITAS_HOME": str(home), "COLUMNS": "200"}
    run = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--home", str(home)],
                         capture_output=True, text=True, env=env, timeout=600)
    shown = run.stdout + run.stderr
    assert run.returncode == 1, shown
    assert "Traceback" not in shown and "Task failed with exception" not in shown
    assert "missing required column(s) nama; found kode, nama_x" in shown
    assert "village_registry" in shown and "failed" in shown
    log = home / "airflow" / "logs" / "konektivitas-run.log"
    assert str(log) in shown.replace("\n", "")
    assert "Traceback" in log.read_text() and "missing required column(s) nama" in log.read_text()
