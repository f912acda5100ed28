"""The one place a warehouse connection comes from, and the migrations that shape it.

Opening never migrates: migrations are their own step (`konektivitas migrate`, the
embedded runner's first step, docker-compose's airflow-init), and a writable connection
to a warehouse whose migrations are behind is refused with that advice.

Embedded: a DuckDB file. Several machines: DuckLake (PostgreSQL catalog, Parquet data).
Callers never open a path themselves, so the backend can change under them.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import jinja2

from pipelines.batch.errors import WarehouseBusy
from pipelines.faults import fault_point
from pipelines.io.modes import drop_shared_write, no_shared_write
from pipelines.settings import Settings

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# Rows per row group (DuckDB's default is 122,880). DuckDB reads a CSV file in slices of
# about 8 MB, about 100,000 KPI rows; an insert that keeps the file's order (towers.land_kpi)
# writes a slice smaller than a row group by first copying it into its neighbours. With
# row groups smaller than a slice, every slice is written straight away: measured 10-15 %
# off the KPI load. Reads do not mind the smaller groups.
ROW_GROUP_SIZE = 61_440


def extension_directory() -> str | None:
    """The folder where the duckdb-ext-* wheels put their extensions, if installed."""
    try:
        import duckdb_ext  # namespace package from duckdb-ext-* wheels
    except ImportError:
        return None
    paths = list(getattr(duckdb_ext, "__path__", []))
    return str(Path(paths[0]) / "extensions") if paths else None


def _config() -> dict[str, str]:
    ext = extension_directory()
    config = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "true"}
    if ext:
        config["extension_directory"] = ext
    return config


class MigrationsPending(RuntimeError):
    """The warehouse is behind its migrations: `konektivitas migrate` brings it up to date."""


def connect(
    settings: Settings, read_only: bool = False, snapshot: int | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. Writing needs it migrated: else MigrationsPending.

    `snapshot`: on DuckLake, open the lake as it was at that snapshot (read-only).
    """
    if snapshot is not None and settings.warehouse_backend != "ducklake":
        raise ValueError(
            f"reading the warehouse as of a snapshot needs DuckLake (KONEKTIVITAS_WAREHOUSE="
            f"ducklake); this warehouse is a DuckDB file ({settings.warehouse_path}), which "
            "keeps no history")
    con = _open(settings, read_only or snapshot is not None, snapshot)
    if not read_only:
        pending = pending_migrations(con, settings.warehouse_dir / "migrations")
        if pending:
            con.close()
            where = (settings.warehouse_path if settings.warehouse_backend == "duckdb"
                     else "the DuckLake catalog")
            raise MigrationsPending(
                f"the warehouse ({where}) is behind its migrations: {', '.join(pending)} "
                "not applied. Run `konektivitas migrate` first."
            )
    return con


def migrate_warehouse(settings: Settings) -> list[str]:
    """Apply the pending migrations: the names of those applied."""
    con = _open(settings, read_only=False)
    try:
        return migrate(con, settings.warehouse_dir / "migrations",
                       fault=functools.partial(fault_point, settings))
    finally:
        con.close()


def _open(
    settings: Settings, read_only: bool, snapshot: int | None = None,
) -> duckdb.DuckDBPyConnection:
    if settings.warehouse_backend == "ducklake":
        con = duckdb.connect(config=_config())
        con.execute("LOAD ducklake; LOAD postgres")
        options = ([f"DATA_PATH {quote_literal(settings.ducklake_data_path)}"]
                   if settings.ducklake_data_path else [])
        if snapshot is not None:
            options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
        if read_only:
            options.append("READ_ONLY")
        opts = f" ({', '.join(options)})" if options else ""
        con.execute(f"ATTACH {quote_literal('ducklake:postgres:' + settings.ducklake_catalog)} AS wh{opts}")
        con.execute("USE wh")
    elif settings.warehouse_backend == "duckdb":
        no_shared_write()  # before DuckDB creates the file: every writer opens it first
        settings.home.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(config=_config())
        options = [f"ROW_GROUP_SIZE {ROW_GROUP_SIZE}"] + (["READ_ONLY"] if read_only else [])
        try:
            con.execute(f"ATTACH {quote_literal(str(settings.warehouse_path))} AS warehouse "
                        f"({', '.join(options)})")
        except duckdb.IOException as exc:
            con.close()
            if "lock" not in str(exc).lower():
                raise
            raise _busy(settings, read_only, exc) from None
        con.execute("USE warehouse")
        if not read_only:
            drop_shared_write(settings.warehouse_path)
    else:
        raise ValueError(
            f"KONEKTIVITAS_WAREHOUSE={settings.warehouse_backend!r}: expected 'duckdb' or 'ducklake'"
        )
    con.execute("SET TimeZone = 'UTC'")
    return con


def _busy(settings: Settings, read_only: bool, exc: duckdb.IOException) -> WarehouseBusy:
    """A DuckDB file has one writer and, while it writes, no reader in another process."""
    held = (str(exc).strip().splitlines() or [""])[0]
    if read_only:
        return WarehouseBusy(
            f"the warehouse {settings.warehouse_path} is being written by another process "
            f"({held}); a reader can open it once that write has finished. Nothing was read.")
    return WarehouseBusy(
        f"the warehouse {settings.warehouse_path} is in use by another process ({held}); "
        "nothing was changed, run again once it has finished")


@contextmanager
def session(
    settings: Settings, read_only: bool = False, snapshot: int | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(settings, read_only=read_only, snapshot=snapshot)
    try:
        yield con
    finally:
        con.close()


# Connections inside a transaction() block: a nested block joins the outer transaction
# (DuckDB has no nested transactions, and a refused BEGIN aborts the open one).
_OPEN_TRANSACTIONS: set[int] = set()
_AFTER_COMMIT: dict[int, dict[str, Callable[[], None]]] = {}


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a failure inside rolls back every statement of the block. Inside
    another transaction() block of the same connection, the block is part of that one."""
    if id(con) in _OPEN_TRANSACTIONS:
        yield con
        return
    con.execute("BEGIN TRANSACTION")
    _OPEN_TRANSACTIONS.add(id(con))
    try:
        yield con
    except BaseException:
        _OPEN_TRANSACTIONS.discard(id(con))
        _AFTER_COMMIT.pop(id(con), None)
        con.execute("ROLLBACK")
        raise
    _OPEN_TRANSACTIONS.discard(id(con))
    hooks = _AFTER_COMMIT.pop(id(con), {})
    con.execute("COMMIT")
    for hook in hooks.values():
        hook()


def after_commit(con: duckdb.DuckDBPyConnection, name: str, hook: Callable[[], None]) -> None:
    """Run `hook` once the connection's open transaction() has committed (never if it rolls
    back), once per `name` however often it is asked for; at once when none is open."""
    if id(con) in _OPEN_TRANSACTIONS:
        _AFTER_COMMIT.setdefault(id(con), {}).setdefault(name, hook)
    else:
        hook()


def migration_files(folder: Path) -> list[tuple[str, Path]]:
    found = []
    for path in sorted(folder.glob("*.sql")):
        m = _MIGRATION_NAME.match(path.name)
        if not m:
            raise ValueError(f"{path}: migration names must look like 001_what_it_does.sql")
        found.append((m.group(1), path))
    versions = [v for v, _ in found]
    dupes = {v for v in versions if versions.count(v) > 1}
    if dupes:
        raise ValueError(f"{folder}: migration numbers used twice: {sorted(dupes)}")
    return found


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[str]:
    try:
        return {v for (v,) in con.execute("SELECT version FROM audit.schema_migrations").fetchall()}
    except duckdb.CatalogException:  # a new warehouse: nothing applied yet
        return set()


def pending_migrations(con: duckdb.DuckDBPyConnection, folder: Path) -> list[str]:
    done = applied_versions(con)
    return [path.name for version, path in migration_files(folder) if version not in done]


def migrate(con: duckdb.DuckDBPyConnection, folder: Path,
            fault: Callable[[str, str], None] | None = None) -> list[str]:
    """Apply numbered migrations not yet applied, each in its own transaction.
    `fault(point, version)` is the crash matrix's hook (pipelines.faults)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    con.execute(
        """CREATE TABLE IF NOT EXISTS audit.schema_migrations (
            version VARCHAR NOT NULL, name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL)"""
    )
    done = applied_versions(con)
    applied = []
    for version, path in migration_files(folder):
        if version in done:
            continue
        sql = path.read_text()
        with transaction(con):
            try:
                con.execute(sql)
            except duckdb.Error as exc:
                raise RuntimeError(f"migration {path.name} failed, nothing of it applied: {exc}") from exc
            con.execute(
                "INSERT INTO audit.schema_migrations (version, name, sha256, applied_at) "
                "VALUES (?, ?, ?, now())",
                [version, path.name, hashlib.sha256(sql.encode()).hexdigest()],
            )
            if fault:
                fault("mid-migration", version)
        if fault:
            fault("after-migration", version)
        applied.append(path.name)
    return applied


def render_model(settings: Settings, layer: str, table: str, **params: object) -> str:
    """The SQL of warehouse/models/<layer>/<table>.sql, rendered with its parameters."""
    return _sql_environment(str(settings.warehouse_dir / "models")).get_template(
        f"{layer}/{table}.sql"
    ).render(**params)


@functools.cache
def _sql_environment(models_dir: str) -> jinja2.Environment:
    # A loader over warehouse/models lets models share macros (models/macros/).
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(models_dir), undefined=jinja2.StrictUndefined,
        autoescape=False, keep_trailing_newline=True,
    )


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
