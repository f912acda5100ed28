"""Injectable faults (pipelines.faults): off unless set, a misspelt one refused, and a fault
that fires ends the process with SIGKILL at once."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from pipelines.faults import POINTS, fault_point, parse_fault
from pipelines.settings import get_settings


def test_no_fault_is_set_by_default(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("KONEKTIVITAS_FAULT", raising=False)
    settings = get_settings(tmp_path)
    assert settings.fault == ""
    for point in POINTS:
        fault_point(settings, point, "tower_kpi")  # returns: nothing fires


def test_a_misspelt_fault_is_refused(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("KONEKTIVITAS_FAULT", "after-stgae:tower_kpi")
    with pytest.raises(ValueError, match="unknown point 'after-stgae'"):
        get_settings(tmp_path)
    assert parse_fault("mid-publish:tower_kpi") == "mid-publish:tower_kpi"


KILL = """
import dataclasses, sys
from pipelines.faults import fault_point
from pipelines.settings import get_settings
s = dataclasses.replace(get_settings(sys.argv[1]), fault="mid-publish:tower_kpi")
fault_point(s, "mid-publish", "tower_event")  # another dataset: no fault
fault_point(s, "after-publish", "tower_kpi")  # another point: no fault
print("alive", flush=True)
try:
    fault_point(s, "mid-publish", "tower_kpi")
finally:
    print("cleaned up", flush=True)  # never: SIGKILL leaves Python no say
"""


def test_a_fault_kills_the_process_with_sigkill_and_nothing_else(tmp_path) -> None:
    run = subprocess.run([sys.executable, "-c", KILL, str(tmp_path)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == -signal.SIGKILL
    assert run.stdout.splitlines() == ["alive"]
