"""Two warehouses compared table by table on their business columns: what the crash and
race cases count as rows lost and rows duplicated.

Every table and view of the core and marts schemas is compared as a multiset of rows
(EXCEPT ALL both ways), never by counts. Left out, because two correct runs of the same
input differ there by design:
  load_id   a fresh random id per load (pipelines.audit.records.new_load_id)
  built_at  the wall-clock time a derived table was built (core.bps_crosswalk)
DOUBLE columns are compared rounded to 9 decimals: a parallel aggregate may sum in another
order from one run to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.warehouse import quote_literal

RUN_SPECIFIC = ("load_id", "built_at")
SCHEMAS = ("core", "marts")


@dataclass
class Comparison:
    rows: int = 0  # rows of the reference compared
    lost: int = 0  # reference rows missing from the candidate
    duplicated: int = 0  # extra candidate rows that repeat a reference row
    extra: int = 0  # every candidate row not in the reference (duplicated among them)
    differing: list[str] = field(default_factory=list)  # "table: -lost +extra"
    schemas: tuple[str, ...] = SCHEMAS

    @property
    def equal(self) -> bool:
        return not (self.lost or self.extra)

    def summary(self) -> str:
        if self.equal:
            return (f"equal to a clean run ({self.rows} rows of "
                    f"{' and '.join(self.schemas)} compared)")
        return (f"{self.lost} rows lost, {self.extra} extra ({self.duplicated} duplicated) in "
                + ", ".join(self.differing))


def compare_warehouses(reference: Path, candidate: Path,
                       schemas: tuple[str, ...] = SCHEMAS) -> Comparison:
    """How the candidate's tables and views in `schemas` differ from the reference's."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {quote_literal(str(reference))} AS ref (READ_ONLY)")
        con.execute(f"ATTACH {quote_literal(str(candidate))} AS got (READ_ONLY)")
        result = Comparison(schemas=schemas)
        for schema, table in _relations(con, "ref", schemas):
            _compare_table(con, schema, table, result)
        missing = sorted(set(_relations(con, "got", schemas)) - set(_relations(con, "ref", schemas)))
        result.differing += [f"{s}.{t}: not in the reference" for s, t in missing]
        result.extra += len(missing)
        return result
    finally:
        con.close()


def _relations(con: duckdb.DuckDBPyConnection, db: str, schemas: tuple[str, ...],
               ) -> list[tuple[str, str]]:
    return con.execute(
        """SELECT schema_name, table_name FROM duckdb_tables()
           WHERE database_name = $db AND list_contains($schemas, schema_name)
           UNION SELECT schema_name, view_name FROM duckdb_views()
           WHERE database_name = $db AND list_contains($schemas, schema_name) ORDER BY ALL""",
        {"db": db, "schemas": list(schemas)}).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, db: str, schema: str, table: str) -> list[str]:
    rows = con.execute(
        """SELECT column_name, data_type FROM duckdb_columns()
           WHERE database_name = ? AND schema_name = ? AND table_name = ?
           ORDER BY column_index""", [db, schema, table]).fetchall()
    return [f'round("{c}", 9) AS "{c}"' if kind == "DOUBLE" else f'"{c}"'
            for c, kind in rows if c not in RUN_SPECIFIC]


def _compare_table(con: duckdb.DuckDBPyConnection, schema: str, table: str,
                   result: Comparison) -> None:
    name = f"{schema}.{table}"
    cols = _columns(con, "ref", schema, table)
    (total,) = con.execute(f"SELECT count(*) FROM ref.{name}").fetchone()
    result.rows += total
    if cols != _columns(con, "got", schema, table):
        result.lost += total
        result.differing.append(f"{name}: missing or with other columns")
        return
    ref = f"SELECT {', '.join(cols)} FROM ref.{name}"
    got = f"SELECT {', '.join(cols)} FROM got.{name}"
    (lost,) = con.execute(f"SELECT count(*) FROM ({ref} EXCEPT ALL {got})").fetchone()
    # An extra row is a duplicate when the reference has the same row (as text, NULLs too).
    (extra, duplicated) = con.execute(
        f"""WITH extra AS ({got} EXCEPT ALL {ref})
            SELECT count(*), count(*) FILTER (WHERE CAST(extra AS VARCHAR) IN (
                SELECT CAST(r AS VARCHAR) FROM ({ref}) AS r))
            FROM extra""").fetchone()
    if lost or extra:
        result.lost += lost
        result.extra += extra
        result.duplicated += duplicated
        result.differing.append(f"{name}: -{lost} +{extra}")
