"""BPS Master File Desa deliveries: landing/registry/bps/<effective-date>/{provinces,
regencies,districts,villages}.csv, no header, id,parent_id,name (provinces: id,name).

Each of the four files is its own load (archived and validated on its own) into the
one dataset `bps_region`; the partition is `<effective-date>/<level>`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb

from pipelines.audit.records import Load
from pipelines.batch.landing import Landed, accepted
from pipelines.batch.steps import Dataset
from pipelines.io import delimited as csvfiles
from pipelines.settings import Settings
from pipelines.warehouse import render_model

# Top-down, so a delivery's loads are archived and published parents first.
FILES = {"provinces": "province", "regencies": "regency", "districts": "district",
         "villages": "village"}
_DELIVERY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """The names of a headerless file's columns, by how many it has."""
    rel = con.sql(f"SELECT * FROM read_csv({csvfiles.read_options(path, header=False)}) LIMIT 0")
    return ["id", "name"] if len(rel.columns) == 2 else ["id", "parent_id", "name"][: len(rel.columns)]


def partition_key(path: Path) -> str:
    """'<effective-date>/<level>' of a delivered file, or a ValueError naming it."""
    if not _DELIVERY.match(path.parent.name) or path.stem not in FILES or path.suffix != ".csv":
        raise ValueError(
            f"{path}: a BPS file is registry/bps/<effective-date>/<{'|'.join(FILES)}>.csv"
        )
    try:
        date.fromisoformat(path.parent.name)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    return f"{path.parent.name}/{FILES[path.stem]}"


LANDED = Landed("registry/bps/*/*", partition_key)


def stage_file(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: Load
) -> None:
    delivery, level = load.partition_key.split("/")
    with csvfiles.raw_csv(con, path, load.load_id, header=False) as raw:
        ncols = len(con.sql(f"SELECT * FROM {raw} LIMIT 0").columns) - 1  # minus _line
        con.execute(f"CREATE TABLE {table} AS " + render_model(
            settings, "staging", "stg_bps_region", raw=raw, load_id=load.load_id,
            delivery_date=delivery, level=level, columns=3 if ncols >= 3 else 2,
        ))


def publish_file(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: Load, valid: str,
) -> int:
    delivery, level = load.partition_key.split("/")
    con.execute(
        "DELETE FROM core.bps_region WHERE delivery_date = ? AND level = ?", [delivery, level]
    )
    select = render_model(settings, "core", "bps_region", valid=valid, load_id=load.load_id)
    con.execute(f"CREATE OR REPLACE TEMP TABLE publish_rows AS {select}")
    con.execute("INSERT INTO core.bps_region BY NAME SELECT * FROM publish_rows")
    (n,) = con.execute("SELECT count(*) FROM publish_rows").fetchone()
    con.execute("DROP TABLE publish_rows")
    return n


DATASET = Dataset(
    name="bps_region",
    source="registry",
    core_table="core.bps_region",
    partition_column=None,
    header=header,
    stage=stage_file,
    publish=publish_file,
)


def landed_files(settings: Settings) -> list[Path]:
    """Every BPS file in the landing zone: oldest delivery first, parents before children."""
    order = list(FILES)
    return sorted(accepted(settings, LANDED), key=lambda p: (p.parent.name, order.index(p.stem)))
