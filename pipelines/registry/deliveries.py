"""The village registry's three deliveries, as the village_registry source declares them
(pipelines.batch.sources): Kemendagri editions, BPS Master File Desa files, village attributes.
Editions go first (attributes are checked against the registry), then BPS, then
attributes; finally the BPS crosswalk is rebuilt (it also picks up a changed mapping file)."""

from __future__ import annotations

import duckdb

from pipelines.batch.feed import landed_feed
from pipelines.registry import attributes, bps, kemendagri
from pipelines.settings import Settings

KEMENDAGRI = landed_feed(kemendagri.DATASET, kemendagri.LANDED)
BPS = landed_feed(bps.DATASET, bps.LANDED)
ATTRIBUTES = landed_feed(attributes.DATASET, attributes.LANDED)


def refresh_crosswalk(con: duckdb.DuckDBPyConnection, settings: Settings, partition: str = ""
                      ) -> dict[str, int]:
    from pipelines.registry.crosswalk import build_crosswalk

    return build_crosswalk(con, settings)
