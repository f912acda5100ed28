"""The data dictionary, written from the warehouse's own COMMENT ON texts."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import duckdb

DOCUMENTED_SCHEMAS = ("core", "marts", "audit")


@dataclass(frozen=True)
class Entry:
    schema: str
    table: str
    table_comment: str | None
    column: str | None  # None: the table's own row
    data_type: str | None
    comment: str | None
    is_view: bool = False


def entries(con: duckdb.DuckDBPyConnection) -> list[Entry]:
    schemas = ", ".join(f"'{s}'" for s in DOCUMENTED_SCHEMAS)
    tables = con.execute(
        f"""SELECT schema_name, table_name, comment, FALSE FROM duckdb_tables()
            WHERE database_name = current_database() AND schema_name IN ({schemas})
            UNION ALL
            SELECT schema_name, view_name, comment, TRUE FROM duckdb_views()
            WHERE database_name = current_database() AND schema_name IN ({schemas})
              AND NOT internal
            ORDER BY 1, 2"""
    ).fetchall()
    cols = con.execute(
        f"""SELECT schema_name, table_name, column_name, data_type, comment FROM duckdb_columns()
            WHERE database_name = current_database() AND schema_name IN ({schemas})
            ORDER BY schema_name, table_name, column_index"""
    ).fetchall()
    out: list[Entry] = []
    for schema, table, tcomment, is_view in tables:
        out.append(Entry(schema, table, tcomment, None, None, tcomment, is_view))
        out.extend(
            Entry(schema, table, tcomment, c, t, cc, is_view)
            for s, tb, c, t, cc in cols if (s, tb) == (schema, table)
        )
    return out


def undocumented(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables, views and table columns of core, marts and audit that carry no comment.

    A view's columns are its tables' columns, documented there (DuckLake cannot comment
    view columns), so only the view itself must say what it is.
    """
    return [
        f"{e.schema}.{e.table}" + (f".{e.column}" if e.column else "")
        for e in entries(con)
        if not (e.comment or "").strip() and not (e.is_view and e.column)
    ]


def to_markdown(items: list[Entry]) -> str:
    lines = ["# Konektivitas data dictionary", ""]
    for e in items:
        if e.column is None:
            lines += ["", f"## `{e.schema}.{e.table}`", "", e.comment or "", "",
                      "| column | type | meaning |", "|---|---|---|"]
        else:
            text = (e.comment or "").replace("|", "\\|")
            lines.append(f"| `{e.column}` | {e.data_type} | {text} |")
    return "\n".join(lines) + "\n"


def to_html(items: list[Entry]) -> str:
    parts = ["<!doctype html><html lang='en'><meta charset='utf-8'>",
             "<title>Konektivitas data dictionary</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style>",
             "<h1>Konektivitas data dictionary</h1>"]
    open_table = False
    for e in items:
        if e.column is None:
            if open_table:
                parts.append("</table>")
            parts.append(f"<h2 id='{e.schema}.{e.table}'>{e.schema}.{e.table}</h2>"
                         f"<p>{html.escape(e.comment or '')}</p>"
                         "<table><tr><th>column</th><th>type</th><th>meaning</th></tr>")
            open_table = True
        else:
            parts.append(f"<tr><td><code>{html.escape(e.column)}</code></td>"
                         f"<td>{html.escape(e.data_type or '')}</td>"
                         f"<td>{html.escape(e.comment or '')}</td></tr>")
    if open_table:
        parts.append("</table>")
    return "\n".join(parts) + "\n"


def write_dictionary(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    items = entries(con)
    md, page = out_dir / "data_dictionary.md", out_dir / "data_dictionary.html"
    md.write_text(to_markdown(items), encoding="utf-8")
    page.write_text(to_html(items), encoding="utf-8")
    return [md, page]
