"""Validate a staged batch against its suite: quarantine what breaks a rule, record the rest."""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb

from pipelines.audit import chain, datadocs
from pipelines.audit.suites import Rule, compile_suite, load_suite
from pipelines.settings import Settings
from pipelines.warehouse import transaction

SAMPLE = 20


@dataclass(frozen=True)
class ValidationSummary:
    load_id: str
    suite: str
    rows: int
    rows_quarantined: int
    failed_rules: dict[str, int]
    data_docs: str


def quarantine_rows(
    con: duckdb.DuckDBPyConnection, table: str, dataset: str, load_id: str, rules: list[Rule],
) -> None:
    """Write every row that breaks at least one rule, with all its reasons, in one pass.

    Each cross-row rule runs once, beforehand, as the set of its unexpected lines; the pass
    then filters every row on all the rules at once and builds the reasons and the record
    for the rows it keeps only.
    """
    row_rules = [r for r in rules if r.predicate]
    if not row_rules:
        return
    predicates, line_sets = [], []
    try:
        for i, r in enumerate(row_rules):
            if r.lines:
                name = f"_rule_lines_{load_id}_{i}"
                con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT DISTINCT _line FROM ({r.lines})")
                line_sets.append(name)
                predicates.append(f"_line IN (SELECT _line FROM temp.{name})")
            else:
                predicates.append(r.predicate)
        reasons = ", ".join(
            f"CASE WHEN {p} THEN {_lit(r.rule)} END" for p, r in zip(predicates, row_rules, strict=True)
        )
        # A rule's predicate is NULL where it does not apply: WHERE drops NULL as FALSE, and
        # a bare OR of predicates keeps DuckDB's fast filter path (no per-rule coalesce).
        where = " OR ".join(f"({p})" for p in predicates)
        con.execute(
            f"""INSERT INTO audit.quarantine
                SELECT ?, ?, _line, reasons, record, now()
                FROM (SELECT _line, list_filter([{reasons}], x -> x IS NOT NULL) AS reasons,
                             to_json(t) AS record
                      FROM (SELECT * FROM {table} WHERE {where}) AS t)
                WHERE len(reasons) > 0""",
            [load_id, dataset],
        )
    finally:
        for name in line_sets:
            con.execute(f"DROP TABLE IF EXISTS temp.{name}")


def outcomes_from_quarantine(
    con: duckdb.DuckDBPyConnection, load_id: str, rules: list[Rule], rows: int
) -> list[datadocs.ExpectationOutcome]:
    counts = dict(
        con.execute(
            """SELECT r, count(*) FROM (SELECT unnest(reasons) AS r FROM audit.quarantine
               WHERE load_id = ?) GROUP BY r""",
            [load_id],
        ).fetchall()
    )
    outcomes = []
    for rule in rules:
        n = counts.get(rule.rule, 0) if rule.predicate else 0
        sample = []
        if n:
            sample = [
                s for (s,) in con.execute(
                    """SELECT 'line ' || record_no FROM audit.quarantine
                       WHERE load_id = ? AND list_contains(reasons, ?)
                       ORDER BY record_no LIMIT ?""",
                    [load_id, rule.rule, SAMPLE],
                ).fetchall()
            ]
        mostly = float(rule.kwargs.get("mostly", 1.0))
        success = n == 0 if mostly >= 1.0 else (rows == 0 or (rows - n) / rows >= mostly)
        outcomes.append(
            datadocs.ExpectationOutcome(
                rule.expectation_type, rule.kwargs, rule.rule, success, rows, n, sample
            )
        )
    return outcomes


def record_outcomes(
    con: duckdb.DuckDBPyConnection, load_id: str, suite: str,
    outcomes: list[datadocs.ExpectationOutcome],
) -> None:
    """One row per expectation: what Data Docs shows, queryable without them."""
    con.executemany(
        """INSERT INTO audit.validation_result
               (load_id, suite, expectation_type, kwargs, rule, success, element_count,
                unexpected_count, validated_at, observed_value, unexpected_sample, run_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?, ?)""",
        [
            [load_id, suite, o.expectation_type, json.dumps(o.kwargs, default=str), o.rule,
             o.success, o.element_count, o.unexpected_count, json.dumps(o.observed_value),
             json.dumps(o.sample, default=str), datadocs.run_name(load_id)]
            for o in outcomes
        ],
    )


def validate_table(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: str, table: str, load_id: str,
    batch_meta: dict[str, str], rows: int | None = None,
) -> ValidationSummary:
    """`rows`: the table's row count when already known (saves a pass)."""
    suite = load_suite(settings.expectations_dir, dataset)
    rules = compile_suite(suite, table)
    if rows is None:
        (rows,) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    # Audit records are append-only: a load validated before (a retried task) keeps the
    # results it has; quarantine and results were written all or nothing.
    if already_validated(con, load_id):
        outcomes = outcomes_from_quarantine(con, load_id, rules, rows)
    else:
        with transaction(con):
            quarantine_rows(con, table, dataset, load_id, rules)
            outcomes = outcomes_from_quarantine(con, load_id, rules, rows)
            record_outcomes(con, load_id, dataset, outcomes)
            chain.seal(con, "quarantine", "t.load_id = ?", [load_id])
            chain.seal(con, "validation_result", "t.load_id = ?", [load_id])
    (bad,) = con.execute(
        "SELECT count(*) FROM audit.quarantine WHERE load_id = ?", [load_id]
    ).fetchone()
    docs = datadocs.record_validation(con, settings, suite, load_id, batch_meta, outcomes)
    return ValidationSummary(
        load_id, dataset, rows, bad,
        {o.rule: o.unexpected_count for o in outcomes if o.unexpected_count}, docs,
    )


def already_validated(con: duckdb.DuckDBPyConnection, load_id: str) -> bool:
    return con.execute(
        "SELECT count(*) > 0 FROM audit.validation_result WHERE load_id = ?", [load_id]
    ).fetchone()[0]


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
