"""Synthetic registry deliveries of the real shapes, built inside DuckDB: the current
Kemendagri edition, an earlier edition before a district split (so the demo has code
succession), a BPS Master File Desa copy with BPS numbering and spelling drift, and
village attributes whose centroids come from generate/geo.py (so towers agree)."""

from __future__ import annotations

from datetime import date
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


def earlier_edition(con: duckdb.DuckDBPyConnection, latest: duckdb.DuckDBPyRelation,
                    region_code: str, seed: int) -> duckdb.DuckDBPyRelation:
    """The edition before the last district was split off district 01: its villages sat
    in 01 under other codes (same names), and a few names had the old spelling (u -> oe)."""
    con.register("latest_edition", latest)
    (newest,) = con.execute(
        "SELECT max(kode) FROM latest_edition WHERE length(kode) = 8").fetchone()
    source = quote_literal(f"{region_code}.01")
    return con.sql(
        f"""
        SELECT kode,
               CASE WHEN length(kode) = 13 AND hash({seed}, kode, 'oe') % 12 = 0
                    THEN replace(nama, 'u', 'oe') ELSE nama END AS nama
        FROM latest_edition
        WHERE kode <> '{newest}' AND NOT starts_with(kode, '{newest}.')
        UNION ALL
        SELECT {source} || '.' || substr(kode, 10, 1)
               || lpad((500 + row_number() OVER (ORDER BY kode))::VARCHAR, 3, '0'), nama
        FROM latest_edition WHERE starts_with(kode, '{newest}.')
        ORDER BY kode
        """
    )


def _drift(name: str, seed: int, code: str) -> str:
    """BPS's spelling of a name: upper case, sometimes joined (KOTABANGUN) or with one
    vowel drifted (SEMBOJA for Samboja)."""
    from pipelines.demo.generate.geo import _unit

    text = name.upper()
    u = _unit(seed, code, "bps-drift")
    if u < 0.12 and " " in text:
        return text.replace(" ", "", 1)
    # Not after O: OE is the old spelling of U and would drift twice.
    vowels = [i for i in range(1, len(text)) if text[i] == "A" and text[i - 1] != "O"]
    if u < 0.22 and len(text) >= 6 and vowels:
        return text[:vowels[0]] + "E" + text[vowels[0] + 1:]
    return text


def bps_rows(rows: list[tuple[str, str]], seed: int) -> dict[str, list[tuple]]:
    """A BPS Master File Desa of the edition: BPS's own numbering (regency RR + 1,
    districts 010, 020, ... in name order, villages 001... in name order), drifted names."""
    from pipelines.demo.generate.geo import _unit

    out: dict[str, list[tuple]] = {"provinces": [], "regencies": [], "districts": [], "villages": []}
    names = dict(rows)
    by_parent: dict[str, list[str]] = {}
    for code, _ in rows:
        by_parent.setdefault(code.rsplit(".", 1)[0] if "." in code else "", []).append(code)
    regencies = [c for c, _ in rows if c.count(".") == 1]
    for reg in regencies:
        prov, rr = reg.split(".")
        out["provinces"].append((prov, "PROVINSI " + prov))
        breg = f"{prov}{int(rr) + 1:02d}"
        out["regencies"].append((breg, prov, "KABUPATEN " + names[reg].upper().removeprefix("KAB. ")))
        districts = sorted(by_parent.get(reg, []), key=lambda c: (names[c], c))
        for i, dist in enumerate(districts, start=1):
            bdist = f"{breg}{i * 10:03d}"
            out["districts"].append((bdist, breg, _drift(names[dist], seed, dist)))
            villages = sorted(by_parent.get(dist, []), key=lambda c: (names[c], c))
            number = 0
            for vil in villages:
                # BPS skips numbers now and then (villages merged or dropped long ago).
                number += 2 if _unit(seed, vil, "bps-gap") < 0.05 else 1
                out["villages"].append((f"{bdist}{number:03d}", bdist, _drift(names[vil], seed, vil)))
    out["provinces"] = sorted(set(out["provinces"]))
    return out


def write_bps(files: dict[str, list[tuple]], folder: Path) -> list[Path]:
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in files.items():
        path = folder / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
        written.append(path)
    return written


def attribute_rows(villages: list[str], seed: int, year: int) -> list[tuple]:
    """(kode, population, households, area_km2, lat, lon); population grows ~1.5% a year."""
    from pipelines.demo.generate.geo import _unit, village_centroid

    out = []
    for code in villages:
        base = 400 + int(_unit(seed, code, "population") * 6000)
        population = round(base * 1.015 ** (year - 2020))
        households = max(1, round(population / (3.4 + _unit(seed, code, "household"))))
        area = round(4 + _unit(seed, code, "area") * 300, 2)
        lat, lon = village_centroid(seed, code)
        out.append((code, population, households, area, lat, lon))
    return out


def write_attributes(rows: list[tuple], path: Path, decimal_comma: bool) -> Path:
    """docs/sources.md 1c; with decimal_comma, the ;-separated variant (12,5)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sep = ";" if decimal_comma else ","
    lines = [sep.join(["kode", "population", "households", "area_km2", "lat", "lon"])]
    for row in rows:
        cells = [str(v) for v in row]
        if decimal_comma:
            cells = [c.replace(".", ",") if i >= 3 else c for i, c in enumerate(cells)]
        lines.append(sep.join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def generate(options) -> list[Path]:  # options: GenerateOptions
    con = duckdb.connect()
    rel = edition_rows(
        con, options.seed, options.region_code, options.districts, options.villages_per_district
    )
    landing = options.home / "landing" / "registry"
    written = [write_edition(rel, landing / "kemendagri" / f"{options.edition_date}.csv")]
    earlier = date(options.edition_date.year - 5, 1, 1)
    written.append(write_edition(
        earlier_edition(con, rel, options.region_code, options.seed),
        landing / "kemendagri" / f"{earlier}.csv",
    ))
    rows = rel.fetchall()
    written += write_bps(bps_rows(rows, options.seed), landing / "bps" / str(options.edition_date))
    villages = [code for code, _ in rows if code.count(".") == 3]
    for year, comma in ((options.start.year - 1, False), (options.start.year, True)):
        written.append(write_attributes(
            attribute_rows(villages, options.seed, year), landing / "attributes" / f"{year}.csv",
            decimal_comma=comma,
        ))
    return written
