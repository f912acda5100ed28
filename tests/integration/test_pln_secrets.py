"""The partner's token never appears in logs, archive metadata, Data Docs or error messages."""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime

import pytest
from pln_support import FAST, TOKEN, partner_server, write_config, write_registry

from pipelines.cli import main
from pipelines.demo.partner_server import Faults
from pipelines.pln import api_client as pln_api
from pipelines.pln import pull as pln
from pipelines.runner import airflow_connection, configure_airflow
from pipelines.settings import get_settings
from pipelines.warehouse import session


def test_the_token_never_leaks(settings, tmp_path, monkeypatch, caplog, capsys):
    monkeypatch.setenv("KONEKTIVITAS_CONFIG", str(write_config(tmp_path, [])))
    settings = get_settings(settings.home)  # one that sees the config
    caplog.set_level(logging.DEBUG)  # urllib3 and requests included
    write_registry(settings)
    errors: list[str] = []
    days = iter(range(10, 30))

    def attempt(faults: Faults) -> None:
        with partner_server(faults=faults) as (_, conn):
            assert TOKEN not in repr(conn)
            try:
                pln.pull(settings, conn, datetime(2026, 9, next(days), tzinfo=UTC), FAST,
                         sleep=lambda s: None)
            except Exception as exc:  # every failure mode, its message and its traceback
                errors.append(str(exc) + repr(exc) + "".join(traceback.format_exception(exc)))

    attempt(Faults(duplicate_across_pages=True))
    attempt(Faults(rate_limit_first=1, error_every=3))
    attempt(Faults(unauthorized=True))
    attempt(Faults(malformed=("sites", 1)))
    attempt(Faults(error_every=1))
    attempt(Faults(fail_after=2))
    assert len(errors) == 4

    # the command line, with the connection in Airflow's URI form
    with partner_server(faults=Faults(unauthorized=True)) as (api, _):
        monkeypatch.setenv(pln_api.ENV_CONN, f"http://:{TOKEN}@127.0.0.1:{api.port}/")
        configure_airflow(settings)
        assert pln_api.partner_connection(airflow_connection(pln_api.CONN_ID)).token == TOKEN
        assert main(["pln", "pull", "--home", str(settings.home)]) == 1
    out = capsys.readouterr()
    assert "refused the token" in out.out

    assert errors and all("token" in e or "HTTP" in e or "JSON" in e for e in errors)
    for text in [*errors, out.out, out.err, caplog.text]:
        assert TOKEN not in text
    with session(settings, read_only=True) as con:
        audit_text = con.execute(
            """SELECT string_agg(CAST(t AS VARCHAR), '\n') FROM (
                   SELECT to_json(f) AS t FROM audit.file AS f
                   UNION ALL SELECT to_json(l) FROM audit.load AS l
                   UNION ALL SELECT to_json(q) FROM audit.quarantine AS q
                   UNION ALL SELECT to_json(v) FROM audit.validation_result AS v)"""
        ).fetchone()[0]
    assert "api/pln_partner_api/v1/sites" in audit_text and TOKEN not in audit_text
    files = [p for p in settings.home.rglob("*") if p.is_file()]
    assert any(settings.data_docs in p.parents for p in files)  # Data Docs were written
    assert any(settings.archive in p.parents for p in files)  # pages were archived
    leaks = [p for p in files if TOKEN.encode() in p.read_bytes()]
    assert leaks == []


@pytest.mark.parametrize("value", [
    '{"conn_type": "http", "host": "127.0.0.1", "port": 9, "password": "tok/en"}',
    "http://:tok%2Fen@127.0.0.1:9/http",
])
def test_connection_env_forms(value, settings, monkeypatch):
    monkeypatch.setenv(pln_api.ENV_CONN, value)
    configure_airflow(settings)
    conn = pln_api.partner_connection(airflow_connection(pln_api.CONN_ID))
    assert (conn.base_url, conn.token) == ("http://127.0.0.1:9", "tok/en")
