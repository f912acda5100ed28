"""Tower KPI files (5-minute samples, one file per local day): landing, parsing, publishing.

All bulk work is SQL inside DuckDB: the file is read exactly once, straight into core,
unpublished until validated (land_kpi)."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import duckdb

from pipelines.audit import records as audit
from pipelines.batch.steps import Dataset
from pipelines.io import delimited as csvfiles
from pipelines.settings import LOCAL_TZ, Settings
from pipelines.towers.files import SOURCE, day_feed
from pipelines.warehouse import quote_literal, render_model

# Where KPI rows land, published or not (core.fct_tower_kpi_5min shows the published ones).
LANDED = "core.fct_tower_kpi_5min_landed"
# Compression the KPI landing does not try. FSST (for strings) cost ~1.5 s of a 10M-row
# load's ~8 s, nearly all of it on tower_id, which it shrinks little (short ids, tens of
# thousands of distinct values per row group): without it tower_id is stored as a
# dictionary when ids repeat, else plain. Other tables keep DuckDB's defaults.
LANDING_DISABLED_COMPRESSION = "fsst"


def _first_line(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        return fh.readline().decode("utf-8-sig", errors="replace")


def kpi_delimiter(path: Path) -> str:
    """`;` when the header is split by semicolons (then numbers carry a decimal comma)."""
    header = _first_line(path)
    return ";" if header.count(";") > header.count(",") else ","


def kpi_header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    return csvfiles.csv_header(con, path, kpi_delimiter(path))


def kpi_source(path: Path, delimiter: str) -> str:
    # all_varchar: the staging model types each value so that a bad one is a quarantined
    # row; null_padding keeps a short row as a row (quarantined for its empty fields).
    return (
        f"read_csv({quote_literal(str(path))}, header=true, all_varchar=true, "
        f"delim={quote_literal(delimiter)}, quote='\"', escape='\"', strict_mode=false, "
        "null_padding=true)"
    )


def landed_rowids(con: duckdb.DuckDBPyConnection, load: audit.Load) -> int:
    """The rowid of a KPI load's first landed row; its rows' rowids follow without a gap
    (one INSERT in file order), which is how a rowid gives a line number."""
    first, last, n = con.execute(
        f"SELECT min(rowid), max(rowid), count(*) FROM {LANDED} WHERE kpi_date = ? AND load_id = ?",
        [date.fromisoformat(load.partition_key), load.load_id],
    ).fetchone()
    if n and last - first + 1 != n:
        raise RuntimeError(
            f"{load.file_name}: landed rows are not contiguous ({n} rows over rowids "
            f"{first}-{last}), so their line numbers are unknown; nothing published"
        )
    return first or 0


def land_kpi(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: audit.Load
) -> int:
    """Parse the file once, straight into core.fct_tower_kpi_5min_landed; `table` becomes
    the view validation reads. The rows stay unpublished (invisible in
    core.fct_tower_kpi_5min) until publish_kpi, so they are written once, compressed, and
    never copied.
    """
    day = date.fromisoformat(load.partition_key)
    # Rows of the day's loads that died before publishing (a retry starts from the file).
    con.execute(
        f"""DELETE FROM {LANDED} WHERE kpi_date = ? AND load_id NOT IN (
                SELECT load_id FROM audit.load WHERE dataset = ? AND status = 'published')""",
        [day, load.dataset],
    )
    delimiter = kpi_delimiter(path)
    parsed = render_model(
        settings, "staging", "stg_tower_kpi", source=kpi_source(path, delimiter),
        day=load.partition_key, decimal_comma=delimiter == ";",
    )
    con.execute(f"SET memory_limit = {quote_literal(settings.duckdb_memory_limit)}")
    con.execute("SET preserve_insertion_order = true")  # rows land in the file's order
    con.execute(f"SET TimeZone = '{LOCAL_TZ}'")  # a ts without offset is WITA
    con.execute(f"SET disabled_compression_methods = '{LANDING_DISABLED_COMPRESSION}'")
    try:
        select = render_model(
            settings, "core", "fct_tower_kpi_5min_landed", parsed=f"({parsed})",
            load_id=load.load_id, partition_key=load.partition_key,
        )
        (n,) = con.execute(f"INSERT INTO {LANDED} BY NAME {select}").fetchone()
    finally:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("RESET disabled_compression_methods")
    kpi_view(con, settings, table, load)
    return n


def kpi_view(con: duckdb.DuckDBPyConnection, settings: Settings, table: str, load: audit.Load
             ) -> None:
    """The view validation reads over the load's landed rows. Its line numbers count from
    the load's first rowid, which a checkpoint between sessions may move (rows deleted
    before it are compacted away): each step that reads the view derives it again."""
    view = render_model(
        settings, "staging", "stg_tower_kpi_batch", day=load.partition_key,
        load_id=load.load_id, first_rowid=landed_rowids(con, load),
    )
    con.execute(f"CREATE OR REPLACE VIEW {table} AS {view}")

def publish_kpi(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: audit.Load,
    valid: str,
) -> int:
    """In the publish transaction: delete the day's other rows and this load's quarantined
    ones; what is left of the load is the partition once the load is marked published."""
    first = landed_rowids(con, load)
    day = date.fromisoformat(load.partition_key)
    con.execute(f"DELETE FROM {LANDED} WHERE kpi_date = ? AND load_id <> ?", [day, load.load_id])
    con.execute(
        f"""DELETE FROM {LANDED} WHERE kpi_date = ? AND load_id = ? AND rowid IN (
                SELECT record_no - 2 + ? FROM audit.quarantine WHERE load_id = ?)""",
        [day, load.load_id, first, load.load_id],
    )
    # A wrong rowid-to-line mapping would delete the wrong rows: then some row that cannot
    # be a valid sample (a failed cast, an empty key, a ts off the day's grid) is left.
    (n, left) = con.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE _cast_errors IS NOT NULL OR tower_id IS NULL
                                              OR measured_at IS NULL OR slot IS NULL)
            FROM {LANDED} WHERE kpi_date = ? AND load_id = ?""",
        [day, load.load_id],
    ).fetchone()
    if left:
        raise RuntimeError(f"{load.file_name}: {left} invalid rows were not quarantined; nothing published")
    return n


KPI = Dataset(
    name="tower_kpi", source=SOURCE, core_table=LANDED, partition_column="kpi_date",
    header=kpi_header, stage=land_kpi, publish=publish_kpi, restage=kpi_view,
)
FEED = day_feed(KPI, "kpi")
