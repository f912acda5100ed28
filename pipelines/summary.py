"""The end-of-run table: what was loaded, quarantined and rejected, and where to look."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

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


def first_statistic(settings: Settings) -> list[tuple]:
    with session(settings, read_only=True) as con:
        return con.execute(
            """SELECT count(*), sum(villages_total), sum(villages_kelurahan)
               FROM marts.district_village_count"""
        ).fetchall()


def print_summary(settings: Settings, console: Console) -> None:
    table = Table(title="Loads by source")
    for col in ("source", "dataset", "files loaded", "duplicates", "files rejected",
                "rows published", "rows quarantined"):
        table.add_column(col, justify="left" if col in ("source", "dataset") else "right")
    for row in load_counts(settings):
        table.add_row(*[str(v) for v in row])
    console.print(table)
    where = Table(title="Where things are", show_header=False)
    where.add_row("warehouse", str(settings.warehouse_path))
    where.add_row("Data Docs", str(settings.data_docs / "index.html"))
    where.add_row("reports", str(settings.reports))
    console.print(where)
    try:
        ((districts, villages, kelurahan),) = first_statistic(settings)
        console.print(
            f"First statistic: {villages} villages ({kelurahan} kelurahan) in {districts} districts"
            " (marts.district_village_count)."
        )
    except Exception as exc:  # a fresh home without marts still gets the table above
        console.print(f"(no marts yet: {exc})")
