"""What the monthly report shows, read from the marts (read-only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb

# How complete each month's inputs are (kind: completeness), shown beside the headline.
COMPLETENESS = ("tower_kpi_days_loaded_pct", "tower_inventory_date", "tower_inputs_present",
                "towers_unresolved", "partner_sites_pulled_to", "partner_inputs_present",
                "partner_outages_pulled_through_month_end", "partner_sites_unresolved")
HEADLINE = ("villages_total", "villages_blank_spot", "villages_unknown", "villages_connected_pct",
            "population_blank_spot", "population_blank_spot_pct", "towers_in_service",
            "tower_availability_pct")


@dataclass
class ReportData:
    month: date
    previous: date
    region_name: str | None = None
    headline: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    completeness: dict[str, tuple[object, object]] = field(default_factory=dict)
    districts: list[tuple[str, dict[str, float]]] = field(default_factory=list)
    trend_months: list[str] = field(default_factory=list)
    trend: dict[str, list[tuple[str, float | None]]] = field(default_factory=dict)
    villages: list[tuple[float, float, str, str]] = field(default_factory=list)
    towers: list[tuple[float, float, str]] = field(default_factory=list)
    heat_rows: list[str] = field(default_factory=list)
    heat_cols: list[str] = field(default_factory=list)
    heat: dict[tuple[str, str], float | None] = field(default_factory=dict)
    sla: list[tuple[str, float | None, float | None, bool]] = field(default_factory=list)


def add_months(m: date, k: int) -> date:
    idx = m.year * 12 + m.month - 1 + k
    return date(idx // 12, idx % 12 + 1, 1)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    try:
        return con.execute(sql, params or []).fetchall()
    except duckdb.CatalogException:  # a source not yet loaded has no mart yet
        return []


def read_report_data(con: duckdb.DuckDBPyConnection, month: date) -> ReportData:
    month = month.replace(day=1)
    d = ReportData(month=month, previous=add_months(month, -1))
    cols = ", ".join(HEADLINE)
    reg = {m: r for m, *r in _rows(
        con, f"SELECT month_date, region_name, {cols} FROM marts.region_connectivity_monthly "
             "WHERE month_date IN (?, ?)", [month, d.previous])}
    if month in reg:
        d.region_name = reg[month][0]
    for i, name in enumerate(HEADLINE, start=1):
        cur = reg.get(month, [None] * 9)[i]
        prev = reg.get(d.previous, [None] * 9)[i]
        d.headline[name] = (cur, prev)
    done = {m: r for m, *r in _rows(
        con, f"SELECT month_date, {', '.join(COMPLETENESS)} FROM marts.input_completeness_monthly "
             "WHERE month_date IN (?, ?)", [month, d.previous])}
    for i, name in enumerate(COMPLETENESS):
        d.completeness[name] = tuple(done[m][i] if m in done else None
                                     for m in (month, d.previous))
    d.districts = [
        (f"{name or code}", {"blank": blank, "unknown": unknown, "connected": total - blank - unknown})
        for code, name, total, blank, unknown in _rows(
            con, """SELECT district_code, district_name, villages_total, villages_blank_spot,
                           villages_unknown
                    FROM marts.district_connectivity_monthly WHERE month_date = ?
                    ORDER BY district_code""", [month])
    ]
    first = add_months(month, -11)
    d.trend_months = [add_months(first, k).strftime("%Y-%m") for k in range(12)]
    by_district: dict[str, dict[str, float | None]] = {}
    for m, name, pct in _rows(
        con, """SELECT strftime(month_date, '%Y-%m'), coalesce(district_name, district_code),
                       villages_connected_pct
                FROM marts.district_connectivity_monthly_harmonised
                WHERE month_date BETWEEN ? AND ?""", [first, month]):
        by_district.setdefault(name, {})[m] = pct
    d.trend = {n: [(m, v.get(m)) for m in d.trend_months] for n, v in by_district.items()}
    d.villages = [
        (lat, lon, "unknown" if blank is None else ("blank" if blank else "connected"), name)
        for lat, lon, blank, name in _rows(
            con, """SELECT lat, lon, blank_spot, village_name FROM marts.village_connectivity_monthly
                    WHERE month_date = ? AND lat IS NOT NULL AND lon IS NOT NULL""", [month])
    ]
    d.towers = _rows(con, """SELECT lat, lon, tower_id FROM marts.tower_service_monthly
                             WHERE month_date = ? AND lat IS NOT NULL""", [month])
    heat = _rows(con, """SELECT tower_id, strftime(kpi_date, '%d'), tower_availability_pct
                         FROM marts.tower_availability_daily
                         WHERE date_trunc('month', kpi_date) = ? ORDER BY tower_id, kpi_date""",
                 [month])
    d.heat_rows = sorted({r[0] for r in heat})
    d.heat_cols = sorted({r[1] for r in heat})
    d.heat = {(r[0], r[1]): r[2] for r in heat}
    d.sla = [
        (site, measured, reported, bool(flag))
        for site, measured, reported, flag in _rows(
            con, """SELECT site_id, sla_measured_availability_pct, sla_reported_availability_pct,
                           coalesce(sla_discrepancy_flagged, FALSE)
                    FROM marts.partner_sla_monthly WHERE month_date = ? ORDER BY site_id""", [month])
    ]
    return d
