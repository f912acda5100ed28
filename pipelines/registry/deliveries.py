"""The village registry's three deliveries, as the village_registry DAG runs them:
Kemendagri editions, BPS Master File Desa files, village attributes. Editions go
first (attributes are checked against the registry), then BPS, then attributes;
finally the BPS crosswalk is rebuilt (it also picks up a changed mapping file)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.batch.steps import Dataset
from pipelines.registry import attributes, bps, kemendagri
from pipelines.settings import Settings


@dataclass(frozen=True)
class Delivery:
    dataset: Dataset
    landed: Callable[[Settings], list[Path]]  # files in the landing zone, in load order
    partition_key: Callable[[Path], str]


DELIVERIES: dict[str, Delivery] = {
    "kemendagri": Delivery(kemendagri.DATASET, kemendagri.landed_editions,
                           lambda p: str(kemendagri.edition_date(p))),
    "bps": Delivery(bps.DATASET, bps.landed_files, bps.partition_key),
    "attributes": Delivery(attributes.DATASET, attributes.landed_files, attributes.year_of),
}


def pending_files(con: duckdb.DuckDBPyConnection, settings: Settings, kind: str) -> list[Path]:
    """Landed files of one kind whose bytes were never published."""
    from pipelines.audit.records import published_load_of
    from pipelines.io.archive import sha256_of

    d = DELIVERIES[kind]
    return [p for p in d.landed(settings)
            if not published_load_of(con, d.dataset.name, sha256_of(p))]


def archive_new(settings: Settings, kind: str) -> list[str]:
    """Archive every new file of one kind, in load order; the load ids to stage."""
    from pipelines.batch.steps import archive_step
    from pipelines.warehouse import session

    d = DELIVERIES[kind]
    with session(settings) as con:
        loads = [archive_step(con, settings, d.dataset, p, d.partition_key(p))
                 for p in pending_files(con, settings, kind)]
    return [load.load_id for load in loads if load.status == "running"]


def anything_pending(settings: Settings) -> bool:
    """New files of any kind, or a mapping file changed since the crosswalk was built."""
    from pipelines.registry.crosswalk import crosswalk_pending
    from pipelines.warehouse import session

    with session(settings) as con:
        return any(pending_files(con, settings, kind) for kind in DELIVERIES) or crosswalk_pending(
            con, settings)


def refresh_crosswalk(settings: Settings) -> dict[str, int]:
    from pipelines.registry.crosswalk import build_crosswalk
    from pipelines.warehouse import session

    with session(settings) as con:
        return build_crosswalk(con, settings)


def load_all(settings: Settings) -> dict[str, list[dict]]:
    """Every pending delivery, kind after kind, then the crosswalk: what the DAG does,
    without Airflow (tests, one-off loads)."""
    from pipelines.batch.steps import publish_loads, stage_loads, validate_loads

    results: dict[str, list[dict]] = {}
    for kind, d in DELIVERIES.items():
        ids = archive_new(settings, kind)
        ids = validate_loads(settings, d.dataset, stage_loads(settings, d.dataset, ids))
        results[kind] = publish_loads(settings, d.dataset, ids)
    results["crosswalk"] = [refresh_crosswalk(settings)]
    return results
