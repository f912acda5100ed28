"""Names and values put into SQL text go through pipelines.sqlnames; a scan of pipelines/
keeps it so.

The rule the scan enforces: in every f-string of pipelines/ whose text holds SQL, each
interpolated expression is (a) a call to a checker or quoter (CHECKERS), (b) an UPPER_CASE
module constant, or (c) an entry of REVIEWED, saying why it cannot carry outside input.
A new interpolation fails until it is routed through a checker or reviewed here; a
reviewed entry that no longer exists fails too, so the list stays true. Exempt:
pipelines/marts/query.py (the desk runs the statistician's SQL, read-only by design),
pipelines/demo/ (writes generated data from its own parameters) and pipelines/selftest/.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT
from pipelines.sqlnames import UnsafeName, identifier, load_id, quoted, sql_date

SQL = re.compile(r"\b(SELECT|INSERT|DELETE|UPDATE|CREATE|DROP|ALTER|ATTACH|COPY|FROM|INTO|"
                 r"TABLE|WHERE|JOIN)\b")
CHECKERS = {"identifier", "sql_date", "checked_load_id", "quoted", "quote_literal",
            "staging_table", "read_options", "render_model"}
EXEMPT = ("pipelines/marts/query.py", "pipelines/demo/", "pipelines/selftest/")

STAGING = "a staging/raw table name: staging_table() or identifier() made it"
RENDERED = "SQL rendered from the repository's own models or suites (render_model, suites.py)"
SUITE_COLS = "column names from the repository's expectation suites or constants"
MARKS = "placeholders only: ?, ?, ... and SQL made of them"
CATALOG = "a table name read from DuckDB's own catalog (duckdb_columns), or a Model's"
CALLERS = "the callers' constant SQL over the row alias t, values bound as ?"
MART_COLS = "a mart's own columns (its grain, or one checked against its catalog columns), quoted"
REVIEWED = {
    ("pipelines/audit/chain.py", "kind.key"): "chain.KINDS, constants of the module",
    ("pipelines/audit/chain.py", "kind.order"): "chain.KINDS, constants of the module",
    ("pipelines/audit/chain.py", "kind.table"): "chain.KINDS, constants of the module",
    ("pipelines/audit/chain.py", "where"): CALLERS,
    ("pipelines/audit/desk/file.py", "marks"): MARKS,
    ("pipelines/audit/desk/ledger.py", "', '.join('?' * len(load_ids))"): MARKS,
    ("pipelines/audit/desk/ledger.py", "marks"): MARKS,
    ("pipelines/audit/desk/ledger.py", "table"): CATALOG,
    ("pipelines/audit/desk/month.py", "marks"): MARKS,
    ("pipelines/audit/desk/runs.py", "' AND '.join(where)"): "constant conditions with ? marks",
    ("pipelines/audit/desk/trace.py", "', '.join((f'list(DISTINCT {_q(c)})' for c in cols))"):
        MART_COLS,
    ("pipelines/audit/desk/trace.py", "_cond(filters)[0]"): MART_COLS,
    ("pipelines/audit/desk/trace.py", "_q(column)"): MART_COLS,
    ("pipelines/audit/desk/trace.py", "agg"): "an aggregate of the mart's own quoted columns",
    ("pipelines/audit/desk/trace.py", "cond"): MART_COLS,
    ("pipelines/audit/desk/trace.py", "limit"): "an int constant",
    ("pipelines/audit/desk/trace.py", "model.qualified"): CATALOG,
    ("pipelines/audit/desk/trace.py", "table"): CATALOG,
    ("pipelines/audit/desk/trace.py", "up.qualified"): CATALOG,
    ("pipelines/audit/records.py", "', '.join(LOAD_COLUMNS)"): SUITE_COLS,
    ("pipelines/audit/records.py", "', '.join(exprs)"): CALLERS,
    ("pipelines/audit/records.py", "where"): CALLERS,
    ("pipelines/audit/replay.py", "model.partition_column"): "declared by the model's file",
    ("pipelines/audit/replay.py", "model.qualified"): CATALOG,
    ("pipelines/audit/verify.py", "table"): CATALOG,
    ("pipelines/pull/ledger.py", "where"): MARKS,
    ("pipelines/audit/suites.py", "batch"): STAGING,
    ("pipelines/audit/suites.py", "c"): SUITE_COLS,
    ("pipelines/audit/suites.py", "cols"): SUITE_COLS,
    ("pipelines/audit/suites.py", "kw['unexpected_rows_query'].replace('{batch}', batch)"):
        RENDERED,
    ("pipelines/audit/suites.py", "predicate"): RENDERED,
    ("pipelines/audit/suites.py", "present"): RENDERED,
    ("pipelines/audit/suites.py", "query"): RENDERED,
    ("pipelines/audit/validation.py", "name"): "a temp table named by the rule's index",
    ("pipelines/audit/validation.py", "r.lines"): RENDERED,
    ("pipelines/audit/validation.py", "reasons"): "rule texts, each through quote_literal",
    ("pipelines/audit/validation.py", "table"): STAGING,
    ("pipelines/audit/validation.py", "where"): RENDERED,
    ("pipelines/audit/verdict.py", "', '.join('?' * len(load_ids))"): "placeholders only",
    ("pipelines/audit/verdict.py", "where"): "placeholders only",
    ("pipelines/batch/steps.py", "'VIEW' if kind == 'VIEW' else 'TABLE'"): "a keyword",
    ("pipelines/batch/steps.py", "dataset.core_table"): "declared; Dataset checks it",
    ("pipelines/batch/steps.py", "dataset.partition_column"): "declared; Dataset checks it",
    ("pipelines/batch/steps.py", "select"): RENDERED,
    ("pipelines/batch/steps.py", "table"): STAGING,
    ("pipelines/io/arrow_rows.py", "', ' + extra if extra else ''"): "the caller's constant SQL",
    ("pipelines/io/arrow_rows.py", "table"): STAGING,
    ("pipelines/io/delimited.py", "first"): "an int (1 or 2)",
    ("pipelines/io/delimited.py", "raw"): STAGING,
    ("pipelines/io/delimited.py", "table"): STAGING,
    ("pipelines/marts/dictionary.py", "schemas"): "DOCUMENTED_SCHEMAS, a constant",
    ("pipelines/marts/engine.py", "cols"): "a model's declared grain (repository files)",
    ("pipelines/marts/engine.py", "model.qualified"): "Model.qualified goes through identifier()",
    ("pipelines/marts/engine.py", "select"): RENDERED,
    ("pipelines/marts/engine.py", "where"): "built from identifier() and sql_date()",
    ("pipelines/marts/export.py", "name"): "identifier(), allowed: the marts' tables",
    ("pipelines/marts/report/data.py", "', '.join(COMPLETENESS)"): SUITE_COLS,
    ("pipelines/marts/report/data.py", "cols"): SUITE_COLS,
    ("pipelines/pln/pull.py", "ddl"): SUITE_COLS,
    ("pipelines/pln/pull.py", "mapping"): STAGING,
    ("pipelines/pln/pull.py", "raw"): STAGING,
    ("pipelines/pln/pull.py", "select"): RENDERED,
    ("pipelines/pln/pull.py", "table"): STAGING,
    ("pipelines/pln/pull.py", "valid"): STAGING,
    ("pipelines/pln/sla_report.py", "raw"): STAGING,
    ("pipelines/pln/sla_report.py", "select"): RENDERED,
    ("pipelines/pln/sla_report.py", "table"): STAGING,
    ("pipelines/registry/attributes.py", "table"): STAGING,
    ("pipelines/registry/bps.py", "raw"): STAGING,
    ("pipelines/registry/bps.py", "select"): RENDERED,
    ("pipelines/registry/bps.py", "table"): STAGING,
    ("pipelines/registry/kemendagri.py", "table"): STAGING,
    ("pipelines/towers/events.py", "select"): RENDERED,
    ("pipelines/towers/events.py", "table"): STAGING,
    ("pipelines/towers/inventory.py", "table"): STAGING,
    ("pipelines/towers/kpi.py", "select"): RENDERED,
    ("pipelines/towers/kpi.py", "table"): STAGING,
    ("pipelines/towers/kpi.py", "view"): RENDERED,
    ("pipelines/warehouse.py", "', '.join(options)"): "constants and quote_literal() paths",
    ("pipelines/warehouse.py", "opts"): "constants and quote_literal() paths",
}


def sql_interpolations(root: Path) -> set[tuple[str, str]]:
    """(file, expression) of every interpolation into SQL text that is not a checker call
    or an UPPER_CASE constant."""
    found = set()
    for path in sorted((root / "pipelines").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(EXEMPT):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if not SQL.search(text):
                continue
            for value in (v.value for v in node.values if isinstance(v, ast.FormattedValue)):
                if isinstance(value, ast.Call):
                    f = value.func
                    if (f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")) in CHECKERS:
                        continue
                if isinstance(value, ast.Name) and value.id.isupper():
                    continue
                found.add((rel, ast.unparse(value)))
    return found


def test_every_interpolation_into_sql_is_checked_or_reviewed():
    found = sql_interpolations(PROJECT_ROOT)
    unreviewed = sorted(found - REVIEWED.keys())
    assert not unreviewed, (
        "SQL text interpolates something not passed through pipelines.sqlnames: route it "
        f"through identifier()/sql_date()/quoted(), or review it in REVIEWED: {unreviewed}")
    assert not sorted(REVIEWED.keys() - found), "REVIEWED lists interpolations no longer there"


def test_the_scan_catches_an_unchecked_name(tmp_path):
    module = tmp_path / "pipelines" / "towers" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text('def f(con, name):\n    con.execute(f"DELETE FROM {name}")\n'
                      '    con.execute(f"DELETE FROM {identifier(name)}")\n'
                      '    con.execute(f"SELECT {TABLE}")\n    print(f"hello {name}")\n')
    assert sql_interpolations(tmp_path) == {(module.relative_to(tmp_path).as_posix(), "name")}


@pytest.mark.parametrize("name", ["dim_region", "core.dim_region", "staging.kpi_0123abcd",
                                  "_x1"])
def test_plain_identifiers_pass(name):
    assert identifier(name) == name


@pytest.mark.parametrize("name", [
    "", "core.", ".x", "a.b.c", "Dim", "x;DROP TABLE y", "x y", "x--", 'x"', "x'", "1x",
    "dim_région", "\u0661", "x\x00", "a" * 64, None, 3,
])
def test_anything_else_is_refused(name):
    with pytest.raises(UnsafeName):
        identifier(name)


def test_the_allow_list_narrows():
    assert identifier("marts.a", {"marts.a", "marts.b"}) == "marts.a"
    with pytest.raises(UnsafeName, match="not one of the 2 names"):
        identifier("marts.c", {"marts.a", "marts.b"})


def test_dates_and_load_ids():
    assert sql_date(date(2026, 9, 1)) == sql_date("2026-09-01") == "2026-09-01"
    for bad in ["2026-9-1", "2026-09-01' OR 1=1 --", "٢٠٢٦-٠٩-٠١", "2026-02-30", ""]:
        with pytest.raises(UnsafeName):
            sql_date(bad)
    assert load_id("0123456789abcdef") == "0123456789abcdef"
    for bad in ["0123456789ABCDEF", "0123456789abcde", "x'; DROP TABLE y; --", ""]:
        with pytest.raises(UnsafeName):
            load_id(bad)


def test_a_quoted_header_name_cannot_end_the_statement():
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE t (a INTEGER)")
    hostile = 'a" INTEGER); DROP TABLE t; --'
    con.execute(f"ALTER TABLE t RENAME COLUMN a TO {quoted(hostile)}")
    assert con.sql("SELECT * FROM t").columns == [hostile]
    with pytest.raises(UnsafeName):
        quoted("a\x00b")
