"""Partner sites waiting for a village: what `konektivitas pln unmatched` lists, with the
registry villages they most resemble, so a person can settle them in the mapping file."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines.pln.pull import MAPPING_FILE, create_parse_macros, waiting_sites
from pipelines.settings import LOCAL_TZ, Settings
from pipelines.warehouse import quote_literal


@dataclass(frozen=True)
class Unmatched:
    site_id: str
    district_name: str | None
    village_name: str | None
    reason: str  # unmatched or ambiguous
    candidates: list[tuple[str, str, str, float]]  # (code, village, district, similarity)


def unmatched_sites(con: duckdb.DuckDBPyConnection, limit: int = 3) -> list[Unmatched]:
    """Every site still quarantined for want of a village, best candidates first."""
    create_parse_macros(con)
    waiting = waiting_sites(con, set())
    if not waiting:
        return []
    con.execute("CREATE OR REPLACE TEMP TABLE pln_waiting (site_id VARCHAR, district_name VARCHAR,"
                " village_name VARCHAR, updated_at VARCHAR)")
    con.executemany("INSERT INTO pln_waiting VALUES (?, ?, ?, ?)", [
        [w.get("site_id"), w.get("district_name"), w.get("village_name"), w.get("updated_at")]
        for w in waiting
    ])
    rows = con.execute(f"""
        WITH w AS (
            SELECT *, normalise_name(district_name) AS dk, normalise_name(village_name) AS vk,
                   CAST(timezone({quote_literal(LOCAL_TZ)}, pln_ts(updated_at)) AS DATE) AS d
            FROM pln_waiting
        ),
        reg AS (
            SELECT v.code, v.name, p.name AS district, normalise_name(v.name) AS vk,
                   normalise_name(p.name) AS dk, v.valid_from, v.valid_to
            FROM core.dim_region AS v JOIN core.dim_region AS p
              ON p.code = v.parent_code AND p.level = 'district'
             AND p.valid_from <= coalesce(v.valid_to, DATE '9999-12-31')
             AND (p.valid_to IS NULL OR p.valid_to > v.valid_from)
            WHERE v.level = 'village'
        ),
        scored AS (
            -- name likeness, plus a bonus for the same district
            SELECT w.site_id, r.code, r.name, r.district,
                   jaro_winkler_similarity(w.vk, r.vk) + CASE WHEN w.dk = r.dk THEN 0.2 ELSE 0 END AS score,
                   (w.vk = r.vk AND w.dk = r.dk) AS exact
            FROM w JOIN reg AS r
              ON r.valid_from <= w.d AND (r.valid_to IS NULL OR r.valid_to > w.d)
        )
        SELECT w.site_id, w.district_name, w.village_name,
               CASE WHEN (SELECT count(*) FROM scored AS s WHERE s.site_id = w.site_id AND s.exact) > 1
                    THEN 'ambiguous' ELSE 'unmatched' END,
               (SELECT list([code, name, district, CAST(round(score, 3) AS VARCHAR)]
                            ORDER BY exact DESC, score DESC, code)[1:{int(limit)}]
                FROM scored AS s WHERE s.site_id = w.site_id)
        FROM w ORDER BY w.site_id
    """).fetchall()
    con.execute("DROP TABLE pln_waiting")
    return [
        Unmatched(sid, d, v, reason, [(c[0], c[1], c[2], float(c[3])) for c in (cands or [])])
        for sid, d, v, reason, cands in rows
    ]


def mapping_hint(settings: Settings) -> str:
    return (f"settle a name by adding a line district_name,village_name,village_code to "
            f"{settings.config_dir / MAPPING_FILE}; the next pull matches it")
