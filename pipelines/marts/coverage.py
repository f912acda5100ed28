"""Tower coverage of villages on its own (warehouse/models/macros/coverage.sql): the grid
prefilter the village mart uses, or the cross join that is its definition as written.
The test that holds the two identical and the benchmark that times them start here."""

from __future__ import annotations

from pipelines.settings import Settings
from pipelines.warehouse import render_model

METHODS = ("grid", "cross_join")


def reach_sql(settings: Settings, places: str, towers: str, threshold: float,
              method: str = "grid") -> str:
    """SELECT code, nearest_tower_id, nearest_tower_distance_km, covered for every village
    of the relation `places` (code, lat, lon) against `towers` (tower_id, lat, lon,
    coverage_radius_km, tower_availability_pct), ordered by code."""
    if method not in METHODS:
        raise ValueError(f"coverage method {method!r}: expected one of {', '.join(METHODS)}")
    return render_model(settings, "macros", "reach_query", places=places, towers=towers,
                        threshold=threshold, method=method)
