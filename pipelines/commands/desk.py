"""The statistician's desk: query, docs and export."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from pipelines.commands.common import add_home, console, parse_month
from pipelines.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("query", help="run SQL on the warehouse, read-only; print or write it")
    add_home(p)
    p.add_argument("sql")
    p.add_argument("--out", type=Path, help="write the result to .csv, .parquet or .xlsx")
    p.add_argument("--limit", type=int, default=200, help="rows to print (default 200)")
    p.add_argument("--as-of-load", metavar="LOAD_ID", default=None,
                   help="DuckLake: read the lake as it was right after that load")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("docs", help="write the data dictionary (HTML and Markdown)")
    add_home(p)
    p.add_argument("--out", type=Path, default=None)
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("export", help="write a month's publication set (CSV, Parquet, XLSX)")
    add_home(p)
    p.add_argument("--month", type=parse_month, required=True, help="YYYY-MM")
    p.add_argument("--out", type=Path, default=None)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", help="write the monthly HTML report (Bahasa Indonesia / English)")
    add_home(p)
    p.add_argument("--month", type=parse_month, default=None, help="YYYY-MM (default: latest)")
    p.add_argument("--out", type=Path, default=None)
    p.set_defaults(func=cmd_report)


def cmd_query(args: argparse.Namespace) -> int:
    from pipelines.audit.desk.as_of import as_of_load
    from pipelines.io.result_files import write_result
    from pipelines.marts.query import run_query

    settings = get_settings(args.home)
    with as_of_load(settings, args.as_of_load) as con:
        rel = run_query(con, settings, args.sql, args.out.parent if args.out else None)
        if args.out:
            console.print(f"wrote {write_result(con, rel, args.out)}")
            return 0
        table = Table()
        for col in rel.columns:
            table.add_column(col)
        rows = rel.fetchmany(args.limit)
        for row in rows:
            table.add_row(*["NULL" if v is None else str(v) for v in row])
        console.print(table)
        console.print(f"{len(rows)} row(s) shown")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from pipelines.marts.dictionary import undocumented, write_dictionary
    from pipelines.warehouse import session

    settings = get_settings(args.home)
    with session(settings, read_only=True) as con:
        paths = write_dictionary(con, args.out or settings.reports / "dictionary")
        missing = undocumented(con)
    for p in paths:
        console.print(f"wrote {p}")
    if missing:
        console.print(f"[yellow]{len(missing)} undocumented: {', '.join(missing[:10])}[/]")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pipelines.marts.export import export_month

    paths = export_month(get_settings(args.home), args.month, args.out)
    for p in paths:
        console.print(f"wrote {p}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pipelines.marts.report.render import latest_month, write_report

    settings = get_settings(args.home)
    month = args.month or latest_month(settings)
    if month is None:
        raise ValueError("no month in marts.region_connectivity_monthly yet: run the pipeline first")
    console.print(f"wrote {write_report(settings, month, args.out)}")
    return 0
