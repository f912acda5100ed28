"""`audit month YYYY-MM`: every input that fed a month's indicators, its validation, and
the marts' builds, as a self-contained HTML audit report (Bahasa Indonesia / English).

The inputs are found through the marts' lineage (pipelines.audit.desk.trace): every
published load whose rows sit in a core table the month's marts read. Of a series
delivered day by day (some partition falls in the month), only the month's own
partitions count; nothing delivered for a date after the month counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import jinja2

from pipelines.audit.desk.runs import Run, list_runs
from pipelines.audit.desk.trace import month_lineage_loads
from pipelines.demo import marking
from pipelines.marts.report.render import MONTHS_EN, MONTHS_ID
from pipelines.settings import Settings


@dataclass(frozen=True)
class RuleOutcome:
    load_id: str
    rule: str
    unexpected_count: int
    element_count: int
    sample: list


@dataclass(frozen=True)
class MartBuild:
    month_date: date | None
    marts: list[str]
    reason: str
    loads_through_at: datetime | None
    built_at: datetime


@dataclass
class MonthAudit:
    month: date
    inputs: list[Run]
    broken_rules: list[RuleOutcome]
    builds: list[MartBuild]
    marts: list[str]


def month_audit(con: duckdb.DuckDBPyConnection, settings: Settings, month: date) -> MonthAudit:
    month = month.replace(day=1)
    marts, load_ids = month_lineage_loads(con, settings, month)
    inputs = [r for r in list_runs(con, load_ids=sorted(load_ids)) if r.status == "published"]
    inputs = _in_month(inputs, month)
    ids = [r.load_id for r in inputs]
    marks = ", ".join("?" * len(ids)) or "NULL"
    broken = [
        RuleOutcome(lid, rule, bad, n, json.loads(sample) if sample else [])
        for lid, rule, bad, n, sample in con.execute(
            f"""SELECT load_id, rule, unexpected_count, element_count, unexpected_sample
                FROM audit.validation_result WHERE load_id IN ({marks}) AND unexpected_count > 0
                ORDER BY load_id, rule""", ids).fetchall()
    ]
    builds = [MartBuild(*r) for r in con.execute(
        """SELECT month_date, marts, reason, loads_through_at, built_at FROM audit.mart_build
           WHERE month_date = ? OR month_date IS NULL ORDER BY built_at""", [month]).fetchall()]
    return MonthAudit(month, inputs, broken, builds, marts)


def _in_month(runs: list[Run], month: date) -> list[Run]:
    end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    dated = {r.load_id: _as_date(r.partition_key) for r in runs}
    daily = {r.dataset for r in runs if dated[r.load_id] and month <= dated[r.load_id] < end}
    kept = []
    for r in runs:
        d = dated[r.load_id]
        if d is not None and (d >= end or (r.dataset in daily and d < month)):
            continue
        kept.append(r)
    return kept


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def render_month_html(audit: MonthAudit, demo: bool = False) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent)), autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    m = audit.month
    return env.get_template("month_report.html").render(
        a=audit, month_code=m.strftime("%Y-%m"),
        month_label={"id": f"{MONTHS_ID[m.month - 1]} {m.year}",
                     "en": f"{MONTHS_EN[m.month - 1]} {m.year}"},
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        demo={"id": marking.MARK_ID, "en": marking.MARK_EN} if demo else None,
    )


def month_report_path(settings: Settings, month: date) -> Path:
    return settings.reports / f"audit_{month.strftime('%Y-%m')}.html"


def write_month_report(
    con: duckdb.DuckDBPyConnection, settings: Settings, month: date, out: Path | None = None,
) -> tuple[MonthAudit, Path]:
    audit = month_audit(con, settings, month)
    path = out or month_report_path(settings, month)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_month_html(audit, marking.is_demo(con)), encoding="utf-8")
    return audit, path
