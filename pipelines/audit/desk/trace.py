"""`audit trace <mart> <key> <column>`: one published number back to the bytes it came from.

From the mart's row (its @grain is the key) the trace follows the model graph: each mart it
ref()s, narrowed to the rows the number was built from, and each core table its SQL reads,
narrowed the same way to the loads (load_id) that published those rows; each load names
its file and sha256. For a count or sum, the marts' naming says how the number is made
of the rows it was built from, and the trace checks that they add up:

    <unit>s_total        count of the upstream rows (a village_code grain: villages_total)
    <unit>s_<flag>       count of those where <flag>          (villages_blank_spot)
    <measure>_total      sum of <measure>                      (population_total)
    <measure>_<flag>     sum of <measure> where <flag>         (population_blank_spot)
    <measure>            sum of the same column upstream
Any other column (a share, a mean, a date) is derived: its rows are listed, not summed.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from pipelines.audit.desk.ledger import LoadFile, columns_of, load_files
from pipelines.audit.desk.lineage import (
    KEY_SUFFIXES,
    core_reads,
    key_columns,
    matching_columns,
    parse_key,
)
from pipelines.marts.engine import Model, discover
from pipelines.settings import Settings

SHOWN = 50  # rows shown per step; the contributing rows of a count are shown up to CONTRIBUTING
CONTRIBUTING = 1000
# Only whole numbers add up exactly; a share or a mean of rows is derived, never summed.
_COUNTABLE = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
              "UINTEGER", "UBIGINT")

Filters = dict[str, list]


@dataclass
class Step:
    table: str  # marts.<name> or core.<name>
    read_by: str  # the mart whose SQL reads it
    narrowed_by: dict[str, int]  # column -> how many values the rows were narrowed to
    rows: int
    sample: list[dict] = field(default_factory=list)
    loads: list[tuple[str, int]] = field(default_factory=list)  # core: (load_id, rows)
    note: str = ""


@dataclass
class Trace:
    mart: str
    key: dict[str, object]
    column: str
    value: object
    explanation: str  # how the number is made of the first step's rows
    adds_up: bool | None  # None: a derived value, nothing to add up
    steps: list[Step]
    files: list[LoadFile]
    limits: list[str]  # where the trace stops short of rows or loads, and why


@dataclass(frozen=True)
class _Contribution:
    upstream: str
    filters: Filters
    where: str | None
    explanation: str
    adds_up: bool


def trace_number(
    con: duckdb.DuckDBPyConnection, settings: Settings, mart: str, key_text: str, column: str,
) -> Trace:
    models = discover(settings)
    if mart not in models:
        raise ValueError(f"no mart {mart!r}: one of {', '.join(sorted(models))}")
    model = models[mart]
    types = columns_of(con, model.qualified)
    if not types:
        raise ValueError(f"{model.qualified} has not been built in this warehouse")
    if column not in types:
        raise ValueError(f"{model.qualified} has no column {column!r}: one of {', '.join(types)}")
    key = parse_key(model, types, key_text)
    filters = {c: [v] for c, v in key.items()}
    found = con.execute(f"SELECT {_q(column)} FROM {model.qualified} WHERE {_cond(filters)[0]}",
                        _cond(filters)[1]).fetchall()
    if not found:
        raise LookupError(f"{model.qualified} has no row {_show_key(key)}")
    value = found[0][0]
    contribution = _contribution(con, models, model, filters, column, value)
    steps, limits = _walk(con, settings, models, model, filters, contribution)
    load_ids = sorted({lid for s in steps for lid, _ in s.loads})
    if contribution is None:
        explanation, adds_up = (f"{column} is derived (not a count or sum of upstream rows): the "
                                "rows it is computed from are listed"), None
    else:
        explanation, adds_up = contribution.explanation, contribution.adds_up
    if not model.reads and not any(s.table.startswith("core.") for s in steps):
        limits.append(f"{model.qualified} reads no mart and no core table: it is built from "
                      "the definitions alone (warehouse/indicators.yml, settings)")
    return Trace(mart, key, column, value, explanation, adds_up, steps,
                 load_files(con, load_ids), limits)


def _walk(
    con: duckdb.DuckDBPyConnection, settings: Settings, models: dict[str, Model], top: Model,
    filters: Filters, contribution: _Contribution | None,
) -> tuple[list[Step], list[str]]:
    """Breadth first down the model graph; each mart is narrowed by the first path to it."""
    steps: list[Step] = []
    limits: list[str] = []
    seen: set[str] = set()
    queue = deque([(top, _carried(con, top, filters))])
    while queue:
        model, carried = queue.popleft()
        for name in model.reads:
            if name in seen:
                continue
            seen.add(name)
            up = models[name]
            if contribution is not None and contribution.upstream == name and model is top:
                narrow, where, limit = contribution.filters, contribution.where, CONTRIBUTING
            else:
                narrow, where, limit = _narrow(model, carried, columns_of(con, up.qualified), up), None, SHOWN
            step = _rows_step(con, up.qualified, model.qualified, narrow, where, limit)
            steps.append(step)
            queue.append((up, _carried(con, up, narrow, where)))
        for table in core_reads(settings, model):
            cols = columns_of(con, table)
            if "load_id" not in cols:
                limits.append(f"{table} (read by {model.qualified}) carries no load_id: it is "
                              "derived in the warehouse; the trace of its inputs stops there")
                continue
            narrow = _narrow(model, carried, cols, None)
            cond, params = _cond(narrow)
            loads = con.execute(
                f"SELECT load_id, count(*) FROM {table} WHERE {cond} GROUP BY 1 ORDER BY 1",
                params).fetchall()
            note = "" if narrow else (f"not narrowed to rows ({model.qualified}'s key names no "
                                      f"column of {table}): every load whose rows are there")
            steps.append(Step(table, model.qualified, {c: len(v) for c, v in narrow.items()},
                              sum(n for _, n in loads), [], loads, note))
            if note:
                limits.append(f"{table}: traced to its set of loads only, {note}")
    return steps, limits


def _rows_step(
    con: duckdb.DuckDBPyConnection, table: str, read_by: str, narrow: Filters, where: str | None,
    limit: int,
) -> Step:
    cond, params = _cond(narrow, where)
    rel = con.execute(f"SELECT * FROM {table} WHERE {cond} LIMIT {limit}", params)
    names = [d[0] for d in rel.description]
    sample = [dict(zip(names, r, strict=True)) for r in rel.fetchall()]
    (n,) = con.execute(f"SELECT count(*) FROM {table} WHERE {cond}", params).fetchone()
    note = "" if narrow else "not narrowed: every row of the table"
    return Step(table, read_by, {c: len(v) for c, v in narrow.items()}, n, sample, [], note)


def _carried(
    con: duckdb.DuckDBPyConnection, model: Model, narrow: Filters, where: str | None = None,
) -> Filters:
    """The values of the model's key columns over its narrowed rows."""
    cols = key_columns(model)
    cond, params = _cond(narrow, where)
    row = con.execute(
        f"SELECT {', '.join(f'list(DISTINCT {_q(c)})' for c in cols)} FROM {model.qualified} "
        f"WHERE {cond}", params).fetchone()
    return {c: [v for v in values or [] if v is not None] for c, values in zip(cols, row, strict=True)}


def _narrow(source: Model, carried: Filters, target_cols: dict[str, str], target: Model | None) -> Filters:
    narrow: Filters = {}
    if (target is not None and source.partition == "month" and target.partition == "day"
            and source.partition_column in carried):
        # A monthly mart reads the days of its month from a daily one.
        narrow[target.partition_column] = [
            d for m in carried[source.partition_column] for d in _days_of(m)]
    for col, values in carried.items():
        matches = matching_columns(source, col, target_cols, target)
        if matches and matches[0] not in narrow:
            narrow[matches[0]] = values
    return narrow


def _days_of(month: date) -> list[date]:
    first = month.replace(day=1)
    return [first + timedelta(days=i) for i in range(31)
            if (first + timedelta(days=i)).month == first.month]


def _contribution(
    con: duckdb.DuckDBPyConnection, models: dict[str, Model], model: Model, filters: Filters,
    column: str, value: object,
) -> _Contribution | None:
    """How the number is made of the rows of one mart it reads, if it is a count or sum."""
    for name in model.reads:
        up = models[name]
        cols = columns_of(con, up.qualified)
        measure = _measure(up, cols, column)
        if measure is None:
            continue
        agg, where, words = measure
        first = None
        for narrow in _narrowings(model, filters, cols, up):
            cond, params = _cond(narrow, where)
            (got,) = con.execute(f"SELECT {agg} FROM {up.qualified} WHERE {cond}", params).fetchone()
            adds_up = _same(got, value)
            on = ", ".join(f"{c} = {_show(v)}" for c, v in narrow.items())
            text = (f"{column} = {words} of {up.qualified} rows with {on}: "
                    f"{_show(got)} {'=' if adds_up else '!='} published {_show(value)}")
            found = _Contribution(name, narrow, where, text, adds_up)
            if adds_up:
                return found
            first = first or found
        if first:
            return first
    return None


def _narrowings(model: Model, filters: Filters, cols: dict[str, str], up: Model) -> list[Filters]:
    """Every way the mart's key can narrow the upstream rows, most direct first."""
    options = [(c, matching_columns(model, c, cols, up)) for c in filters]
    options = [(c, m) for c, m in options if m]
    days = _narrow(model, {c: v for c, v in filters.items() if c == model.partition_column},
                   cols, up) if model.partition == "month" and up.partition == "day" else {}
    return [{**days, **{t: filters[c] for (c, _), t in zip(options, choice, strict=True)}}
            for choice in itertools.product(*(m for _, m in options))]


def _measure(up: Model, cols: dict[str, str], column: str) -> tuple[str, str | None, str] | None:
    """(aggregate, condition, words) that make `column` of the rows of `up`, by its name."""
    flags = [c for c, t in cols.items() if t == "BOOLEAN"]
    numbers = [c for c, t in cols.items() if t in _COUNTABLE and c not in up.grain]
    units = [c[: -len(s)] for c in up.grain if c != up.partition_column
             for s in KEY_SUFFIXES if c.endswith(s)]
    for unit in units:
        if column == f"{unit}s_total":
            return "count(*)", None, "count"
        for flag in flags:
            if column == f"{unit}s_{flag}":
                return "count(*)", _q(flag), f"count where {flag}"
    for m in numbers:
        if column == f"{m}_total":
            return f"sum({_q(m)})", None, f"sum of {m}"
        if column == m:
            return f"sum({_q(m)})", None, f"sum of {m}"
        for flag in flags:
            if column == f"{m}_{flag}":
                return f"coalesce(sum({_q(m)}), 0)", _q(flag), f"sum of {m} where {flag}"
    return None


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))


def _cond(filters: Filters, where: str | None = None) -> tuple[str, list]:
    """SQL and parameters selecting the rows whose columns hold one of the values."""
    parts, params = [], []
    for col, values in filters.items():
        if values:
            parts.append(f"list_contains(?, {_q(col)})")
            params.append(list(values))
        else:
            parts.append("FALSE")  # narrowed to nothing
    if where:
        parts.append(f"({where})")
    return " AND ".join(parts) or "TRUE", params


def _q(col: str) -> str:
    return '"' + col.replace('"', '""') + '"'


def _show(v: object) -> str:
    if isinstance(v, list):
        if len(v) > 1 and all(isinstance(x, date) for x in v):
            return f"{min(v)}..{max(v)}"
        return _show(v[0]) if len(v) == 1 else f"{len(v)} values"
    return str(v)


def _show_key(key: dict[str, object]) -> str:
    return ", ".join(f"{c} = {v}" for c, v in key.items())


def month_lineage_loads(
    con: duckdb.DuckDBPyConnection, settings: Settings, month: date,
) -> tuple[list[str], set[str]]:
    """(the marts holding the month, the loads whose core rows they read): the
    month-partitioned marts, and the others whose grain has a month (partner_sla_monthly)."""
    models = discover(settings)
    marts, loads = [], set()
    for model in models.values():
        types = columns_of(con, model.qualified)
        month_col = model.partition_column if model.partition == "month" else next(
            (c for c in model.grain if c.startswith("month") and types.get(c) == "DATE"), None)
        if month_col is None or not types:
            continue
        filters = {month_col: [month]}
        cond, params = _cond(filters)
        (n,) = con.execute(f"SELECT count(*) FROM {model.qualified} WHERE {cond}", params).fetchone()
        if not n:
            continue
        marts.append(model.qualified)
        steps, _ = _walk(con, settings, models, model, filters, None)
        loads |= {lid for s in steps for lid, _ in s.loads}
    return marts, loads
