"""The one checker for names and values that go into SQL text instead of a parameter.

Values go in as parameters (`?`) wherever DuckDB allows one. Where it does not (table and
column names, a DATE literal in a rendered model, a load id in a table's name), the text
goes through a function here, which raises UnsafeName on anything but the plain form:
lower-case identifiers (optionally schema-qualified), ISO dates, load ids. An `allowed`
collection narrows an identifier to the names known to exist (declared datasets, marts
tables). tests/unit/test_sql_names.py scans pipelines/ for SQL f-strings that interpolate
anything else.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

_PART = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_LOAD_ID = re.compile(r"[0-9a-f]{16}")


class UnsafeName(ValueError):
    """Text that is not a plain identifier, date or load id was about to become SQL."""


def identifier(name: str, allowed: Collection[str] | None = None) -> str:
    """`name` (`table` or `schema.table`) when every part is a plain lower-case
    identifier and, given `allowed`, it is one of them; else UnsafeName."""
    parts = name.split(".") if isinstance(name, str) else [None]
    if not 1 <= len(parts) <= 2 or not all(isinstance(p, str) and _PART.fullmatch(p)
                                             for p in parts):
        raise UnsafeName(f"{name!r} is not a plain SQL identifier (a-z, 0-9, _; schema.table)")
    if allowed is not None and name not in allowed:
        raise UnsafeName(f"{name!r} is not one of the {len(allowed)} names allowed here")
    return name


def quoted(name: str) -> str:
    """Any text (a column name read from a delivery's header) as a double-quoted
    identifier, its own quotes doubled: it can name a column, never end the statement."""
    if "\x00" in name:
        raise UnsafeName(f"{name!r} holds a NUL byte")
    return '"' + name.replace('"', '""') + '"'


def sql_date(value: date | str) -> str:
    """An ISO date for a DATE '...' literal; UnsafeName for anything else."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    try:
        if date.fromisoformat(text).isoformat() == text and text.isascii():
            return text
    except ValueError:
        pass
    raise UnsafeName(f"{value!r} is not an ISO date (YYYY-MM-DD)")


def load_id(value: str) -> str:
    """A load id (16 hex digits, pipelines.audit.records.new_load_id); else UnsafeName."""
    if isinstance(value, str) and _LOAD_ID.fullmatch(value):
        return value
    raise UnsafeName(f"{value!r} is not a load id (16 lower-case hex digits)")
