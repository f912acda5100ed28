"""The same batch path on DuckLake (catalog in the local PostgreSQL, Parquet data on disk):
the multi-machine warehouse. Skips where no PostgreSQL answers."""

from __future__ import annotations

import pytest

from pipelines.batch.steps import load_file
from pipelines.registry import kemendagri
from pipelines.settings import get_settings
from pipelines.warehouse import connect, migrate_warehouse


@pytest.fixture
def lake_settings(ducklake, tmp_path):
    settings = get_settings(tmp_path / "home")
    migrate_warehouse(settings)  # the catalog's tables, as airflow-init does
    return settings


def test_kemendagri_load_on_ducklake(lake_settings) -> None:
    folder = lake_settings.landing / "registry" / "kemendagri"
    folder.mkdir(parents=True)
    path = folder / "2025-07-01.csv"
    path.write_text("kode,nama\n64.02,Kab\n64.02.01,Satu\n64.02.01.2001,Desa\n64.02.1,Bad\n")
    con = connect(lake_settings)
    result = load_file(con, lake_settings, kemendagri.DATASET, path, "2025-07-01")
    assert (result.rows_published, result.rows_quarantined) == (3, 1)
    con.close()
    # A second process (another machine, in production) sees the committed data.
    reader = connect(lake_settings, read_only=True)
    assert reader.execute("SELECT count(*) FROM core.dim_region").fetchone()[0] == 3
    assert list((lake_settings.home.parent / "lake").rglob("*.parquet"))
