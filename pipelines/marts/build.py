"""Build the marts: each warehouse/models/marts/<table>.sql becomes marts.<table>.

A model documents itself in its leading comment lines, which become the table's and
columns' COMMENT ON (and so the data dictionary):

    -- @table One row per district and month ...
    -- @column district_code Kemendagri code of the district.
"""

from __future__ import annotations

import re

import duckdb

from pipelines.settings import LOCAL_TZ, Settings
from pipelines.warehouse import quote_literal, render_model, session, transaction

# Build order: a mart may read only marts listed before it.
MARTS: tuple[str, ...] = ("district_village_count", "partner_sla_monthly")

_DOC = re.compile(r"^--\s*@(table|column)\s+(.*)$")


def model_docs(sql: str) -> tuple[str | None, dict[str, str]]:
    """(table comment, {column: comment}) from a model's @table/@column comment lines."""
    table, columns = None, {}
    for line in sql.splitlines():
        m = _DOC.match(line.strip())
        if not m:
            continue
        if m.group(1) == "table":
            table = m.group(2).strip()
        else:
            name, _, text = m.group(2).strip().partition(" ")
            columns[name] = text.strip()
    return table, columns


def apply_docs(con: duckdb.DuckDBPyConnection, qualified: str, sql: str) -> None:
    table, columns = model_docs(sql)
    if table:
        con.execute(f"COMMENT ON TABLE {qualified} IS {quote_literal(table)}")
    existing = {d[0] for d in con.execute(f"SELECT * FROM {qualified} LIMIT 0").description}
    for name, text in columns.items():
        if name not in existing:
            raise ValueError(f"{qualified}: @column {name} documents a column the model lacks")
        con.execute(f'COMMENT ON COLUMN {qualified}."{name}" IS {quote_literal(text)}')


def build_mart(con: duckdb.DuckDBPyConnection, settings: Settings, name: str, **params: object) -> int:
    select = render_model(
        settings, "marts", name, thresholds=settings.thresholds, local_tz=LOCAL_TZ, **params
    )
    # A mart declared (and commented) by a migration keeps its table: refill it.
    declared = con.execute(
        """SELECT count(*) FROM duckdb_tables()
           WHERE schema_name = 'marts' AND table_name = ? AND comment IS NOT NULL""",
        [name],
    ).fetchone()[0]
    with transaction(con):
        if declared:
            con.execute(f"DELETE FROM marts.{name}")
            con.execute(f"INSERT INTO marts.{name} BY NAME {select}")
        else:
            con.execute(f"CREATE OR REPLACE TABLE marts.{name} AS {select}")
        apply_docs(con, f"marts.{name}", select)
    (n,) = con.execute(f"SELECT count(*) FROM marts.{name}").fetchone()
    return n


def build_marts(settings: Settings) -> dict[str, int]:
    """Rebuild every mart; returns rows per mart."""
    with session(settings) as con:
        return {name: build_mart(con, settings, name) for name in MARTS}
