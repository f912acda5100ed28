"""Village attributes by year: decimal point or comma, rules, partition by year."""

from __future__ import annotations

import pytest

from pipelines.batch.steps import load_file
from pipelines.registry import attributes, kemendagri

EDITION = "kode,nama\n64.02,Kab\n64.02.01,Muara Muntai\n64.02.01.2001,Perian\n64.02.01.2002,Muara Leka\n64.02.01.1003,Jantur\n"


@pytest.fixture
def registry(con, settings):
    path = settings.landing / "registry" / "kemendagri" / "2025-07-01.csv"
    path.parent.mkdir(parents=True)
    path.write_text(EDITION)
    assert load_file(con, settings, kemendagri.DATASET, path, "2025-07-01").status == "published"
    return con


def land(settings, year: str, text: str):
    path = settings.landing / "registry" / "attributes" / f"{year}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rows(con, year: int) -> list[tuple]:
    return con.execute(
        "SELECT code, population, households, area_km2, lat, lon FROM core.village_attributes "
        "WHERE year = ? ORDER BY code", [year]).fetchall()


def test_decimal_point_and_decimal_comma_load_the_same(registry, settings):
    point = land(settings, "2024",
                 "kode,population,households,area_km2,lat,lon\n"
                 "64.02.01.2001,1520,410,35.25,-0.45,116.75\n64.02.01.2002,800,200,12,-0.5,116.8\n")
    comma = land(settings, "2025",
                 "\ufeffkode;population;households;area_km2;lat;lon\r\n"
                 "64.02.01.2001;1520;410;35,25;-0,45;116,75\r\n64.02.01.2002;800;200;12;-0,5;116,8\r\n")
    quoted = land(settings, "2023",
                  'kode,population,households,area_km2,lat,lon\n'
                  '64.02.01.2001,1520,410,"35,25","-0,45","116,75"\n64.02.01.2002,800,200,12,-0.5,116.8\n')
    for path in (point, comma, quoted):
        result = load_file(registry, settings, attributes.DATASET, path, attributes.year_of(path))
        assert (result.status, result.rows_published, result.rows_quarantined) == ("published", 2, 0)
    expected = [("64.02.01.2001", 1520, 410, 35.25, -0.45, 116.75),
                ("64.02.01.2002", 800, 200, 12.0, -0.5, 116.8)]
    assert rows(registry, 2024) == rows(registry, 2025) == rows(registry, 2023) == expected


def test_bad_rows_are_quarantined_with_reasons(registry, settings):
    path = land(settings, "2025",
                "kode,population,households,area_km2,lat,lon\n"
                "64.02.01.2001,1520,410,35.25,-0.45,116.75\n"  # repeated below: both held back
                "64.02.01.2001,1,1,1,-0.45,116.75\n"           # repeated code
                "64.02.09.2001,10,5,1,,\n"                      # unknown village; no centroid is fine
                "64.02.01.2002,12.5,5,1x,-0.45,\n"              # not numbers; lat without lon
                "64.02.01.1003,5,9,0,45,116\n")                 # households > population, area 0, lat off
    result = load_file(registry, settings, attributes.DATASET, path, "2025")
    assert (result.rows_read, result.rows_published, result.rows_quarantined) == (5, 0, 5)
    reasons = dict(registry.execute(
        "SELECT record_no, reasons FROM audit.quarantine WHERE load_id = ?", [result.load_id]
    ).fetchall())
    assert set(reasons) == {2, 3, 4, 5, 6}
    assert "kode is listed more than once" in reasons[3]
    assert reasons[4] == ["kode is not a village of any loaded Kemendagri edition"]
    assert "population is not a whole number" in reasons[5]
    assert "area_km2 is not a number (decimal point or decimal comma)" in reasons[5]
    assert "lat and lon must be given together (both empty: centroid unknown)" in reasons[5]
    assert {"households exceed population", "area_km2 is not positive",
            "lat is outside Indonesia (-11.5 to 6.5)"} <= set(reasons[6])


def test_a_corrected_year_replaces_that_year_only(registry, settings):
    header = "kode,population,households,area_km2,lat,lon\n"
    first = land(settings, "2024", header + "64.02.01.2001,100,10,1,-0.4,116.7\n")
    load_file(registry, settings, attributes.DATASET, first, "2024")
    other = land(settings, "2025", header + "64.02.01.2001,110,11,1,-0.4,116.7\n")
    load_file(registry, settings, attributes.DATASET, other, "2025")
    corrected = land(settings, "2024", header + "64.02.01.2001,105,10,1,-0.4,116.7\n"
                     "64.02.01.2002,50,10,1,-0.4,116.7\n")
    load_file(registry, settings, attributes.DATASET, corrected, "2024")
    assert [r[1] for r in rows(registry, 2024)] == [105, 50]
    assert [r[1] for r in rows(registry, 2025)] == [110]
