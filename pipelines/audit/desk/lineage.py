"""A mart's lineage, read from the model graph: the marts it ref()s and the core tables its
rendered SQL reads, and how one row's key narrows the rows it was built from.

Nothing here is written per mart: a model's `-- @grain` names its key, its ref()s and the
`core.<table>` names of its rendered SQL (macros included) name what it reads.
"""

from __future__ import annotations

import re
from datetime import date

from pipelines.marts.engine import Model, model_params
from pipelines.marts.indicators import indicators
from pipelines.settings import Settings
from pipelines.warehouse import render_model

_CORE = re.compile(r"\bcore\.(\w+)")
_DATE_KEY = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
KEY_SUFFIXES = ("_code", "_id")


def core_reads(settings: Settings, model: Model) -> list[str]:
    """core.<table> read by the model's SQL, as rendered (macros expanded)."""
    sample = date(2000, 1, 1).isoformat()
    sql = render_model(settings, "marts", model.name, **model_params(settings, indicators(settings)),
                       month=sample, day=sample)
    return [f"core.{t}" for t in dict.fromkeys(_CORE.findall(sql))]


def parse_key(model: Model, types: dict[str, str], text: str) -> dict[str, object]:
    """{grain column: value} from "64.02.19,2026-10": dates (YYYY-MM or YYYY-MM-DD) go to the
    grain's DATE columns, the other values to its other columns, each in order."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    dated = [p for p in parts if _DATE_KEY.match(p)]
    plain = [p for p in parts if not _DATE_KEY.match(p)]
    date_cols = [c for c in model.grain if types.get(c) == "DATE"]
    other_cols = [c for c in model.grain if types.get(c) != "DATE"]
    if len(dated) != len(date_cols) or len(plain) != len(other_cols):
        example = ",".join("2026-10" if c in date_cols else f"<{c}>" for c in model.grain)
        raise ValueError(
            f"{model.qualified}: its grain is ({', '.join(model.grain)}); the key {text!r} does "
            f"not give one value of each (e.g. {example!r})")
    key: dict[str, object] = dict(zip(other_cols, plain, strict=True))
    for col, value in zip(date_cols, dated, strict=True):
        key[col] = date.fromisoformat(value + "-01" if len(value) == 7 else value)
    return {c: key[c] for c in model.grain}


def key_columns(model: Model) -> list[str]:
    """The model's columns that name what a row is about: its grain (partition first)."""
    cols = [model.partition_column] if model.partition_column else []
    return cols + [c for c in model.grain if c not in cols]


def matching_columns(
    source: Model, column: str, target_cols: dict[str, str], target: Model | None,
) -> list[str]:
    """Columns of the target that hold what `column` of the source holds, best first.

    The same name; the target's partition column for the source's (month_date ->
    month_start); for an entity code, the target's own `code`, or a column ending in the
    same name (current_district_code holds a district_code too).
    """
    if column == source.partition_column:
        if target is not None and target.partition == source.partition and target.partition_column:
            return [target.partition_column]
        return [column] if column in target_cols else []
    found = [column] if column in target_cols else []
    if column.endswith(KEY_SUFFIXES):
        found += [c for c in target_cols if c.endswith("_" + column) and c not in found]
        if not found and column.endswith("_code") and "code" in target_cols:
            found.append("code")
    return found
