"""A gzip delivery that ends early (or is damaged) is rejected whole, never partly loaded."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from towerfiles import day_samples, syslog, write_events, write_inventory, write_kpi

from pipelines.batch.errors import BatchRejected
from pipelines.batch.run import run_deliveries

DAY = date(2026, 9, 1)


def _cut(path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


@pytest.mark.parametrize("kind", ["kpi", "events"])
def test_a_gzip_file_that_ends_early_is_rejected_whole(con, settings, home, kind):
    write_inventory(home, DAY, [{"tower_id": "T1"}, {"tower_id": "T2"}])
    kpi = write_kpi(home, DAY, day_samples("T1", DAY) + day_samples("T2", DAY), gz=True)
    events = write_events(home, DAY, [
        syslog("T1", datetime(2026, 9, 1, h, m), "system", f"router rebooted {h}:{m}")
        for h in range(24) for m in range(0, 60, 5)], gz=True)
    cut = {"kpi": kpi, "events": events}[kind]
    _cut(cut, 0.6)
    with pytest.raises(BatchRejected, match=rf"{cut.name}: .*gzip.*ends early"):
        run_deliveries(settings, "tower_logs", str(DAY), con=con)
    dataset = {"kpi": "tower_kpi", "events": "tower_event"}[kind]
    assert con.execute(
        "SELECT status, rows_published FROM audit.load WHERE dataset = ?", [dataset]
    ).fetchall() == [("rejected", 0)]
    table = {"kpi": "core.fct_tower_kpi_5min", "events": "core.fct_tower_event"}[kind]
    assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)


def test_a_damaged_gzip_file_is_rejected_naming_it(con, settings, home):
    write_inventory(home, DAY, [{"tower_id": "T1"}])
    kpi = write_kpi(home, DAY, day_samples("T1", DAY), gz=True)
    write_events(home, DAY, [syslog("T1", datetime(2026, 9, 1, 3), "system", "rebooted")])
    data = bytearray(kpi.read_bytes())
    data[-6] ^= 0xFF  # the trailer's checksum no longer matches the content
    kpi.write_bytes(bytes(data))
    with pytest.raises(BatchRejected, match=rf"{kpi.name}: .*gzip.*damaged"):
        run_deliveries(settings, "tower_logs", str(DAY), con=con)
    assert con.execute("SELECT count(*) FROM core.fct_tower_kpi_5min").fetchone() == (0,)
