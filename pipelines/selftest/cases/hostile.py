"""Hostile and broken inputs, each landed beside valid files of its own and other sources:
a recorded rejection (or quarantine, or listing as unrecognised) for the hostile one, never
a crash, a hang or a partial load, and every row of the valid files published once."""

from __future__ import annotations

import gzip
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pipelines.demo.partner_server import Faults
from pipelines.pln import pull as pln
from pipelines.pln.api_client import PartnerApiError, PartnerConnection
from pipelines.selftest import servers
from pipelines.selftest.case import Case, Outcome
from pipelines.selftest.homes import (
    TOWERS,
    Landing,
    account,
    days_ago,
    land_tower_day,
    run_everything,
    standard_landing,
)
from pipelines.selftest.partner import FAST, TOKEN, partner_server
from pipelines.selftest.towerfiles import KPI_COLUMNS, day_samples, write_kpi
from pipelines.selftest.workbooks import (
    ROW,
    SHEET,
    billion_laughs,
    bomb,
    empty_rows_below,
    not_a_zip,
    rewrite_part,
    valid_report,
)
from pipelines.warehouse import session

HOSTILE_DAY = 29  # days ago: the valid tower day is 30 days ago


def hostile_case(name: str, expects: str, land: Callable[[Landing], None],
                 loads_whole: bool = False, **overrides: object) -> Case:
    """Land the standard valid files and `land`'s hostile ones, run everything, account."""

    def run(scratch: Path) -> Outcome:
        landing = standard_landing(scratch, **overrides)
        land(landing)
        run_everything(landing.settings)
        return account(landing, expects_refused=not loads_whole)

    return Case("hostile", name, expects, run)


def bounded(case: Case, seconds: float) -> Case:
    """The case, failed when it takes longer than `seconds` (work must be bounded)."""

    def run(scratch: Path) -> Outcome:
        start = time.monotonic()
        outcome = case.run(scratch)
        took = time.monotonic() - start
        if took > seconds:
            return Outcome(False, f"took {took:.0f} s, over {seconds:.0f} s: {outcome.detail}",
                           outcome.rows_lost, outcome.rows_duplicated)
        return outcome

    return Case(case.group, case.name, f"{case.expects}, within {seconds:.0f} s", run)


# --- tower KPI files ---------------------------------------------------------------------

def kpi_bytes(day: date) -> bytes:
    """A valid KPI file of both towers for `day`, as bytes."""
    lines = [",".join(KPI_COLUMNS)] + [",".join(s[c] for c in KPI_COLUMNS)
                                      for t in TOWERS for s in day_samples(t, day)]
    return ("\n".join(lines) + "\n").encode()


def kpi_file(spoil: Callable[[bytes], bytes], name: Callable[[date], str] | None = None,
             day_offset: int = HOSTILE_DAY, whole_day: bool = True) -> Callable[[Landing], None]:
    """Land a spoiled KPI file (with the day's valid inventory and syslog when `whole_day`)."""

    def land(landing: Landing) -> None:
        day = days_ago(day_offset)
        if whole_day:
            land_tower_day(landing, day, kpi=False)
        path = write_kpi(landing.settings.home, day, [], name=name(day) if name else None)
        path.write_bytes(spoil(kpi_bytes(day)))
        landing.add_hostile(path)

    return land


def named_kpi_files(*names: Callable[[date], str]) -> Callable[[Landing], None]:
    """Valid KPI files under names no delivery takes."""

    def land(landing: Landing) -> None:
        for name in names:
            kpi_file(lambda data: data, name=name, whole_day=False)(landing)

    return land


def with_lines(change: Callable[[list[bytes]], list[bytes]]) -> Callable[[bytes], bytes]:
    return lambda data: b"\n".join(change(data.split(b"\n")))


def _nul_bytes(lines: list[bytes]) -> list[bytes]:
    return [line.replace(b",PLN,", b",P\x00LN,") if i % 50 == 7 else line
            for i, line in enumerate(lines)]


def _ten_thousand_columns(lines: list[bytes]) -> list[bytes]:
    extra = 10_000 - len(KPI_COLUMNS)
    header = lines[0] + b"".join(b",x%d" % i for i in range(extra))
    return [header] + [line + b"," * extra if line else line for line in lines[1:]]


def _wide_csv(columns: int, rows: int) -> bytes:
    lines = [",".join(f"c{i}" for i in range(columns))]
    lines += [",".join(str(r * i % 97) for i in range(columns)) for r in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _gzip_cut(data: bytes) -> bytes:
    packed = gzip.compress(data, mtime=0)
    return packed[: len(packed) * 6 // 10]


def _arabic_digits(day: date) -> str:
    return str(day).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) + ".csv"


KPI_CASES = [
    hostile_case("kpi-zero-byte", "a zero-byte KPI file is rejected",
                 kpi_file(lambda _: b"")),
    hostile_case("kpi-truncated-gzip", "a gzip KPI file that ends early is rejected whole",
                 kpi_file(_gzip_cut, name=lambda d: f"{d}.csv.gz")),
    hostile_case("kpi-binary-garbage", "64 KiB of random bytes as a KPI file is rejected",
                 kpi_file(lambda _: random.Random(13).randbytes(65_536))),
    hostile_case("kpi-utf16", "a UTF-16 KPI file is rejected or quarantined, never misread",
                 kpi_file(lambda data: data.decode().encode("utf-16"))),
    hostile_case("kpi-nul-bytes", "NUL bytes inside KPI rows: rejected or those rows quarantined",
                 kpi_file(with_lines(_nul_bytes))),
    hostile_case("kpi-50mb-line", "a 50 MB line in a KPI file: rejected, in bounded memory",
                 kpi_file(lambda data: data + b"T1," + b"9" * 50_000_000 + b"\n")),
    hostile_case("csv-10000-columns", "a 10,000-column CSV that is no KPI file is rejected",
                 kpi_file(lambda _: _wide_csv(10_000, 300))),
    bounded(hostile_case("kpi-10000-columns", "a KPI file with 9,989 extra columns loads whole, "
                         "extra columns ignored (docs/sources.md)",
                         kpi_file(with_lines(_ten_thousand_columns)), loads_whole=True), 60),
    hostile_case("kpi-header-repeated", "a header repeated mid-file: that line quarantined or "
                 "the file rejected", kpi_file(with_lines(lambda ls: ls[:100] + ls[:1] + ls[100:]))),
    hostile_case("kpi-future-day", "a KPI file dated after tomorrow is refused with the reason",
                 kpi_file(lambda data: data, day_offset=-3, whole_day=False)),
    hostile_case("kpi-before-first-day", "a day before KONEKTIVITAS_FIRST_DAY is refused with "
                 "the reason", kpi_file(lambda data: data, day_offset=40, whole_day=False),
                 first_day=days_ago(35)),
    hostile_case("kpi-1970", "a KPI file for 1970 is refused with the reason",
                 kpi_file(lambda data: data, name=lambda d: "1970-01-01.csv", whole_day=False)),
    hostile_case("kpi-non-ascii-digits", "a day written in Arabic-Indic digits is listed as "
                 "unrecognised, and the run goes on", kpi_file(lambda data: data, name=_arabic_digits, whole_day=False)),
    hostile_case("kpi-dotdot-name", "`<day>..csv` and `..<day>.csv` are listed as unrecognised",
                 named_kpi_files(lambda d: f"{d}..csv", lambda d: f"..{d}.csv")),
    hostile_case("names-spaces-quotes-unicode", "names with spaces, quotes and Unicode are "
                 "listed as unrecognised (docs/sources.md: one name per kind)",
                 named_kpi_files(lambda d: f"{d} (salinan).csv", lambda d: f"{d} \"final\" 'v2'.csv",
                                 lambda d: f"{d}-données-✓.csv")),
]


# --- the landing zone's links ------------------------------------------------------------

def _symlinks_out(landing: Landing) -> None:
    secret = landing.settings.home.parent / "outside" / "secret.csv"
    secret.parent.mkdir()
    secret.write_bytes(kpi_bytes(days_ago(HOSTILE_DAY)))
    kpi = landing.settings.landing / "towers" / "kpi"
    absolute = kpi / f"{days_ago(HOSTILE_DAY)}.csv"
    absolute.symlink_to(secret)
    relative = landing.settings.landing / "registry" / "kemendagri" / "2025-08-01.csv"
    relative.symlink_to(Path("../../..") / "outside" / "secret.csv")
    folder = landing.settings.landing / "registry" / "attributes"
    folder.symlink_to(secret.parent, target_is_directory=True)
    for path in (absolute, relative, folder):
        landing.add_hostile(path)


def symlink_case() -> Case:
    def run(scratch: Path) -> Outcome:
        landing = standard_landing(scratch)
        _symlinks_out(landing)
        run_everything(landing.settings)
        outcome = account(landing)
        secret = (scratch / "outside" / "secret.csv").read_bytes()
        copied = [p for p in landing.settings.archive.rglob("*")
                  if p.is_file() and p.read_bytes() == secret]
        if copied:
            return Outcome(False, f"the link's target was archived as {copied[0]}",
                           outcome.rows_lost, outcome.rows_duplicated)
        return outcome

    return Case("hostile", "symlink-out-of-landing", "links in landing/ (absolute, `../..` "
                "relative, a linked folder) are listed, never followed or archived", run)


# --- registry editions -------------------------------------------------------------------

def edition(name: str, spoil: Callable[[str], bytes]) -> Callable[[Landing], None]:
    def land(landing: Landing) -> None:
        folder = landing.settings.landing / "registry" / "kemendagri"
        text = (folder / "2025-07-01.csv").read_text(encoding="utf-8")
        path = folder / name
        path.write_bytes(spoil(text))
        landing.add_hostile(path)

    return land


def _attributes_header(landing: Landing) -> None:
    folder = landing.settings.landing / "registry" / "attributes"
    folder.mkdir(parents=True)
    evil = '\ufeffkode" TO x; DROP TABLE core.region_edition; --'
    path = folder / "2025.csv"
    path.write_text(f"{evil},population,households,area_km2,lat,lon\n"
                    "64.02.01.2001,100,20,3.5,-0.5,117.0\n", encoding="utf-8")
    landing.add_hostile(path)


def header_injection_case() -> Case:
    def run(scratch: Path) -> Outcome:
        landing = standard_landing(scratch)
        _attributes_header(landing)
        run_everything(landing.settings)
        outcome = account(landing)
        with session(landing.settings, read_only=True) as con:
            editions = con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'core' "
                "AND table_name = 'region_edition'").fetchone()[0]
        if not editions:
            return Outcome(False, "core.region_edition was dropped by a header name")
        return outcome

    return Case("hostile", "attributes-header-injection", "a header name carrying SQL (after "
                "a BOM) is only ever a quoted name: the file is refused, the registry intact",
                run)


def _events_garbage(landing: Landing) -> None:
    day = days_ago(HOSTILE_DAY)
    land_tower_day(landing, day, events=False)
    path = landing.settings.landing / "towers" / "events" / f"{day}.log"
    path.write_bytes(random.Random(7).randbytes(32_768))
    landing.add_hostile(path)


REGISTRY_CASES = [
    header_injection_case(),
    hostile_case("events-binary-garbage", "a syslog file of random bytes is rejected or its "
                 "lines quarantined; the day's other files load", _events_garbage),
    hostile_case("registry-dotdot-edition", "an edition named `2026-01-01..csv` is listed as "
                 "unrecognised; the other edition and sources load",
                 edition("2026-01-01..csv", str.encode)),
    hostile_case("registry-latin1-edition", "a Latin-1 edition is rejected naming it, no load "
                 "left running", edition("2025-08-01.csv",
                                         lambda t: t.replace("a", "\u00e4").encode("latin-1"))),
]


# --- SLA spreadsheets --------------------------------------------------------------------

def months_ago(n: int) -> str:
    first = days_ago(0).replace(day=1)
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
    return f"{first:%Y-%m}"


def sla_report(spoil: Callable[[Path], object] | None) -> Callable[[Landing], None]:
    """A valid report two months ago; last month's spoiled by `spoil` (None: left valid)."""

    def land(landing: Landing) -> None:
        landing.add_valid(valid_report(landing.settings, months_ago(2)), 1)
        path = valid_report(landing.settings, months_ago(1))
        if spoil:
            spoil(path)
        landing.add_hostile(path)

    return land


FORMULAS = ["=HYPERLINK(\"http://x\",\"klik\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def _formula_rows(path: Path) -> None:
    import openpyxl

    from pipelines.demo.generate.pln import SheetStyle, write_sla_report

    month = date.fromisoformat(path.stem + "-01")
    rows = [{**ROW, "no": i + 1, "site_id": f"S{i + 1}", "village_name": text}
            for i, text in enumerate(FORMULAS)]
    write_sla_report(path, month, rows, SheetStyle())
    # openpyxl stores a string starting with "=" as a formula: the partner's cell is text.
    book = openpyxl.load_workbook(path)
    for row in book.active.iter_rows():
        for cell in row:
            if cell.value in FORMULAS:
                cell.data_type = "s"
    book.save(path)


def formula_names_case() -> Case:
    def run(scratch: Path) -> Outcome:
        landing = standard_landing(scratch)
        sla_report(_formula_rows)(landing)
        run_everything(landing.settings)
        outcome = account(landing, expects_refused=False)
        with session(landing.settings, read_only=True) as con:
            names = {n or "" for (n,) in con.execute(
                "SELECT village_name FROM core.fct_partner_sla_reported").fetchall()}
        missing = [f for f in FORMULAS if f.strip() not in {n.strip() for n in names}]
        if missing:
            return Outcome(False, f"village names not kept as text: {missing!r}; got {names!r}")
        return outcome

    return Case("hostile", "sla-formula-village-names", "village names that are spreadsheet "
                "formulas load as plain text, never evaluated", run)


SLA_CASES = [
    hostile_case("sla-xlsx-not-a-zip", "an .xlsx that is not a zip is rejected; the other "
                 "month loads", sla_report(not_a_zip)),
    bounded(hostile_case("sla-xlsx-zip-bomb", "an .xlsx expanding to 200 MB is rejected",
                         sla_report(lambda p: rewrite_part(p, SHEET, bomb))), 90),
    hostile_case("sla-xlsx-entity-expansion", "an .xlsx with a billion-laughs DTD is rejected",
                 sla_report(lambda p: rewrite_part(p, SHEET, billion_laughs))),
    bounded(hostile_case("sla-xlsx-million-empty-rows", "a million empty rows below the table "
                         "are never read: the one row loads", sla_report(
                             lambda p: rewrite_part(p, SHEET, empty_rows_below)), loads_whole=True),
            90),
    formula_names_case(),
]


# --- the partner API ---------------------------------------------------------------------

QUICK = FAST.__class__(**{**FAST.__dict__, "timeout_s": 0.5, "request_deadline_s": 1.0,
                          "max_retries": 1})


def api_case(name: str, expects: str, server: Callable[[], object], says: str) -> Case:
    """A pull against a misbehaving server after every landed file ran: a failed pull
    recorded in audit saying `says`, nothing of it loaded, the landed files all in."""

    def run(scratch: Path) -> Outcome:
        landing = standard_landing(scratch)
        run_everything(landing.settings)
        with server() as base_url:  # type: ignore[attr-defined]
            start = time.monotonic()
            try:
                pln.pull(landing.settings, PartnerConnection(base_url, TOKEN),
                         datetime.now(UTC), QUICK, sleep=lambda s: None)
                raised = "the pull succeeded"
            except PartnerApiError as exc:
                raised = str(exc)
            took = time.monotonic() - start  # the server's own shutdown not included
        outcome = account(landing)
        with session(landing.settings, read_only=True) as con:
            failed = con.execute(
                "SELECT message FROM audit.load WHERE source = 'pln' AND status = 'failed'"
            ).fetchall()
            loaded = con.execute("SELECT count(*) FROM core.dim_partner_site").fetchone()[0]
        problems = [p for p, bad in [
            (f"raised: {raised}", says not in raised),
            ("no failed pull recorded in audit.load", not any(says in m for (m,) in failed)),
            (f"{loaded} partner sites loaded", loaded),
            (f"took {took:.0f} s", took > 30),
        ] if bad]
        if problems or not outcome.passed:
            return Outcome(False, "; ".join(problems) or outcome.detail,
                           outcome.rows_lost, outcome.rows_duplicated)
        return Outcome(True, f"failed pull recorded in {took:.1f} s: {raised[:140]}")

    return Case("hostile", name, expects, run)


def _demo_server(faults: Faults) -> Callable[[], object]:
    import contextlib

    @contextlib.contextmanager
    def serve():
        with partner_server(faults=faults) as (api, _):
            yield api.base_url

    return serve


API_CASES = [
    api_case("api-json-nested-10000", "a page nested 10,000 deep is a recorded failed pull",
             _demo_server(Faults(nested=("sites", 1))), "nested too deep"),
    api_case("api-html-for-json", "HTML where JSON was promised is a recorded failed pull",
             servers.html_server, "JSON"),
    api_case("api-never-answers", "a server that accepts and never answers is a recorded "
             "failed pull, bounded by the timeout", servers.silent_server, "after"),
    api_case("api-trickled-body", "a body sent one byte at a time is bounded as a whole and "
             "recorded", _demo_server(Faults(trickle_s=0.02)), "whole answer took longer"),
]

CASES = [*KPI_CASES, symlink_case(), *REGISTRY_CASES, *SLA_CASES, *API_CASES]
