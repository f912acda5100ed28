"""Reference data shipped with the package: the real Kemendagri editions (registry/README.md
gives their source and legal basis). Read from the installed package, never from outside it."""

from __future__ import annotations

import csv
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
    national = next(e for e in EDITIONS if e.region_code == "")
    return next((name for kode, name in _rows(national) if kode == code), None)
