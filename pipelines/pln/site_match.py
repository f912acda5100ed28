"""Partner sites waiting for a village: what `konektivitas pln unmatched` lists, with the
registry villages they most resemble, so a person can settle them in the mapping file."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines.pln.pull import MAPPING_FILE, create_name_function, waiting_sites
from pipelines.settings import LOCAL_TZ, Settings
from pipelines.warehouse import render_model


@dataclass(frozen=True)
class Unmatched:
    site_id: str
    district_name: str | None
    village_name: str | None
    reason: str  # unmatched or ambiguous
    candidates: list[tuple[str, str, str, float]]  # (code, village, district, similarity)


def unmatched_sites(
    con: duckdb.DuckDBPyConnection, settings: Settings, limit: int = 3
) -> list[Unmatched]:
    """Every site still quarantined for want of a village, best candidates first."""
    create_name_function(con)
    waiting = waiting_sites(con, set())
    if not waiting:
        return []
    con.execute("CREATE OR REPLACE TEMP TABLE pln_waiting (site_id VARCHAR, district_name VARCHAR,"
                " village_name VARCHAR, updated_at VARCHAR)")
    con.executemany("INSERT INTO pln_waiting VALUES (?, ?, ?, ?)", [
        [w.get("site_id"), w.get("district_name"), w.get("village_name"), w.get("updated_at")]
        for w in waiting
    ])
    rows = con.execute(render_model(settings, "staging", "stg_pln_waiting_site",
                                    waiting="pln_waiting", local_tz=LOCAL_TZ,
                                    limit=int(limit))).fetchall()
    con.execute("DROP TABLE pln_waiting")
    return [
        Unmatched(sid, d, v, reason, [(c[0], c[1], c[2], float(c[3])) for c in (cands or [])])
        for sid, d, v, reason, cands in rows
    ]


def mapping_hint(settings: Settings) -> str:
    return (f"settle a name by adding a line district_name,village_name,village_code to "
            f"{settings.config_dir / MAPPING_FILE}; the next pull matches it")
