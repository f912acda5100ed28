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
sys.path.append(os.path.join(os.environ["PROBE_PROJECT"], "dags"))  # as Airflow does
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
# Plain data the DAG files are built from: it imports nothing (checked below).
LIGHT = {"pipelines.batch", "pipelines.batch.sources"}


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
    heavy = {m for m in report["imported"] if m.split(".")[0] in HEAVY and m not in LIGHT}
    assert sorted(heavy) == []
    assert not (tmp_path / "nohome").exists()


DAGBAG = """
import json, sys
from pipelines.settings import get_settings
from pipelines.runner import configure_airflow
s = get_settings(sys.argv[1]); configure_airflow(s)
from airflow.dag_processing.dagbag import BundleDagBag
bag = BundleDagBag(str(s.dags_dir), bundle_path=s.dags_dir)
print(json.dumps({
    "errors": {k: str(v) for k, v in bag.import_errors.items()},
    "tasks": {d.dag_id: [t.task_id for t in d.topological_sort()] for d in bag.dags.values()},
}))
"""


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every DAG's task ids in topological order, from a DagBag loaded as Airflow loads it."""
    out = subprocess.run([sys.executable, "-c", DAGBAG, str(tmp_path_factory.mktemp("bag"))],
                         capture_output=True, text=True, check=True, timeout=180)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_dagbag_has_no_import_errors(dagbag: dict) -> None:
    assert dagbag["errors"] == {}
    assert {"village_registry", "connectivity_marts"} <= set(dagbag["tasks"])


def test_every_source_dag_has_the_same_steps_in_the_same_order(dagbag: dict) -> None:
    steps = ["list", "archive", "stage", "validate", "publish"]
    groups = {"village_registry": ["kemendagri", "bps", "attributes"],
              "tower_logs": ["inventory", "kpi", "events"],
              "pln_partner": ["api", "sla_report"]}
    after = {"village_registry": ["crosswalk"], "tower_logs": ["indicators"], "pln_partner": []}
    # the pull into landing/ (its Connection configured), before every group
    fetch = {"village_registry": ["fetch"], "tower_logs": ["fetch"], "pln_partner": []}
    for dag_id, kinds in groups.items():
        order = dagbag["tasks"][dag_id]
        for kind in kinds:  # each group: the same ids, in the same order
            assert [t.split(".", 1)[1] for t in order if t.startswith(f"{kind}.")] == steps, dag_id
        assert sorted(order) == sorted([f"{k}.{s}" for k in kinds for s in steps] + after[dag_id]
                                       + fetch[dag_id])
        assert order[:len(fetch[dag_id])] == fetch[dag_id]
        assert order[-len(after[dag_id]):] == after[dag_id] or not after[dag_id]  # after publish


@pytest.mark.parametrize("dag_file", DAG_FILES, ids=lambda p: p.name)
def test_dag_files_only_wire(dag_file: Path) -> None:
    assert len(dag_file.read_text().splitlines()) <= 60


def test_the_declaration_dags_import_is_plain_data() -> None:
    code = ("import sys; before = set(sys.modules); import pipelines.batch.sources\n"
            "print(sorted(m for m in set(sys.modules) - before if not m.startswith('_')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    ours = {m for m in eval(out.stdout) if m.split(".")[0] in HEAVY | {"airflow"}}
    assert ours == LIGHT | {"pipelines"}  # nothing else of ours, no Airflow


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
