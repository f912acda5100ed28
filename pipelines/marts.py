"""Build the marts: each warehouse/models/marts/<table>.sql becomes marts.<table>."""

from __future__ import annotations

import duckdb

from pipelines.settings import Settings
from pipelines.warehouse import render_model, session, transaction

# Build order: a mart may read only marts listed before it.
MARTS: tuple[str, ...] = (
    "district_village_count",
    "tower_availability_daily",
    "tower_availability_monthly",
)


def build_mart(con: duckdb.DuckDBPyConnection, settings: Settings, name: str) -> int:
    select = render_model(settings, "marts", name)
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
    (n,) = con.execute(f"SELECT count(*) FROM marts.{name}").fetchone()
    return n


def build_marts(settings: Settings) -> dict[str, int]:
    """Rebuild every mart; returns rows per mart."""
    with session(settings) as con:
        return {name: build_mart(con, settings, name) for name in MARTS}
