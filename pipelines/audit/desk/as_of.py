"""Read the lake as it was right after a load: DuckLake time travel to the snapshot its
publish recorded (audit.load_snapshot). The DuckDB-file backend keeps no history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from pipelines.settings import Settings
from pipelines.warehouse import session


class NeedsDuckLake(ValueError):
    """--as-of-load on a warehouse that keeps no snapshots."""


def snapshot_of_load(con: duckdb.DuckDBPyConnection, load_id: str) -> int:
    row = con.execute(
        "SELECT max(snapshot_id) FROM audit.load_snapshot WHERE load_id = ?", [load_id]
    ).fetchone()
    if row[0] is not None:
        return row[0]
    status = con.execute("SELECT status FROM audit.load WHERE load_id = ?", [load_id]).fetchone()
    if status is None:
        raise LookupError(f"--as-of-load {load_id}: no such load in audit.load")
    raise LookupError(f"--as-of-load {load_id}: the load is {status[0]!r} and recorded no lake "
                      "snapshot (only loads published on DuckLake do)")


@contextmanager
def as_of_load(settings: Settings, load_id: str | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only session on the warehouse now, or as it was right after load `load_id`."""
    if load_id is None:
        with session(settings, read_only=True) as con:
            yield con
        return
    if settings.warehouse_backend != "ducklake":
        raise NeedsDuckLake(
            f"--as-of-load needs the DuckLake warehouse (KONEKTIVITAS_WAREHOUSE=ducklake), which "
            f"keeps every snapshot; this warehouse is a DuckDB file ({settings.warehouse_path}) "
            "and keeps only its current state")
    with session(settings, read_only=True) as con:
        snapshot = snapshot_of_load(con, load_id)
    with session(settings, read_only=True, snapshot=snapshot) as con:
        yield con
