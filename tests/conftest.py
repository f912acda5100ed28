"""Shared fixtures: a fresh home per test, the warehouse, and the real registry files."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from local_services import psql

from pipelines.settings import PROJECT_ROOT, Settings, get_settings
from pipelines.warehouse import connect, migrate_warehouse

SHARED_DATA = Path(os.environ.get("KONEKTIVITAS_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("KONEKTIVITAS_HOME", str(h))
    return h


@pytest.fixture(scope="session")
def migrated_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB warehouse file migrated once: each test's file warehouse starts as a copy."""
    s = dataclasses.replace(get_settings(tmp_path_factory.mktemp("migrated")),
                            warehouse_backend="duckdb")
    migrate_warehouse(s)
    return s.warehouse_path


def migrated(settings: Settings, template: Path) -> Settings:
    """The home's warehouse migrated, explicitly, as `konektivitas migrate` does."""
    if settings.warehouse_backend == "duckdb":
        shutil.copyfile(template, settings.warehouse_path)
    else:
        migrate_warehouse(settings)
    return settings


@pytest.fixture
def settings(home: Path, migrated_warehouse: Path) -> Settings:
    """Settings of a fresh home whose warehouse is migrated."""
    return migrated(get_settings(home), migrated_warehouse)


@pytest.fixture
def con(settings: Settings):
    c = connect(settings)  # `settings` migrated it: opening only opens
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
