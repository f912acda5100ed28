"""Village attributes: landing/registry/attributes/<year>.csv,
header kode,population,households,area_km2,lat,lon; delimiter , or ; and decimal
point or decimal comma. One partition per year."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from pipelines.audit.records import Load
from pipelines.batch.landing import Landed, accepted
from pipelines.batch.steps import Dataset
from pipelines.io import delimited as csvfiles
from pipelines.settings import Settings
from pipelines.warehouse import render_model

_YEAR = re.compile(r"^([0-9]{4})\.csv$")


def delimiter(path: Path) -> str:
    """';' when the header line is split by semicolons (then 12,5 is a decimal comma)."""
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        first = fh.readline()
    return ";" if first.count(";") > first.count(",") else ","


def header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    return csvfiles.csv_header(con, path, delimiter(path))


def year_of(path: Path) -> str:
    m = _YEAR.match(path.name)
    if not m:
        raise ValueError(f"{path}: an attributes file is named <year>.csv, e.g. 2025.csv")
    return m.group(1)


def stage_file(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: Load
) -> None:
    with csvfiles.raw_csv(con, path, load.load_id, delimiter=delimiter(path)) as raw:
        con.execute(f"CREATE TABLE {table} AS " + render_model(
            settings, "staging", "stg_village_attributes", raw=raw, load_id=load.load_id,
            year=int(load.partition_key),
        ))


DATASET = Dataset(
    name="village_attributes",
    source="registry",
    core_table="core.village_attributes",
    partition_column="year",
    header=header,
    stage=stage_file,
)


LANDED = Landed("registry/attributes/*", year_of)


def landed_files(settings: Settings) -> list[Path]:
    return accepted(settings, LANDED)
