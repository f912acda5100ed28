"""Two runs on one home: the second waits for the first (bounded) and then refuses with a
clear message; a task that meets the warehouse held by another process says so."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from pipelines.batch.errors import WarehouseBusy
from pipelines.batch.run import run_task
from pipelines.run_lock import RunLocked, run_lock


def test_a_second_run_waits_for_the_first_then_refuses_clearly(settings):
    with run_lock(settings):
        started = time.monotonic()
        busy = rf"another run is using {settings.home} \(pid {os.getpid()}"
        with pytest.raises(RunLocked, match=busy), run_lock(settings, wait_s=0.5):
            pass
        assert time.monotonic() - started >= 0.5
    with run_lock(settings, wait_s=0):  # released: the next run goes
        pass


def test_konektivitas_run_refuses_without_a_traceback_while_another_runs(settings):
    env = {**os.environ, "KONEKTIVITAS_HOME": str(settings.home),
           "KONEKTIVITAS_RUN_LOCK_WAIT_S": "0.5", "COLUMNS": "200"}
    with run_lock(settings):
        run = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--home",
                              str(settings.home)], capture_output=True, text=True, env=env,
                             timeout=300)
    shown = run.stdout + run.stderr
    assert run.returncode == 2, shown
    assert "another run is using" in shown and "Traceback" not in shown


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(60)
"""


def test_a_task_meeting_the_warehouse_held_elsewhere_says_so(settings):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(settings.warehouse_path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseBusy, match="is in use by another process"):
            run_task(settings, "village_registry", None, "crosswalk", None, None,
                     datetime(2026, 9, 1, tzinfo=UTC), None, None)
    finally:
        holder.kill()
        holder.wait()
