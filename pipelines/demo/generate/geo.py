"""Deterministic geography for synthetic data: every generator that places a village
or a tower uses these, so towers, attributes and partner sites agree."""

from __future__ import annotations

import hashlib

# Kutai Kartanegara's rough extent (WGS84).
LAT_MIN, LAT_MAX = -1.2, 0.9
LON_MIN, LON_MAX = 115.5, 117.6
DEMO_REGENCY = "64.02"
# Elsewhere (a province or the nation): each regency somewhere in Indonesia's extent, its
# districts within a degree of it (inside the bounds the attributes suite checks).
COUNTRY_LAT = (-10.0, 5.5)
COUNTRY_LON = (95.5, 140.5)
REGENCY_SPREAD = 1.0


def _unit(seed: int, key: str, salt: str) -> float:
    h = hashlib.sha256(f"{seed}:{key}:{salt}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def village_centroid(seed: int, village_code: str) -> tuple[float, float]:
    """(lat, lon) of a synthetic village: districts cluster, villages scatter around them."""
    district = village_code.rsplit(".", 1)[0]
    dlat, dlon = _district_centre(seed, district)
    lat = dlat + (_unit(seed, village_code, "lat") - 0.5) * 0.3
    lon = dlon + (_unit(seed, village_code, "lon") - 0.5) * 0.3
    return round(lat, 6), round(lon, 6)


def _district_centre(seed: int, district: str) -> tuple[float, float]:
    if district.startswith(DEMO_REGENCY + "."):
        return (LAT_MIN + (LAT_MAX - LAT_MIN) * _unit(seed, district, "lat"),
                LON_MIN + (LON_MAX - LON_MIN) * _unit(seed, district, "lon"))
    regency = district.rsplit(".", 1)[0]
    rlat = COUNTRY_LAT[0] + (COUNTRY_LAT[1] - COUNTRY_LAT[0]) * _unit(seed, regency, "lat")
    rlon = COUNTRY_LON[0] + (COUNTRY_LON[1] - COUNTRY_LON[0]) * _unit(seed, regency, "lon")
    return (rlat + (_unit(seed, district, "lat") - 0.5) * REGENCY_SPREAD,
            rlon + (_unit(seed, district, "lon") - 0.5) * REGENCY_SPREAD)
