"""The demo's NOC: tower logs moved out of landing/ onto its own SFTP server (asyncssh,
on loopback), then fetched back by the pull with the Connection it sets."""

from __future__ import annotations

import os
from datetime import date

from towerfiles import day_samples, write_inventory, write_kpi

from pipelines.commands.pull import demo_noc_sftp, move_to_noc, noc_root
from pipelines.pull import towers


def test_the_demo_serves_its_tower_logs_over_sftp_and_the_pull_lands_them(con, settings, home):
    day = date(2026, 9, 1)
    inv = write_inventory(home, day, [{"tower_id": "TWR-001"}])
    kpi = write_kpi(home, day, day_samples("TWR-001", day))
    wanted = {"inventory": inv.read_bytes(), "kpi": kpi.read_bytes()}
    assert move_to_noc(settings) == 2
    assert not [p for p in (settings.landing / "towers").rglob("*") if p.is_file()]
    assert (noc_root(settings) / "kpi" / f"{day}.csv.sha256").is_file()
    with demo_noc_sftp(settings):
        from airflow.sdk import Connection

        conn = Connection.from_uri(os.environ[towers.ENV_CONN], conn_id="noc_sftp")
        report = towers.fetch_all(con, settings, conn, settle_s=1.1)
    assert towers.ENV_CONN not in os.environ
    # the KPI file has its sidecar: taken at once; the inventory at the second look
    assert sorted(report.of("fetched")) == [f"inventory/{day}.csv", f"kpi/{day}.csv"]
    for kind, data in wanted.items():
        assert (settings.landing / "towers" / kind / f"{day}.csv").read_bytes() == data
