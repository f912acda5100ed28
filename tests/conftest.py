"""Shared fixtures: a fresh home per test, the warehouse, and the real registry files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
