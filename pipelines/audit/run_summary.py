"""The end-of-run table: what was loaded, quarantined and rejected, and where to look."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pipelines.demo import marking
from pipelines.settings import Settings
from pipelines.warehouse import session


def load_counts(settings: Settings) -> list[tuple]:
    with session(settings, read_only=True) as con:
        return con.execute(
            """SELECT source, dataset,
                      count(*) FILTER (WHERE status IN ('published', 'superseded')) AS files_loaded,
                      count(*) FILTER (WHERE status = 'duplicate') AS duplicates,
                      count(*) FILTER (WHERE status = 'rejected') AS files_rejected,
                      coalesce(sum(rows_published) FILTER (WHERE status = 'published'), 0),
                      coalesce(sum(rows_quarantined) FILTER (WHERE status = 'published'), 0)
               FROM audit.load GROUP BY ALL ORDER BY source, dataset"""
        ).fetchall()


def pulled_counts(settings: Settings) -> list[tuple]:
    """(server, files fetched, skipped as already held, refused, failed tries) per pull."""
    with session(settings, read_only=True) as con:
        return con.execute(
            """SELECT remote,
                      count(*) FILTER (WHERE outcome = 'fetched' AND landed_as IS NOT NULL),
                      count(*) FILTER (WHERE outcome = 'skipped'),
                      count(*) FILTER (WHERE outcome = 'rejected'),
                      count(*) FILTER (WHERE outcome = 'failed')
               FROM audit.remote_fetch GROUP BY ALL ORDER BY remote"""
        ).fetchall()


def not_loaded(settings: Settings) -> list[tuple[str, str, str]]:
    """(file, outcome, reason) of every landed file not loaded: unrecognised by the last
    scan, or rejected and not published since."""
    with session(settings, read_only=True) as con:
        return con.execute(
            """SELECT path, 'unrecognised', reason FROM audit.unrecognised_file
               UNION ALL
               SELECT file_name, 'rejected', split_part(arg_max(message, started_at), chr(10), 1)
               FROM audit.load AS l
               WHERE status = 'rejected' AND NOT EXISTS (
                   SELECT 1 FROM audit.load AS p WHERE p.file_name = l.file_name
                   AND p.status IN ('published', 'superseded', 'duplicate')
                   AND p.started_at > l.started_at)
               GROUP BY file_name
               ORDER BY 1"""
        ).fetchall()


def first_statistic(settings: Settings) -> str:
    """The headline of the latest month, or the registry's size before any month is built."""
    with session(settings, read_only=True) as con:
        latest = con.execute(
            """SELECT month_date, villages_total, villages_blank_spot, villages_unknown,
                      villages_connected_pct, population_blank_spot
               FROM marts.region_connectivity_monthly ORDER BY month_date DESC LIMIT 1"""
        ).fetchone()
        if latest:
            month, total, blank, unknown, pct, pop = latest
            pct_text = "n/a" if pct is None else f"{pct:.1f} %"
            return (f"{month:%Y-%m}: {blank} of {total} villages are blank spots "
                    f"({unknown} unknown, {pct_text} connected, {pop or 0:,} people in blank "
                    "spots) — marts.region_connectivity_monthly")
        districts, villages = con.execute(
            "SELECT count(*), sum(villages_total) FROM marts.district_village_count"
        ).fetchone()
        return f"{villages} villages in {districts} districts — marts.district_village_count"


def district_rows(settings: Settings) -> tuple[str, list[tuple]]:
    """(month, [(code, name, villages, blank spots, unknown)]) of the latest month built."""
    with session(settings, read_only=True) as con:
        rows = con.execute(
            """SELECT strftime(month_date, '%Y-%m'), district_code, district_name, villages_total,
                      villages_blank_spot, villages_unknown
               FROM marts.district_connectivity_monthly
               WHERE month_date = (SELECT max(month_date) FROM marts.district_connectivity_monthly)
               ORDER BY district_code"""
        ).fetchall()
    return (rows[0][0] if rows else ""), [r[1:] for r in rows]


def print_summary(settings: Settings, console: Console) -> None:
    """The tables and the first statistic; demo data says so above and below them."""
    demo = marking.is_demo(settings)
    mark = f"[bold black on yellow] {marking.MARK} [/]"
    if demo:
        console.print(mark)
    table = Table(title="Loads by source")
    for col in ("source", "dataset", "files loaded", "duplicates", "files rejected",
                "rows published", "rows quarantined"):
        table.add_column(col, justify="left" if col in ("source", "dataset") else "right")
    for row in load_counts(settings):
        table.add_row(*[str(v) for v in row])
    console.print(table)
    pulled = pulled_counts(settings)
    if pulled:
        fetched = Table(title="Fetched from servers (audit.remote_fetch)")
        for col in ("connection", "files fetched", "already held", "refused", "failed tries"):
            fetched.add_column(col, justify="left" if col == "connection" else "right")
        for row in pulled:
            fetched.add_row(*[str(v) for v in row])
        console.print(fetched)
    missed = not_loaded(settings)
    if missed:
        files = Table(title="Files not loaded (landing/)")
        for col in ("file", "outcome", "reason"):
            files.add_column(col, overflow="fold")
        for row in missed:
            files.add_row(*row)
        console.print(files)
    where = Table(title="Where things are", show_header=False)
    where.add_row("warehouse", str(settings.warehouse_path))
    where.add_row("Data Docs", str(settings.data_docs / "index.html"))
    reports = sorted(settings.reports.glob("connectivity_*.html"))
    where.add_row("monthly report", str(reports[-1]) if reports else "(no month built yet)")
    where.add_row("reports", str(settings.reports))
    console.print(where)
    try:
        month, districts = district_rows(settings)
        if districts:
            title = f"Villages by district, {month}" + (" (DEMO DATA)" if demo else "")
            table = Table(title=title)
            for col in ("code", "district", "villages", "blank spots", "unknown"):
                table.add_column(col, justify="left" if col in ("code", "district") else "right")
            for row in districts:
                table.add_row(*["" if v is None else str(v) for v in row])
            console.print(table)
        label = "First statistic (DEMO DATA, not official)" if demo else "First statistic"
        console.print(f"{label}: {first_statistic(settings)}")
    except Exception as exc:  # a fresh home without marts still gets the tables above
        console.print(f"(no marts yet: {exc})")
    if demo:
        console.print(mark)
