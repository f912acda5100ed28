"""DAG files: they import cleanly and light (no pipeline logic, no heavy library) and touch no
file, database or network at import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT

DAG_FILES = sorted((PROJECT_ROOT / "dags").glob("*.py"))

# Imports a DAG file after Airflow itself, recording every file opened for writing or
# reading outside Python's own libraries, every socket and every sqlite/duckdb connect.
PROBE = r"""
import json, os, sys, importlib.util
import airflow.sdk  # Airflow's own import cost is not the DAG's
import pipelines.assets
roots = tuple({sys.prefix, sys.base_prefix, os.path.realpath(sys.prefix)})
project = os.environ["PROBE_PROJECT"]
events = []
def hook(event, args):
    if event == "open":
        path = args[0] if args and isinstance(args[0], str) else ""  # ints are fds
        # Time-zone rules are system data, like the Python library itself.
        if path and not path.startswith(roots + ("/proc", "/dev", "/usr/share/zoneinfo")) \
                and not path.endswith((".py", ".pyc")):
            events.append(("open", path))
    elif event in ("socket.connect", "sqlite3.connect"):
        events.append((event, str(args[1:] if event == "socket.connect" else args)))
sys.addaudithook(hook)
path = sys.argv[1]
before = set(sys.modules)
spec = importlib.util.spec_from_file_location("probe_dag", path)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
print(json.dumps({"imported": sorted(set(sys.modules) - before), "events": events}))
"""


# What a DAG file must not pull in at import: the scheduler and dag-processor import every
# DAG file over and over, so the work and its libraries are imported inside the tasks.
# (A check on modules rather than seconds: it cannot flake on a busy machine.)
HEAVY = {"duckdb", "pandas", "numpy", "pyarrow", "great_expectations", "jinja2", "openpyxl",
         "httpx", "requests", "pipelines"}


@pytest.mark.parametrize("dag_file", DAG_FILES, ids=lambda p: p.name)
def test_dag_import_is_light_and_does_no_io(dag_file: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PROBE_PROJECT": str(PROJECT_ROOT),
           "KONEKTIVITAS_HOME": str(tmp_path / "nohome"), "AIRFLOW_HOME": str(tmp_path / "af")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(dag_file)], capture_output=True, text=True, env=env,
        check=True, timeout=120,
    )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["events"] == []
    assert sorted({m for m in report["imported"] if m.split(".")[0] in HEAVY}) == []
    assert not (tmp_path / "nohome").exists()


def test_dagbag_has_no_import_errors(tmp_path: Path) -> None:
    code = (
        "from pipelines.settings import get_settings\n"
        "from pipelines.runner import configure_airflow\n"
        f"s = get_settings({str(tmp_path)!r}); configure_airflow(s)\n"
        "from airflow.dag_processing.dagbag import DagBag\n"
        "bag = DagBag(str(s.dags_dir))\n"
        "import json; print(json.dumps({'errors': {k: str(v) for k, v in bag.import_errors.items()},"
        " 'dags': sorted(bag.dag_ids)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=180)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["errors"] == {}
    assert {"village_registry", "connectivity_marts"} <= set(report["dags"])


def test_probe_catches_a_dag_that_reads_a_file_at_import(tmp_path: Path) -> None:
    data = tmp_path / "landing.csv"
    data.write_text("x\n")
    bad = tmp_path / "bad_dag.py"
    bad.write_text(f"open({str(data)!r}).read()\n")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(bad)], capture_output=True, text=True, check=True,
        env={**os.environ, "PROBE_PROJECT": str(PROJECT_ROOT)}, timeout=120,
    )
    assert ["open", str(data)] in json.loads(out.stdout.strip().splitlines()[-1])["events"]
