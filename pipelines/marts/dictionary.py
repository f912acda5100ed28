"""The data dictionary, written from the warehouse's own COMMENT ON texts.

A view's column means what the same-named column of the table it reads means: where the
view's column carries no comment of its own, it inherits that one. DuckDB stores it as the
view column's comment (comment_view_columns); DuckLake cannot comment view columns, so
there the dictionary inherits it when it reads the catalog.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.warehouse import quote_literal

DOCUMENTED_SCHEMAS = ("core", "marts", "audit")
_READS = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)\.(\w+)", re.IGNORECASE)


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
    inherited = inherited_view_comments(con)
    out: list[Entry] = []
    for schema, table, tcomment, is_view in tables:
        out.append(Entry(schema, table, tcomment, None, None, tcomment, is_view))
        out.extend(
            Entry(schema, table, tcomment, c, t, cc or inherited.get((s, tb, c)), is_view)
            for s, tb, c, t, cc in cols if (s, tb) == (schema, table)
        )
    return out


def inherited_view_comments(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str], str]:
    """{(schema, view, column): comment} of the same-named column of the first relation
    the view reads that documents it."""
    schemas = ", ".join(f"'{s}'" for s in DOCUMENTED_SCHEMAS)
    comments: dict[tuple[str, str], dict[str, str]] = {}
    for s, t, c, cc in con.execute(
        f"""SELECT schema_name, table_name, column_name, comment FROM duckdb_columns()
            WHERE database_name = current_database() AND schema_name IN ({schemas})"""
    ).fetchall():
        if (cc or "").strip():
            comments.setdefault((s, t), {})[c] = cc
    out = {}
    for schema, view, sql, columns in con.execute(
        f"""SELECT v.schema_name, v.view_name, v.sql, list(c.column_name)
            FROM duckdb_views() AS v JOIN duckdb_columns() AS c
              ON c.database_name = v.database_name AND c.schema_name = v.schema_name
             AND c.table_name = v.view_name
            WHERE v.database_name = current_database() AND v.schema_name IN ({schemas})
              AND NOT v.internal
            GROUP BY ALL"""
    ).fetchall():
        reads = [(s.lower(), t.lower()) for s, t in _READS.findall(sql or "")]
        for col in columns:
            text = next((comments[r][col] for r in reads if col in comments.get(r, {})), None)
            if text:
                out[(schema, view, col)] = text
    return out


def comment_view_columns(con: duckdb.DuckDBPyConnection) -> int:
    """Store the inherited meaning as each undocumented view column's own comment, where
    the backend can (DuckDB can; DuckLake cannot). Columns commented."""
    own = {(s, t, c) for s, t, c in con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND comment IS NOT NULL AND comment <> ''"
    ).fetchall()}
    todo = {k: v for k, v in inherited_view_comments(con).items() if k not in own}
    try:
        for (schema, view, col), text in todo.items():
            con.execute(f'COMMENT ON COLUMN {schema}.{view}."{col}" IS {quote_literal(text)}')
    except duckdb.BinderException:  # DuckLake: only tables' columns take comments
        return 0
    return len(todo)


def undocumented(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables, views and their columns in core, marts and audit whose meaning is missing:
    no comment, and for a view's column none inherited either."""
    return [
        f"{e.schema}.{e.table}" + (f".{e.column}" if e.column else "")
        for e in entries(con)
        if not (e.comment or "").strip()
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
