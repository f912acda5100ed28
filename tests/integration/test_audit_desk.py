"""The auditor's desk on one small demo home built through Airflow's runner (with the demo
partner API on loopback), and --as-of-load on DuckLake (real PostgreSQL catalog)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.audit.desk.file import file_report
from pipelines.audit.desk.runs import list_runs
from pipelines.audit.desk.trace import trace_number
from pipelines.io.archive import sha256_of
from pipelines.marts.engine import discover
from pipelines.settings import Settings, get_settings

pytestmark = pytest.mark.slow


def _cli(*args: str, home: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env or {}), "KONEKTIVITAS_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)],
        capture_output=True, text=True, env=env, timeout=900,
    )


@pytest.fixture
def home(demo_home: Path) -> Path:
    return demo_home


@pytest.fixture
def con(home: Path):
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture
def settings(home: Path) -> Settings:
    return get_settings(home)


def test_runs_give_each_load_its_rows_and_verdict(home, con) -> None:
    runs = list_runs(con)
    assert len(runs) == con.execute("SELECT count(*) FROM audit.load").fetchone()[0]
    for r in runs:
        if r.status == "published":
            assert r.rows_read == r.rows_published + r.rows_quarantined
            assert r.verdict == "passed" if not r.rows_quarantined else re.fullmatch(
                rf"published, {r.rows_quarantined} rows? quarantined \(\d+ rules?\)", r.verdict)
    assert any(r.rows_quarantined for r in runs)  # the demo quarantines some KPI rows
    towers = list_runs(con, source="towers", since=date(2000, 1, 1))
    assert towers and {r.source for r in towers} == {"towers"}
    out = _cli("audit", "runs", "--source", "tower_kpi", home=home)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "quarantined" in out.stdout and "Failed" not in out.stdout
    assert f"{sum(r.dataset == 'tower_kpi' for r in towers)} load(s)" in out.stdout


def test_file_shows_where_rows_went_and_the_refused_rows(home, con, settings) -> None:
    load_id, sha, name = con.execute(
        """SELECT load_id, sha256, file_name FROM audit.load
           WHERE status = 'published' AND rows_quarantined > 0 ORDER BY started_at LIMIT 1"""
    ).fetchone()
    report = file_report(con, settings, sha)
    assert report.sha256 == sha and [r.load_id for r in report.loads] == [load_id]
    published = dict(((t, lid), n) for t, lid, n in report.core_rows)
    assert sum(published.values()) >= report.loads[0].rows_published
    lines = [q for (q,) in con.execute(
        "SELECT record_no FROM audit.quarantine WHERE load_id = ? ORDER BY record_no",
        [load_id]).fetchall()]
    assert [q.line for q in report.quarantined] == lines[:len(report.quarantined)]
    assert report.quarantined_total == len(lines) and all(q.reasons for q in report.quarantined)
    refusing = [v for v in report.validation if v.unexpected_count]
    assert refusing and all(v.sample for v in refusing)
    assert Path(report.data_docs[load_id]).is_file()
    # The same file, named by its path in the archive.
    by_path = file_report(con, settings, str(home / report.archive_path))
    assert by_path.sha256 == sha
    out = _cli("audit", "file", name, home=home)
    assert out.returncode == 0, out.stdout + out.stderr
    assert sha in out.stdout and f"Rows refused ({len(lines)}" in out.stdout
    assert "Data Docs for load" in out.stdout


def test_an_unknown_file_or_mart_is_named(home) -> None:
    out = _cli("audit", "file", "landing/towers/kpi/1999-01-01.csv", home=home)
    assert out.returncode == 1
    assert "landing/towers/kpi/1999-01-01.csv: no such file here" in " ".join(out.stdout.split())
    out = _cli("audit", "trace", "no_such_mart", "x", "y", home=home)
    assert out.returncode == 1 and "no mart 'no_such_mart': one of" in out.stdout


def test_validation_history_is_queryable(con) -> None:
    rows = con.execute(
        """SELECT expectation_type, unexpected_count, observed_value, unexpected_sample, run_id,
                  load_id
           FROM audit.validation_result""").fetchall()
    assert rows and all(run_id == f"load-{load_id}" for *_, run_id, load_id in rows)
    import json

    for kind, bad, observed, sample, _, _ in rows:
        assert len(json.loads(sample)) == min(bad, 20)
        if kind.startswith("unexpected"):
            assert json.loads(observed) == bad


def test_trace_blank_spots_to_the_archived_bytes(home, con, settings) -> None:
    district, value = con.execute(
        """SELECT district_code, villages_blank_spot FROM marts.district_connectivity_monthly
           WHERE month_date = DATE '2026-10-01' ORDER BY villages_blank_spot DESC LIMIT 1"""
    ).fetchone()
    assert value > 0
    t = trace_number(con, settings, "district_connectivity_monthly", f"{district},2026-10",
                     "villages_blank_spot")
    assert t.value == value and t.adds_up is True
    villages = t.steps[0]
    assert villages.table == "marts.village_connectivity_monthly"
    assert villages.rows == value == len(villages.sample)
    assert all(v["blank_spot"] and v["district_code"] == district for v in villages.sample)
    assert sum(1 for v in villages.sample if v["blank_spot"]) == value
    datasets = {f.dataset for f in t.files}
    assert {"kemendagri_region", "village_attributes", "tower_kpi"} <= datasets
    for f in t.files:
        assert sha256_of(home / f.archive_path) == f.sha256, f.file_name
    out = _cli("audit", "trace", "district_connectivity_monthly", f"{district},2026-10",
               "villages_blank_spot", home=home)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "(adds up)" in out.stdout and t.files[0].sha256 in out.stdout


def test_trace_works_for_every_mart(con, settings) -> None:
    empty = []
    for model in discover(settings).values():
        grain = ", ".join(f'"{c}"' for c in model.grain)
        rel = con.execute(f"SELECT {grain}, * EXCLUDE ({grain}) FROM {model.qualified} LIMIT 1")
        row = rel.fetchone()
        if row is None:
            empty.append(model.name)
            continue
        names = [d[0] for d in rel.description]
        key = ",".join(str(v) for v in row[:len(model.grain)])
        column = next(n for n in names if n not in model.grain)
        t = trace_number(con, settings, model.name, key, column)
        assert t.value == dict(zip(names, row, strict=True))[column]
        assert t.steps or t.limits, model.name
        assert t.adds_up is not False, (model.name, t.explanation)
    # The demo is a regency run: the province mart has rows only for a province or the nation.
    assert empty == ["province_connectivity_monthly"]


def test_a_monthly_sum_over_days_adds_up_the_month_only(con, settings) -> None:
    tower, days = con.execute(
        """SELECT tower_id, count(*) FROM marts.tower_availability_daily
           WHERE kpi_date < DATE '2026-10-01' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1""").fetchone()
    t = trace_number(con, settings, "tower_availability_monthly", f"2026-09,{tower}",
                     "tower_downtime_minutes")
    assert t.adds_up is True
    daily = t.steps[0]
    assert daily.table == "marts.tower_availability_daily" and daily.rows == days
    assert all(r["kpi_date"].month == 9 and r["tower_id"] == tower for r in daily.sample)


def test_trace_names_a_bad_key(con, settings) -> None:
    with pytest.raises(ValueError, match=r"grain is \(month_date, district_code\)"):
        trace_number(con, settings, "district_connectivity_monthly", "64.02.19", "villages_total")
    with pytest.raises(LookupError, match="has no row"):
        trace_number(con, settings, "district_connectivity_monthly", "99.99,2026-10", "villages_total")


def test_month_report_is_written_offline_and_linked(home, settings) -> None:
    out = _cli("audit", "month", "2026-10", home=home)
    assert out.returncode == 0, out.stdout + out.stderr
    page = (settings.reports / "audit_2026-10.html").read_text(encoding="utf-8")
    assert "Laporan Audit Bulanan" in page and "Monthly Audit Report" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        kpi_days = [p for (p,) in con.execute(
            "SELECT partition_key FROM audit.load WHERE dataset = 'tower_kpi' "
            "AND status = 'published'").fetchall()]
        builds = con.execute(
            "SELECT count(*) FROM audit.mart_build WHERE month_date = DATE '2026-10-01'").fetchone()[0]
    finally:
        con.close()
    # October's KPI day is an input; September's days are not.
    assert page.count("<td>tower_kpi</td>") == sum(d.startswith("2026-10") for d in kpi_days) == 1
    assert "kemendagri_region" in page and builds > 0 and "2026-10-01" in page
    index = (settings.data_docs / "index.html").read_text(encoding="utf-8")
    assert "href='../audit_2026-10.html'" in index
    # GX's own table of runs says each load's verdict too, never "Failed".
    assert "'_validation_success_text': 'Failed'" not in index
    assert "'_validation_success_text': 'published, " in index


def test_as_of_load_needs_ducklake(home, con) -> None:
    (load_id,) = con.execute("SELECT load_id FROM audit.load LIMIT 1").fetchone()
    for args in (("audit", "trace", "district_village_count", "64.02.01", "villages_total"),
                 ("query", "SELECT 1")):
        out = _cli(*args, "--as-of-load", load_id, home=home)
        assert out.returncode == 1
        assert "--as-of-load needs the DuckLake warehouse" in " ".join(out.stdout.split())


EDITION_ONE = "kode,nama\n64.02,Kab\n64.02.01,Satu\n64.02.01.2001,Desa A\n"
EDITION_TWO = EDITION_ONE + "64.02.01.2002,Desa B\n"


def test_as_of_load_reads_the_lake_right_after_that_load(ducklake, tmp_path) -> None:
    """DuckLake (catalog in the local PostgreSQL): each publish records its snapshot, and
    --as-of-load reads core and marts as they were right after that load."""
    from pipelines.audit.desk.as_of import as_of_load
    from pipelines.batch.steps import load_file
    from pipelines.marts.engine import build_all
    from pipelines.registry import kemendagri
    from pipelines.warehouse import connect, migrate_warehouse

    lake = get_settings(tmp_path / "home")
    migrate_warehouse(lake)
    folder = lake.landing / "registry" / "kemendagri"
    folder.mkdir(parents=True)
    loads = []
    for name, text in (("2025-07-01.csv", EDITION_ONE), ("2025-08-01.csv", EDITION_TWO)):
        (folder / name).write_text(text)
        con = connect(lake)
        loads.append(load_file(con, lake, kemendagri.DATASET, folder / name, name[:10]).load_id)
        con.close()
        build_all(lake)  # the marts of this edition, built after its load
    first, second = loads
    with as_of_load(lake, None) as con:
        snapshots = dict(con.execute("SELECT load_id, snapshot_id FROM audit.load_snapshot").fetchall())
        rows_now = con.execute("SELECT count(*) FROM core.region_edition").fetchone()[0]
    assert set(snapshots) == {first, second} and snapshots[first] < snapshots[second]
    with as_of_load(lake, first) as con:
        assert con.execute("SELECT count(*) FROM core.region_edition").fetchone()[0] == 3 < rows_now
    # Right after the second load its marts were not rebuilt yet: they still count one village.
    with as_of_load(lake, second) as con:
        then = trace_number(con, lake, "district_village_count", "64.02.01", "villages_total")
    with as_of_load(lake, None) as con:
        now = trace_number(con, lake, "district_village_count", "64.02.01", "villages_total")
    assert (then.value, now.value) == (1, 2)
    out = _cli("query", "SELECT count(*) AS n FROM core.region_edition", "--as-of-load", first,
               home=lake.home)
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"\b3\b", out.stdout) and not re.search(rf"\b{rows_now}\b", out.stdout)
    out = _cli("audit", "trace", "district_village_count", "64.02.01", "villages_total",
               "--as-of-load", second, home=lake.home)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"villages_total = 1 as of load {second}" in out.stdout
