"""A synthetic Kemendagri edition of the real shape, built inside DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.warehouse import quote_literal

# Syllables of Kalimantan place names; names are drawn from them by a seeded hash.
SYLLABLES = [
    "Loa", "Muara", "Sebu", "Tengga", "Kem", "Bang", "Jang", "Sang", "Ma", "Ra", "Ka",
    "Bun", "Lam", "Pe", "Ri", "Tam", "Jem", "Ba", "Lu", "Sa", "Da", "Ku", "Ta", "Wis",
]
SUFFIX = ["", " Ilir", " Ulu", " Baru", " Lama", " Jaya", " Makmur", " Hulu", " Darat"]


def village_name_sql(seed: int, key: str) -> str:
    """A SQL expression naming a place from a seeded hash of `key`."""
    syl = "[" + ", ".join(quote_literal(s) for s in SYLLABLES) + "]"
    suf = "[" + ", ".join(quote_literal(s) for s in SUFFIX) + "]"
    n, m = len(SYLLABLES), len(SUFFIX)
    return (
        f"{syl}[1 + (hash({seed}, {key}, 1) % {n})::BIGINT] || lower({syl}[1 + (hash({seed}, {key}, 2) % {n})::BIGINT])"
        f" || {suf}[1 + (hash({seed}, {key}, 3) % {m})::BIGINT]"
    )


def edition_rows(
    con: duckdb.DuckDBPyConnection, seed: int, region_code: str, districts: int,
    villages_per_district: int,
) -> duckdb.DuckDBPyRelation:
    """(kode, nama) of a regency, its districts and villages; kelurahan for ~1 in 8 villages."""
    name = village_name_sql(seed, "d")
    vname = village_name_sql(seed, "d * 1000 + v")
    return con.sql(
        f"""
        WITH d AS (SELECT range AS d FROM range(1, {districts} + 1)),
        v AS (
            SELECT d, range AS v,
                   -- a varying count per district, at least 4
                   4 + hash({seed}, d) % {max(villages_per_district - 3, 1)} * 2 AS n
            FROM d, range(1, {villages_per_district} * 2 + 1)
        )
        SELECT {quote_literal(region_code)} AS kode,
               'KAB. ' || upper({village_name_sql(seed, '0')}) AS nama, 0 AS o
        UNION ALL
        SELECT {quote_literal(region_code)} || '.' || lpad(d::VARCHAR, 2, '0'), {name}, d * 10000
        FROM d
        UNION ALL
        SELECT {quote_literal(region_code)} || '.' || lpad(d::VARCHAR, 2, '0') || '.'
               || CASE WHEN hash({seed}, d, v, 9) % 8 = 0 THEN '1' ELSE '2' END
               || lpad(v::VARCHAR, 3, '0'),
               {vname}, d * 10000 + v
        FROM v WHERE v <= n
        ORDER BY o
        """
    ).project("kode, nama")


def write_edition(rel: duckdb.DuckDBPyRelation, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rel.write_csv(str(path), header=True)
    return path


def generate(options) -> list[Path]:  # options: GenerateOptions
    con = duckdb.connect()
    rel = edition_rows(
        con, options.seed, options.region_code, options.districts, options.villages_per_district
    )
    path = options.home / "landing" / "registry" / "kemendagri" / f"{options.edition_date}.csv"
    return [write_edition(rel, path)]
