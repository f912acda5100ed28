"""Registry deliveries for the demo: the real Kemendagri editions shipped in
pipelines/reference (so the demo has the real districts, villages and the 2020 -> 2025
district splits), and synthetic deliveries around them: a BPS Master File Desa copy with
BPS numbering and spelling drift, and village attributes whose centroids come from
generate/geo.py (so towers agree)."""

from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

from pipelines.reference import (
    Edition,
    national_name,
    reference_file,
    region_editions,
    region_rows,
)


def land_edition(edition: Edition, folder: Path, region_code: str | None = None) -> Path:
    """The edition's file named by its effective date: byte for byte, or (a national
    edition for a province or a regency) only the region's rows, as a delivery in the
    same format (docs/sources.md 1a)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{edition.effective}.csv"
    if region_code is None or edition.region_code == region_code:
        if edition.file.endswith(".gz"):
            with gzip.open(reference_file(edition.file), "rb") as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            return target
        return Path(shutil.copyfile(reference_file(edition.file), target))
    with target.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["kode", "nama"])
        out.writerows(region_rows(edition, region_code))
    return target


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
        out["provinces"].append((prov, (national_name(prov) or f"PROVINSI {prov}").upper()))
        breg = f"{prov}{int(rr) + 1:02d}"
        regency = names[reg].upper().removeprefix("KAB. ").removeprefix("KABUPATEN ")
        out["regencies"].append((breg, prov, "KABUPATEN " + regency))
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
        # never 5e-06: a centroid a hair off the equator is still a plain decimal
        cells = [f"{v:.6f}" if isinstance(v, float) and "e" in str(v) else str(v) for v in row]
        if decimal_comma:
            cells = [c.replace(".", ",") if i >= 3 else c for i, c in enumerate(cells)]
        lines.append(sep.join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def generate(options) -> list[Path]:  # options: GenerateOptions
    region = "" if options.region_code == "national" else options.region_code
    editions = region_editions(options.region_code)
    landing = options.home / "landing" / "registry"
    written = [land_edition(e, landing / "kemendagri", region) for e in editions]
    latest = editions[-1]
    rows = region_rows(latest, region)
    written += write_bps(bps_rows(rows, options.seed), landing / "bps" / str(latest.effective))
    villages = [code for code, _ in rows if code.count(".") == 3]
    for year, comma in ((options.start.year - 1, False), (options.start.year, True)):
        written.append(write_attributes(
            attribute_rows(villages, options.seed, year), landing / "attributes" / f"{year}.csv",
            decimal_comma=comma,
        ))
    return written
