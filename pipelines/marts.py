"""Build the marts: each warehouse/models/marts/<table>.sql becomes marts.<table>."""

from __future__ import annotations

import duckdb

from pipelines.settings import Settings
from pipelines.warehouse import render_model, session, transaction

# Build order: a mart may read only marts listed before it.
MARTS: tuple[str, ...] = ("district_village_count",)


def build_mart(con: duckdb.DuckDBPyConnection, settings: Settings, name: str) -> int:
    select = render_model(settings, "marts", name)
    with transaction(con):
        con.execute(f"CREATE OR REPLACE TABLE marts.{name} AS {select}")
    (n,) = con.execute(f"SELECT count(*) FROM marts.{name}").fetchone()
    return n


def build_marts(settings: Settings) -> dict[str, int]:
    """Rebuild every mart; returns rows per mart."""
    with session(settings) as con:
        return {name: build_mart(con, settings, name) for name in MARTS}
