"""The grid prefilter finds exactly what the cross join finds (warehouse/models/macros/coverage.sql):
the nearest tower, its distance and coverage, on the real regency and on the edge cases
(exactly at the radius, across cell borders, far from the equator, far from every tower,
ties, no tower at all)."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.demo.generate.geo import village_centroid
from pipelines.demo.generate.towers import tower_table
from pipelines.marts.coverage import reach_sql
from pipelines.reference import kemendagri_editions, read_edition

THRESHOLD = 50.0
HAVERSINE = """2 * 6371.0 * asin(sqrt(pow(sin(radians(t.lat - p.lat) / 2), 2)
    + cos(radians(p.lat)) * cos(radians(t.lat)) * pow(sin(radians(t.lon - p.lon) / 2), 2)))"""


@pytest.fixture
def db():
    con = duckdb.connect()
    yield con
    con.close()


def _tables(con: duckdb.DuckDBPyConnection, places: list[tuple], towers: list[tuple]) -> None:
    con.execute("CREATE OR REPLACE TABLE p (code VARCHAR, lat DOUBLE, lon DOUBLE)")
    con.execute("CREATE OR REPLACE TABLE t (tower_id VARCHAR, lat DOUBLE, lon DOUBLE, "
                "coverage_radius_km DOUBLE, tower_availability_pct DOUBLE)")
    if places:
        con.executemany("INSERT INTO p VALUES (?, ?, ?)", places)
    if towers:
        con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", towers)


def _both(con, settings) -> tuple[list, list]:
    return tuple(con.execute(reach_sql(settings, "p", "t", THRESHOLD, m)).fetchall()
                 for m in ("grid", "cross_join"))


def test_the_regency_gives_the_same_rows(db, settings) -> None:
    # the real 237 villages of 64.02 at the generator's centroids, and 400 towers around them
    # (dense, so most villages have several towers in reach), some without availability
    (latest,) = kemendagri_editions("64.02")[-1:]
    villages = [c for c, _ in read_edition(latest) if c.count(".") == 3]
    _tables(db, [(c, *village_centroid(42, c)) for c in villages], [])
    tower_table(db, 42, 400, villages, __import__("datetime").date(2026, 9, 1), 1)
    db.execute("""INSERT INTO t SELECT tower_id, lat, lon, coverage_radius_km,
                  CASE WHEN i % 9 = 0 THEN NULL ELSE (i * 37) % 100 END FROM towers""")
    grid, cross = _both(db, settings)
    assert len(grid) == 237
    assert grid == cross
    covered = [r[3] for r in grid]
    # the comparison means something: all three outcomes occur
    assert covered.count(True) and covered.count(False) and covered.count(None)


def test_a_tower_exactly_at_its_radius_covers(db, settings) -> None:
    _tables(db, [("v1", -0.5, 116.9), ("v2", 0.5, 117.0)],
            [("a", -0.52, 116.93, 0.0, 90.0), ("b", 0.5, 117.05, 0.0, 90.0)])
    # each radius set to the very distance the definition computes
    db.execute(f"""UPDATE t SET coverage_radius_km = (
        SELECT {HAVERSINE} FROM p WHERE p.code = CASE t.tower_id WHEN 'a' THEN 'v1' ELSE 'v2' END)""")
    grid, cross = _both(db, settings)
    assert grid == cross
    assert [r[3] for r in grid] == [True, True]


def test_across_cell_borders_and_far_from_the_equator(db, settings) -> None:
    # A grid of villages and towers, 0.01 degree apart, cut by every cell border; and at
    # 70 degrees north a tower due east inside its radius: a degree of longitude there is
    # a third of one at the equator, so a cell sized in latitude degrees would miss it.
    places = [(f"g{i:03d}", -0.3 + i * 0.0137, 116.0 + (i % 7) * 0.0211) for i in range(60)]
    towers = [(f"t{i:03d}", -0.3 + i * 0.0173, 116.0 + (i % 5) * 0.0233, 2.0 + (i % 4), 70.0)
              for i in range(40)]
    places.append(("north", 70.0, 20.0))
    towers.append(("east", 70.0, 20.0 + 5.9 / (111.195 * 0.342020), 6.0, 99.0))
    _tables(db, places, towers)
    grid, cross = _both(db, settings)
    assert grid == cross
    north = next(r for r in grid if r[0] == "north")
    assert north[1] == "east" and 5.8 < north[2] <= 6.0 and north[3] is True
    assert sum(r[3] is True for r in grid) > 10


def test_the_nearest_tower_far_away_ties_and_no_tower(db, settings) -> None:
    _tables(db, [("lonely", 4.0, 96.0), ("tied", -0.5, 117.0)],
            [("z", -0.5, 117.01, 2.0, 80.0), ("y", -0.5, 117.01, 2.0, 80.0),
             ("far", -8.0, 140.0, 7.5, 80.0)])
    grid, cross = _both(db, settings)
    assert grid == cross
    lonely, tied = grid
    assert lonely[1] == "z" or lonely[1] == "y"  # thousands of km: found past the first block
    assert lonely[1] == "y" and lonely[2] > 2000 and lonely[3] is False
    assert tied[1] == "y" and tied[3] is True  # equally near: the lowest id
    _tables(db, [("v", 0.0, 117.0)], [])
    assert _both(db, settings) == ([], [])


def test_an_unknown_method_is_refused(settings) -> None:
    with pytest.raises(ValueError, match="coverage method 'knn'"):
        reach_sql(settings, "p", "t", THRESHOLD, "knn")
