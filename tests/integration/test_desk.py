"""The statistician's desk: dictionary from comments, read-only query, safe exports."""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import pytest
from editions import load_edition

from pipelines.io.result_files import write_result
from pipelines.marts.dictionary import undocumented, write_dictionary
from pipelines.marts.engine import build_all, parse_model
from pipelines.marts.export import export_month

EDITION = "kode,nama\n64.02,Kab\n64.02.01,=1+2\n64.02.01.2001,@SUM(A1)\n64.02.02,Dua\n"


@pytest.fixture
def loaded(con, settings):
    load_edition(con, settings, EDITION)
    con.close()
    build_all(settings)
    return settings


def test_every_table_and_column_is_documented(loaded) -> None:
    con = duckdb.connect(str(loaded.warehouse_path), read_only=True)
    assert undocumented(con) == []
    md, page = write_dictionary(con, loaded.reports / "dictionary")
    text = md.read_text()
    assert "## `core.dim_region`" in text and "| `valid_from` | DATE |" in text
    assert "<h2 id='marts.district_village_count'>" in page.read_text()


def test_undocumented_column_is_caught(con) -> None:
    con.execute("CREATE TABLE marts.naked (x INT)")
    assert undocumented(con) == ["marts.naked", "marts.naked.x"]


def test_model_docs_parse_and_must_name_real_columns() -> None:
    model = parse_model("t", "-- @partition whole\n-- @grain a\n-- @table T\n"
                             "-- @column a The a.\nSELECT 1 AS a")
    assert model.table_doc == "T" and model.column_docs == {"a": "The a."}


def test_export_neutralises_formulas_and_carries_metadata(loaded, tmp_path) -> None:
    from openpyxl import load_workbook

    paths = export_month(loaded, date(2025, 7, 1), tmp_path / "out")
    names = {p.name for p in paths}
    assert {"district_village_count.csv", "district_village_count.parquet",
            "konektivitas_2025-07.xlsx"} <= names
    rows = list(csv.DictReader((tmp_path / "out" / "district_village_count.csv").open()))
    assert {r["district_name"] for r in rows} == {"'=1+2", "Dua"}
    wb = load_workbook(tmp_path / "out" / "konektivitas_2025-07.xlsx")
    assert "district_village_count" in wb.sheetnames and wb.sheetnames[-1] == "metadata"
    cells = [c.value for c in wb["district_village_count"]["B"]]
    assert "'=1+2" in cells
    assert all(c.data_type != "f" for row in wb["district_village_count"].iter_rows() for c in row)
    meta = {(r[0], r[1]): r[3] for r in wb["metadata"].iter_rows(min_row=2, values_only=True)}
    assert meta[("marts.district_village_count", "villages_total")].startswith("Villages")
    # Parquet keeps the value exactly as stored.
    parquet = duckdb.sql(
        f"SELECT list(district_name ORDER BY district_code) FROM "
        f"'{tmp_path / 'out' / 'district_village_count.parquet'}'").fetchone()[0]
    assert parquet == ["=1+2", "Dua"]


def test_query_is_read_only(loaded, tmp_path) -> None:
    from pipelines.warehouse import session

    with session(loaded, read_only=True) as con:
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("DELETE FROM core.dim_region")
        out = write_result(con, con.sql("SELECT code, name FROM core.dim_region ORDER BY code"),
                           tmp_path / "q.xlsx")
    from openpyxl import load_workbook

    assert load_workbook(out)["result"]["B3"].value == "'=1+2"
