"""Tower logs: every delivery variant loads, every bad row is quarantined with its reason,
and reloading a day never leaves two copies of a row."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from towerfiles import (
    KPI_COLUMNS,
    day_samples,
    sample,
    syslog,
    write_events,
    write_inventory,
    write_kpi,
)

from pipelines.batch.errors import BatchRejected, FilesNotLanded
from pipelines.batch.run import run_deliveries, run_delivery
from pipelines.towers import files, kpi
from pipelines.warehouse import connect

DAY = date(2026, 9, 1)


@pytest.fixture
def landed(home):
    """An inventory of two towers and a one-line syslog for DAY: KPI files vary per test."""
    write_inventory(home, DAY, [{"tower_id": "T1"}, {"tower_id": "T-2_b"}])
    write_events(home, DAY, [syslog("T1", datetime(2026, 9, 1, 3, 0), "system", "router rebooted")])
    return home


def load_day(con, settings) -> dict:
    """Every step of DAY's tower_logs run, in the test's session: {kind: published loads}."""
    return run_deliveries(settings, "tower_logs", str(DAY), con=con)


def ledger(con, dataset: str) -> list[tuple]:
    return con.execute(
        """SELECT status, rows_read, rows_published, rows_quarantined FROM audit.load
           WHERE dataset = ? ORDER BY started_at""",
        [dataset],
    ).fetchall()


def reasons_by_line(con) -> dict[int, list[str]]:
    return dict(con.execute(
        """SELECT q.record_no, q.reasons FROM audit.quarantine AS q
           JOIN audit.load AS l USING (load_id) WHERE l.dataset = 'tower_kpi' AND l.status = 'published'"""
    ).fetchall())


VARIANTS = {
    "comma": ({}, True),
    "semicolon_decimal_comma": ({"delimiter": ";"}, True),
    "bom": ({"bom": True}, True),
    "crlf": ({"crlf": True}, True),
    "gzip": ({"gz": True}, True),
    "ts_without_offset": ({}, False),
    "all_at_once": ({"delimiter": ";", "bom": True, "crlf": True, "gz": True}, False),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_kpi_variant_loads(con, settings, landed, variant):
    options, offset = VARIANTS[variant]
    rows = day_samples("T1", DAY, offset=offset) + day_samples("T-2_b", DAY, offset=offset)
    write_kpi(landed, DAY, rows, **options)

    result = load_day(con, settings)["kpi"][0]

    assert (result.rows_read, result.rows_published, result.rows_quarantined) == (576, 576, 0)
    first = con.execute(
        """SELECT measured_at, slot, availability_pct, latency_ms, battery_v, active_users
           FROM core.fct_tower_kpi_5min WHERE tower_id = 'T1' ORDER BY measured_at LIMIT 1"""
    ).fetchone()
    # 00:00 WITA is 16:00 UTC the day before, whether or not the file said +08:00.
    assert first == (datetime(2026, 8, 31, 16, 0, tzinfo=UTC), 0, 99.5, 35.5, 52.5, 12)
    # Once published, every landed row is published, none carrying a failed cast.
    assert con.execute(
        """SELECT count(*), count(*) FILTER (WHERE _cast_errors IS NOT NULL)
           FROM core.fct_tower_kpi_5min_landed"""
    ).fetchone() == (576, 0)


@pytest.fixture(params=["duckdb", "ducklake"])
def backend(request) -> str:
    """Both warehouses: the embedded DuckDB file and DuckLake (the multi-machine one), whose
    row ids the landing's line numbers also rely on."""
    if request.param == "ducklake":
        request.getfixturevalue("ducklake")
    return request.param


def test_every_bad_row_kind_is_quarantined_with_its_reason(backend, con, settings, landed):
    assert settings.warehouse_backend == backend
    good = day_samples("T1", DAY)
    bad = [
        sample("T1", "2026-09-01T00:00:00+08:00", availability_pct="100.5"),  # duplicate + range
        sample("T1", "2026-09-01T00:05:00+08:00"),  # duplicate only
        sample("NOPE", "2026-09-01T00:05:00+08:00"),
        sample("T-2_b", "2026-09-01T00:07:00+08:00"),
        sample("T-2_b", "2026-09-02T00:00:00+08:00"),
        sample("T-2_b", "2026-08-31T23:55:00+08:00"),
        sample("T-2_b", "2026-09-01T01:00:00Z"),  # 09:00 WITA: fine, given in UTC
        sample("T-2_b", "2026-09-01T02:00:00+08:00", rssi_dbm="-20", battery_v="61"),
        sample("T-2_b", "2026-09-01T02:05:00+08:00", latency_ms="-1", throughput_mbps="-3"),
        sample("T-2_b", "2026-09-01T02:10:00+08:00", packet_loss_pct="101", active_users="-1"),
        sample("T-2_b", "2026-09-01T02:15:00+08:00", status="BROKEN", power_source="WIND"),
        sample("T-2_b", "2026-09-01T02:20:00+08:00", active_users="lots"),
        sample("T-2_b", "yesterday"),
        sample("", "2026-09-01T02:25:00+08:00"),
    ]
    write_kpi(landed, DAY, good + bad)

    result = load_day(con, settings)["kpi"][0]

    first_bad = 2 + len(good)  # line of the first bad row (header is line 1)
    got = reasons_by_line(con)
    expected = {
        first_bad: ["availability_pct is out of range (0-100)",
                    "(tower_id, ts) repeats a sample already seen earlier in the file"],
        first_bad + 1: ["(tower_id, ts) repeats a sample already seen earlier in the file"],
        first_bad + 2: ["tower_id is not in the inventory snapshot in force"],
        first_bad + 3: ["ts is off the 5-minute grid"],
        first_bad + 4: ["ts is outside the file's local day"],
        first_bad + 5: ["ts is outside the file's local day"],
        first_bad + 7: ["rssi_dbm is out of range (-140 to -30)", "battery_v is out of range (0-60)"],
        first_bad + 8: ["latency_ms is out of range (>= 0)", "throughput_mbps is out of range (>= 0)"],
        first_bad + 9: ["packet_loss_pct is out of range (0-100)", "active_users is out of range (>= 0)"],
        first_bad + 10: ["status is not UP, DEGRADED or DOWN",
                         "power_source is not PLN, GENSET, SOLAR or BATTERY"],
        first_bad + 11: ["a value is not a number, or ts is not an ISO 8601 timestamp"],
        first_bad + 12: ["ts is empty or not an ISO 8601 timestamp",
                         "a value is not a number, or ts is not an ISO 8601 timestamp"],
        first_bad + 13: ["tower_id is empty"],
    }
    assert got == expected
    # The quarantined record keeps the text that failed.
    (record,) = con.execute(
        "SELECT record->>'_cast_errors' FROM audit.quarantine WHERE record_no = ?", [first_bad + 11]
    ).fetchone()
    assert record == "active_users=lots"
    assert result.rows_read == len(good) + len(bad) == result.rows_published + result.rows_quarantined
    assert result.rows_quarantined == len(expected)
    # Validation results (what Data Docs renders) count the same rows the quarantine holds.
    (dup,) = con.execute(
        """SELECT unexpected_count FROM audit.validation_result
           WHERE load_id = ? AND rule LIKE '(tower_id, ts) repeats%'""",
        [result.load_id],
    ).fetchone()
    assert dup == 2
    # The three suites' results are in Data Docs, rendered by GX from what DuckDB computed.
    index = (settings.data_docs / "index.html").read_text()
    assert all(name in index for name in ("tower_kpi", "tower_event", "tower_inventory"))


def test_file_without_a_required_column_is_rejected_whole(con, settings, landed):
    cols = [c for c in KPI_COLUMNS if c not in ("rssi_dbm", "battery_v")]
    write_kpi(landed, DAY, day_samples("T1", DAY), columns=cols)

    with pytest.raises(BatchRejected) as err:
        load_day(con, settings)

    message = str(err.value)
    assert "landing/towers/kpi/2026-09-01.csv" in message
    assert "rssi_dbm, battery_v" in message
    assert ledger(con, "tower_kpi") == [("rejected", None, 0, None)]
    assert con.execute("SELECT count(*) FROM core.fct_tower_kpi_5min").fetchone() == (0,)


def kpi_rows(con) -> list[tuple]:
    return con.execute(
        """SELECT tower_id, measured_at, count(*) FROM core.fct_tower_kpi_5min
           GROUP BY ALL HAVING count(*) > 1"""
    ).fetchall()


def test_rerun_and_corrected_file_leave_one_copy(backend, con, settings, landed):
    write_kpi(landed, DAY, day_samples("T1", DAY, down_slots={5}))
    load_day(con, settings)
    load_day(con, settings)  # same bytes: a duplicate delivery, nothing loaded
    assert [s for s, *_ in ledger(con, "tower_kpi")] == ["published", "duplicate"]

    corrected = day_samples("T1", DAY) + day_samples("T-2_b", DAY, skip_slots={0, 1})
    write_kpi(landed, DAY, corrected, gz=True)
    load_day(con, settings)

    assert kpi_rows(con) == []
    assert con.execute(
        "SELECT count(*), count(*) FILTER (WHERE status = 'DOWN') FROM core.fct_tower_kpi_5min"
    ).fetchone() == (288 + 286, 0)
    assert [s for s, *_ in ledger(con, "tower_kpi")] == ["superseded", "duplicate", "published"]
    assert con.execute(
        "SELECT count(*) FROM core.fct_tower_event WHERE event_date = ?", [DAY]
    ).fetchone() == (1,)


def test_a_kpi_file_copied_under_another_day_is_loaded_as_that_day(con, settings, landed):
    """Same bytes, another partition: a new delivery, loaded as the day its name says, so
    its rows fail the day rule visibly instead of the file being skipped as a duplicate."""
    import shutil

    nxt = date(2026, 9, 2)
    path = write_kpi(landed, DAY, day_samples("T1", DAY))
    load_day(con, settings)
    shutil.copyfile(path, path.with_name(f"{nxt}.csv"))
    write_events(landed, nxt, [syslog("T1", datetime(2026, 9, 2, 3, 0), "system", "ok")])
    (result,) = run_deliveries(settings, "tower_logs", str(nxt), con=con)["kpi"]
    assert (result.status, result.rows_read, result.rows_published) == ("published", 288, 0)
    assert result.rows_quarantined == 288
    (reasons,) = con.execute(
        "SELECT DISTINCT unnest(reasons) FROM audit.quarantine WHERE load_id = ?",
        [result.load_id]).fetchone()
    assert "day" in reasons
    assert con.execute("SELECT count(*) FROM core.fct_tower_kpi_5min").fetchone() == (288,)


def test_crash_mid_publish_then_rerun_leaves_one_copy(backend, con, settings, landed, monkeypatch):
    write_kpi(landed, DAY, day_samples("T1", DAY))

    def crash_after_insert(con, settings, dataset, load, valid):
        kpi.publish_kpi(con, settings, dataset, load, valid)
        raise RuntimeError("power cut mid-publish")

    crashing = dataclasses.replace(kpi.KPI, publish=crash_after_insert)
    monkeypatch.setattr(kpi, "FEED", dataclasses.replace(kpi.FEED, datasets=(crashing,)))
    with pytest.raises(RuntimeError, match="power cut"):
        load_day(con, settings)
    # The rows landed, but their load never published: nobody sees them.
    assert con.execute("SELECT count(*) FROM core.fct_tower_kpi_5min_landed").fetchone() == (288,)
    assert con.execute("SELECT count(*) FROM core.fct_tower_kpi_5min").fetchone() == (0,)

    monkeypatch.undo()
    load_day(con, settings)
    assert con.execute("SELECT count(*) FROM core.fct_tower_kpi_5min").fetchone() == (288,)
    assert con.execute("SELECT count(*) FROM core.fct_tower_kpi_5min_landed").fetchone() == (288,)
    assert kpi_rows(con) == []
    assert [s for s, *_ in ledger(con, "tower_kpi")] == ["abandoned", "published"]


EVENT_LINES = [
    (datetime(2026, 9, 1, 0, 50), "netwatch", "link ether1 down", "LINK_DOWN"),
    (datetime(2026, 9, 1, 1, 50), "netwatch", "link ether1 up", "LINK_UP"),
    (datetime(2026, 9, 1, 3, 0), "power", "mains lost, running on battery", "POWER_LOSS"),
    (datetime(2026, 9, 1, 4, 0), "power", "battery low 11.8V", "BATTERY_LOW"),
    (datetime(2026, 9, 1, 4, 1), "genset", "started", "GENSET_START"),
    (datetime(2026, 9, 1, 5, 0), "power", "mains restored", "POWER_RESTORED"),
    (datetime(2026, 9, 1, 5, 1), "genset", "stopped", "GENSET_STOP"),
    (datetime(2026, 9, 1, 9, 9), "system", "router rebooted", "REBOOT"),
    (datetime(2026, 9, 1, 9, 10), "dhcp", "lease renewed for 10.0.0.7", "OTHER"),
]


@pytest.mark.parametrize("variant", [{}, {"gz": True}, {"crlf": True}], ids=["plain", "gzip", "crlf"])
def test_syslog_lines_become_typed_events(con, settings, landed, variant):
    write_kpi(landed, DAY, day_samples("T1", DAY))
    lines = [syslog("T1", when, tag, msg) for when, tag, msg, _ in EVENT_LINES]
    lines.insert(3, "kernel panic without any header")
    lines.append(syslog("T1", datetime(2026, 9, 2, 0, 5), "system", "router rebooted"))
    write_events(landed, DAY, lines, **variant)

    result = load_day(con, settings)["events"][0]

    events = con.execute(
        """SELECT event_type, event_at, iface, battery_v, message FROM core.fct_tower_event
           ORDER BY line_no"""
    ).fetchall()
    assert [e[0] for e in events] == [t for *_, t in EVENT_LINES]
    assert events[0][1:3] == (datetime(2026, 8, 31, 16, 50, tzinfo=UTC), "ether1")
    assert events[3][3] == 11.8
    assert events[-1][4] == "lease renewed for 10.0.0.7"
    assert reasons_by_line_events(con) == {
        4: ["line is not RFC 3164 syslog (<PRI>Mmm dd hh:mm:ss TOWER_ID TAG: MESSAGE)"],
        11: ["the event is outside the file's local day"],
    }
    assert (result.rows_read, result.rows_published, result.rows_quarantined) == (11, 9, 2)


def reasons_by_line_events(con) -> dict[int, list[str]]:
    return dict(con.execute(
        "SELECT record_no, reasons FROM audit.quarantine WHERE dataset = 'tower_event'"
    ).fetchall())


def test_inventory_is_history(con, settings, home):
    write_inventory(home, date(2026, 9, 1), [
        {"tower_id": "A", "technology": "3G"},
        {"tower_id": "B", "decommissioned_on": "2026-09-03"},
        {"tower_id": "C", "commissioned_on": "2026-09-05"},
        {"tower_id": "bad id!"},
    ])
    write_inventory(home, date(2026, 9, 4), [
        {"tower_id": "A", "technology": "4G"},
        {"tower_id": "C", "commissioned_on": "2026-09-05", "lat": "-0.75"},
    ])

    results = run_delivery(con, settings, "tower_logs", "inventory", "2026-09-10")

    assert [(r.rows_published, r.rows_quarantined) for r in results] == [(3, 1), (2, 0)]
    history = con.execute(
        """SELECT tower_id, technology, lat, valid_from, valid_to FROM core.dim_tower
           ORDER BY tower_id, valid_from"""
    ).fetchall()
    assert history == [
        ("A", "3G", -0.5, date(2026, 9, 1), date(2026, 9, 4)),
        ("A", "4G", -0.5, date(2026, 9, 4), None),
        ("B", "4G", -0.5, date(2026, 9, 1), date(2026, 9, 4)),
        ("C", "4G", -0.5, date(2026, 9, 1), date(2026, 9, 4)),
        ("C", "4G", -0.75, date(2026, 9, 4), None),
    ]


def test_a_day_without_its_files_waits_then_fails_clearly(settings, home):
    assert files.files_landed(settings, DAY, now=datetime(2026, 9, 2, 1, tzinfo=UTC)) is False
    with pytest.raises(FilesNotLanded) as err:
        files.files_landed(settings, DAY, now=datetime(2026, 9, 3, tzinfo=UTC))
    message = str(err.value)
    assert "tower files for 2026-09-01 have not landed" in message
    assert "landing/towers/kpi/2026-09-01.csv[.gz]" in message
    assert "landing/towers/events/2026-09-01.log[.gz]" in message

    write_inventory(home, DAY, [{"tower_id": "T1"}])
    write_kpi(home, DAY, day_samples("T1", DAY), gz=True)
    write_events(home, DAY, [])
    assert files.files_landed(settings, DAY, now=datetime(2026, 9, 9, tzinfo=UTC)) is True


def test_a_task_overtaken_by_a_later_attempt_waits_for_that_attempt_to_publish(settings, landed):
    """Two task instances of one day (a backfill and a manual run): B's archive opens a later
    attempt at the inventory while A is between validate and publish. A's publish must not
    report the inventory done before B publishes it, or A's KPI is checked against no
    towers and published with every row quarantined (selftest race two-task-instances)."""
    from pipelines.batch.days import local_midnight
    from pipelines.batch.errors import WarehouseBusy
    from pipelines.batch.run import run_task
    from pipelines.batch.sources import STEPS

    write_kpi(landed, DAY, day_samples("T1", DAY))
    when = local_midnight(DAY)
    data = {"A": None, "B": None}

    def task(chain: str, kind: str, step: str) -> None:
        data[chain] = run_task(settings, "tower_logs", kind, step,
                               None if step == "list" else data[chain], None, when, when, None)

    for step in STEPS[:-1]:
        task("A", "inventory", step)
    task("B", "inventory", "list")
    task("B", "inventory", "archive")  # overtakes A's inventory load
    with pytest.raises(WarehouseBusy) as busy:
        task("A", "inventory", "publish")
    message = str(busy.value)
    assert "\n" not in message
    assert message.startswith("tower_logs/inventory: landing/towers/inventory/2026-09-01.csv: ")
    assert "taken over by a later attempt" in message and "not published yet" in message
    for step in STEPS[2:]:
        task("B", "inventory", step)
    task("A", "inventory", "publish")  # run again by Airflow: B published the partition
    for chain in "AB":
        for step in STEPS:
            task(chain, "kpi", step)

    con = connect(settings, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM core.fct_tower_kpi_5min").fetchone() == (288,)
        assert [s for s, *_ in ledger(con, "tower_inventory")] == ["abandoned", "published"]
        assert [s for s, *_ in ledger(con, "tower_kpi")] == ["published", "duplicate"]
    finally:
        con.close()
