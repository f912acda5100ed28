"""The mart engine derives its build order from ref(), and refuses what it cannot build."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date

import pytest

from pipelines.marts import engine


def _model(name: str, sql: str, partition: str = "whole", grain: str = "a"):
    return engine.parse_model(name, f"-- @partition {partition}\n-- @grain {grain}\n{sql}")


def test_build_order_follows_refs_not_a_list() -> None:
    models = {m.name: m for m in (
        _model("c", "SELECT * FROM {{ ref('b') }} JOIN {{ ref('a') }} USING (a)"),
        _model("a", "SELECT 1 AS a"),
        _model("b", "SELECT * FROM {{ ref('a') }}"),
    )}
    assert engine.build_order(models) == ["a", "b", "c"]


def test_project_order_puts_every_model_after_what_it_reads(settings) -> None:
    models = engine.discover(settings)
    order = list(models)
    for name, m in models.items():
        assert all(order.index(r) < order.index(name) for r in m.reads), name
    assert models["tower_service_monthly"].reads == ("region_code_current",
                                                     "tower_availability_monthly")
    assert set(models["village_connectivity_monthly"].reads) == {
        "input_completeness_monthly", "region_code_current", "tower_service_monthly"}


def test_a_cycle_an_unknown_ref_and_a_missing_partition_are_refused() -> None:
    cycle = {"a": _model("a", "SELECT * FROM {{ ref('b') }}"),
             "b": _model("b", "SELECT * FROM {{ ref('a') }}")}
    with pytest.raises(ValueError, match="cycle"):
        engine.build_order(cycle)
    with pytest.raises(ValueError, match=r"b\.sql: ref\(\) to unknown models \['nope'\]"):
        engine.build_order({"b": _model("b", "SELECT * FROM {{ ref('nope') }}")})
    with pytest.raises(ValueError, match=r"x\.sql: needs '-- @partition"):
        engine.parse_model("x", "SELECT 1")
    with pytest.raises(ValueError, match=r"x\.sql: needs '-- @partition"):
        engine.parse_model("x", "-- @partition month\n-- @grain a\nSELECT 1")


def test_a_model_that_breaks_its_grain_is_not_built(settings, tmp_path) -> None:
    root = tmp_path / "project"
    shutil.copytree(settings.warehouse_dir, root / "warehouse")
    (root / "warehouse" / "models" / "marts" / "twice.sql").write_text(
        "-- @partition whole\n-- @grain k\nSELECT 1 AS k UNION ALL SELECT 1")
    with pytest.raises(ValueError, match=r"marts\.twice: 1 value\(s\) of its grain"):
        engine.build_all(dataclasses.replace(settings, project_root=root))


def test_a_partitioned_model_needs_its_key(settings, con) -> None:
    model = engine.discover(settings)["village_connectivity_monthly"]
    with pytest.raises(ValueError, match="partitioned by month, needs a key"):
        engine.build_model(con, settings, model)
    assert engine.build_month(con, settings, date(2026, 10, 15))["village_connectivity_monthly"] == 0
