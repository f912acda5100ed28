"""Tower router syslog (one file per local day): its lines staged as typed events."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb

from pipelines.audit import records as audit
from pipelines.batch.steps import Dataset, default_publish
from pipelines.settings import Settings
from pipelines.towers.files import SOURCE, day_feed
from pipelines.warehouse import render_model


def read_lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        return fh.read().decode("utf-8-sig", errors="replace").splitlines()


def event_header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    read_lines(path)  # readable (and gunzippable) or the file is rejected
    return ["line"]


def stage_events(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: audit.Load
) -> None:
    import pyarrow as pa

    lines = read_lines(path)
    src = pa.table({"_line": pa.array(range(1, len(lines) + 1), pa.int64()),
                    "line": pa.array(lines, pa.string())})
    name = f"events_src_{load.load_id}"
    con.register(name, src)
    try:
        select = render_model(
            settings, "staging", "stg_tower_event", source=name, load_id=load.load_id,
            day=load.partition_key,
        )
        con.execute(f"CREATE TABLE {table} AS {select}")
    finally:
        con.unregister(name)


EVENTS = Dataset(
    name="tower_event", source=SOURCE, core_table="core.fct_tower_event",
    partition_column="event_date", header=event_header, stage=stage_events,
    publish=default_publish,
)
FEED = day_feed(EVENTS, "events")
