"""tower_logs pulling from a real sshd, through Airflow's own runner (dag.test, via the
embedded run): the Connection noc_sftp in its environment (URI) form, the day's fetch
task before every list."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sshd_server import running_sshd

from pipelines.demo.generate import GenerateOptions, generate
from pipelines.runner import airflow_environment
from pipelines.settings import get_settings

DAYS = ["2026-09-01", "2026-09-02"]


def test_tower_logs_fetches_its_days_over_sftp_and_loads_them(home: Path, tmp_path: Path,
                                                               audit_verified):
    audit_verified(home)
    # the demo generator writes a landing zone: here it is the NOC's server instead
    noc = tmp_path / "noc"
    generate(GenerateOptions(home=noc, start=__import__("datetime").date(2026, 9, 1), days=2))
    remote = noc / "landing" / "towers"
    for kpi in (remote / "kpi").iterdir():  # the NOC announces its KPI files' sha256
        kpi.with_name(kpi.name + ".sha256").write_text(hashlib.sha256(kpi.read_bytes()).hexdigest())
    with running_sshd(tmp_path, remote) as sshd:
        env = {**os.environ, **airflow_environment(get_settings(home)),
               "AIRFLOW_CONN_NOC_SFTP": sshd.uri()}
        code = textwrap.dedent("""
            import json
            from pipelines.runner import run_pending
            from pipelines.settings import get_settings
            from pipelines.warehouse import session
            s = get_settings()
            report = run_pending(s)
            with session(s, read_only=True) as con:
                outcomes = dict(con.execute("SELECT outcome, count(*) FROM audit.remote_fetch "
                                            "GROUP BY ALL").fetchall())
                fetched_twice = con.execute(
                    "SELECT count(*) FROM (SELECT remote_path FROM audit.remote_fetch "
                    "WHERE outcome = 'fetched' GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
                days = [d for (d,) in con.execute(
                    "SELECT DISTINCT kpi_date::VARCHAR FROM core.fct_tower_kpi_5min ORDER BY 1").fetchall()]
            print(json.dumps({"runs": report.runs, "outcomes": outcomes, "days": days,
                              "fetched_twice": fetched_twice}))
        """)
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    towers = [(d, s) for d, _, s in got["runs"] if d == "tower_logs"]
    assert towers == [("tower_logs", "success")] * 2
    assert got["days"] == DAYS
    remote_files = [p for p in remote.rglob("*") if p.is_file() and not p.name.endswith(".sha256")]
    assert got["outcomes"]["fetched"] == len(remote_files)
    assert got["fetched_twice"] == 0
    # each day's own fetch task looked again and found everything held
    assert got["outcomes"]["skipped"] >= len(remote_files)
    landed = get_settings(home).landing / "towers"
    assert sorted(p.relative_to(landed) for p in landed.rglob("*") if p.is_file()) == \
        sorted(p.relative_to(remote) for p in remote_files)
