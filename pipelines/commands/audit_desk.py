"""`konektivitas audit runs | file | trace | month`: the auditor's questions, answered from
the warehouse and the archive alone (logic in pipelines.audit.desk)."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from rich.table import Table

from pipelines.commands.common import add_home, console, parse_date, parse_month
from pipelines.settings import get_settings


def register(audit_sub: argparse._SubParsersAction) -> None:
    p = audit_sub.add_parser("runs", help="each load: source, partition, file, rows, verdict")
    add_home(p)
    p.add_argument("--since", type=parse_date, default=None, help="YYYY-MM-DD (UTC start date)")
    p.add_argument("--source", default=None, help="a source (registry, towers, pln) or dataset")
    p.set_defaults(func=cmd_runs)

    p = audit_sub.add_parser("file", help="where a file's rows went, what was refused and why")
    add_home(p)
    p.add_argument("file", help="a path, a landing name or a sha256")
    p.set_defaults(func=cmd_file)

    p = audit_sub.add_parser("trace", help="one published number back to its source files")
    add_home(p)
    p.add_argument("mart", help="a mart, e.g. district_connectivity_monthly")
    p.add_argument("key", help="its grain's values, comma-separated, e.g. 64.02.19,2026-10")
    p.add_argument("column", help="the published column, e.g. villages_blank_spot")
    p.add_argument("--as-of-load", metavar="LOAD_ID", default=None,
                   help="DuckLake: read the lake as it was right after that load")
    p.set_defaults(func=cmd_trace)

    p = audit_sub.add_parser("month", help="a month's inputs, validation and builds: HTML report")
    add_home(p)
    p.add_argument("month", type=parse_month, help="YYYY-MM")
    p.add_argument("--out", type=Path, default=None)
    p.set_defaults(func=cmd_month)


def _table(title: str, columns: list[str], rows: list[list[object]]) -> Table:
    table = Table(title=title)
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    return table


def cmd_runs(args: argparse.Namespace) -> int:
    from pipelines.audit.desk.runs import list_runs
    from pipelines.warehouse import session

    with session(get_settings(args.home), read_only=True) as con:
        runs = list_runs(con, args.since, args.source)
    console.print(_table(
        "Loads", ["started (UTC)", "load", "source", "dataset", "partition", "file", "read",
                  "published", "quarantined", "status", "verdict"],
        [[r.started_at.strftime("%Y-%m-%d %H:%M"), r.load_id, r.source, r.dataset,
          r.partition_key, r.file_name, r.rows_read, r.rows_published, r.rows_quarantined,
          r.status, r.verdict] for r in runs]))
    console.print(f"{len(runs)} load(s)")
    return 0


def cmd_file(args: argparse.Namespace) -> int:
    from pipelines.audit.desk.file import file_report
    from pipelines.warehouse import session

    settings = get_settings(args.home)
    with session(settings, read_only=True) as con:
        f = file_report(con, settings, args.file)
    console.print(f"file {f.first_name}\n  sha256 {f.sha256}, {f.bytes} bytes\n"
                  f"  archived at {settings.home / f.archive_path}")
    console.print(_table("Loads of these bytes", ["load", "dataset", "partition", "status", "verdict"],
                         [[r.load_id, r.dataset, r.partition_key, r.status, r.verdict] for r in f.loads]))
    console.print(_table("Where its rows are now", ["core table", "load", "rows"],
                         [list(r) for r in f.core_rows]))
    console.print(_table(
        f"Rows refused ({f.quarantined_total}; first {len(f.quarantined)} shown)",
        ["load", "line", "rules", "row"],
        [[q.load_id, q.line, "; ".join(q.reasons),
          json.dumps({k: v for k, v in q.record.items() if k not in ("_line", "load_id")},
                     default=str)]
         for q in f.quarantined]))
    console.print(_table(
        "Validation results", ["load", "rule", "ok", "checked", "unexpected", "observed", "sample"],
        [[v.load_id, v.rule, "yes" if v.success else "no", v.element_count, v.unexpected_count,
          v.observed_value, ", ".join(map(str, v.sample[:5]))] for v in f.validation]))
    for load_id, page in f.data_docs.items():
        console.print(f"Data Docs for load {load_id}: {page}")
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    from pipelines.audit.desk.as_of import as_of_load
    from pipelines.audit.desk.trace import trace_number

    settings = get_settings(args.home)
    with as_of_load(settings, args.as_of_load) as con:
        t = trace_number(con, settings, args.mart, args.key, args.column)
    key = ", ".join(f"{c} = {v}" for c, v in t.key.items())
    when = f" as of load {args.as_of_load}" if args.as_of_load else ""
    console.print(f"marts.{t.mart} [{key}] {t.column} = {t.value}{when}", soft_wrap=True)
    mark = {True: "adds up", False: "DOES NOT ADD UP", None: "derived"}[t.adds_up]
    console.print(f"  {t.explanation} ({mark})", soft_wrap=True)
    for s in t.steps:
        narrowed = ", ".join(f"{c}: {n} value(s)" for c, n in s.narrowed_by.items()) or "not narrowed"
        loads = f"; {len(s.loads)} load(s)" if s.table.startswith("core.") else ""
        console.print(f"  {s.read_by} reads {s.table}: {s.rows} row(s) ({narrowed}){loads}",
                      soft_wrap=True)
        if s is t.steps[0] and s.sample and t.adds_up is not None:
            # What names each row, and what the explanation counts or sums.
            cols = [c for c in s.sample[0] if c.endswith(("_code", "_id", "_name"))
                    or re.search(rf"\b{re.escape(c)}\b", t.explanation)][:10]
            console.print(_table(f"{s.table}: the rows the number is made of", cols,
                                 [[row[c] for c in cols] for row in s.sample]))
    console.print(f"Source files ({len(t.files)}):")
    for f in t.files:
        console.print(f"  load {f.load_id} {f.dataset} {f.partition_key} ({f.status}): "
                      f"{f.file_name}\n    sha256 {f.sha256}\n    archived at {f.archive_path}",
                      soft_wrap=True)
    for limit in t.limits:
        console.print(f"[yellow]note:[/] {limit}", soft_wrap=True)
    return 0


def cmd_month(args: argparse.Namespace) -> int:
    from pipelines.audit.datadocs import write_index
    from pipelines.audit.desk.month import write_month_report
    from pipelines.warehouse import session

    settings = get_settings(args.home)
    with session(settings, read_only=True) as con:
        audit, path = write_month_report(con, settings, args.month, args.out)
        write_index(con, settings)
    console.print(_table(
        f"Inputs of {args.month:%Y-%m}", ["load", "dataset", "partition", "file", "verdict"],
        [[r.load_id, r.dataset, r.partition_key, r.file_name, r.verdict] for r in audit.inputs]))
    console.print(f"{len(audit.broken_rules)} rule outcome(s) with refused rows; "
                  f"{len(audit.builds)} mart build record(s)")
    console.print(f"wrote {path}")
    return 0
