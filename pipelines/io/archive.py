"""Keep every delivery byte-for-byte under its sha256 before anything parses it."""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.audit import chain
from pipelines.warehouse import transaction

_CHUNK = 1 << 20
ARCHIVED_MODE = 0o444


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Archived:
    sha256: str
    bytes: int
    archive_path: Path


def archive_bytes_path(archive_root: Path, source: str, sha256: str, suffix: str) -> Path:
    return archive_root / source / sha256[:2] / f"{sha256}{suffix}"


def _suffix(path: Path) -> str:
    return "".join(path.suffixes[-2:]) if path.suffix == ".gz" else path.suffix


def archive_file(
    con: duckdb.DuckDBPyConnection, home: Path, archive_root: Path, source: str, path: Path
) -> Archived:
    """Copy the file into the archive (once per sha256) and record it in audit.file."""
    size = path.stat().st_size
    folder = archive_root / source
    folder.mkdir(parents=True, exist_ok=True)
    # Copy under a temporary name, renamed once hashed, so a crash never leaves half a file
    # that later looks archived. The copy is the kernel's (no GIL), so the hash runs beside
    # it: a 700 MB file archives in the time of its hash alone.
    tmp = folder / f".{uuid.uuid4().hex}.part"
    with ThreadPoolExecutor(max_workers=1) as pool:
        copying = pool.submit(shutil.copyfile, path, tmp)
        try:
            sha = sha256_of(path)
        finally:
            copying.result()
    target = archive_bytes_path(archive_root, source, sha, _suffix(path))
    if target.exists():
        tmp.unlink()
    else:
        _keep(tmp, target)
    record_file(con, sha, size, target.relative_to(home), _display_name(path, home))
    return Archived(sha, size, target)


def archive_payload(
    con: duckdb.DuckDBPyConnection, home: Path, archive_root: Path, source: str,
    payload: bytes, name: str, suffix: str,
) -> Archived:
    """Archive bytes that did not arrive as a file (an API page) exactly like a file."""
    sha = hashlib.sha256(payload).hexdigest()
    target = archive_bytes_path(archive_root, source, sha, suffix)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(payload)
        _keep(tmp, target)
    record_file(con, sha, len(payload), target.relative_to(home), name)
    return Archived(sha, len(payload), target)


def _keep(tmp: Path, target: Path) -> None:
    """Give the finished copy its name, read-only: the archive is write-once evidence."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(tmp, ARCHIVED_MODE)
    os.replace(tmp, target)


def record_file(
    con: duckdb.DuckDBPyConnection, sha: str, size: int, archive_rel: Path, name: str
) -> None:
    with transaction(con):
        con.execute(
            """INSERT INTO audit.file SELECT ?, ?, ?, ?, now()
               WHERE NOT EXISTS (SELECT 1 FROM audit.file WHERE sha256 = ?)""",
            [sha, size, str(archive_rel), name, sha],
        )
        chain.seal(con, "file", "t.sha256 = ?", [sha])


def _display_name(path: Path, home: Path) -> str:
    try:
        return str(path.resolve().relative_to(home))
    except ValueError:
        return str(path)
