"""Access: the statisticians' desk and the reports' connection cannot write, what the
pipeline writes is not group- or world-writable, archived files are read-only, the partner
token leaks nowhere, exports neutralise formulas, and special files in landing/ end in a
recorded outcome."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import stat
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from pipelines.demo.partner_server import Faults
from pipelines.io.archive import sha256_of
from pipelines.marts.query import reading_session
from pipelines.pln import pull as pln
from pipelines.selftest.case import Case, Outcome
from pipelines.selftest.cases.hostile import bounded
from pipelines.selftest.homes import (
    Landing,
    account,
    days_ago,
    land_registry,
    new_home,
    run_everything,
    standard_landing,
)
from pipelines.selftest.partner import FAST, TOKEN, partner_server
from pipelines.settings import Settings
from pipelines.warehouse import session


def registry_home(scratch: Path) -> Settings:
    """A home whose warehouse holds the registry: something a write could destroy."""
    landing = Landing(new_home(scratch))
    land_registry(landing)
    run_everything(landing.settings)
    return landing.settings


def region_rows(settings: Settings) -> int:
    with session(settings, read_only=True) as con:
        return con.execute("SELECT count(*) FROM core.dim_region").fetchone()[0]


def desk(settings: Settings, *args: str) -> tuple[int, str]:
    """`konektivitas query ...` on the home: its exit status and what it printed."""
    from pipelines.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["query", *args, "--home", str(settings.home)])
    return code, " ".join(out.getvalue().split())


# --- the query desk ----------------------------------------------------------------------

def query_case(name: str, expects: str, statements: Callable[[Settings, Path], list[str]]) -> Case:
    """Each statement through `konektivitas query` is refused (exit 1, a message), and
    neither the warehouse file nor anything under the scratch directory is written."""

    def run(scratch: Path) -> Outcome:
        settings = registry_home(scratch)
        before, rows = sha256_of(settings.warehouse_path), region_rows(settings)
        problems, said = [], []
        for sql in statements(settings, scratch):
            code, text = desk(settings, sql)
            said.append(text[:90])
            if code != 1 or "error" not in text:
                problems.append(f"{sql!r} ran (exit {code}): {text[:120]}")
        written = [p.name for p in scratch.rglob("x.*")]
        if sha256_of(settings.warehouse_path) != before or region_rows(settings) != rows:
            problems.append("the warehouse changed")
        if written:
            problems.append(f"files written: {written}")
        return Outcome(not problems, "; ".join(problems) or " | ".join(said))

    return Case("access", name, expects, run)


def _wh(settings: Settings) -> str:
    return str(settings.warehouse_path).replace("'", "''")


QUERY_CASES = [
    query_case("query-detach-attach-delete", "`USE memory; DETACH warehouse; ATTACH ...; DELETE` "
               "is refused and deletes nothing", lambda s, _: [
                   f"USE memory; DETACH warehouse; ATTACH '{_wh(s)}' AS w; "
                   "DELETE FROM w.core.dim_region",
                   "DELETE FROM core.dim_region", "CREATE TABLE core.x AS SELECT 1 AS a"]),
    query_case("query-copy-to-file", "COPY ... TO a file and EXPORT DATABASE are refused, no "
               "file written", lambda _, tmp: [
                   f"COPY (SELECT * FROM core.dim_region) TO '{tmp}/x.csv'",
                   f"EXPORT DATABASE '{tmp}/x.dir'"]),
    query_case("query-extension-load", "INSTALL and LOAD of an extension are refused",
               lambda _, tmp: ["INSTALL httpfs", "LOAD httpfs", "FORCE INSTALL spatial"]),
    query_case("query-attach-detach-set", "ATTACH, DETACH and SET are refused",
               lambda s, tmp: [f"ATTACH '{_wh(s)}' AS w", "DETACH warehouse",
                               "SET enable_external_access = true",
                               f"ATTACH '{tmp}/x.duckdb' AS fresh"]),
    query_case("query-read-outside-files", "reading files outside the warehouse is refused",
               lambda _, tmp: ["SELECT * FROM read_text('/etc/passwd')",
                               "SELECT * FROM read_csv('/etc/hostname')"]),
]


def report_connection_case() -> Case:
    def run(scratch: Path) -> Outcome:
        settings = registry_home(scratch)
        before = sha256_of(settings.warehouse_path)
        attempts = ["DELETE FROM core.dim_region", "CREATE TABLE core.x AS SELECT 1 AS a",
                    "UPDATE core.dim_region SET name = 'x'",
                    f"COPY (SELECT 1) TO '{scratch}/x.csv'",
                    f"DETACH warehouse; ATTACH '{_wh(settings)}' AS w; DELETE FROM w.core.dim_region",
                    "SET lock_configuration = false"]
        ran = []
        for sql in attempts:
            with reading_session(settings) as con:
                try:
                    con.execute(sql)
                    ran.append(sql)
                except duckdb.Error:
                    pass
        changed = sha256_of(settings.warehouse_path) != before or list(scratch.glob("x.*"))
        problems = [f"ran: {sql!r}" for sql in ran] + (["something was written"] if changed else [])
        return Outcome(not problems, "; ".join(problems) or f"{len(attempts)} writes refused")

    return Case("access", "report-connection-read-only", "the reports' and exports' connection "
                "refuses DELETE, CREATE, UPDATE, COPY, DETACH/ATTACH and SET", run)


# --- modes -------------------------------------------------------------------------------

def _shared_writable(root: Path) -> list[str]:
    paths = [root, *root.rglob("*")] if root.exists() else []
    return [f"{p} ({stat.filemode(p.lstat().st_mode)})" for p in paths
            if not p.is_symlink() and p.lstat().st_mode & 0o022]


def _write_outputs(settings: Settings) -> None:
    """The report and a desk export, beside what the run wrote."""
    from pipelines.marts.months import build_stale_months
    from pipelines.marts.report.render import write_latest_report

    build_stale_months(settings)
    write_latest_report(settings)
    code, text = desk(settings, "SELECT code, name FROM core.dim_region",
                      "--out", str(settings.reports / "desk" / "regions.csv"))
    if code:
        raise RuntimeError(f"the desk export failed: {text}")


def modes_case() -> Case:
    def run(scratch: Path) -> Outcome:
        old = os.umask(0)
        try:
            landing = standard_landing(scratch)
            os.chmod(landing.settings.warehouse_path, 0o666)  # as an old umask left it
            run_everything(landing.settings)
            _write_outputs(landing.settings)
        finally:
            os.umask(old)
        s = landing.settings
        loose = [x for root in (s.warehouse_path, s.archive, s.reports, s.gx_root)
                 for x in _shared_writable(root)]
        checked = sum(1 for root in (s.archive, s.reports, s.gx_root) for _ in root.rglob("*"))
        if not s.data_docs.exists() or not checked:
            return Outcome(False, "no Data Docs or archive were written: nothing checked")
        return Outcome(not loose, f"{len(loose)} group/world-writable: {loose[:3]}" if loose
                       else f"{checked + 1} paths checked, none group- or world-writable")

    return Case("access", "modes-under-umask-000", "under umask 000, the warehouse, archive, "
                "reports and Data Docs are created without group or world write", run)


def archive_case() -> Case:
    def run(scratch: Path) -> Outcome:
        landing = standard_landing(scratch)
        run_everything(landing.settings)
        files = [p for p in landing.settings.archive.rglob("*") if p.is_file()]
        writable = [p.name for p in files if p.stat().st_mode & 0o222]
        if not files:
            return Outcome(False, "nothing was archived")
        return Outcome(not writable, f"writable: {writable[:3]}" if writable
                       else f"{len(files)} archived files, all read-only (0444)")

    return Case("access", "archive-read-only", "every archived file is read-only", run)


# --- secrets -----------------------------------------------------------------------------

def secrets_case() -> Case:
    def run(scratch: Path) -> Outcome:
        landing = standard_landing(scratch)
        settings = landing.settings
        run_everything(settings)
        log = logging.getLogger()
        text = io.StringIO()
        handler = logging.StreamHandler(text)
        level = log.level
        log.addHandler(handler)
        log.setLevel(logging.DEBUG)  # requests and urllib3 included
        errors: list[str] = []
        try:
            for i, faults in enumerate([Faults(), Faults(unauthorized=True),
                                        Faults(malformed=("sites", 1)), Faults(error_every=1)]):
                with partner_server(faults=faults) as (_, conn):
                    try:
                        pln.pull(settings, conn, datetime.now(UTC) + timedelta(minutes=i),
                                 FAST, sleep=lambda s: None)
                    except Exception as exc:
                        errors.append(repr(exc) + "".join(traceback.format_exception(exc)))
            _write_outputs(settings)
        finally:
            log.removeHandler(handler)
            log.setLevel(level)
        with session(settings, read_only=True) as con:
            audit_text = con.execute(
                """SELECT string_agg(CAST(t AS VARCHAR), '\n') FROM (
                       SELECT to_json(f) AS t FROM audit.file AS f
                       UNION ALL SELECT to_json(l) FROM audit.load AS l
                       UNION ALL SELECT to_json(q) FROM audit.quarantine AS q
                       UNION ALL SELECT to_json(v) FROM audit.validation_result AS v)"""
            ).fetchone()[0]
        files = [p for p in settings.home.rglob("*") if p.is_file() and not p.is_symlink()]
        leaks = [str(p.relative_to(settings.home)) for p in files if TOKEN.encode() in p.read_bytes()]
        leaks += [where for where, t in [("exceptions", "".join(errors)), ("logs", text.getvalue()),
                                         ("audit rows", audit_text)] if TOKEN in t]
        if len(errors) != 3 or "sites" not in audit_text:
            return Outcome(False, f"the pulls did not run as planned: {len(errors)} failed")
        return Outcome(not leaks, f"the token is in: {leaks}" if leaks else
                       f"token in none of {len(files)} files, 3 exceptions, the log, audit rows")

    return Case("access", "secrets-never-leak", "the partner token is in no log, Data Docs, "
                "audit row, exception, archive or report, across failed and good pulls", run)


# --- exports -----------------------------------------------------------------------------

FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tTab", "\rCR"]


def exported(path: Path) -> list[tuple]:
    """(text, number, count) of every row the desk wrote to a .csv or .xlsx."""
    if path.suffix == ".csv":
        import csv

        with path.open(newline="", encoding="utf-8") as fh:
            return [(r[0], float(r[1]), int(r[2])) for r in list(csv.reader(fh))[1:]]
    import openpyxl

    return [tuple(c.value for c in row)
            for row in openpyxl.load_workbook(path).active.iter_rows(min_row=2)]


def export_case() -> Case:
    def run(scratch: Path) -> Outcome:
        settings = registry_home(scratch)
        with session(settings, read_only=True) as con:
            names = [n for (n,) in con.execute(
                "SELECT name FROM core.dim_region WHERE level = 'village' ORDER BY code LIMIT 3"
            ).fetchall()]
        values = ", ".join("('" + f.replace("'", "''") + "')" for f in FORMULAS)
        sql = (f"SELECT text, -2.5 AS number, 42 AS count FROM (VALUES {values}) AS t(text) "
               "UNION ALL (SELECT name, -2.5, 42 FROM core.dim_region WHERE level = 'village' "
               "ORDER BY code LIMIT 3)")
        want = sorted(["'" + f for f in FORMULAS] + names)
        problems = []
        for suffix in ("csv", "xlsx"):
            code, text = desk(settings, sql, "--out", str(scratch / "out" / f"result.{suffix}"))
            if code:
                return Outcome(False, f"the export failed: {text}")
            cells = exported(scratch / "out" / f"result.{suffix}")
            if suffix == "xlsx":  # XML turns a CR in text into a line feed
                want = sorted(w.replace("\r", "\n") for w in want)
            if sorted(c[0] for c in cells) != want:
                problems.append(f"{suffix}: text cells {sorted(c[0] for c in cells)!r}, "
                                f"expected {want!r}")
            if any(c[1:] != (-2.5, 42) for c in cells):
                problems.append(f"{suffix}: numbers changed: {[c[1:] for c in cells]!r}")
        return Outcome(not problems, "; ".join(problems) or f"{len(FORMULAS)} formula-like "
                       "cells prefixed with ', village names and numbers unchanged")

    return Case("access", "export-neutralises-formulas", "CSV and XLSX exports prefix cells "
                "starting =, +, -, @, tab or CR, and leave names and numbers as they are", run)


# --- special files in landing/ -----------------------------------------------------------

def special_files_case() -> Case:
    def run(scratch: Path) -> Outcome:
        landing = standard_landing(scratch)
        kpi = landing.settings.landing / "towers" / "kpi"
        fifo = kpi / f"{days_ago(29)}.csv"
        os.mkfifo(fifo)  # opening it to read would wait for a writer for ever
        folder = landing.settings.landing / "towers" / "events" / f"{days_ago(29)}.log"
        folder.mkdir()
        (folder / "inside.txt").write_text("a folder named like a delivery\n")
        landing.add_hostile(fifo)
        landing.add_hostile(folder / "inside.txt")
        # Root (the selftest in CI) reads a chmod-000 file anyway: then it is rejected
        # for its content; anyone else gets it listed as unreadable. Either is recorded.
        unreadable = landing.settings.landing / "registry" / "kemendagri" / "2025-09-01.csv"
        unreadable.write_bytes(b"kode\n")
        os.chmod(unreadable, 0)
        landing.add_hostile(unreadable)
        run_everything(landing.settings)
        return account(landing)

    return bounded(Case("access", "landing-fifo-folder-unreadable", "a FIFO, a folder named "
                        "like a delivery and a chmod-000 file in landing/ end in a recorded "
                        "outcome, never a hang", run), 60)


CASES = [*QUERY_CASES, report_connection_case(), modes_case(), archive_case(), secrets_case(),
         export_case(), special_files_case()]
