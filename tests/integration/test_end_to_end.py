"""The embedded run: generate, run every DAG through Airflow's runner, run again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KONEKTIVITAS_HOME": str(home), "COLUMNS": "160"}
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args, "--home", str(home)],
        capture_output=True, text=True, env=env, timeout=900,
    )


def _counts(home: Path) -> dict[str, object]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return {
            "dim_region": con.execute("SELECT count(*) FROM core.dim_region").fetchone()[0],
            "loads": con.execute(
                "SELECT list((dataset, status, rows_published) ORDER BY dataset, load_id) "
                "FROM audit.load"
            ).fetchone()[0],
            "files": con.execute("SELECT count(*) FROM audit.file").fetchone()[0],
            "quarantine": con.execute("SELECT count(*) FROM audit.quarantine").fetchone()[0],
        }
    finally:
        con.close()


def test_generate_run_and_rerun_through_airflow(tmp_path: Path, audit_verified) -> None:
    home = tmp_path / "home"
    # A few days across a month end keep the run short and still give two months.
    gen = _cli("generate", "--start", "2026-09-29", "--days", "3", home=home)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    first = _cli("run", home=home)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Loads by source" in first.stdout and "First statistic" in first.stdout
    # Generated data: the summary says so, above and below its tables.
    assert first.stdout.count("DATA DEMO - bukan statistik resmi / DEMO DATA - not an official statistic") == 2
    # ... and shows the latest month's real districts of Kutai Kartanegara.
    assert "Villages by district, 2026-10 (DEMO DATA)" in first.stdout
    assert all(name in first.stdout for name in ("Muara Muntai", "Kota Bangun Darat", "Samboja Barat"))
    after_first = _counts(home)
    assert after_first["dim_region"] > 0
    assert (home / "reports" / "data_docs" / "index.html").exists()
    assert (home / "airflow" / "airflow.db").exists()  # Airflow's SQLite metadata
    second = _cli("run", home=home)
    assert second.returncode == 0, second.stdout + second.stderr
    assert _counts(home) == after_first
    audit_verified(home)
    _statistician_desk_works(home)


def _statistician_desk_works(home: Path) -> None:
    """docs, query, export and report on the home the run built."""
    assert (home / "reports" / "connectivity_2026-10.html").exists()  # written by the marts DAG
    docs = _cli("docs", home=home)
    assert docs.returncode == 0 and "undocumented" not in docs.stdout, docs.stdout + docs.stderr
    assert "marts.village_connectivity_monthly" in (
        home / "reports" / "dictionary" / "data_dictionary.md").read_text()
    query = _cli("query", "SELECT month_date, villages_total FROM marts.regency_connectivity_monthly"
                 " ORDER BY month_date", "--out", str(home / "q.csv"), home=home)
    assert query.returncode == 0, query.stdout + query.stderr
    assert (home / "q.csv").read_text().splitlines()[1].startswith("2026-09-01,")
    export = _cli("export", "--month", "2026-10", home=home)
    assert export.returncode == 0, export.stdout + export.stderr
    out = home / "reports" / "exports" / "2026-10"
    # Generated data goes out under demo_ names.
    assert (out / "demo_village_connectivity_monthly.parquet").exists()
    assert (out / "demo_konektivitas_2026-10.xlsx").exists()
    assert not list(out.glob("konektivitas_*"))
    report = _cli("report", "--month", "2026-09", home=home)
    assert report.returncode == 0, report.stdout + report.stderr
    page = (home / "reports" / "connectivity_2026-09.html").read_text()
    assert "September 2026" in page and 'class="demo-bar"' in page
    # The real districts of Kutai Kartanegara, 2025 edition.
    assert "Kota Bangun Darat" in page and "Samboja Barat" in page
