"""`konektivitas query` is read-only by construction: one SELECT at a time, on a session that can
neither reach files nor change its own settings. Statement lists that detach the read-only
warehouse and attach it writable, COPY, file reads and extension loads are refused, and nothing is
written."""

from __future__ import annotations

import pytest
from editions import load_edition

from pipelines.cli import main

EDITION = "kode,nama\n64.02,Kab\n64.02.01,Satu\n64.02.01.2001,Desa\n"


@pytest.fixture
def home_with_region(con, settings):
    load_edition(con, settings, EDITION)
    con.close()
    return settings


def regions(settings) -> int:
    from pipelines.warehouse import session

    with session(settings, read_only=True) as con:
        return con.execute("SELECT count(*) FROM core.dim_region").fetchone()[0]


def query(settings, sql: str, *extra: str) -> int:
    return main(["query", "--home", str(settings.home), sql, *extra])


@pytest.mark.parametrize(
    ("sql", "refused"),
    [
        ("USE memory; DETACH warehouse; ATTACH '{wh}' AS w; DELETE FROM w.core.dim_region",
         "one statement"),
        ("DETACH warehouse", "DETACH"),
        ("ATTACH '{wh}' AS w", "ATTACH"),
        ("DELETE FROM core.dim_region", "DELETE"),
        ("CREATE TABLE core.x AS SELECT 1", "CREATE"),
        ("COPY (SELECT * FROM core.dim_region) TO '{tmp}/leak.csv'", "COPY"),
        ("INSTALL httpfs", "LOAD"),
        ("LOAD json", "LOAD"),
        ("SET enable_external_access = true", "SET"),
        ("CALL pragma_version()", "CALL"),
        ("SELECT * FROM read_text('/etc/passwd')", "external access"),
        ("SELECT * FROM read_csv('{tmp}/home/landing/registry/kemendagri/2025-07-01.csv')",
         "external access"),
    ],
)
def test_query_refuses_what_is_not_one_read(home_with_region, tmp_path, capsys, sql, refused) -> None:
    settings = home_with_region
    before = regions(settings)
    text = sql.format(wh=settings.warehouse_path, tmp=tmp_path)
    assert query(settings, text) == 1
    out = capsys.readouterr().out
    assert "error:" in out and refused.lower() in out.lower(), out
    assert "Traceback" not in out and "NoneType" not in out
    assert regions(settings) == before
    assert not (tmp_path / "leak.csv").exists()


def test_query_reads_and_writes_its_own_result(home_with_region, tmp_path, capsys) -> None:
    settings = home_with_region
    assert query(settings, "SELECT code, name FROM core.dim_region ORDER BY code") == 0
    assert "64.02.01.2001" in capsys.readouterr().out
    out = tmp_path / "result.csv"
    assert query(settings, "FROM core.dim_region ORDER BY code", "--out", str(out)) == 0
    assert "64.02.01.2001" in out.read_text()


def test_query_desk_is_read_only_on_ducklake(ducklake, home_with_region, capsys) -> None:
    settings = home_with_region
    assert query(settings, "SELECT count(*) AS n FROM core.dim_region") == 0
    assert query(settings, "DELETE FROM core.dim_region") == 1
    assert regions(settings) == 3
