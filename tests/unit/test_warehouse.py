"""Migrations: applied once, in order, and all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse import connect, migrate, migration_files


def test_migrations_apply_once(settings) -> None:
    con = connect(settings)
    applied = con.execute("SELECT count(*) FROM audit.schema_migrations").fetchone()[0]
    assert applied == len(migration_files(settings.warehouse_dir / "migrations"))
    con.close()
    con = connect(settings)  # a second open applies nothing again
    assert migrate(con, settings.warehouse_dir / "migrations") == []
    assert con.execute("SELECT count(*) FROM audit.schema_migrations").fetchone()[0] == applied
    con.close()


def test_failed_migration_leaves_database_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_ok.sql").write_text("CREATE TABLE t1 (x INT);")
    (folder / "002_broken.sql").write_text(
        "CREATE TABLE t2 (x INT); INSERT INTO t1 VALUES (1); SELECT * FROM no_such_table;"
    )
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    with pytest.raises(RuntimeError, match="002_broken.sql failed"):
        migrate(con, folder)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "t1" in tables and "t2" not in tables
    assert con.execute("SELECT count(*) FROM t1").fetchone()[0] == 0
    versions = [r[0] for r in con.execute("SELECT version FROM audit.schema_migrations").fetchall()]
    assert versions == ["001"]
    # Once fixed, the next open applies it.
    (folder / "002_broken.sql").write_text("CREATE TABLE t2 (x INT);")
    assert migrate(con, folder) == ["002_broken.sql"]


def test_migration_names_are_checked(tmp_path: Path) -> None:
    (tmp_path / "1_bad.sql").write_text("SELECT 1")
    with pytest.raises(ValueError, match="001_what_it_does.sql"):
        migration_files(tmp_path)
