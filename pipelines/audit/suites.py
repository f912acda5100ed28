"""Expectation suites as files, and their translation into DuckDB predicates.

A suite in expectations/<dataset>.json is Great Expectations' own suite format and
the single statement of a dataset's rules. The same file drives three things:
the header check (table-level expectations), row quarantine (each row-level
expectation becomes one SQL predicate, evaluated in DuckDB where the data is) and
the validation results rendered by GX into Data Docs. tests/unit/test_expectations.py
checks that the predicates agree with GX's own pandas engine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Rule:
    expectation_type: str
    kwargs: dict[str, Any]
    rule: str  # the rule in words, as quarantine reasons cite it
    predicate: str | None  # SQL that is TRUE for an unexpected row; None: table-level
    # A cross-row rule's unexpected rows as a query of their `_line`s, so that validation
    # runs it once rather than as a subquery per row; None for a rule on one row alone.
    lines: str | None = None


class SuiteError(ValueError):
    pass


def suite_path(expectations_dir: Path, name: str) -> Path:
    return expectations_dir / f"{name}.json"


def load_suite(expectations_dir: Path, name: str) -> dict[str, Any]:
    path = suite_path(expectations_dir, name)
    try:
        suite = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise SuiteError(f"no expectation suite for dataset {name!r}: {path} is missing") from exc
    if suite.get("name") != name:
        raise SuiteError(f"{path}: suite name {suite.get('name')!r} must equal {name!r}")
    return suite


def ident(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _between(expr: str, kw: dict[str, Any]) -> str:
    checks = []
    if kw.get("min_value") is not None:
        op = ">" if kw.get("strict_min") else ">="
        checks.append(f"{expr} {op} {literal(kw['min_value'])}")
    if kw.get("max_value") is not None:
        op = "<" if kw.get("strict_max") else "<="
        checks.append(f"{expr} {op} {literal(kw['max_value'])}")
    return " AND ".join(checks) or "TRUE"


def _words_between(kw: dict[str, Any]) -> str:
    lo, hi = kw.get("min_value"), kw.get("max_value")
    if lo is not None and hi is not None:
        return f"between {lo} and {hi}"
    return f">= {lo}" if lo is not None else f"<= {hi}"


CROSS_ROW = {
    "expect_column_values_to_be_unique",
    "expect_compound_columns_to_be_unique",
    "unexpected_rows_expectation",
}


def _row_rule(etype: str, kw: dict[str, Any], batch: str) -> tuple[str, str]:
    """(predicate, words) for a row-level expectation."""
    col = kw.get("column")
    c = ident(col) if col else ""
    present = f"{c} IS NOT NULL"
    match etype:
        case "expect_column_values_to_not_be_null":
            return f"{c} IS NULL", f"{col} is missing"
        case "expect_column_values_to_be_null":
            return present, f"{col} must be empty"
        case "expect_column_values_to_be_between":
            return f"{present} AND NOT ({_between(c, kw)})", f"{col} not {_words_between(kw)}"
        case "expect_column_value_lengths_to_be_between":
            return (
                f"{present} AND NOT ({_between(f'length({c})', kw)})",
                f"{col} length not {_words_between(kw)}",
            )
        case "expect_column_values_to_be_in_set":
            values = ", ".join(literal(v) for v in kw["value_set"])
            return f"{present} AND {c} NOT IN ({values})", f"{col} not in {kw['value_set']}"
        case "expect_column_values_to_not_be_in_set":
            values = ", ".join(literal(v) for v in kw["value_set"])
            return f"{present} AND {c} IN ({values})", f"{col} in forbidden {kw['value_set']}"
        case "expect_column_values_to_match_regex":
            return (
                f"{present} AND NOT regexp_matches({c}, {literal(kw['regex'])})",
                f"{col} does not match {kw['regex']}",
            )
        case "expect_column_values_to_not_match_regex":
            return (
                f"{present} AND regexp_matches({c}, {literal(kw['regex'])})",
                f"{col} matches forbidden {kw['regex']}",
            )
        case "expect_column_values_to_be_unique":
            return (
                f"{present} AND {c} IN (SELECT {c} FROM {batch} GROUP BY ALL HAVING count(*) > 1)",
                f"{col} is not unique",
            )
        case "expect_compound_columns_to_be_unique":
            cols = ", ".join(ident(x) for x in kw["column_list"])
            return (
                f"({cols}) IN (SELECT ({cols}) FROM {batch} GROUP BY ALL HAVING count(*) > 1)",
                f"({', '.join(kw['column_list'])}) is not unique",
            )
        case "expect_column_pair_values_a_to_be_greater_than_b":
            a, b = ident(kw["column_A"]), ident(kw["column_B"])
            op = ">=" if kw.get("or_equal") else ">"
            return (
                f"{a} IS NOT NULL AND {b} IS NOT NULL AND NOT ({a} {op} {b})",
                f"{kw['column_A']} not {op} {kw['column_B']}",
            )
        case "unexpected_rows_expectation":
            query = kw["unexpected_rows_query"].replace("{batch}", batch)
            return f"_line IN (SELECT _line FROM ({query}))", "custom rule"
    raise SuiteError(f"expectation type {etype!r} has no DuckDB translation yet")


TABLE_LEVEL = {
    "expect_table_columns_to_match_set",
    "expect_column_to_exist",
    "expect_table_row_count_to_be_between",
}


def compile_suite(suite: dict[str, Any], batch: str) -> list[Rule]:
    """Every expectation of the suite as a Rule over the staged table `batch`."""
    rules: list[Rule] = []
    seen: set[str] = set()
    for exp in suite["expectations"]:
        etype, kw = exp["type"], exp.get("kwargs", {})
        if etype in TABLE_LEVEL:
            rules.append(Rule(etype, kw, exp.get("description") or etype, None))
            continue
        predicate, words = _row_rule(etype, kw, batch)
        words = exp.get("description") or words
        if words in seen:
            raise SuiteError(f"suite {suite['name']}: two rules read {words!r}; describe them apart")
        seen.add(words)
        lines = None
        if etype == "unexpected_rows_expectation":
            lines = f"SELECT _line FROM ({kw['unexpected_rows_query'].replace('{batch}', batch)})"
        elif etype in CROSS_ROW:
            lines = f"SELECT _line FROM {batch} WHERE {predicate}"
        rules.append(Rule(etype, kw, words, predicate, lines))
    return rules


def required_columns(suite: dict[str, Any]) -> list[str]:
    """The columns a delivered file must have, from the suite's table-level expectations."""
    cols: list[str] = []
    for exp in suite["expectations"]:
        kw = exp.get("kwargs", {})
        if exp["type"] == "expect_table_columns_to_match_set":
            cols.extend(kw["column_set"])
        elif exp["type"] == "expect_column_to_exist":
            cols.append(kw["column"])
    return cols
