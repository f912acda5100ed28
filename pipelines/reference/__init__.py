"""Reference data shipped with the package: the real Kemendagri editions (registry/README.md
gives their source and legal basis). Read from the installed package, never from outside it."""

from __future__ import annotations

import csv
import functools
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REGISTRY = Path(__file__).parent / "registry"


@dataclass(frozen=True)
class Edition:
    file: str  # under registry/
    region_code: str  # what it covers: a regency code, or "" for the whole country
    effective: date  # the date a landing file of this edition is named by
    legal_basis: str


EDITIONS = (
    Edition("kemendagri_2020_64.02.csv", "64.02", date(2020, 1, 1),
            "Permendagri No. 72 Tahun 2019"),
    Edition("kemendagri_2025_64.02.csv", "64.02", date(2025, 7, 1),
            "Kepmendagri No. 300.2.2-2430 Tahun 2025"),
    Edition("kemendagri_2025_national.csv.gz", "", date(2025, 7, 1),
            "Kepmendagri No. 300.2.2-2430 Tahun 2025"),
)


def reference_file(name: str) -> Path:
    """A shipped reference file by name; a clear error if the package lacks it."""
    path = REGISTRY / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: not in the package's reference data (have: "
            f"{', '.join(sorted(p.name for p in REGISTRY.glob('kemendagri_*')))})")
    return path


def kemendagri_editions(region_code: str) -> list[Edition]:
    """The shipped editions of one regency, oldest first."""
    found = sorted((e for e in EDITIONS if e.region_code == region_code), key=lambda e: e.effective)
    if not found:
        covered = sorted({e.region_code for e in EDITIONS if e.region_code})
        raise ValueError(f"no reference editions for region {region_code!r}: the package ships "
                         f"regency editions for {', '.join(covered)} only")
    return found


def region_editions(region_code: str) -> list[Edition]:
    """The editions to land for a region, oldest first: a regency's own editions when the
    package ships them, else the national edition (of which region_rows takes the region);
    `national` is the whole country."""
    national = [e for e in EDITIONS if e.region_code == ""]
    if region_code == "national":
        return national
    own = sorted((e for e in EDITIONS if e.region_code == region_code), key=lambda e: e.effective)
    if own:
        return own
    if national_name(region_code) is None:
        raise ValueError(f"region {region_code!r}: no such province or regency code in the "
                         f"national edition ({national[0].file})")
    return national


def in_region(code: str, region_code: str) -> bool:
    """The code lies in the region (`national`: every code), or encloses it (its province
    row for a regency), so that a region's rows name every level above its villages."""
    if region_code in ("", "national"):
        return True
    return (code == region_code or code.startswith(region_code + ".")
            or region_code.startswith(code + "."))


def region_rows(edition: Edition, region_code: str) -> list[tuple[str, str]]:
    """(kode, nama) rows of an edition within the region, in file order."""
    return [(c, n) for c, n in _rows(edition) if in_region(c, region_code)]


def _rows(edition: Edition) -> Iterator[tuple[str, str]]:
    path = reference_file(edition.file)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            yield row["kode"], row["nama"]


def read_edition(edition: Edition) -> list[tuple[str, str]]:
    """(kode, nama) rows of an edition, in file order."""
    return list(_rows(edition))


def national_name(code: str) -> str | None:
    """The name of a code in the national edition (a province, say), if it has one."""
    return _national_names().get(code)


@functools.cache
def _national_names() -> dict[str, str]:
    national = next(e for e in EDITIONS if e.region_code == "")
    return dict(_rows(national))
