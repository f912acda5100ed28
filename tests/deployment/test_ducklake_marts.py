"""The mart engine on DuckLake, which cannot comment view columns: the build still
succeeds and the dictionary still gives every view column a meaning."""

from __future__ import annotations

import pytest

from pipelines.marts.dictionary import entries, undocumented
from pipelines.marts.engine import build_all
from pipelines.warehouse import session


@pytest.fixture
def lake_settings(ducklake, settings):
    return settings  # `settings` migrates the lake (ducklake is asked for first)


def test_marts_build_and_are_documented_on_ducklake(lake_settings) -> None:
    counts = build_all(lake_settings)
    assert counts["indicator_metadata"] > 0
    with session(lake_settings, read_only=True) as con:
        assert undocumented(con) == []
        view_cols = [e for e in entries(con) if e.is_view and e.column]
        assert {e.table for e in view_cols} >= {"fct_tower_kpi_5min", "region_as_of"}
        (decimals,) = con.execute("SELECT decimals FROM marts.indicator_metadata "
                                  "WHERE indicator = 'villages_connected_pct'").fetchone()
    assert decimals == 2
