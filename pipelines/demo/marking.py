"""Demo data says so, everywhere a reader looks.

The demo's registry is real (pipelines/reference) but its towers, logs, attributes and
partner data are generated, so no figure built from them may pass for an official one.
The generator marks the landing zone (landing/DEMO_DATA.txt); the first mart build that
reads from a marked landing zone records it in the warehouse (audit.demo_data), where it
outlives the landing zone. `is_demo` is the one question every output asks: the monthly report, the exports,
the run summary and Data Docs.
"""

from __future__ import annotations

import html
from pathlib import Path

import duckdb

from pipelines.settings import Settings

MARK_ID = "DATA DEMO - bukan statistik resmi"
MARK_EN = "DEMO DATA - not an official statistic"
MARK = f"{MARK_ID} / {MARK_EN}"
EXPLANATION = (
    "Kode dan nama wilayah asli (Kemendagri); menara, log, atribut desa dan data mitra "
    "dibangkitkan. / Real region codes and names (Kemendagri); towers, logs, village "
    "attributes and partner data are generated."
)
MARKER_NAME = "DEMO_DATA.txt"
FILE_PREFIX = "demo_"  # every exported file's name starts with it


def mark_landing(landing: Path, seed: int) -> Path:
    """The landing zone's marker: deliveries next to it are generated."""
    landing.mkdir(parents=True, exist_ok=True)
    path = landing / MARKER_NAME
    path.write_text(f"{MARK}\n\n{EXPLANATION}\n\nseed: {seed}\n", encoding="utf-8")
    return path


def remember(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Once a build reads from a marked landing zone, the warehouse records it holds demo
    data (audit.demo_data), for good."""
    if (settings.landing / MARKER_NAME).is_file() and not _recorded(con):
        con.execute("INSERT INTO audit.demo_data VALUES (now(), ?, ?)", [str(settings.landing), MARK])


def _recorded(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return con.execute("SELECT count(*) > 0 FROM audit.demo_data").fetchone()[0]
    except duckdb.CatalogException:  # read-only, before the migration that adds the table
        return False


def is_demo(target: Settings | duckdb.DuckDBPyConnection, *, warehouse: bool = True) -> bool:
    """Whether outputs of this home (or warehouse connection) must carry the demo mark.

    A home is demo if its landing zone is marked or its warehouse records demo data.
    `warehouse=False` asks the landing zone only: for callers that run while a
    connection to the warehouse is open in this process (a second one would conflict).
    """
    if isinstance(target, duckdb.DuckDBPyConnection):
        return _recorded(target)
    if (target.landing / MARKER_NAME).is_file():
        return True
    if not warehouse or (target.warehouse_backend == "duckdb"
                         and not target.warehouse_path.exists()):
        return False
    from pipelines.warehouse import session

    with session(target, read_only=True) as con:
        return _recorded(con)


def file_name(name: str, demo: bool) -> str:
    """An output's file name, prefixed when it holds demo data."""
    return FILE_PREFIX + name if demo else name


_START, _END = "<!-- konektivitas-demo -->", "<!-- /konektivitas-demo -->"


def banner_html() -> str:
    """A bilingual banner for any HTML page built from demo data."""
    return (
        f"{_START}<div class='demo-mark' role='note' style='background:#ffd400;color:#000;"
        "font:bold 16px sans-serif;padding:8px 16px;text-align:center'>"
        f"{html.escape(MARK)}<br><span style='font-weight:normal;font-size:12px'>"
        f"{html.escape(EXPLANATION)}</span></div>{_END}"
    )


def mark_page(page: str, demo: bool) -> str:
    """The page with the banner right after <body> when `demo` (again on every rebuild),
    without it otherwise."""
    if _START in page:
        page = page[: page.index(_START)] + page[page.index(_END) + len(_END):]
    if not demo:
        return page
    body = page.find("<body")
    at = page.find(">", body) + 1 if body >= 0 else 0
    return page[:at] + banner_html() + page[at:]
