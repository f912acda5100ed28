"""Tower logs from the NOC's SFTP server (Connection noc_sftp) into landing/towers/.

One look ("poke") lists each kind's remote folder (settings.sftp_layout) and, for every
file of the day (or of every day), decides:

- skipped: fetched before with the same size and mtime (and the same sha256 when a
  `.sha256` sidecar announces one), or its announced bytes are already published;
- waiting: still being written: neither a `.done` / `.sha256` sidecar nor the same size
  and mtime as at the previous look; taken on a later one;
- fetched: downloaded to a temporary name, checked against its `.sha256` sidecar, then
  renamed into landing/ (a changed remote file replaces the landed one: a correction,
  loaded as the landing zone loads any corrected file);
- rejected: its bytes do not match its sidecar: not landed, fetched again next time;
- failed: the transfer broke (SftpError is raised: the task's retry fetches it again).

Every decision is a row of audit.remote_fetch.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import asyncssh
import duckdb

from pipelines.audit.records import published_load_of
from pipelines.pull import ledger, sftp
from pipelines.pull.landing_files import land, temporary
from pipelines.pull.ledger import Seen
from pipelines.settings import Settings
from pipelines.towers.files import files_landed, kind_key, outside_days

Con = duckdb.DuckDBPyConnection
REMOTE = "noc_sftp"  # the Airflow Connection, and audit.remote_fetch.remote
ENV_CONN = "AIRFLOW_CONN_NOC_SFTP"  # its environment form, as the demo sets it
KINDS = ("inventory", "kpi", "events")
SIDECARS = (".done", ".sha256")


@dataclass
class FetchReport:
    seen: list[Seen] = field(default_factory=list)

    def of(self, outcome: str) -> list[str]:
        return [s.remote_path for s in self.seen if s.outcome == outcome]

    @property
    def settled(self) -> bool:
        """Nothing of what was looked at is still to be taken."""
        return not any(s.outcome in ("waiting", "rejected", "failed") for s in self.seen)

    def describe(self) -> str:
        counts = {o: len(self.of(o)) for o in ("fetched", "skipped", "waiting", "rejected")}
        return ", ".join(f"{n} {o}" for o, n in counts.items())


def partition_of(settings: Settings, kind: str, name: str, day: date | None) -> str | None:
    """The day a remote file is for when this look takes it; None for files of other days,
    sidecars and names the landing zone would refuse anyway."""
    try:
        key = kind_key(kind)(Path(name))
    except ValueError:
        return None
    if outside_days(settings, key):
        return None
    when = date.fromisoformat(key)
    if day is None or when == day or (kind == "inventory" and when <= day):
        return key
    return None


def _dataset(kind: str) -> str:
    from pipelines.batch.run import feed

    return feed("tower_logs", kind).datasets[0].name


async def _announced(client: asyncssh.SFTPClient, by_name: dict[str, sftp.RemoteFile],
                     name: str) -> str | None:
    """The sha256 the file's .sha256 sidecar announces ("" when it says nothing usable)."""
    side = by_name.get(f"{name}.sha256")
    if side is None:
        return None
    words = (await sftp.read_small(client, side.path)).split()
    return words[0].lower() if words else ""


async def _take(con: Con, settings: Settings, client: asyncssh.SFTPClient, kind: str,
                f: sftp.RemoteFile, partition: str, by_name: dict[str, sftp.RemoteFile]) -> Seen:
    announced = await _announced(client, by_name, f.name)

    def seen(outcome: str, sha: str | None = None, landed_as: str | None = None,
             message: str | None = None) -> Seen:
        return ledger.record(con, Seen(REMOTE, f.path, f.size, f.mtime, outcome, sha,
                                       landed_as, message=message))

    before = ledger.last_fetched(con, REMOTE, f.path)
    if before and (before.size, before.mtime) == (f.size, f.mtime) and announced in (None, before.sha256):
        return seen("skipped", before.sha256, message="fetched before: same size and mtime")
    if announced and published_load_of(con, _dataset(kind), announced, partition):
        return seen("skipped", announced, message="its announced sha256 is already published")
    previous = ledger.last_seen(con, REMOTE, f.path)
    stable = previous is not None and (previous.size, previous.mtime) == (f.size, f.mtime)
    if not stable and not any(f"{f.name}{s}" in by_name for s in SIDECARS):
        return seen("waiting", message="no .done/.sha256 sidecar and size or mtime not yet "
                                       "the same at two looks: taken on a later one")
    with temporary(settings, f.name) as tmp:
        try:
            got = await sftp.download(client, f.path, tmp)
        except sftp.SftpError as exc:
            seen("failed", message=str(exc))
            raise
        if announced is not None and got != announced:
            return seen("rejected", got, message=(
                f"{f.path}: its bytes have sha256 {got}, its .sha256 sidecar says "
                f"{announced or '(nothing)'}: not landed; fetched again on the next look"))
        if tmp.stat().st_size != f.size:
            return seen("waiting", got, message=f"{f.path}: changed while it was fetched "
                                                "(size differs from the listing): not landed")
        return seen("fetched", got, land(settings, tmp, f"towers/{kind}/{f.name}"))


async def _poke(con: Con, settings: Settings, connection: Any, day: date | None) -> FetchReport:
    report = FetchReport()
    async with sftp.session(connection) as client:
        for kind in KINDS:
            files = await sftp.list_folder(client, settings.sftp_layout[kind])
            by_name = {f.name: f for f in files}
            for f in files:
                partition = partition_of(settings, kind, f.name, day)
                if partition is not None:
                    report.seen.append(
                        await _take(con, settings, client, kind, f, partition, by_name))
    return report


def poke(con: Con, settings: Settings, connection: Any, day: date | None = None) -> FetchReport:
    """One look at the server: the day's files (every day's when None), each taken,
    skipped or left waiting, and recorded. Raises SftpError when the server or a
    transfer fails (recorded; a retry takes it up)."""
    return asyncio.run(_poke(con, settings, connection, day))


def fetch_day(con: Con, settings: Settings, connection: Any, partition: str) -> bool:
    """The tower_logs run's fetch (a sensor's poke): True once nothing of the day is
    left to take and its files are in landing/ (FilesNotLanded past the day's deadline)."""
    day = date.fromisoformat(partition)
    report = poke(con, settings, connection, day)
    return report.settled and files_landed(settings, day)


def fetch_all(con: Con, settings: Settings, connection: Any, settle_s: float = 2.0) -> FetchReport:
    """Every day's files (the embedded runner, before it plans the days): a second look
    after `settle_s` takes what the first saw without a sidecar."""
    report = poke(con, settings, connection)
    if report.of("waiting"):
        time.sleep(settle_s)
        report.seen += poke(con, settings, connection).seen
    return report
