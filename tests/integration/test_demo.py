"""`konektivitas demo`: its tower logs arrive over SFTP from the demo NOC, and it says so."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow


def test_the_demo_fetches_every_tower_file_over_sftp_and_says_how_many(demo_home: Path) -> None:
    out = (demo_home / "demo-output.txt").read_text(encoding="utf-8")
    moved = int(re.search(r"tower logs: (\d+) files on the demo NOC's SFTP server", out).group(1))
    assert moved > 0
    assert "Fetched from servers" in out and re.search(rf"noc_sftp\D+{moved}\b", out), out
    con = duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True)
    try:
        (fetched,) = con.execute(
            "SELECT count(*) FROM audit.remote_fetch WHERE outcome = 'fetched' "
            "AND landed_as IS NOT NULL").fetchone()
        (landed,) = con.execute(
            "SELECT count(DISTINCT file_name) FROM audit.load WHERE source = 'towers'").fetchone()
    finally:
        con.close()
    assert fetched == moved == landed  # every tower file came over SFTP, each loaded once
    assert not list((demo_home / "landing" / "towers").rglob("*.part"))
