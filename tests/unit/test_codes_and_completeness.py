"""Codes across editions and months without inputs, on the real 2020 and 2025 editions
(Kota Bangun and Samboja split on 2025-07-01).

A partner site, a tower or an attributes row recorded under a code of one edition counts
for the village its place has in the month computed; a code no edition knows is
quarantined; a month without tower data has unknown coverage and says why.
"""

from __future__ import annotations

import csv
import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import SHARED_DATA
from pln_support import FAST, partner_server, site, write_config

from pipelines.batch.run import run_deliveries
from pipelines.demo.generate import GenerateOptions
from pipelines.demo.generate import registry as gen_registry
from pipelines.demo.generate import towers as gen_towers
from pipelines.demo.partner_server import PartnerData
from pipelines.marts import engine
from pipelines.pln import pull as pln
from pipelines.settings import Settings, get_settings
from pipelines.warehouse import migrate_warehouse, session

pytestmark = pytest.mark.slow

JUNE, JULY, AUGUST = date(2025, 6, 1), date(2025, 7, 1), date(2025, 8, 1)
SPLIT = "2025-07-01"
UNKNOWN_CODE = "64.02.08.2999"  # a village code of no edition


def _moved(con, new_district: str) -> tuple[str, str]:
    return con.execute(
        """SELECT old_code, new_code FROM core.region_code_succession
           WHERE change_kind = 'moved' AND level = 'village' AND starts_with(new_code, ?)
           ORDER BY old_code LIMIT 1""", [new_district + "."]).fetchone()


def _villages(con, month: date) -> dict[str, dict]:
    cur = con.execute("SELECT * FROM marts.village_connectivity_monthly WHERE month_date = ?",
                      [month])
    names = [d[0] for d in cur.description]
    return {r[1]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def _completeness(con, month: date) -> dict:
    cur = con.execute("SELECT * FROM marts.input_completeness_monthly WHERE month_date = ?",
                      [month])
    return dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))


@pytest.fixture(scope="module")
def built(shared_registry_module, tmp_path_factory):
    shared_registry = shared_registry_module
    home = tmp_path_factory.mktemp("codes") / "home"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KONEKTIVITAS_HOME", str(home))
        env.setenv("KONEKTIVITAS_CONFIG", str(write_config(home.parent, [])))
        yield _build(get_settings(home), shared_registry)


@pytest.fixture(scope="module")
def shared_registry_module() -> Path:
    if not (SHARED_DATA / "registry").is_dir():
        pytest.skip(f"real registry files not present at {SHARED_DATA / 'registry'}")
    return SHARED_DATA / "registry"


def _build(settings: Settings, shared_registry: Path) -> tuple:
    migrate_warehouse(settings)
    folder = settings.landing / "registry" / "kemendagri"
    folder.mkdir(parents=True)
    for src, effective in (("kemendagri_2020_64.02.csv", "2020-01-01"),
                           ("kemendagri_2025_64.02.csv", SPLIT)):
        (folder / f"{effective}.csv").write_bytes((shared_registry / src).read_bytes())
    old_codes = sorted({line.split(",")[0] for line in
                        (folder / "2020-01-01.csv").read_text().splitlines()[1:]
                        if line.count(".") == 3})
    # Attributes only under the 2020 codes: villages with a 2025 code find theirs through
    # the succession.
    gen_registry.write_attributes(gen_registry.attribute_rows(old_codes, 7, 2024),
                                  settings.landing / "registry" / "attributes" / "2024.csv",
                                  decimal_comma=False)
    run_deliveries(settings, "village_registry", "now")
    with session(settings, read_only=True) as con:
        north = _moved(con, "64.02.19")  # Kota Bangun -> Kota Bangun Darat
        south = _moved(con, "64.02.20")  # Samboja -> Samboja Barat

    # Towers on two July days; one recorded under a pre-split code.
    options = GenerateOptions(home=settings.home, start=date(2025, 7, 1), days=2)
    gen_towers.generate(options)
    for path in (settings.landing / "towers" / "inventory").glob("*.csv"):
        rows = list(csv.reader(path.read_text().splitlines()))
        col = rows[0].index("village_code")
        rows[1][col] = north[0]
        with path.open("w", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    tower_on_old_code = rows[1][0]
    with session(settings) as con:
        for day in (date(2025, 7, 1), date(2025, 7, 2)):
            run_deliveries(settings, "tower_logs", str(day), con=con)

    sites = PartnerData(sites=[
        # recorded under the pre-split code, active long after the split
        site("OLD", village_code=north[0], activated_at="2024-01-01T00:00:00+08:00",
             updated_at="2025-08-20T00:00:00+08:00"),
        # recorded under the code the 2025 edition introduced, active before it
        site("NEW", village_code=south[1], activated_at="2024-01-01T00:00:00+08:00",
             updated_at="2025-08-20T00:00:00+08:00"),
        site("BAD", village_code=UNKNOWN_CODE, activated_at="2024-01-01T00:00:00+08:00",
             updated_at="2025-08-20T00:00:00+08:00"),
    ], outages=[])
    with partner_server(sites) as (_, conn):
        pln.pull(settings, conn, datetime(2025, 9, 1, tzinfo=UTC),
                 dataclasses.replace(FAST, first_pull_at=datetime(2025, 1, 1, tzinfo=UTC)))
    with session(settings) as con:
        engine.build_whole(con, settings)
        for month in (JUNE, JULY, AUGUST):
            engine.build_month(con, settings, month)
    return settings, north, south, tower_on_old_code


def test_a_site_on_a_pre_split_code_serves_its_village_after_the_split(built) -> None:
    settings, (old, new), _, _ = built
    with session(settings, read_only=True) as con:
        august, june = _villages(con, AUGUST), _villages(con, JUNE)
    assert old not in august and august[new]["partner_service"] is True
    assert august[new]["blank_spot"] is False
    assert june[old]["partner_service"] is True  # and under its own code before


def test_a_site_on_a_post_split_code_serves_its_village_before_the_split(built) -> None:
    settings, _, (old, new), _ = built
    with session(settings, read_only=True) as con:
        june, august = _villages(con, JUNE), _villages(con, AUGUST)
    assert new not in june and june[old]["partner_service"] is True
    assert june[old]["blank_spot"] is False
    assert august[new]["partner_service"] is True


def test_a_code_no_edition_knows_is_quarantined_with_its_reason(built) -> None:
    settings, *_ = built
    with session(settings, read_only=True) as con:
        quarantined = con.execute(
            """SELECT record ->> 'site_id', reasons FROM audit.quarantine
               WHERE dataset = 'pln_site'""").fetchall()
        published = {s for (s,) in con.execute(
            "SELECT site_id FROM core.dim_partner_site").fetchall()}
        unresolved = {m: _completeness(con, m)["partner_sites_unresolved"]
                      for m in (JUNE, JULY, AUGUST)}
    assert [q[0] for q in quarantined] == ["BAD"]
    assert any("village_code is a village of no loaded Kemendagri edition" in r
               for r in quarantined[0][1])
    assert published == {"OLD", "NEW"}
    assert unresolved == {JUNE: 0, JULY: 0, AUGUST: 0}


def test_tower_locations_and_attributes_resolve_to_the_month_s_code(built) -> None:
    settings, (old, new), _, tower = built
    with session(settings, read_only=True) as con:
        t = con.execute(
            """SELECT inventory_village_code, village_code, district_code
               FROM marts.tower_service_monthly WHERE month_date = ? AND tower_id = ?""",
            [JULY, tower]).fetchone()
        july = _villages(con, JULY)
        attrs = con.execute("SELECT population FROM core.village_attributes WHERE code = ?",
                            [old]).fetchone()[0]
        towers_unresolved = _completeness(con, JULY)["towers_unresolved"]
    assert t == (old, new, "64.02.19")  # counted in Kota Bangun Darat, where it stands now
    assert towers_unresolved == 0
    # 2024 attributes exist only under the 2020 codes; the 2025 village has them
    assert july[new]["population"] == attrs and july[new]["lat"] is not None
    assert all(v["attributes_year"] == 2024 for v in july.values())


def test_a_month_without_tower_data_has_unknown_coverage_and_says_why(built) -> None:
    settings, (_, served), *_ = built
    with session(settings, read_only=True) as con:
        june, july, august = (_villages(con, m) for m in (JUNE, JULY, AUGUST))
        c_june, c_july, c_aug = (_completeness(con, m) for m in (JUNE, JULY, AUGUST))
        regency = dict(con.execute(
            """SELECT month_date, (villages_blank_spot, villages_unknown, villages_total,
                                   tower_kpi_days_loaded_pct, tower_availability_pct)
               FROM marts.regency_connectivity_monthly""").fetchall())
    # July has KPI files for two days: coverage is known.
    assert c_july["tower_inputs_present"] is True
    assert 0 < c_july["tower_kpi_days_loaded_pct"] < 100
    assert {v["covered_by_tower"] for v in july.values()} <= {True, False}
    # June has no inventory yet, August no KPI file: every coverage is unknown, never false,
    # and a village is a blank spot only if unknown, or not one thanks to its partner site.
    for month, villages, c in ((JUNE, june, c_june), (AUGUST, august, c_aug)):
        assert {v["covered_by_tower"] for v in villages.values()} == {None}, month
        assert {v["blank_spot"] for v in villages.values()} == {None, False}, month
        assert all(v["blank_spot"] is False for v in villages.values() if v["partner_service"])
        assert c["tower_inputs_present"] is False and c["tower_days_with_kpi_file"] == 0
        blank, unknown, total, kpi_pct, availability = regency[month]
        assert blank == 0 and unknown == total - 2 and availability is None
        assert kpi_pct == c["tower_kpi_days_loaded_pct"]
    assert c_june["tower_days_in_service"] == 0 and c_june["tower_kpi_days_loaded_pct"] is None
    assert c_june["tower_inventory_date"] is None
    assert c_aug["tower_days_in_service"] > 0 and c_aug["tower_kpi_days_loaded_pct"] == 0
    assert c_aug["tower_inventory_date"] == date(2025, 7, 2)  # the latest snapshot
    # Partner sites were pulled through August: a village without a site is not served.
    assert c_aug["partner_outages_pulled_through_month_end"] is True
    assert august[served]["partner_service"] is True
    assert {v["partner_service"] for v in august.values()} == {True, False}


def test_exports_and_the_report_show_the_month_s_completeness(built, tmp_path) -> None:
    from pipelines.marts.export import export_month
    from pipelines.marts.report.render import write_report

    settings, *_ = built
    export_month(settings, AUGUST, tmp_path / "exports")
    with (tmp_path / "exports" / "regency_connectivity_monthly.csv").open() as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["tower_kpi_days_loaded_pct"] == "0.0" and row["tower_availability_pct"] == ""
    assert int(row["villages_unknown"]) == int(row["villages_total"]) - 2  # the 2 served known
    with (tmp_path / "exports" / "input_completeness_monthly.csv").open() as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["tower_inputs_present"] == "false" and row["tower_days_with_kpi_file"] == "0"
    page = write_report(settings, AUGUST, tmp_path / "report.html").read_text()
    table = page[page.index('id="completeness"'):]
    assert "Data menara tersedia" in table[:table.index("</table>")]
