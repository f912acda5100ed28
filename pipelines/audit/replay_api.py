"""Replay the partner API's pulls from the archive, through the api delivery's own steps.

A pull archived each page as received and then a manifest of the pages; its loads read
the records from those archived pages. Replay archives the same bytes into the scratch
home the way the pull did (pipelines.pln.api_client.fetch_stream), hands the manifests to
the delivery's archive → stage → validate → publish steps and its watermark, exactly as
the `pln_partner` DAG would after a fetch, and never asks the partner's server again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from pipelines.batch import run
from pipelines.io.archive import archive_payload
from pipelines.pln.api_client import SOURCE as ARCHIVE_SOURCE
from pipelines.pln.pull import SOURCE_ID as SOURCE
from pipelines.settings import Settings
from pipelines.warehouse import session

KIND = "api"


@dataclass(frozen=True)
class ArchivedPull:
    """One published load of a pull: its dataset, partition ("start/until"), the name it was
    loaded under and its manifest's path in the archive."""

    dataset: str
    partition_key: str
    name: str
    manifest: str

    @property
    def until(self) -> str:
        return self.partition_key.split("/", 1)[1]


def is_api_load(name: str | None) -> bool:
    return bool(name) and name.startswith("api/")


def replay_pulls(published: Settings, scratch: Settings, pulls: list[ArchivedPull]) -> int:
    """Load the pulls into the scratch home in the order they were loaded, one pull (both
    streams up to one `until`) at a time. Loads published."""
    done = 0
    with session(scratch) as con:
        for until, group in groupby(pulls, key=lambda p: p.until):
            items = [_archive_again(con, published, scratch, p) for p in group]
            ids = run.archive(con, scratch, SOURCE, KIND, items)
            run.validate(con, scratch, SOURCE, KIND, run.stage(con, scratch, SOURCE, KIND, ids))
            done += len(run.publish(con, scratch, SOURCE, KIND, until, ids))
    return done


def _archive_again(con, published: Settings, scratch: Settings, pull: ArchivedPull) -> dict:
    raw = (published.home / pull.manifest).read_bytes()
    for page in json.loads(raw)["pages"]:
        body = (published.home / Path(page["archive_path"])).read_bytes()
        archive_payload(con, scratch.home, scratch.archive, ARCHIVE_SOURCE, body, page["name"], ".json")
    m = archive_payload(con, scratch.home, scratch.archive, ARCHIVE_SOURCE, raw, pull.name,
                        ".manifest.json")
    return {"dataset": pull.dataset, "partition_key": pull.partition_key, "sha256": m.sha256,
            "name": pull.name}
