"""The suite → DuckDB translation agrees with Great Expectations' own engine."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from pipelines.audit.suites import SuiteError, compile_suite, required_columns

SUITE = {
    "name": "probe",
    "expectations": [
        {"type": "expect_table_columns_to_match_set",
         "kwargs": {"column_set": ["a", "b", "s"], "exact_match": False}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a"}},
        {"type": "expect_column_values_to_be_between",
         "kwargs": {"column": "a", "min_value": 0, "max_value": 10}},
        {"type": "expect_column_values_to_be_between",
         "kwargs": {"column": "b", "min_value": 0, "max_value": 1, "strict_max": True}},
        {"type": "expect_column_values_to_be_in_set",
         "kwargs": {"column": "s", "value_set": ["UP", "DOWN"]}},
        {"type": "expect_column_values_to_match_regex",
         "kwargs": {"column": "s", "regex": "^[A-Z]+$"}},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "s"}},
        {"type": "expect_column_value_lengths_to_be_between",
         "kwargs": {"column": "s", "min_value": 2, "max_value": 4}},
    ],
}

FRAME = pd.DataFrame(
    {
        "a": [1.0, None, 11.0, 5.0, -1.0, 3.0],
        "b": [0.5, 1.0, 0.0, None, 0.99, 2.0],
        "s": ["UP", "DOWN", "up", "UP", None, "DEGRADED"],
    }
)


def _gx_unexpected_counts() -> list[int]:
    import great_expectations as gx

    ctx = gx.get_context(mode="ephemeral")
    batch = (
        ctx.data_sources.add_pandas("p").add_dataframe_asset("f")
        .add_batch_definition_whole_dataframe("b").get_batch({"dataframe": FRAME})
    )
    counts = []
    for exp in SUITE["expectations"][1:]:
        cls = gx.expectations.registry.get_expectation_impl(exp["type"])
        result = batch.validate(cls(**exp["kwargs"]), result_format="SUMMARY")
        counts.append(result.result["unexpected_count"])
    return counts


def test_predicates_match_great_expectations_pandas_engine() -> None:
    con = duckdb.connect()
    con.register("frame", FRAME)
    con.execute("CREATE TABLE batch AS SELECT row_number() OVER () AS _line, * FROM frame")
    rules = compile_suite(SUITE, "batch")
    ours = [
        con.execute(f"SELECT count(*) FROM batch WHERE {r.predicate}").fetchone()[0]
        for r in rules if r.predicate
    ]
    assert ours == _gx_unexpected_counts()
    assert ours == [1, 2, 2, 2, 1, 2, 1]  # and the rules really fire


def test_table_level_rules_give_required_columns() -> None:
    assert required_columns(SUITE) == ["a", "b", "s"]


def test_unknown_expectation_type_is_refused() -> None:
    suite = {"name": "x", "expectations": [{"type": "expect_column_kl_divergence_to_be_less_than",
                                            "kwargs": {"column": "a"}}]}
    with pytest.raises(SuiteError, match="no DuckDB translation"):
        compile_suite(suite, "batch")
