"""Render the monthly report to one HTML file with inline SVG: no CDN, fonts or tiles."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

from pipelines.demo import marking
from pipelines.marts.indicators import Indicator, indicators, read_indicators
from pipelines.marts.query import reading_session
from pipelines.marts.report import svg
from pipelines.marts.report.data import ReportData, read_report_data
from pipelines.settings import PROJECT_ROOT, Settings

WAREHOUSE_DIR = PROJECT_ROOT / "warehouse"
MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
# For these a rise is bad news.
WORSE_WHEN_HIGHER = {"villages_blank_spot", "villages_unknown", "population_blank_spot",
                     "population_blank_spot_pct"}


def _fmt(v: float | None, decimals: int | None, sign: str = "") -> str:
    """A value at its published precision."""
    if v is None:
        return "–"
    return f"{v:{sign},.{decimals or 0}f}"


def headline_rows(d: ReportData, defs: dict[str, Indicator]) -> list[dict[str, str]]:
    rows = []
    for key, (cur, prev) in d.headline.items():
        ind = defs[key]
        change, direction = "–", ""
        if cur is not None and prev is not None:
            delta = round(cur, ind.decimals or 0) - round(prev, ind.decimals or 0)
            change = _fmt(delta, ind.decimals, "+")
            better = delta < 0 if key in WORSE_WHEN_HIGHER else delta > 0
            direction = "" if delta == 0 else ("up" if better else "down")
        rows.append({"label_id": ind.label("id"), "label_en": ind.label("en"),
                     "formula": ind.formula, "current": _fmt(cur, ind.decimals),
                     "previous": _fmt(prev, ind.decimals), "change": change,
                     "direction": direction})
    return rows


def _shown(v: object, ind: Indicator, lang: str) -> str:
    """A completeness figure as the reader sees it: yes/no, a date, or a number."""
    if isinstance(v, bool):
        return ("ya" if v else "tidak") if lang == "id" else ("yes" if v else "no")
    if isinstance(v, datetime):
        return v.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(v, date):
        return v.isoformat()
    return _fmt(v, ind.decimals)


def completeness_rows(d: ReportData, defs: dict[str, Indicator]) -> list[dict[str, object]]:
    """Each month's input completeness, beside the headline: why a figure may be unknown."""
    return [{"label_id": defs[key].label("id"), "label_en": defs[key].label("en"),
             "definition": defs[key].definition,
             "current": {lang: _shown(cur, defs[key], lang) for lang in ("id", "en")},
             "previous": {lang: _shown(prev, defs[key], lang) for lang in ("id", "en")}}
            for key, (cur, prev) in d.completeness.items()]


def charts(d: ReportData) -> dict[str, object]:
    def both(make) -> dict[str, Markup]:
        return {"id": Markup(make("id")), "en": Markup(make("en"))}

    series = {
        "id": [("blank", svg.STATUS_COLOURS["blank"], "Blank spot"),
               ("unknown", svg.STATUS_COLOURS["unknown"], "Tidak diketahui"),
               ("connected", svg.STATUS_COLOURS["connected"], "Terhubung")],
        "en": [("blank", svg.STATUS_COLOURS["blank"], "Blank spot"),
               ("unknown", svg.STATUS_COLOURS["unknown"], "Unknown"),
               ("connected", svg.STATUS_COLOURS["connected"], "Connected")],
    }
    return {
        "districts": both(lambda lang: svg.stacked_bars(d.districts, series[lang], "districts")),
        "trend": both(lambda lang: svg.lines(d.trend, d.trend_months, "trend")),
        "map": Markup(svg.points_map(d.villages, d.towers, "map")),
        "heatmap": Markup(svg.heatmap(d.heat_rows, d.heat_cols, d.heat, "heatmap")),
        "sla": both(lambda lang: svg.paired_bars(
            d.sla, ("Terukur", "Dilaporkan") if lang == "id" else ("Measured", "Reported"), "sla")),
    }


def render_html(d: ReportData, region_code: str, defs: dict[str, Indicator] | None = None,
                demo: bool = False) -> str:
    """The report page; labels and precision from the indicator definitions (the
    project's own unless `defs` is given). `demo`: marked as demo data in the header and
    on every screen and printed page."""
    defs = defs if defs is not None else read_indicators(WAREHOUSE_DIR / "indicators.yml")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent)), autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    m = d.month
    return env.get_template("template.html").render(
        t={"title": {"id": "Laporan Bulanan Konektivitas Desa",
                     "en": "Monthly Village Connectivity Report"}},
        month_label={"id": f"{MONTHS_ID[m.month - 1]} {m.year}",
                     "en": f"{MONTHS_EN[m.month - 1]} {m.year}"},
        month_code=m.strftime("%Y-%m"), previous_code=d.previous.strftime("%Y-%m"),
        region_name=d.region_name, region_code=region_code,
        headline=headline_rows(d, defs), completeness=completeness_rows(d, defs),
        charts=charts(d),
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        demo={"id": marking.MARK_ID, "en": marking.MARK_EN,
              "explanation": marking.EXPLANATION} if demo else None,
    )


def write_report(settings: Settings, month: date, out: Path | None = None) -> Path:
    with reading_session(settings) as con:
        data = read_report_data(con, month)
    path = out or settings.reports / f"connectivity_{month.strftime('%Y-%m')}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    html = render_html(data, settings.region_code, indicators(settings),
                       demo=marking.is_demo(settings))
    path.write_text(html, encoding="utf-8")
    return path


def latest_month(settings: Settings) -> date | None:
    with reading_session(settings) as con:
        return con.execute(
            "SELECT max(month_date) FROM marts.region_connectivity_monthly"
        ).fetchone()[0]


def write_latest_report(settings: Settings) -> Path | None:
    """The report of the latest month the marts hold, if any."""
    month = latest_month(settings)
    return write_report(settings, month) if month else None
