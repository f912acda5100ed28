"""Kemendagri region-code editions: landing/registry/kemendagri/<effective-date>.csv."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb

from pipelines.audit.records import Load
from pipelines.batch.landing import Landed, accepted, named_date
from pipelines.batch.steps import Dataset, default_publish
from pipelines.io import delimited as csvfiles
from pipelines.settings import Settings
from pipelines.warehouse import render_model

_EDITION = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})\.csv$")


def stage_edition(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: Load
) -> None:
    with csvfiles.raw_csv(con, path, load.load_id) as raw:
        con.execute(f"CREATE TABLE {table} AS " + render_model(
            settings, "staging", "stg_kemendagri_region", raw=raw, load_id=load.load_id,
            edition=load.partition_key,
        ))


def rebuild_history(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Re-derive core.dim_region and core.region_code_succession from every edition.

    Deterministic in the set of loaded editions, whatever order they arrived in.
    Returns the rows of core.dim_region.
    """
    from pipelines.registry.succession import rebuild_succession

    refused = render_model(settings, "core", "region_edition_refused")
    con.execute(render_model(settings, "core", "dim_region", refused=refused))
    rebuild_succession(con, settings, refused)
    (n,) = con.execute("SELECT count(*) FROM core.dim_region").fetchone()
    return n


def publish_edition(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: Load, valid: str,
) -> int:
    """Replace this edition in core.region_edition, then re-derive the history."""
    n = default_publish(con, settings, dataset, load, valid)
    rebuild_history(con, settings)
    return n


DATASET = Dataset(
    name="kemendagri_region",
    source="registry",
    core_table="core.region_edition",
    partition_column="edition_date",
    header=csvfiles.csv_header,
    stage=stage_edition,
    publish=publish_edition,
)


def edition_date(path: Path) -> date:
    return named_date(path, _EDITION, "an edition file is named <effective-date>.csv, e.g. 2025-07-01.csv")


# Editions land as registry/kemendagri/<effective-date>.csv.
LANDED = Landed("registry/kemendagri/*", lambda p: str(edition_date(p)))


def landed_editions(settings: Settings) -> list[Path]:
    """Every edition file in the landing zone, oldest effective date first."""
    return accepted(settings, LANDED)


def registry_as_of(con: duckdb.DuckDBPyConnection, day: date | str) -> duckdb.DuckDBPyRelation:
    """core.region_as_of for one day (sets the session variable the view reads)."""
    con.execute("SET VARIABLE as_of = CAST(? AS DATE)", [str(day)])
    return con.sql("SELECT * FROM core.region_as_of")
