"""Settings come from one place: only pipelines/settings.py reads the environment."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT, get_settings

# os.environ used to change the environment (Airflow's own configuration before it is
# imported, the demo's connection in Airflow's form), never to read it.
WRITES = {"update", "pop", "__setitem__"}


def environment_reads(source: str) -> list[int]:
    """Line numbers where the code reads the environment: os.environ (except writes),
    environ imported from os, os.getenv / getenv."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    from_os = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
               and n.module == "os" for a in n.names}
    reads = []
    for node in ast.walk(tree):
        is_os_attr = (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                      and node.value.id == "os" and node.attr in ("environ", "environb", "getenv"))
        is_name = isinstance(node, ast.Name) and node.id in from_os & {"environ", "getenv"}
        if not (is_os_attr or is_name):
            continue
        parent = parents.get(node)
        written = ((isinstance(parent, ast.Attribute) and parent.attr in WRITES)
                   or (isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store | ast.Del)))
        if getattr(node, "attr", getattr(node, "id", "")) != "getenv" and written:
            continue
        reads.append(node.lineno)
    return reads


def test_only_settings_reads_the_environment() -> None:
    files = sorted([*(PROJECT_ROOT / "pipelines").rglob("*.py"), *(PROJECT_ROOT / "dags").rglob("*.py")])
    found = {str(p.relative_to(PROJECT_ROOT)): environment_reads(p.read_text()) for p in files}
    offenders = {f: lines for f, lines in found.items() if lines and f != "pipelines/settings.py"}
    assert offenders == {}
    assert found["pipelines/settings.py"]  # the scan does see a read


@pytest.mark.parametrize("code, reads", [
    ("import os\nx = os.environ.get('A')", [2]),
    ("import os\nx = os.environ['A']", [2]),
    ("import os\nx = {**os.environ}", [2]),
    ("import os\nx = 'A' in os.environ", [2]),
    ("import os\nx = os.getenv('A')", [2]),
    ("from os import environ, getenv\nx = environ.get('A') or getenv('B')", [2, 2]),
    ("import os\nos.environ['A'] = '1'\nos.environ.update({})\nos.environ.pop('A', None)", []),
])
def test_the_scan_tells_reads_from_writes(code: str, reads: list[int]) -> None:
    assert environment_reads(code) == reads


def test_every_setting_is_read_by_get_settings(monkeypatch, tmp_path: Path) -> None:
    values = {
        "KONEKTIVITAS_PROJECT_ROOT": str(tmp_path), "KONEKTIVITAS_CONFIG": str(tmp_path / "cfg"),
        "KONEKTIVITAS_LOG_LEVEL": "INFO", "KONEKTIVITAS_DUCKDB_MEMORY_LIMIT": "1GB",
        "KONEKTIVITAS_TOWER_WAIT_HOURS": "3", "KONEKTIVITAS_PLN_FIRST_PULL": "2026-02-01",
        "KONEKTIVITAS_PLN_LOOKBACK_DAYS": "2", "KONEKTIVITAS_PLN_PAGE_SIZE": "7",
        "KONEKTIVITAS_PLN_TIMEOUT_S": "1.5", "KONEKTIVITAS_PLN_MAX_RETRIES": "1",
        "KONEKTIVITAS_PLN_BACKOFF_S": "0.1",
    }
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    s = get_settings(tmp_path / "home")
    assert (s.project_root, s.config_dir, s.expectations_dir) == (
        tmp_path, tmp_path / "cfg", tmp_path / "expectations")
    assert (s.log_level, s.duckdb_memory_limit, s.tower_wait_hours) == ("INFO", "1GB", 3.0)
    assert (s.pln_first_pull, s.pln_lookback_days, s.pln_page_size, s.pln_timeout_s,
            s.pln_max_retries, s.pln_backoff_s) == ("2026-02-01", 2.0, 7, 1.5, 1, 0.1)


def test_the_pull_settings_are_read_and_a_bad_layout_is_named(monkeypatch, tmp_path: Path) -> None:
    import pytest

    monkeypatch.setenv("KONEKTIVITAS_SFTP_LAYOUT", "kpi=/srv/noc/kpi5, events = syslog/")
    monkeypatch.setenv("KONEKTIVITAS_PORTAL_INDEX", "/api/editions.json")
    s = get_settings(tmp_path / "home")
    assert s.sftp_layout == {"kpi": "/srv/noc/kpi5", "events": "syslog", "inventory": "inventory"}
    assert s.portal_index_path == "/api/editions.json"
    monkeypatch.setenv("KONEKTIVITAS_SFTP_LAYOUT", "kpis=/x")
    with pytest.raises(ValueError, match="KONEKTIVITAS_SFTP_LAYOUT: 'kpis=/x'"):
        get_settings(tmp_path / "home")


def test_commit_settings_are_read(monkeypatch, tmp_path: Path) -> None:
    for k, v in {"KONEKTIVITAS_COMMIT_RETRIES": "3", "KONEKTIVITAS_COMMIT_BACKOFF_S": "0.25",
                 "KONEKTIVITAS_HOSTNAME": "worker-7"}.items():
        monkeypatch.setenv(k, v)
    s = get_settings(tmp_path / "home")
    assert (s.commit_retries, s.commit_backoff_s, s.hostname) == (3, 0.25, "worker-7")
    monkeypatch.delenv("KONEKTIVITAS_HOSTNAME")
    import socket

    assert get_settings(tmp_path / "home").hostname == socket.gethostname()
