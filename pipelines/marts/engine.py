"""The mart engine: every warehouse/models/marts/<name>.sql is a model built into marts.<name>.

A model says in its leading comment lines what it is, and reads other models through
`{{ ref('name') }}`, which renders `marts.name` and is how the engine learns the
dependency, so the build order is derived, never written down:

    -- @partition month month_date      (or: day kpi_date, or: whole)
    -- @grain month_date, village_code  (one row per these; checked on every build)
    -- @table What one row is.
    -- @column village_code What the column holds.

A partition is replaced whole in one transaction (DELETE its rows, INSERT the model's),
so building twice, or again after a crash, leaves the same marts. A column named after
an indicator gets its comment from the indicator's definition (pipelines.marts.indicators);
an @column line for it adds what is particular to the mart.
"""

from __future__ import annotations

import graphlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import duckdb

from pipelines.audit import records as audit
from pipelines.commit import Target, committed
from pipelines.demo import marking
from pipelines.marts.indicators import Indicator, indicators
from pipelines.settings import LOCAL_TZ, Settings
from pipelines.sqlnames import identifier, sql_date
from pipelines.warehouse import quote_literal, render_model, session, transaction

PARTITIONS = ("whole", "day", "month")
# The tower source refreshes these after publishing a day; the marts DAG does the rest.
TOWER_MARTS = frozenset({"tower_availability_daily", "tower_availability_monthly"})

_HEADER = re.compile(r"^--\s*@(partition|grain|table|column)\s+(.*)$")
_REF = re.compile(r"""\bref\(\s*['"](\w+)['"]\s*\)""")


@dataclass(frozen=True)
class Model:
    name: str
    partition: str  # one of PARTITIONS
    partition_column: str | None
    grain: tuple[str, ...]
    reads: tuple[str, ...]
    table_doc: str | None
    column_docs: dict[str, str]

    @property
    def qualified(self) -> str:
        return identifier(f"marts.{self.name}")


def parse_model(name: str, source: str) -> Model:
    """A model's declarations from its SQL source; a missing @partition or @grain names it."""
    found: dict[str, str] = {}
    columns: dict[str, str] = {}
    for line in source.splitlines():
        m = _HEADER.match(line.strip())
        if not m:
            continue
        if m.group(1) == "column":
            col, _, text = m.group(2).strip().partition(" ")
            columns[col] = text.strip()
        else:
            found[m.group(1)] = m.group(2).strip()
    kind, _, column = found.get("partition", "").partition(" ")
    if kind not in PARTITIONS or (kind == "whole") != (not column.strip()):
        raise ValueError(f"models/marts/{name}.sql: needs '-- @partition whole' or "
                         f"'-- @partition day|month <column>', got {found.get('partition')!r}")
    grain = tuple(c.strip() for c in found.get("grain", "").split(",") if c.strip())
    if not grain:
        raise ValueError(f"models/marts/{name}.sql: needs '-- @grain <column>, ...'")
    return Model(name, kind, column.strip() or None, grain,
                 tuple(dict.fromkeys(_REF.findall(source))), found.get("table"), columns)


def build_order(models: dict[str, Model]) -> list[str]:
    """Every model after the models it reads (a cycle or an unknown ref is an error)."""
    for m in models.values():
        unknown = [r for r in m.reads if r not in models]
        if unknown:
            raise ValueError(f"models/marts/{m.name}.sql: ref() to unknown models {unknown}")
    try:
        return list(graphlib.TopologicalSorter(
            {n: sorted(m.reads) for n, m in sorted(models.items())}).static_order())
    except graphlib.CycleError as exc:
        raise ValueError(f"models/marts: models read each other in a cycle: {exc.args[1]}") from exc


def discover(settings: Settings) -> dict[str, Model]:
    """Every model of warehouse/models/marts, in build order."""
    folder = settings.warehouse_dir / "models" / "marts"
    models = {p.stem: parse_model(p.stem, p.read_text(encoding="utf-8"))
              for p in sorted(folder.glob("*.sql"))}
    return {n: models[n] for n in build_order(models)}


def model_params(settings: Settings, defs: dict[str, Indicator]) -> dict[str, object]:
    """What every model may use: thresholds reach SQL only as thresholds['<setting>']."""
    return {
        "ref": lambda name: f"marts.{name}",
        "thresholds": settings.thresholds,
        "tz": LOCAL_TZ,
        "region_code": settings.region_code,
        "indicators": list(defs.values()),
        "lit": lambda v: "NULL" if v is None else (
            str(v) if isinstance(v, int | float) else quote_literal(str(v))),
    }


def _declared(con: duckdb.DuckDBPyConnection, model: Model) -> bool:
    return bool(con.execute(
        """SELECT count(*) FROM duckdb_tables()
           WHERE database_name = current_database() AND schema_name = 'marts' AND table_name = ?""",
        [model.name]).fetchone()[0])


def _check_grain(con: duckdb.DuckDBPyConnection, model: Model, where: str) -> None:
    cols = ", ".join(f'"{c}"' for c in model.grain)
    (dupes,) = con.execute(
        f"SELECT count(*) FROM (SELECT {cols} FROM {model.qualified} {where} "
        f"GROUP BY ALL HAVING count(*) > 1)").fetchone()
    if dupes:
        raise ValueError(f"{model.qualified}: {dupes} value(s) of its grain ({cols}) have "
                         f"more than one row {where}".rstrip())


def build_model(
    con: duckdb.DuckDBPyConnection, settings: Settings, model: Model, key: date | None = None,
    defs: dict[str, Indicator] | None = None, **params: object,
) -> int:
    """Replace the model's partition `key` (its whole table when it has none); rows written."""
    if model.partition != "whole" and key is None:
        raise ValueError(f"{model.qualified}: partitioned by {model.partition}, needs a key")
    if model.partition in ("day", "month"):
        params[model.partition] = key.isoformat()
    defs = defs if defs is not None else indicators(settings)
    select = render_model(settings, "marts", model.name, **model_params(settings, defs), **params)
    where = (f"WHERE \"{identifier(model.partition_column or '')}\" = DATE '{sql_date(key)}'"
             if key else "")
    if _declared(con, model):
        con.execute(f"DELETE FROM {model.qualified} {where}")
        con.execute(f"INSERT INTO {model.qualified} BY NAME {select}")
    else:
        con.execute(f"CREATE TABLE {model.qualified} AS {select}")
    _check_grain(con, model, where)
    (n,) = con.execute(f"SELECT count(*) FROM {model.qualified} {where}").fetchone()
    return n


def document(con: duckdb.DuckDBPyConnection, model: Model, defs: dict[str, Indicator]) -> None:
    """The table's and its columns' comments from the model and the indicator definitions;
    only the comments that differ are written."""
    current = dict(con.execute(
        """SELECT column_name, comment FROM duckdb_columns()
           WHERE database_name = current_database() AND schema_name = 'marts' AND table_name = ?""",
        [model.name]).fetchall())
    unknown = sorted(set(model.column_docs) - set(current))
    if unknown:
        raise ValueError(f"{model.qualified}: @column {unknown} documents columns the model lacks")
    if model.table_doc:
        con.execute(f"COMMENT ON TABLE {model.qualified} IS {quote_literal(model.table_doc)}")
    for col, old in current.items():
        note = model.column_docs.get(col)
        text = defs[col].column_comment(note) if col in defs else note
        if text and text != old:
            con.execute(f'COMMENT ON COLUMN {model.qualified}."{col}" IS {quote_literal(text)}')


def build(
    con: duckdb.DuckDBPyConnection, settings: Settings, partition: str, key: date | None = None,
    select: Iterable[str] | None = None, **params: object,
) -> dict[str, int]:
    """Build partition `key` of every model partitioned by `partition` (or of those in
    `select`), in dependency order, all in one transaction; rows per model."""
    chosen = set(select) if select is not None else None
    models = [m for m in discover(settings).values()
              if m.partition == partition and (chosen is None or m.name in chosen)]
    defs = indicators(settings)

    def replace_partitions(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        counts = {}
        marking.remember(con, settings)  # statistics from demo data stay marked as such
        for m in models:
            counts[m.name] = build_model(con, settings, m, key, defs, **params)
            document(con, m, defs)
        return counts

    # On DuckLake the tower after-step of two days of one month, or it and the marts DAG,
    # may rebuild the same month at once: one commit each, claimed and retried (pipelines.commit).
    target = Target(f"marts:{partition}", str(key) if key is not None else "whole")
    return committed(con, settings, target, replace_partitions)


def build_whole(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict[str, int]:
    from pipelines.marts.dictionary import comment_view_columns

    counts = build(con, settings, "whole")
    # Every mart's comments follow the definitions, built in this run or not.
    defs = indicators(settings)
    with transaction(con):
        for m in discover(settings).values():
            if m.name not in counts and _declared(con, m):
                document(con, m, defs)
    comment_view_columns(con)  # outside: on DuckLake its refusal must not abort the build
    return counts


def build_month(
    con: duckdb.DuckDBPyConnection, settings: Settings, month: date,
    select: Iterable[str] | None = None,
) -> dict[str, int]:
    return build(con, settings, "month", month.replace(day=1), select)


def refresh_indicators(con: duckdb.DuckDBPyConnection, settings: Settings, day: date) -> int:
    """After the tower source published `day`: replace that day of the daily tower mart and
    its month of the monthly one. Rows of the day."""
    published = audit.published_load_of_partition(con, "tower_kpi", str(day))
    # The day's published load, named, lets the daily model read its rows directly.
    extra = {"published_load": published} if published else {}
    n = build(con, settings, "day", day, TOWER_MARTS, **extra)
    build_month(con, settings, day, TOWER_MARTS)
    return sum(n.values())


def published_days(con: duckdb.DuckDBPyConnection) -> list[date]:
    return [d for (d,) in con.execute(
        """SELECT DISTINCT CAST(partition_key AS DATE) FROM audit.load
           WHERE dataset = 'tower_kpi' AND status = 'published' ORDER BY 1""").fetchall()]


def build_all(settings: Settings) -> dict[str, int]:
    """Rebuild every mart from scratch: the whole ones, every published day, every month
    with period data. Rows per mart."""
    from pipelines.marts.months import reporting_months

    with session(settings) as con:
        counts = build_whole(con, settings)
        for day in published_days(con):
            for name, n in build(con, settings, "day", day).items():
                counts[name] = counts.get(name, 0) + n
        for month in reporting_months(con):
            for name, n in build_month(con, settings, month).items():
                counts[name] = counts.get(name, 0) + n
    return counts
