"""Build the marts: each warehouse/models/marts/<table>.sql becomes marts.<table>."""

from __future__ import annotations

import duckdb

from pipelines.settings import LOCAL_TZ, Settings
from pipelines.warehouse import quote_literal, render_model, session, transaction

# Build order: a mart may read only marts listed before it.
MARTS: tuple[str, ...] = ("district_village_count", "partner_sla_monthly")


def build_mart(con: duckdb.DuckDBPyConnection, settings: Settings, name: str) -> int:
    select = render_model(settings, "marts", name, thresholds=settings.thresholds, local_tz=LOCAL_TZ)
    with transaction(con):
        con.execute(f"CREATE OR REPLACE TABLE marts.{name} AS {select}")
        apply_comments(con, settings, name)
    (n,) = con.execute(f"SELECT count(*) FROM marts.{name}").fetchone()
    return n


def build_marts(settings: Settings) -> dict[str, int]:
    """Rebuild every mart; returns rows per mart."""
    with session(settings) as con:
        return {name: build_mart(con, settings, name) for name in MARTS}


def apply_comments(con: duckdb.DuckDBPyConnection, settings: Settings, name: str) -> None:
    """COMMENT ON the mart from warehouse/models/marts/<name>.yml, if present: a rebuilt
    table loses its comments, so they live beside the model and follow every build."""
    import yaml

    path = settings.warehouse_dir / "models" / "marts" / f"{name}.yml"
    if not path.exists():
        return
    doc = yaml.safe_load(path.read_text())
    con.execute(f"COMMENT ON TABLE marts.{name} IS {quote_literal(doc['table'])}")
    for column, text in doc.get("columns", {}).items():
        con.execute(f"COMMENT ON COLUMN marts.{name}.{column} IS {quote_literal(text)}")
