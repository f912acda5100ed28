"""Tower logs pulled from a real OpenSSH sshd on loopback (pipelines.pull.towers):
each file fetched once and loaded, reruns fetch nothing, a changed file is a correction,
a bad .sha256 is refused, a growing file waits, a broken transfer leaves nothing behind."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sshd_server import noc_connection, running_sshd
from towerfiles import day_samples, syslog, write_events, write_inventory, write_kpi

from pipelines.batch.run import run_deliveries
from pipelines.pull import towers
from pipelines.pull.landing_files import fetch_dir
from pipelines.pull.sftp import SftpError

FIRST = date(2026, 9, 1)
TOWERS = ["TWR-001", "TWR-002"]


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """The NOC's folder: kpi/, events/, inventory/ as the default remote layout has them."""
    return tmp_path / "noc" / "landing" / "towers"


@pytest.fixture
def server(tmp_path: Path, remote: Path):
    remote.mkdir(parents=True)
    with running_sshd(tmp_path, remote) as s:
        yield s


def publish_day(remote: Path, day: date, sidecar: bool = True, status_slot: int = 0) -> None:
    """A day's KPI file (with its .sha256 sidecar) and syslog (without one)."""
    noc_home = remote.parents[1]
    rows = [r for t in TOWERS for r in day_samples(t, day, down_slots={status_slot})]
    kpi = write_kpi(noc_home, day, rows)
    if sidecar:
        side = kpi.with_name(kpi.name + ".sha256")
        side.write_text(f"{hashlib.sha256(kpi.read_bytes()).hexdigest()}  {kpi.name}\n")
    write_events(noc_home, day, [syslog(TOWERS[0], _noon(day), "linkmon", "link up")])


def _noon(day: date):
    from datetime import datetime

    return datetime.combine(day, datetime.min.time()) + timedelta(hours=12)


def outcomes(con, path: str) -> list[str]:
    return [o for (o,) in con.execute(
        "SELECT outcome FROM audit.remote_fetch WHERE remote_path = ? ORDER BY recorded_at, rowid",
        [path]).fetchall()]


def kpi_rows(con, day: date) -> int:
    return con.execute(
        "SELECT count(*) FROM core.fct_tower_kpi_5min WHERE kpi_date = ?",
        [day]).fetchone()[0]


def test_backfill_fetches_each_file_once_loads_it_and_a_rerun_fetches_nothing(con, settings, remote, server):
    write_inventory(remote.parents[1], FIRST, [{"tower_id": t} for t in TOWERS])
    days = [FIRST + timedelta(days=i) for i in range(10)]
    for day in days:
        publish_day(remote, day)
    conn = noc_connection(server)
    for day in days:
        # the syslog has no sidecar: it is taken at the second look, once seen unchanged
        assert towers.fetch_day(con, settings, conn, str(day)) is False
        assert towers.fetch_day(con, settings, conn, str(day)) is True
        run_deliveries(settings, "tower_logs", str(day), con=con)
        assert kpi_rows(con, day) == 288 * len(TOWERS)
    fetched = con.execute("""SELECT remote_path, count(*) FROM audit.remote_fetch
                             WHERE outcome = 'fetched' GROUP BY ALL""").fetchall()
    assert len(fetched) == 21 and {n for _, n in fetched} == {1}  # 10 kpi, 10 events, 1 inventory
    assert sorted(p.name for p in (settings.landing / "towers" / "kpi").iterdir()) == \
        [f"{d}.csv" for d in days]

    again = towers.poke(con, settings, conn)
    assert again.of("fetched") == [] and len(again.of("skipped")) == 21
    assert towers.fetch_day(con, settings, conn, str(days[3])) is True


def test_a_file_changed_remotely_is_fetched_and_replaces_its_day(con, settings, remote, server):
    write_inventory(remote.parents[1], FIRST, [{"tower_id": t} for t in TOWERS])
    publish_day(remote, FIRST)
    conn = noc_connection(server)
    towers.fetch_all(con, settings, conn, settle_s=1.1)
    run_deliveries(settings, "tower_logs", str(FIRST), con=con)
    down = "SELECT count(*) FROM core.fct_tower_kpi_5min WHERE status = 'DOWN' AND slot = ?"
    first_slot = 0
    assert con.execute(down, [first_slot]).fetchone()[0] == 2

    time.sleep(1.1)  # a later mtime, as a real re-publication has
    publish_day(remote, FIRST, status_slot=5)  # the NOC corrects the day
    report = towers.poke(con, settings, conn, FIRST)
    assert report.of("fetched") == ["kpi/2026-09-01.csv"]  # its sidecar says it is complete
    run_deliveries(settings, "tower_logs", str(FIRST), con=con)
    assert kpi_rows(con, FIRST) == 288 * len(TOWERS)  # one copy of each row
    assert con.execute(down, [first_slot]).fetchone()[0] == 0
    # fetched; skipped at fetch_all's second look (the syslog waited); fetched again, changed
    assert outcomes(con, "kpi/2026-09-01.csv") == ["fetched", "skipped", "fetched"]


def test_a_sha256_mismatch_is_rejected_recorded_and_fetched_again_next_time(con, settings, remote, server):
    publish_day(remote, FIRST)
    side = remote / "kpi" / f"{FIRST}.csv.sha256"
    side.write_text("0" * 64 + "\n")
    conn = noc_connection(server)
    report = towers.poke(con, settings, conn, FIRST)
    assert report.of("rejected") == ["kpi/2026-09-01.csv"]
    assert not (settings.landing / "towers" / "kpi" / f"{FIRST}.csv").exists()
    (message,) = con.execute("SELECT message FROM audit.remote_fetch WHERE outcome = 'rejected'"
                             ).fetchone()
    assert "kpi/2026-09-01.csv" in message and "0" * 64 in message
    assert towers.fetch_day(con, settings, conn, str(FIRST)) is False

    good = hashlib.sha256((remote / "kpi" / f"{FIRST}.csv").read_bytes()).hexdigest()
    side.write_text(good + "\n")
    assert towers.poke(con, settings, conn, FIRST).of("fetched") == ["kpi/2026-09-01.csv"]
    assert outcomes(con, "kpi/2026-09-01.csv") == ["rejected", "rejected", "fetched"]


def test_a_file_still_growing_is_taken_only_on_a_later_look(con, settings, remote, server):
    publish_day(remote, FIRST, sidecar=False)
    kpi = remote / "kpi" / f"{FIRST}.csv"
    conn = noc_connection(server)
    assert sorted(towers.poke(con, settings, conn, FIRST).of("waiting")) == [
        "events/2026-09-01.log", "kpi/2026-09-01.csv"]
    with kpi.open("a") as fh:  # the NOC is still writing it
        fh.write("TWR-001,2026-09-01T23:55:00+08:00,UP,99,30,0,40,3,-70,PLN,52\n")
    second = towers.poke(con, settings, conn, FIRST)
    assert "kpi/2026-09-01.csv" in second.of("waiting")
    assert "events/2026-09-01.log" in second.of("fetched")  # unchanged since the first look
    assert not (settings.landing / "towers" / "kpi" / f"{FIRST}.csv").exists()
    third = towers.poke(con, settings, conn, FIRST)
    assert third.of("fetched") == ["kpi/2026-09-01.csv"]
    assert (settings.landing / "towers" / "kpi" / f"{FIRST}.csv").read_bytes() == kpi.read_bytes()


def test_sshd_killed_mid_download_leaves_no_partial_file_and_the_retry_completes(
        con, settings, remote, server):
    big = remote / "kpi" / f"{FIRST}.csv"
    big.parent.mkdir(parents=True)
    with big.open("wb") as fh:  # 300 MB: long enough on loopback to be cut mid-way
        line = b"TWR-001,2026-09-01T00:00:00+08:00,UP,99.5,35.5,0.5,48.25,12,-71,PLN,52.5\n"
        block = line * (1 << 14)
        while fh.tell() < 300 << 20:
            fh.write(block)
    (remote / "kpi" / f"{FIRST}.csv.done").write_text("")
    conn = noc_connection(server)
    errors: list[BaseException] = []

    def fetch() -> None:
        try:
            towers.poke(con, settings, conn, FIRST)
        except BaseException as exc:  # noqa: BLE001 (the thread's outcome, checked below)
            errors.append(exc)

    worker = threading.Thread(target=fetch)
    worker.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the download under way: some bytes, not all
        parts = list(fetch_dir(settings).glob("*.part"))
        if parts and parts[0].stat().st_size > 20 << 20:
            break
        time.sleep(0.005)
    server.stop()  # sshd and the connection it serves, by pid
    worker.join(60)
    assert len(errors) == 1 and isinstance(errors[0], SftpError), errors
    assert not list((settings.landing).rglob("*.csv"))
    assert not list(fetch_dir(settings).glob("*.part"))
    assert outcomes(con, "kpi/2026-09-01.csv") == ["failed"]

    server.start()  # the retry
    assert towers.poke(con, settings, conn, FIRST).of("fetched") == ["kpi/2026-09-01.csv"]
    landed = settings.landing / "towers" / "kpi" / f"{FIRST}.csv"
    assert landed.stat().st_size == big.stat().st_size
    assert hashlib.sha256(landed.read_bytes()).digest() == hashlib.sha256(big.read_bytes()).digest()
