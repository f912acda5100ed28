"""The pln_partner DAG end to end through Airflow's runner, on a temporary home, against
the partner API server on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from pln_support import TOKEN, write_config

from pipelines.batch.sources import SOURCES
from pipelines.demo.generate import GenerateOptions, generate
from pipelines.demo.generate.pln import api_folder
from pipelines.demo.partner_server import Faults, PartnerApiServer, PartnerData
from pipelines.pln.api_client import ENV_CONN
from pipelines.runner import configure_airflow, planned_runs
from pipelines.warehouse import session


@pytest.mark.slow
def test_pln_partner_dag_runs_end_to_end(settings, tmp_path, audit_verified):
    generate(GenerateOptions(home=settings.home, days=31), only=("registry", "pln"))
    faults = Faults(rate_limit_first=1, retry_after_s=1, error_every=5, duplicate_across_pages=True)
    env = {
        **os.environ,
        "KONEKTIVITAS_HOME": str(settings.home),
        "KONEKTIVITAS_CONFIG": str(write_config(tmp_path, [])),
        "KONEKTIVITAS_PLN_PAGE_SIZE": "50",
        "KONEKTIVITAS_PLN_BACKOFF_S": "0.05",
    }
    with PartnerApiServer(PartnerData.read(api_folder(settings.home)), TOKEN, faults) as api:
        env[ENV_CONN] = json.dumps({"conn_type": "http", "host": "127.0.0.1", "port": api.port,
                                    "schema": "http", "password": TOKEN})
        # A fresh process: Airflow must be configured before it is first imported.
        proc = subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "run", "--home", str(settings.home)],
            env=env, capture_output=True, text=True, timeout=300,
        )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert TOKEN not in proc.stdout + proc.stderr
    assert any("/v1/outages" in r for r in api.requests)
    with session(settings, read_only=True) as con:
        def one(sql: str):
            return con.execute(sql).fetchone()[0]

        assert one("SELECT count(*) FROM core.dim_partner_site") >= 30
        assert one("SELECT count(*) FROM core.fct_partner_outage") > 50
        assert one("SELECT count(*) FROM audit.api_watermark") == 2
        assert one("SELECT count(DISTINCT site_id) FROM core.fct_partner_sla_reported "
                   "WHERE report_month = '2026-09'") > 20
        assert one("SELECT count(*) FROM marts.partner_sla_monthly "
                   "WHERE month_date = DATE '2026-09-01' AND sla_reported_availability_pct "
                   "IS NOT NULL") > 20
        assert one("SELECT count(*) FROM audit.load WHERE source = 'pln' "
                   "AND status NOT IN ('published')") == 0
    audit_verified(settings.home)
    leaks = [p for p in settings.home.rglob("*") if p.is_file() and TOKEN.encode() in p.read_bytes()]
    assert leaks == []  # Airflow's logs and metadata included


def test_run_skips_the_pull_with_a_clear_message_without_a_connection(settings, monkeypatch, capsys):
    monkeypatch.delenv(ENV_CONN, raising=False)
    configure_airflow(settings)  # the runner asks Airflow for the connection
    assert planned_runs(settings, SOURCES["pln_partner"]) == []  # nothing landed: no run at all
    assert "no connection 'pln_partner_api'" in capsys.readouterr().out
