"""`audit verify` and `audit replay` on a home the pipeline built: untouched it verifies
and replays identical; each alteration (archive bytes, an audit row edited, deleted,
two reordered, a published mart value) is caught and named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.audit.replay import Replay, compare, mart_rows
from pipelines.audit.verify import report_lines, verify
from pipelines.marts import engine
from pipelines.settings import get_settings
from pipelines.warehouse import session

pytestmark = pytest.mark.slow
MONTH = date(2026, 10, 1)


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KONEKTIVITAS_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)],
        capture_output=True, text=True, env=env, timeout=900,
    )


@pytest.fixture
def home(demo_home: Path) -> Path:
    return demo_home


def _copy(home: Path, tmp_path: Path) -> Path:
    """The warehouse and the archive of the home, to alter."""
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(home / "warehouse.duckdb", copy / "warehouse.duckdb")
    shutil.copytree(home / "archive", copy / "archive")
    return copy


def _verify(home: Path) -> tuple[bool, str]:
    settings = get_settings(home)
    with session(settings, read_only=True) as con:
        checks = verify(con, settings.home)
    return all(c.ok for c in checks), "\n".join(report_lines(checks))


def _sql(home: Path, statement: str) -> tuple | None:
    """Run one statement on the home's warehouse, directly: its first row."""
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    try:
        return con.execute(statement).fetchone()
    finally:
        con.close()


def test_verify_passes_on_the_untouched_home(home: Path) -> None:
    proc = _cli("audit", "verify", home=home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "all 8 checks ok" in proc.stdout
    assert "ok      hash chain links" in proc.stdout


def test_one_byte_of_an_archived_file_altered_is_named(home: Path, tmp_path: Path) -> None:
    copy = _copy(home, tmp_path)
    (rel,) = _sql(copy, "SELECT archive_path FROM audit.file ORDER BY archive_path LIMIT 1")
    path = copy / rel
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    proc = _cli("audit", "verify", home=copy)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAILED  archived files match their sha256" in proc.stdout
    assert f"{rel} (first landed as" in proc.stdout and "hash to" in proc.stdout
    assert "1 of 8 checks FAILED" in proc.stdout


def test_an_edited_audit_row_is_named(home: Path, tmp_path: Path) -> None:
    copy = _copy(home, tmp_path)
    load_id, event_no = _sql(copy, """
        SELECT load_id, event_no FROM audit.load_event
        WHERE dataset = 'tower_kpi' AND status = 'published' ORDER BY event_no LIMIT 1""")
    _sql(copy, f"""UPDATE audit.load_event SET rows_published = rows_published + 1
                     WHERE event_no = {event_no}""")
    ok, out = _verify(copy)
    assert not ok
    assert f"audit.load_event record {load_id}#{event_no}" in out
    assert "edited since sealed" in out
    assert f"load {load_id} (landing/towers/kpi/" in out  # rows no longer reconcile


def test_a_deleted_audit_row_is_named(home: Path, tmp_path: Path) -> None:
    copy = _copy(home, tmp_path)
    (sha,) = _sql(copy, """
        SELECT sha256 FROM audit.load WHERE dataset = 'tower_inventory' ORDER BY sha256 LIMIT 1""")
    _sql(copy, f"DELETE FROM audit.file WHERE sha256 = '{sha}'")
    ok, out = _verify(copy)
    assert not ok
    assert f"audit.file record {sha} (chain entry" in out and "): deleted" in out
    assert "FAILED  no load without its files" in out


def test_two_swapped_chain_entries_are_named(home: Path, tmp_path: Path) -> None:
    copy = _copy(home, tmp_path)
    _sql(copy, "UPDATE audit.chain SET seq = CASE seq WHEN 5 THEN 6 ELSE 5 END WHERE seq IN (5, 6)")
    ok, out = _verify(copy)
    assert not ok
    assert "FAILED  hash chain links" in out
    assert "chain entry 5 (" in out and "does not follow the entry before it" in out
    assert "ok      audit records as sealed" in out  # the records themselves are unchanged


def test_replay_of_the_latest_month_is_identical_and_names_an_edited_value(
    home: Path, tmp_path: Path
) -> None:
    proc = _cli("audit", "replay", "--month", f"{MONTH:%Y-%m}", "--keep", home=home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "identical:" in proc.stdout
    scratch = Path(proc.stdout.split("scratch home ", 1)[1].split()[0])
    try:
        copy = _copy(home, tmp_path)
        _sql(copy, f"""UPDATE marts.district_connectivity_monthly
                       SET villages_total = villages_total + 1
                       WHERE month_date = DATE '{MONTH}' AND district_code = '64.02.19'""")
        (n,) = _sql(copy, f"""SELECT villages_total FROM marts.district_connectivity_monthly
                              WHERE month_date = DATE '{MONTH}' AND district_code = '64.02.19'""")
        result = Replay(MONTH, scratch)
        compare(get_settings(copy), get_settings(scratch), result)
        assert result.differences == [(
            "district_connectivity_monthly", "2026-10-01,64.02.19", "villages_total", n, n - 1)]
        assert not result.identical
        assert ("district_connectivity_monthly [2026-10-01,64.02.19] villages_total: "
                f"published {n}, replayed {n - 1}") in "\n".join(result.report_lines())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_marts_built_again_with_other_threads_are_bit_identical(home: Path, tmp_path: Path) -> None:
    copy = _copy(home, tmp_path)
    settings = get_settings(copy)
    months = [m for m in engine.discover(settings).values() if m.partition == "month"]

    def build(threads: int) -> dict:
        with session(settings) as con:
            con.execute(f"SET threads = {threads}")
            engine.build_month(con, settings, MONTH)
            return {m.name: mart_rows(con, m, MONTH) for m in months}

    with session(settings, read_only=True) as con:
        published = {m.name: mart_rows(con, m, MONTH) for m in months}
    one, four = build(1), build(4)
    assert any(published.values())
    assert one == four == published
    # equal as Python values is equal bits for floats, NaN aside: none in these marts
    assert all(v == v for rows in one.values() for r in rows.values() for v in r.values()
               if isinstance(v, float))
