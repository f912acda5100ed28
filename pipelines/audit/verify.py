"""`audit verify`: prove from the warehouse and archive alone that nothing was lost or altered.

Three kinds of check: the archived bytes against their recorded sha256; the hash chain
(pipelines.audit.chain) against itself and against the records it seals; and the
reconciliation invariants between loads, core rows, quarantine and mart builds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.audit import chain
from pipelines.io.archive import sha256_of
from pipelines.marts.months import feeds_month, reporting_months

# A load's rows are in core once it is published (superseded: once was, and tables that
# keep history, such as SCD2 dimensions, keep its rows).
IN_CORE = ("published", "superseded")
# Tables whose rows wait for their load to publish (towers.land_kpi): only the view over
# the published ones is checked.
UNPUBLISHED_STAGE = ("fct_tower_kpi_5min_landed",)
SHOW = 20  # problems printed per check
BATCHES = ("quarantine", "validation_result")  # sealed per load, not per row


@dataclass(frozen=True)
class Check:
    name: str
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def archive_files(con: duckdb.DuckDBPyConnection, home: Path) -> list[str]:
    """Every archived file still holds the bytes whose sha256 audit.file recorded."""
    problems = []
    for sha, rel, name in con.execute(
        "SELECT sha256, archive_path, first_name FROM audit.file ORDER BY archive_path"
    ).fetchall():
        path = home / rel
        if not path.is_file():
            problems.append(f"{rel} (first landed as {name}): missing from the archive")
        elif (found := sha256_of(path)) != sha:
            problems.append(f"{rel} (first landed as {name}): its bytes hash to {found}, "
                            f"audit.file recorded {sha}")
    return problems


def chain_links(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Entries numbered 1, 2, ... each linked to the one before and hashing to itself."""
    problems = []
    expected, prev = 1, chain.GENESIS
    for seq, kind, key, content, prev_sha, entry in con.execute(
        """SELECT seq, kind, record_key, content_sha256, prev_sha256, entry_sha256
           FROM audit.chain ORDER BY seq"""
    ).fetchall():
        where = f"chain entry {seq} ({kind} {key})"
        if seq != expected:
            problems.append(f"{where}: expected entry {expected} here; entries "
                            f"{expected}..{seq - 1} deleted or renumbered")
        if prev_sha != prev:
            problems.append(f"{where}: does not follow the entry before it (reordered, or "
                            "an entry before it was deleted or edited)")
        if chain.entry_hash(seq, kind, key, content, prev_sha) != entry:
            problems.append(f"{where}: entry edited (its hash does not match its content)")
        expected, prev = seq + 1, entry
    head_seq, head_sha = chain.head(con)
    if (head_seq, head_sha) != (expected - 1, prev):
        problems.append(f"the chain ends at entry {expected - 1}, but audit.chain_head says entry "
                        f"{head_seq}: entries after {expected - 1} deleted, or the head edited")
    return problems


def sealed_records(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Each audit record as sealed: none edited, deleted, or written outside the pipeline."""
    problems = []
    for kind in chain.KINDS.values():
        now = chain.content_hashes(con, kind)
        # A hash still pending (its writer killed before the link) counts as sealed.
        sealed = {key: (seq, content) for key, seq, content in con.execute(
            """SELECT record_key, coalesce(CAST(seq AS VARCHAR), 'pending'), content_sha256
               FROM (SELECT record_key, seq, content_sha256 FROM audit.chain WHERE kind = ?
                     UNION ALL
                     SELECT record_key, NULL, content_sha256 FROM audit.chain_pending
                     WHERE kind = ?)
               QUALIFY row_number() OVER (PARTITION BY record_key
                                          ORDER BY seq DESC NULLS FIRST) = 1""",
            [kind.name, kind.name],
        ).fetchall()}
        what = f"{kind.table} batch of load" if kind.name in BATCHES else f"{kind.table} record"
        for key in sorted(sealed.keys() | now.keys()):
            if key not in now:
                problems.append(f"{what} {key} (chain entry {sealed[key][0]}): deleted")
            elif key not in sealed:
                problems.append(f"{what} {key}: not in the chain (written outside the pipeline)")
            elif sealed[key][1] != now[key]:
                problems.append(f"{what} {key} (chain entry {sealed[key][0]}): edited since sealed")
    return problems


def rows_reconcile(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Per published load: rows read = published + quarantined, and the quarantine holds them."""
    rows = con.execute(
        f"""SELECT l.load_id, l.file_name, l.rows_read, l.rows_published, l.rows_quarantined,
                   coalesce(q.n, 0)
            FROM audit.load AS l
            LEFT JOIN (SELECT load_id, count(*) AS n FROM audit.quarantine GROUP BY 1) AS q
              USING (load_id)
            WHERE l.status IN {IN_CORE}
              AND (l.rows_read IS DISTINCT FROM l.rows_published + l.rows_quarantined
                   OR l.rows_quarantined IS DISTINCT FROM coalesce(q.n, 0))
            ORDER BY l.load_id"""
    ).fetchall()
    return [f"load {lid} ({name}): {read} rows read, {pub} published + {quar} quarantined; "
            f"{held} rows in audit.quarantine" for lid, name, read, pub, quar, held in rows]


def core_rows_have_loads(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every core row carrying a load_id came in a load that was published."""
    problems = []
    tables = [t for (t,) in con.execute(
        """SELECT table_name FROM duckdb_columns()
           WHERE database_name = current_database() AND schema_name = 'core'
             AND column_name = 'load_id' ORDER BY 1"""
    ).fetchall() if t not in UNPUBLISHED_STAGE]
    for table in tables:
        for load_id, n in con.execute(
            f"""SELECT c.load_id, count(*) FROM core.{table} AS c
                WHERE c.load_id IS NULL OR c.load_id NOT IN (
                    SELECT load_id FROM audit.load WHERE status IN {IN_CORE})
                GROUP BY 1 ORDER BY 1"""
        ).fetchall():
            problems.append(f"core.{table}: {n} rows of load {load_id}, which is not a "
                            "published load")
    return problems


def loads_have_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every load that read a file names bytes recorded in audit.file."""
    rows = con.execute(
        f"""SELECT l.load_id, l.file_name, l.sha256 FROM audit.load AS l
            WHERE (l.sha256 IS NULL AND l.status IN {IN_CORE})
               OR (l.sha256 IS NOT NULL
                   AND l.sha256 NOT IN (SELECT sha256 FROM audit.file))
            ORDER BY l.load_id"""
    ).fetchall()
    return [f"load {lid} ({name}): its file {sha or '(none recorded)'} is not in audit.file"
            for lid, name, sha in rows]


def quarantine_has_reasons(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        """SELECT load_id, record_no FROM audit.quarantine
           WHERE reasons IS NULL OR len(list_filter(reasons, r -> coalesce(trim(r), '') <> '')) = 0
           ORDER BY load_id, record_no"""
    ).fetchall()
    return [f"audit.quarantine load {lid} line {no}: quarantined without a reason"
            for lid, no in rows]


def marts_after_inputs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Each reporting month's marts were built after the newest load that feeds it."""
    builds = dict(con.execute(
        "SELECT month_date, max(built_at) FROM audit.mart_build WHERE month_date IS NOT NULL GROUP BY 1"
    ).fetchall())
    loads = con.execute(
        f"""SELECT dataset, partition_key, finished_at, load_id FROM audit.load
            WHERE status IN {IN_CORE} AND finished_at IS NOT NULL"""
    ).fetchall()
    problems = []
    for month in reporting_months(con):
        feeding = [(at, lid, ds, key) for ds, key, at, lid in loads
                   if feeds_month(ds, key, month)]
        if not feeding:
            continue
        at, lid, ds, key = max(feeding)
        built = builds.get(month)
        if built is None:
            problems.append(f"month {month:%Y-%m}: marts never built (load {lid} {ds}:{key})")
        elif built < at:
            problems.append(f"month {month:%Y-%m}: marts built {built:%Y-%m-%d %H:%M:%S}, before "
                            f"load {lid} ({ds}:{key}) finished at {at:%Y-%m-%d %H:%M:%S}")
    return problems


CHECKS: list[tuple[str, Callable[..., list[str]]]] = [
    ("hash chain links", chain_links),
    ("audit records as sealed", sealed_records),
    ("per load: rows read = published + quarantined", rows_reconcile),
    ("no core row without a published load", core_rows_have_loads),
    ("no load without its files", loads_have_files),
    ("no quarantined row without a reason", quarantine_has_reasons),
    ("every month's marts built after its latest input load", marts_after_inputs),
]


def verify(con: duckdb.DuckDBPyConnection, home: Path) -> list[Check]:
    checks = [Check("archived files match their sha256", archive_files(con, home))]
    return checks + [Check(name, fn(con)) for name, fn in CHECKS]


def report_lines(checks: list[Check]) -> list[str]:
    lines = []
    for c in checks:
        lines.append(f"{'ok    ' if c.ok else 'FAILED'}  {c.name}")
        lines += [f"        {p}" for p in c.problems[:SHOW]]
        if len(c.problems) > SHOW:
            lines.append(f"        ... and {len(c.problems) - SHOW} more")
    return lines
