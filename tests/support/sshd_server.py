"""A real OpenSSH sshd on loopback for a test (pipelines.demo.sshd), with the Airflow
Connection noc_sftp pointing at it. Stopped by its process id when the test ends."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipelines.demo.sshd import SSHD, Sshd


def noc_connection(server: Sshd):
    """The Connection a task gets from BaseHook.get_connection, built from the URI form."""
    from airflow.sdk import Connection

    return Connection.from_uri(server.uri(), conn_id="noc_sftp")


def write_remote(root: Path, rel: str, data: bytes, mtime: float | None = None) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


@contextmanager
def running_sshd(tmp_path: Path, root: Path) -> Iterator[Sshd]:
    """sshd serving `root`; a clean skip (a failure under CI) where it is not installed."""
    if not Path(SSHD).exists():
        pytest.skip(f"{SSHD} not installed (Debian's openssh-server; .ci/run installs it)")
    with Sshd(tmp_path / "sshd", root) as server:
        yield server
