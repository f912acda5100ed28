"""`audit file <path|sha256>`: where one file's rows went and which rules refused which rows."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.audit.datadocs import pages_by_load
from pipelines.audit.desk.ledger import rows_in_core
from pipelines.audit.desk.runs import Run, list_runs
from pipelines.io.archive import sha256_of
from pipelines.settings import Settings

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
QUARANTINE_SHOWN = 200


@dataclass(frozen=True)
class Rejection:
    load_id: str
    line: int
    reasons: list[str]
    record: dict


@dataclass(frozen=True)
class RuleResult:
    load_id: str
    suite: str
    rule: str
    success: bool
    element_count: int
    unexpected_count: int
    observed_value: object
    sample: list


@dataclass
class FileReport:
    sha256: str
    bytes: int
    archive_path: str
    first_name: str
    loads: list[Run]
    core_rows: list[tuple[str, str, int]]  # (core table, load_id, rows now there)
    quarantined: list[Rejection]
    quarantined_total: int
    validation: list[RuleResult]
    data_docs: dict[str, str] = field(default_factory=dict)  # load_id -> page path


class UnknownFile(LookupError):
    """No archived file matches what the auditor named."""


def resolve_sha256(con: duckdb.DuckDBPyConnection, settings: Settings, ref: str) -> str:
    """The sha256 of a file named by its sha256, its path (hashed) or its landing name."""
    text = ref.strip().lower() if _SHA256.match(ref.strip().lower()) else ref
    if _SHA256.match(text):
        return text
    path = Path(ref)
    for candidate in (path, settings.home / path):
        if candidate.is_file():
            return sha256_of(candidate)
    row = con.execute(
        """SELECT sha256 FROM audit.file WHERE first_name = ? OR archive_path = ?
           UNION SELECT sha256 FROM audit.load WHERE file_name = ? AND sha256 IS NOT NULL
           LIMIT 1""", [ref, ref, ref]).fetchone()
    if row is None:
        raise UnknownFile(f"{ref}: no such file here and no archived file of that name or sha256")
    return row[0]


def file_report(con: duckdb.DuckDBPyConnection, settings: Settings, ref: str) -> FileReport:
    sha = resolve_sha256(con, settings, ref)
    meta = con.execute(
        "SELECT bytes, archive_path, first_name FROM audit.file WHERE sha256 = ?", [sha]
    ).fetchone()
    if meta is None:
        raise UnknownFile(f"{ref}: sha256 {sha} was never archived (not in audit.file)")
    load_ids = [lid for (lid,) in con.execute(
        "SELECT load_id FROM audit.load WHERE sha256 = ? ORDER BY started_at", [sha]).fetchall()]
    marks = ", ".join("?" * len(load_ids)) or "NULL"
    quarantined = [
        Rejection(lid, line, list(reasons), json.loads(record))
        for lid, line, reasons, record in con.execute(
            f"""SELECT load_id, record_no, reasons, record FROM audit.quarantine
                WHERE load_id IN ({marks}) ORDER BY load_id, record_no LIMIT {QUARANTINE_SHOWN}""",
            load_ids).fetchall()
    ]
    (total,) = con.execute(
        f"SELECT count(*) FROM audit.quarantine WHERE load_id IN ({marks})", load_ids).fetchone()
    validation = [
        RuleResult(lid, suite, rule, ok, n, bad,
                   json.loads(obs) if obs is not None else None,
                   json.loads(sample) if sample is not None else [])
        for lid, suite, rule, ok, n, bad, obs, sample in con.execute(
            f"""SELECT load_id, suite, rule, success, element_count, unexpected_count,
                       observed_value, unexpected_sample
                FROM audit.validation_result WHERE load_id IN ({marks})
                ORDER BY load_id, success, rule""", load_ids).fetchall()
    ]
    pages = pages_by_load(settings)
    return FileReport(
        sha, meta[0], meta[1], meta[2], list_runs(con, load_ids=load_ids),
        rows_in_core(con, load_ids), quarantined, total, validation,
        {lid: str(settings.data_docs / pages[lid]) for lid in load_ids if pages.get(lid)},
    )
