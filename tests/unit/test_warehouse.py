"""Migrations: applied once, in order, and all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.settings import get_settings
from pipelines.warehouse import (
    MigrationsPending,
    connect,
    migrate,
    migrate_warehouse,
    migration_files,
)


def test_migrations_apply_once(tmp_path: Path) -> None:
    settings = get_settings(tmp_path / "home")
    names = [p.name for _, p in migration_files(settings.warehouse_dir / "migrations")]
    assert migrate_warehouse(settings) == names
    assert migrate_warehouse(settings) == []  # a second run applies nothing again
    con = connect(settings)
    assert con.execute("SELECT count(*) FROM audit.schema_migrations").fetchone()[0] == len(names)
    con.close()


def test_opening_does_not_migrate_and_says_how_to(tmp_path: Path) -> None:
    settings = get_settings(tmp_path / "home")
    with pytest.raises(MigrationsPending, match=r"001_.*not applied. Run `konektivitas migrate`"):
        connect(settings)
    raw = duckdb.connect(str(settings.warehouse_path))
    assert raw.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == (0,)  # untouched
    raw.close()
    # A warehouse one migration behind (as after an upgrade) is refused, naming it.
    folder = tmp_path / "migrations"
    folder.mkdir()
    *older, (_, last) = migration_files(settings.warehouse_dir / "migrations")
    con = duckdb.connect(str(settings.warehouse_path))
    for _, path in older:
        (folder / path.name).write_text(path.read_text())
    migrate(con, folder)
    con.close()
    with pytest.raises(MigrationsPending, match=f"{last.name} not applied"):
        connect(settings)
    migrate_warehouse(settings)
    connect(settings).close()


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
