"""Tower inventory snapshots: each dated snapshot is in force until the next one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from pipelines.audit import records as audit
from pipelines.batch.feed import Feed, file_item, unpublished
from pipelines.batch.steps import Dataset, default_publish
from pipelines.io import delimited as csvfiles
from pipelines.settings import Settings
from pipelines.towers.files import (
    SOURCE,
    day_key,
    day_landed,
    file_date,
    inventory_files,
    landed,
)
from pipelines.warehouse import render_model


def stage_inventory(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: audit.Load
) -> None:
    with csvfiles.raw_csv(con, path, load.load_id) as raw:
        con.execute(f"CREATE TABLE {table} AS " + render_model(
            settings, "staging", "stg_tower_inventory", raw=raw, load_id=load.load_id,
            snapshot=load.partition_key,
        ))


def publish_inventory(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: audit.Load,
    valid: str,
) -> int:
    """Replace the snapshot, then let each snapshot run until the next one takes over."""
    n = default_publish(con, settings, dataset, load, valid)
    con.execute(render_model(settings, "core", "dim_tower_valid_to"))
    return n


INVENTORY = Dataset(
    name="tower_inventory", source=SOURCE, core_table="core.dim_tower",
    partition_column="snapshot_date", header=csvfiles.csv_header, stage=stage_inventory,
    publish=publish_inventory,
)


def snapshots_in_force(con: duckdb.DuckDBPyConnection, settings: Settings, partition: str,
                       connection: object = None) -> list[dict]:
    """Every landed snapshot dated on or before the day not yet published, oldest first."""
    files = unpublished(con, INVENTORY, inventory_files(settings, date.fromisoformat(partition)),
                        day_key)
    return [file_item(INVENTORY, p, str(file_date(p))) for p in files]


# A new snapshot alone is no reason for a run: the next day's run publishes it.
FEED = Feed((INVENTORY,), snapshots_in_force, landed=day_landed, files=(landed("inventory"),))
