"""Registry files as the (level, code, parent, name) rows pipelines.registry.crosswalk.link_delivery
takes, so matching rules can be tested on real names without loading a warehouse."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

LEVELS = ("province", "regency", "district", "village")
BPS_FILES = {"provinces.csv": 2, "regencies.csv": 4, "districts.csv": 7, "villages.csv": 10}


def kemendagri_rows(path: Path, *prefixes: str) -> list[tuple[str, str, str | None, str]]:
    """A Kemendagri edition (kode,nama; .csv or .csv.gz), limited to codes under `prefixes`
    and their enclosing regions when given."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        rows = [(r["kode"], r["nama"]) for r in csv.DictReader(fh)]
    if prefixes:
        rows = [(c, n) for c, n in rows
                if any(c == p or c.startswith(p + ".") or p.startswith(c + ".") for p in prefixes)]
    return [(LEVELS[c.count(".")], c, c.rsplit(".", 1)[0] if "." in c else None, n) for c, n in rows]


def bps_rows(folder: Path) -> list[tuple[str, str, str | None, str]]:
    """A BPS Master File Desa folder (id,parent_id,name files; a province has no parent)."""
    out = []
    for file, digits in BPS_FILES.items():
        with (folder / file).open(encoding="utf-8") as fh:
            for rec in csv.reader(fh):
                parent = rec[1] if len(rec) == 3 else None
                out.append((LEVELS[[2, 4, 7, 10].index(digits)], rec[0], parent, rec[-1]))
    return out
