"""What a delivery kind is to the batch path: its datasets (each also names its suite),
how a partition's deliveries are found, and what is pending for the runner to plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipelines.audit.records import Load, published_load_of
from pipelines.batch.landing import Landed, accepted
from pipelines.batch.steps import Dataset
from pipelines.io.archive import sha256_of
from pipelines.settings import Settings

# One delivery to archive, as a task passes it on: a landed file {"dataset",
# "partition_key", "path"} or pages already archived {"dataset", "partition_key",
# "sha256", "name"}.
Item = dict[str, str]
Con = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class Feed:
    datasets: tuple[Dataset, ...]
    # (con, settings, partition, connection) -> the partition's deliveries, in load order.
    list: Callable[[Con, Settings, str, Any], list[Item]]
    # (settings, partition) -> True once the partition's files landed; raises
    # FilesNotLanded past its deadline. None: list never waits.
    landed: Callable[[Settings, str], bool] | None = None
    # (con, settings) -> partitions with deliveries not yet published (the runner's plan).
    pending: Callable[[Con, Settings], list[str]] = lambda con, settings: []
    # (con, settings, partition, loads) once every load of a list is published.
    on_published: Callable[[Con, Settings, str, list[Load]], None] | None = None
    # Where its files land and the partition key a name gives: every other file there is
    # listed as unrecognised (pipelines.batch.landing).
    files: tuple[Landed, ...] = ()

    def dataset(self, name: str) -> Dataset:
        return next(d for d in self.datasets if d.name == name)


def file_item(dataset: Dataset, path: Path, partition_key: str) -> Item:
    return {"dataset": dataset.name, "partition_key": partition_key, "path": str(path)}


def unpublished(con: Con, dataset: Dataset, paths: list[Path],
                partition_key: Callable[[Path], str]) -> list[Path]:
    """The files never published as their partition (same bytes under another partition
    are a new delivery)."""
    return [p for p in paths
            if not published_load_of(con, dataset.name, sha256_of(p), partition_key(p))]


def landed_feed(dataset: Dataset, landed: Landed) -> Feed:
    """A delivery kind of files in the landing zone: each new file is one load."""

    def pending_files(con: Con, settings: Settings, partition: str = "", connection: Any = None,
                      ) -> list[Item]:
        return [file_item(dataset, p, landed.key(p))
                for p in unpublished(con, dataset, accepted(settings, landed), landed.key)]

    def pending(con: Con, settings: Settings) -> list[str]:
        return sorted({i["partition_key"] for i in pending_files(con, settings)})

    return Feed((dataset,), pending_files, pending=pending, files=(landed,))
