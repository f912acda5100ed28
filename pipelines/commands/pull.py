"""The demo's NOC SFTP server: the generated tower logs served over SFTP on loopback, and
the Connection noc_sftp pointed at it, so the demo's tower logs arrive by SFTP."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from pipelines.commands.common import console
from pipelines.pull.towers import ENV_CONN, KINDS
from pipelines.settings import Settings


def noc_root(settings: Settings) -> Path:
    return settings.home / "noc_sftp"


def move_to_noc(settings: Settings) -> int:
    """Move the generated tower logs out of landing/ into the demo NOC's folder (in the
    default remote layout), each KPI and syslog file with the .sha256 sidecar the NOC
    writes once a file is complete (inventories have none: they are taken once seen
    unchanged twice). The number of files moved."""
    moved = 0
    for kind in KINDS:
        src, dest = settings.landing / "towers" / kind, noc_root(settings) / kind
        if not src.is_dir():
            continue
        dest.mkdir(parents=True, exist_ok=True)
        for path in sorted(src.iterdir()):
            target = Path(shutil.move(path, dest / path.name))
            if kind != "inventory":
                digest = hashlib.sha256(target.read_bytes()).hexdigest()
                target.with_name(f"{target.name}.sha256").write_text(f"{digest}  {target.name}\n")
            moved += 1
        src.rmdir()
    return moved


@contextlib.contextmanager
def demo_noc_sftp(settings: Settings) -> Iterator[None]:
    """Serve the demo NOC's folder over SFTP on loopback and point the Connection noc_sftp
    at it (Airflow's environment form) for the duration."""
    from pipelines.demo.sftp_server import DemoSftpServer

    root = noc_root(settings)
    if not root.is_dir():
        yield
        return
    with DemoSftpServer(root, settings.home / "demo_keys") as server:
        os.environ[ENV_CONN] = server.uri()
        console.print(f"NOC SFTP server (demo) serving {root} on sftp://127.0.0.1:{server.port}")
        try:
            yield
        finally:
            os.environ.pop(ENV_CONN, None)
