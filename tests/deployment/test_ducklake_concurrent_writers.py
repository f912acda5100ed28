"""Concurrent writers on DuckLake (catalog in the local PostgreSQL): two writers publishing
the same partition at once end with one copy of every row and a recorded retry; a real
DuckLake commit conflict is retried; one past the bound fails in one clear line."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from pipelines.batch.steps import archive_step, publish_step, stage_step, validate_step
from pipelines.commit import CommitConflict, Target, committed
from pipelines.registry import kemendagri
from pipelines.registry.kemendagri import publish_edition
from pipelines.settings import get_settings
from pipelines.warehouse import connect, migrate_warehouse

EDITION = "2025-07-01"


@pytest.fixture
def lake_settings(ducklake, tmp_path):
    settings = dataclasses.replace(get_settings(tmp_path / "home"), commit_backoff_s=0.05,
                                   commit_retries=40)
    migrate_warehouse(settings)
    return settings


def _staged(settings, name: str, village: str):
    """A writer's own session with one edition file archived, staged and validated."""
    folder = settings.landing / "registry" / "kemendagri" / name
    folder.mkdir(parents=True)
    path = folder / f"{EDITION}.csv"
    path.write_text(f"kode,nama\n64.02,Kab\n64.02.01,Satu\n64.02.01.2001,{village}\n")
    con = connect(settings)
    load = archive_step(con, settings, kemendagri.DATASET, path, EDITION)
    stage_step(con, settings, kemendagri.DATASET, load)
    validate_step(con, settings, kemendagri.DATASET, load)
    return con, load


def _commits(settings, load_id: str) -> list[tuple[int, str]]:
    reader = connect(settings, read_only=True)
    try:
        return reader.execute(
            "SELECT attempt, outcome FROM audit.warehouse_commit WHERE load_id = ? ORDER BY attempt",
            [load_id]).fetchall()
    finally:
        reader.close()


def test_two_writers_publishing_one_partition_at_once_leave_one_copy(lake_settings) -> None:
    con_a, load_a = _staged(lake_settings, "a", "Desa Lama")
    con_b, load_b = _staged(lake_settings, "b", "Desa Baru")

    def slow_publish(con, settings, dataset, load, valid):
        # Writer A holds the partition until writer B has met it and recorded a retry.
        n = publish_edition(con, settings, dataset, load, valid)
        deadline = time.monotonic() + 60
        while not any(o == "conflict" for _, o in _commits(settings, load_b.load_id)):
            assert time.monotonic() < deadline, "writer B never met writer A"
            time.sleep(0.05)
        return n

    slow = dataclasses.replace(kemendagri.DATASET, publish=slow_publish)
    results, errors = {}, []

    def write(name, con, dataset, load):
        try:
            results[name] = publish_step(con, lake_settings, dataset, load)
        except Exception as exc:  # surfaced below with its writer's name
            errors.append((name, exc))

    a = threading.Thread(target=write, args=("a", con_a, slow, load_a))
    a.start()
    # B starts once A holds the partition's claim (A's first attempt is under way).
    deadline = time.monotonic() + 30
    while not _claimed(lake_settings):
        assert time.monotonic() < deadline and a.is_alive(), errors
        time.sleep(0.02)
    b = threading.Thread(target=write, args=("b", con_b, kemendagri.DATASET, load_b))
    b.start()
    a.join(90)
    b.join(90)
    con_a.close()
    con_b.close()
    assert not errors, errors
    assert results["a"].rows_published == results["b"].rows_published == 3

    reader = connect(lake_settings, read_only=True)
    rows = reader.execute(
        "SELECT code, name, count(*) FROM core.region_edition WHERE edition_date = ? "
        "GROUP BY ALL ORDER BY code", [EDITION]).fetchall()
    statuses = dict(reader.execute(
        "SELECT load_id, status FROM audit.load WHERE dataset = 'kemendagri_region'").fetchall())
    reader.close()
    # One copy of every row, all of them the writer that committed last (B).
    assert rows == [("64.02", "Kab", 1), ("64.02.01", "Satu", 1), ("64.02.01.2001", "Desa Baru", 1)]
    assert statuses == {load_a.load_id: "superseded", load_b.load_id: "published"}
    b_attempts = _commits(lake_settings, load_b.load_id)
    assert b_attempts[0] == (1, "conflict") and b_attempts[-1][1] == "committed"
    assert {o for _, o in b_attempts[:-1]} == {"conflict"}
    assert _commits(lake_settings, load_a.load_id) == [(1, "committed")]


def _claimed(settings) -> bool:
    import psycopg2

    pg = psycopg2.connect(settings.ducklake_catalog)
    try:
        with pg.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
            return cur.fetchone()[0] > 0
    finally:
        pg.close()


@pytest.fixture
def probe(lake_settings):
    """Two rows in one Parquet file: updating either deletes from that file."""
    con = connect(lake_settings)
    con.execute("CREATE TABLE staging.probe (id INTEGER, v INTEGER)")
    con.execute("INSERT INTO staging.probe VALUES (1, 0), (2, 0)")
    other = connect(lake_settings)
    yield con, other
    con.close()
    other.close()


def test_a_ducklake_commit_conflict_is_retried_and_recorded(lake_settings, probe) -> None:
    con, other = probe
    calls = []

    def work(c):
        c.execute("UPDATE staging.probe SET v = v + 1 WHERE id = 1")
        if not calls:  # another worker commits a change to the same file meanwhile
            other.execute("UPDATE staging.probe SET v = v + 1 WHERE id = 2")
        calls.append(1)
        return len(calls)

    assert committed(con, lake_settings, Target("probe", "p1"), work) == 2
    assert con.execute("SELECT id, v FROM staging.probe ORDER BY id").fetchall() == [(1, 1), (2, 1)]
    outcomes = con.execute("SELECT attempt, outcome, message FROM audit.warehouse_commit "
                           "WHERE dataset = 'probe' ORDER BY attempt").fetchall()
    assert [(a, o) for a, o, _ in outcomes] == [(1, "conflict"), (2, "committed")]
    assert "conflict" in outcomes[0][2].lower()


def test_a_conflict_on_every_attempt_fails_in_one_clear_line(lake_settings, probe) -> None:
    con, other = probe
    settings = dataclasses.replace(lake_settings, commit_retries=2, commit_backoff_s=0.01)

    def work(c):
        c.execute("UPDATE staging.probe SET v = v + 1 WHERE id = 1")
        # The other worker changes the same row each time: always the same file as ours.
        other.execute("UPDATE staging.probe SET v = v + 10 WHERE id = 1")

    with pytest.raises(CommitConflict) as caught:
        committed(con, settings, Target("probe", "p1"), work)
    message = str(caught.value)
    assert "\n" not in message and caught.value.__cause__ is None
    assert "probe partition p1: not committed after 3 attempts" in message
    assert "KONEKTIVITAS_COMMIT_RETRIES" in message
    # Nothing of the write was kept; every attempt is in audit.
    assert con.execute("SELECT v FROM staging.probe WHERE id = 1").fetchone() == (30,)
    assert [o for (o,) in con.execute("SELECT outcome FROM audit.warehouse_commit "
                                      "WHERE dataset = 'probe' ORDER BY attempt").fetchall()] == [
        "conflict", "conflict", "failed"]


def test_a_step_whose_own_commit_meets_another_writer_is_run_again(lake_settings, probe) -> None:
    from pipelines.commit import rerun_on_conflict

    _, other = probe
    calls = []

    def step() -> int:
        # As a task's step does: its own session, a write committed by itself.
        con = connect(lake_settings)
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute("UPDATE staging.probe SET v = v + 1 WHERE id = 1")
            if not calls:
                other.execute("UPDATE staging.probe SET v = v + 10 WHERE id = 1")
            calls.append(1)
            con.execute("COMMIT")
            return len(calls)
        finally:
            con.close()

    assert rerun_on_conflict(lake_settings, "probe step", step) == 2
    assert other.execute("SELECT v FROM staging.probe WHERE id = 1").fetchone() == (11,)

    def always() -> None:
        calls.clear()  # the other writer now wins every time
        step()

    with pytest.raises(CommitConflict, match=r"^probe step: not committed after 3 attempts"):
        rerun_on_conflict(dataclasses.replace(lake_settings, commit_retries=2,
                                              commit_backoff_s=0.01), "probe step", always)
    assert other.execute("SELECT v FROM staging.probe WHERE id = 1").fetchone() == (41,)


def _at_once(settings, writer, n: int = 3) -> None:
    """writer(con, i) in n threads, each on its own connection, started together."""
    start = threading.Barrier(n)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        con = connect(settings)
        try:
            start.wait()
            writer(con, i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            con.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_writers_sealing_at_once_keep_one_unbroken_chain(lake_settings) -> None:
    """Three writers each start 15 loads, each load its own commit, all at once: the audit
    chain stays one sequence (no two entries in one place) and seals every event."""
    from pipelines.audit import records as audit
    from pipelines.audit.verify import chain_links, sealed_records

    def writer(con, n: int) -> None:
        for i in range(15):
            audit.start_load(con, "registry", "d", f"2025-{n + 1:02d}-{i + 1:02d}", None, "x.csv")

    _at_once(lake_settings, writer)
    reader = connect(lake_settings, read_only=True)
    try:
        assert chain_links(reader) == [] and sealed_records(reader) == []
        assert reader.execute(
            "SELECT count(*), count(DISTINCT seq), max(seq) FROM audit.chain WHERE kind = 'load_event'"
        ).fetchone() == (45, 45, 45)
        assert reader.execute("SELECT count(*) FROM audit.chain_pending").fetchone() == (0,)
    finally:
        reader.close()


def test_attempts_at_one_partition_at_once_never_write_one_load_twice(lake_settings) -> None:
    """Three writers load the same three partitions at once, as racing task instances do:
    a writer starting its attempt never writes another writer's load. Each load's history
    has one writer, so no event of it is written twice (which the chain would flag as an
    edit), and each partition ends with exactly one published load."""
    from pipelines.audit import records as audit
    from pipelines.audit.verify import sealed_records

    def writer(con, _: int) -> None:
        for i in range(9):
            part = f"2025-01-{i % 3 + 1:02d}"
            load = audit.start_load(con, "registry", "d", part, None, "x.csv")
            audit.set_rows_read(con, load.load_id, 10)

            def publish(c, part=part, load=load):
                audit.supersede_partition(c, "d", part, load.load_id)
                audit.finish_load(c, load.load_id, "published", None, 10, 0)

            committed(con, lake_settings, Target("d", part, load.load_id), publish)

    _at_once(lake_settings, writer)
    reader = connect(lake_settings, read_only=True)
    try:
        assert reader.execute(
            """SELECT load_id, event_no, list(status) FROM audit.load_event
               GROUP BY ALL HAVING count(*) > 1""").fetchall() == []
        assert sealed_records(reader) == []
        assert reader.execute(
            """SELECT partition_key, count(*) FILTER (WHERE status = 'published') FROM audit.load
               GROUP BY ALL ORDER BY ALL""").fetchall() == [
            ("2025-01-01", 1), ("2025-01-02", 1), ("2025-01-03", 1)]
        assert reader.execute("SELECT count(*) FROM audit.load").fetchone() == (27,)
    finally:
        reader.close()
