"""Shared fixtures: a fresh home per test, the warehouse, and the real registry files."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest
from local_services import psql

from pipelines.settings import PROJECT_ROOT, Settings, get_settings
from pipelines.warehouse import connect

SHARED_DATA = Path(os.environ.get("KONEKTIVITAS_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("KONEKTIVITAS_HOME", str(h))
    return h


@pytest.fixture
def settings(home: Path) -> Settings:
    return get_settings(home)


@pytest.fixture
def con(settings: Settings):
    c = connect(settings)
    yield c
    c.close()


@pytest.fixture
def shared_registry() -> Path:
    """../shared/data/registry, or a clean skip where it is absent."""
    path = SHARED_DATA / "registry"
    if not path.is_dir():
        pytest.skip(f"real registry files not present at {path}")
    return path


@pytest.fixture
def ducklake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The warehouse on DuckLake: a fresh catalog database in the local PostgreSQL, Parquet
    under tmp_path. Ask for it before `settings` or `con`. Skips where no PostgreSQL answers."""
    db = f"kk_lake_{uuid.uuid4().hex[:8]}"
    try:
        psql(f"CREATE DATABASE {db}")
    except (OSError, subprocess.SubprocessError):
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    monkeypatch.setenv("KONEKTIVITAS_WAREHOUSE", "ducklake")
    monkeypatch.setenv("KONEKTIVITAS_DUCKLAKE_CATALOG", f"dbname={db} host=127.0.0.1 user=postgres")
    monkeypatch.setenv("KONEKTIVITAS_DUCKLAKE_DATA_PATH", str(tmp_path / "lake") + "/")
    yield tmp_path / "lake"
    psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
