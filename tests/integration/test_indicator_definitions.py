"""One definition per indicator: the mart comments, marts.indicator_metadata, the data
dictionary and the report all follow it; exports round to its published precision."""

from __future__ import annotations

import csv
import dataclasses
import shutil
from datetime import date

import duckdb

from pipelines.marts.dictionary import undocumented, write_dictionary
from pipelines.marts.engine import build_all
from pipelines.marts.export import export_month
from pipelines.marts.indicators import indicators
from pipelines.marts.report.render import write_report
from pipelines.warehouse import session

MONTH = date(2026, 10, 1)


def _everywhere(settings) -> dict[str, str]:
    """Where villages_connected_pct's meaning shows: column comment, metadata row,
    dictionary, report."""
    with session(settings, read_only=True) as con:
        (comment,) = con.execute(
            """SELECT comment FROM duckdb_columns() WHERE schema_name = 'marts'
               AND table_name = 'district_connectivity_monthly'
               AND column_name = 'villages_connected_pct'""").fetchone()
        (formula,) = con.execute("SELECT formula FROM marts.indicator_metadata "
                                 "WHERE indicator = 'villages_connected_pct'").fetchone()
        md, _ = write_dictionary(con, settings.reports / "dictionary")
    report = write_report(settings, MONTH).read_text(encoding="utf-8")
    return {"comment": comment, "metadata": formula, "dictionary": md.read_text(), "report": report}


def test_changing_one_formula_changes_every_place_it_shows(settings, tmp_path) -> None:
    build_all(settings)
    old = indicators(settings)["villages_connected_pct"].formula
    assert all(old in text for text in _everywhere(settings).values())

    # The same project with one formula text changed in the definition file.
    root = tmp_path / "project"
    shutil.copytree(settings.warehouse_dir, root / "warehouse")
    definition = root / "warehouse" / "indicators.yml"
    new = "connected villages / villages of known status x 100 (changed)"
    text = definition.read_text(encoding="utf-8")
    start = text.index("villages_connected_pct:")
    head, tail = text[:start], text[start:]
    formula_at = tail.index("  formula:")
    unit_at = tail.index("  unit:")
    definition.write_text(head + tail[:formula_at] + f"  formula: {new}\n" + tail[unit_at:],
                          encoding="utf-8")
    changed = dataclasses.replace(settings, project_root=root)
    build_all(changed)

    seen = _everywhere(changed)
    for where, shown in seen.items():
        assert new in shown, where
    assert old not in seen["comment"] and old != seen["metadata"]


def test_exports_round_to_published_precision_and_the_warehouse_keeps_it_all(settings, tmp_path):
    from openpyxl import load_workbook

    exact = 100 * 13 / 14  # 92.85714285714286
    with session(settings) as con:
        con.execute(
            """INSERT INTO marts.regency_connectivity_monthly
               (month_date, regency_code, villages_total, villages_blank_spot, villages_unknown,
                villages_connected_pct, tower_availability_pct)
               VALUES (?, '64.02', 15, 1, 1, ?, ?)""", [MONTH, exact, 200 / 3])
        con.execute(  # the report's headline: the region, here the same regency
            """INSERT INTO marts.region_connectivity_monthly BY NAME
               SELECT * RENAME (regency_code AS region_code, regency_name AS region_name)
               FROM marts.regency_connectivity_monthly""")
    out = tmp_path / "out"
    export_month(settings, MONTH, out)
    rows = list(csv.DictReader((out / "regency_connectivity_monthly.csv").open()))
    assert (rows[0]["villages_connected_pct"], rows[0]["tower_availability_pct"]) == ("92.86", "66.67")
    assert rows[0]["villages_total"] == "15"
    parquet = duckdb.sql(f"SELECT villages_connected_pct FROM "
                         f"'{out / 'regency_connectivity_monthly.parquet'}'").fetchone()[0]
    assert parquet == 92.86
    sheet = load_workbook(out / "konektivitas_2026-10.xlsx")["regency_connectivity_monthly"]
    header = [c.value for c in sheet[1]]
    assert sheet[2][header.index("villages_connected_pct")].value == 92.86
    with session(settings, read_only=True) as con:
        assert con.execute("SELECT villages_connected_pct FROM marts.regency_connectivity_monthly"
                           ).fetchone()[0] == exact
    page = write_report(settings, MONTH).read_text(encoding="utf-8")
    assert "92.86" in page and "92.857" not in page


def test_every_view_column_has_a_meaning(settings) -> None:
    build_all(settings)
    with session(settings) as con:
        views = {(v, c): text for v, c, text in con.execute(
            """SELECT table_name, column_name, comment FROM duckdb_columns()
               WHERE (schema_name, table_name) IN (('core', 'fct_tower_kpi_5min'),
                                                    ('core', 'region_as_of'))""").fetchall()}
        assert len(views) > 20 and all(views.values()), views  # on the views' own columns
        assert undocumented(con) == []
        md, _ = write_dictionary(con, settings.reports / "dictionary")
        con.execute("CREATE VIEW marts.naked_view AS SELECT 1 AS y")
        assert undocumented(con) == ["marts.naked_view", "marts.naked_view.y"]
    section = md.read_text().split("## `core.region_as_of`")[1].split("## ")[0]
    assert "| `valid_from` | DATE | |" not in section and "| `valid_from` | DATE |" in section
