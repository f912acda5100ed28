"""KONEKTIVITAS_REGION_CODE=64: synthetic data over the real registry of the province
(`generate --region 64`, the national 2025 edition's rows of 64), loaded through the real
loaders; the marts have one row per village, district and regency of the province as the
registry file lists them, one province row, and coverage as the cross join defines it."""

from __future__ import annotations

import csv
import dataclasses
import gzip
from collections import Counter
from datetime import date

import pytest

from pipelines import cli
from pipelines.batch.run import run_deliveries
from pipelines.marts import engine
from pipelines.reference import reference_file
from pipelines.settings import get_settings
from pipelines.warehouse import migrate_warehouse, session

pytestmark = pytest.mark.slow

MONTH = date(2026, 10, 1)
NATIONAL = "kemendagri_2025_national.csv.gz"


def _registry_codes(prefix: str) -> list[str]:
    # read straight from the shipped file, not through the code under test
    with gzip.open(reference_file(NATIONAL), "rt", encoding="utf-8", newline="") as fh:
        return [r["kode"] for r in csv.DictReader(fh) if r["kode"].startswith(prefix + ".")]


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    home = tmp_path_factory.mktemp("province") / "home"
    config = tmp_path_factory.mktemp("config")
    mp = pytest.MonkeyPatch()
    mp.setenv("KONEKTIVITAS_CONFIG", str(config))
    mp.setenv("KONEKTIVITAS_REGION_CODE", "64")
    settings = get_settings(home)
    assert settings.region_code == "64"
    migrate_warehouse(settings)
    assert cli.main(["generate", "--home", str(home), "--start", str(MONTH), "--days", "1",
                     "--towers", "300"]) == 0
    run_deliveries(settings, "village_registry", "now")
    run_deliveries(settings, "tower_logs", str(MONTH))
    with session(settings) as con:
        engine.build_whole(con, settings)
        engine.build_month(con, settings, MONTH)
    yield settings
    mp.undo()


def test_the_shipped_national_edition_is_the_shared_one(shared_registry):
    shipped = reference_file(NATIONAL).read_bytes()
    assert shipped == (shared_registry / NATIONAL).read_bytes()
    assert "Kepmendagri No. 300.2.2-2430 Tahun 2025" in (
        reference_file("README.md").read_text(encoding="utf-8"))


def test_generate_lands_the_province_rows_of_the_national_edition(province):
    landed = province.landing / "registry" / "kemendagri" / "2025-07-01.csv"
    with landed.open(encoding="utf-8", newline="") as fh:
        codes = [r["kode"] for r in csv.DictReader(fh)]
    assert codes == ["64", *_registry_codes("64")]
    inventory = next((province.landing / "towers" / "inventory").glob("*.csv")).read_text()
    regencies = {line.split(",")[3][:5] for line in inventory.splitlines()[1:]}
    assert len(regencies) == 10  # towers spread over the whole province


def test_the_marts_follow_the_province(province):
    codes = _registry_codes("64")
    villages = [c for c in codes if c.count(".") == 3]
    districts = {c for c in codes if c.count(".") == 2}
    per_regency = Counter(c[:5] for c in villages)
    assert len(villages) == 1035 and len(districts) == 105 and len(per_regency) == 10
    with session(province, read_only=True) as con:
        vil = con.execute("SELECT village_code FROM marts.village_connectivity_monthly "
                          "WHERE month_date = ?", [MONTH]).fetchall()
        dis = con.execute("SELECT district_code, villages_total FROM "
                          "marts.district_connectivity_monthly WHERE month_date = ?",
                          [MONTH]).fetchall()
        reg = con.execute("SELECT regency_code, regency_name, villages_total, towers_in_service "
                          "FROM marts.regency_connectivity_monthly WHERE month_date = ?",
                          [MONTH]).fetchall()
        prov = con.execute("SELECT province_code, province_name, villages_total, "
                           "towers_in_service FROM marts.province_connectivity_monthly "
                           "WHERE month_date = ?", [MONTH]).fetchall()
        # The region mart (the report's headline) is the province, whole.
        region = con.execute("SELECT * EXCLUDE (region_code, region_name) FROM "
                             "marts.region_connectivity_monthly WHERE month_date = ?",
                             [MONTH]).fetchall()
        whole = con.execute("SELECT * EXCLUDE (province_code, province_name) FROM "
                            "marts.province_connectivity_monthly WHERE month_date = ?",
                            [MONTH]).fetchall()
    assert sorted(v for (v,) in vil) == sorted(villages)
    assert {d for d, _ in dis} == districts
    assert sum(n for _, n in dis) == len(villages)
    assert {r[0]: r[2] for r in reg} == dict(per_regency)
    assert all(r[1] for r in reg) and sum(r[3] for r in reg) == 300
    assert prov == [("64", "Kalimantan Timur", 1035, 300)]
    assert region == whole and len(region) == 1


def test_the_province_village_mart_equals_the_cross_join(province):
    query = "SELECT * FROM marts.village_connectivity_monthly WHERE month_date = ? ORDER BY village_code"
    with session(province) as con:
        grid = con.execute(query, [MONTH]).fetchall()
        engine.build(con, province, "month", MONTH, {"village_connectivity_monthly"},
                     coverage="cross_join")
        cross = con.execute(query, [MONTH]).fetchall()
        engine.build_month(con, province, MONTH, {"village_connectivity_monthly"})
    assert len(grid) == 1035 and grid == cross
    assert any(r for r in grid if r[12] is True)  # covered_by_tower: some villages covered


def test_a_regency_run_has_no_province_rows(province):
    regency = dataclasses.replace(province, region_code="64.02")
    with session(regency) as con:
        counts = engine.build_month(con, regency, MONTH)
        reg = con.execute("SELECT regency_code, villages_total FROM "
                          "marts.regency_connectivity_monthly WHERE month_date = ?",
                          [MONTH]).fetchall()
    assert counts["province_connectivity_monthly"] == 0
    assert counts["region_connectivity_monthly"] == 1
    assert counts["village_connectivity_monthly"] == 237
    assert reg == [("64.02", 237)]
