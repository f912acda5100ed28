"""core.bps_crosswalk: each BPS region linked to a Kemendagri code, top-down.

Provinces share their two-digit code in both numberings. Regencies are matched by
name within their province, districts within their matched regency, villages within
their matched district (pipelines.registry.matching: equal normalised names, a unique
closest name, one part of an "A / B" field, a word added or dropped; a district whose
name falls short, by its villages). What stays unmatched or ambiguous is listed, never
guessed; the mapping file config/bps_mapping.csv (bps_code,bps_name,kemendagri_code,note)
settles it on the next run. An empty kemendagri_code there says "no counterpart exists".
"""

from __future__ import annotations

import csv
import hashlib
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipelines.io.arrow_rows import insert_rows
from pipelines.registry.matching import Match, match_by_children, match_names
from pipelines.registry.names import normalise_name
from pipelines.settings import Settings
from pipelines.warehouse import transaction

LEVELS = ("province", "regency", "district", "village")
# Links made by the rules beyond equal or similar names, listed for a person to review.
LOOSE_METHODS = ("part", "tokens", "villages")
MAPPING_COLUMNS = ("bps_code", "bps_name", "kemendagri_code", "note")
OPEN = ("unmatched", "ambiguous")
COLUMNS = (
    "delivery_date", "level", "bps_code", "bps_name", "bps_parent_code", "kemendagri_code",
    "kemendagri_name", "edition_date", "status", "method", "score", "note",
)


class MappingError(ValueError):
    pass


@dataclass(frozen=True)
class Mapping:
    bps_code: str
    bps_name: str
    kemendagri_code: str | None  # None: BPS lists a place Kemendagri does not
    note: str
    line: int

    def applies_to(self, bps_name: str) -> bool:
        """A row naming another place than the delivery (BPS reused the code) is stale."""
        return not self.bps_name or normalise_name(self.bps_name) == normalise_name(bps_name)


def mapping_path(settings: Settings) -> Path:
    return settings.config_dir / "bps_mapping.csv"


def read_mapping(path: Path) -> dict[str, Mapping]:
    """The mapping file by BPS code; a malformed file is an error naming its line."""
    if not path.exists():
        return {}
    out: dict[str, Mapping] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in MAPPING_COLUMNS[:3] if c not in (reader.fieldnames or [])]
        if missing:
            raise MappingError(f"{path}: header must be {','.join(MAPPING_COLUMNS)}; missing {missing}")
        for line, row in enumerate(reader, start=2):
            code = (row.get("bps_code") or "").strip()
            if not code.isdigit():
                raise MappingError(f"{path} line {line}: bps_code {code!r} is not a BPS code")
            if code in out:
                raise MappingError(f"{path} line {line}: bps_code {code} already mapped on line {out[code].line}")
            out[code] = Mapping(
                code, (row.get("bps_name") or "").strip(),
                (row.get("kemendagri_code") or "").strip() or None,
                (row.get("note") or "").strip(), line,
            )
    return out


def mapping_sha256(settings: Settings) -> str | None:
    path = mapping_path(settings)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def target_edition(editions: list[date], delivery: date) -> date | None:
    """The edition in force on the delivery date, or the earliest if none was yet."""
    if not editions:
        return None
    i = bisect_right(editions, delivery)
    return editions[i - 1] if i else editions[0]


def _depth(code: str) -> int:
    return code.count(".") + 1


def link_delivery(
    delivery: date, bps: list[tuple[str, str, str | None, str]],
    edition: date | None, kemendagri: list[tuple[str, str, str | None, str]],
    mapping: dict[str, Mapping],
) -> list[tuple]:
    """Crosswalk rows for one delivery. bps: (level, code, parent, name);
    kemendagri: (level, code, parent, name) of the edition matched against."""
    kname = {c: n for _, c, _, n in kemendagri}
    klevel = {c: lv for lv, c, _, _ in kemendagri}
    kchildren: dict[str | None, dict[str, str]] = defaultdict(dict)
    for _, code, parent, name in kemendagri:
        kchildren[parent][code] = name
    root_depth = min((_depth(c) for c in kname), default=0)
    by_level: dict[str, list[tuple[str, str | None, str]]] = defaultdict(list)
    bchildren: dict[str | None, dict[str, str]] = defaultdict(dict)
    for level, code, parent, name in bps:
        by_level[level].append((code, parent, name))
        bchildren[parent][code] = name

    anchor: dict[str, str] = {}  # BPS code -> Kemendagri code its children are sought under
    status_of: dict[str, str] = {}
    rows: list[tuple] = []

    def row(level, code, parent, name, kcode, status, method, score, note):
        rows.append((delivery, level, code, name, parent, kcode, kname.get(kcode) if kcode else None,
                     edition, status, method, score, note))
        status_of[code] = status
        if kcode:
            anchor[code] = kcode

    for code, parent, name in by_level["province"]:
        under = any(c == code or c.startswith(code + ".") for c in kname)
        if code in kname:
            row("province", code, parent, name, code, "matched", "code", 1.0, None)
        else:
            row("province", code, parent, name, None, "out_of_scope", None, None,
                "the edition does not list this province" if not under else
                "the edition lists only part of this province")
            if under:
                anchor[code] = code
    for level in LEVELS[1:]:
        groups: dict[str | None, list[tuple[str, str]]] = defaultdict(list)
        for code, parent, name in by_level[level]:
            groups[parent].append((code, name))
        # Kemendagri codes already linked at this level (mapped anywhere, or matched in a
        # group before): never linked twice, even if two BPS parents share one anchor.
        taken: set[str] = {
            m.kemendagri_code for code, _, name in by_level[level]
            if (m := mapping.get(code)) and m.kemendagri_code
            and klevel.get(m.kemendagri_code) == level
            and m.applies_to(name)
        }
        for parent, members in sorted(groups.items(), key=lambda g: g[0] or ""):
            todo: dict[str, str] = {}
            for code, name in members:
                m = mapping.get(code)
                if m is None:
                    todo[code] = name
                elif not m.applies_to(name):
                    todo[code] = name  # a stale mapping for a code BPS reused: not applied
                elif m.kemendagri_code is None:
                    row(level, code, parent, name, None, "no_counterpart", "mapping", None, m.note or None)
                elif klevel.get(m.kemendagri_code) != level:
                    row(level, code, parent, name, None, "unmatched", None, None,
                        f"mapping line {m.line} names {m.kemendagri_code}, not a {level} of edition {edition}")
                else:
                    row(level, code, parent, name, m.kemendagri_code, "mapped", "mapping", None, m.note or None)
            if not todo:
                continue
            k_parent = anchor.get(parent) if parent else None
            if k_parent is None:
                inherited = "out_of_scope" if status_of.get(parent) == "out_of_scope" else "unmatched"
                for code, name in todo.items():
                    row(level, code, parent, name, None, inherited, None, None,
                        f"parent {parent} is not linked" if inherited == "unmatched" else None)
                continue
            candidates = {c: n for c, n in kchildren[k_parent].items() if c not in taken}
            matches = match_names(todo, candidates, parts=True, tokens=True)
            by_villages: dict[str, Match] = {}
            if level == "district":
                by_villages = _districts_by_villages(matches, bchildren, kchildren, k_parent, candidates)
                matches |= {c: m for c, m in by_villages.items() if m.status == "matched"}
            # An edition narrower than this parent (one regency of a province) leaves the
            # parent's other children out of scope once all its own are linked.
            linked = {m.right for m in matches.values() if m.right}
            taken |= linked
            partial = root_depth > _depth(k_parent) and not (set(candidates) - linked)
            for code, name in todo.items():
                m = matches[code]
                if m.status == "matched":
                    row(level, code, parent, name, m.right, "matched", m.method, m.score, None)
                elif partial:
                    row(level, code, parent, name, None, "out_of_scope", None, None,
                        f"edition {edition} covers only part of {k_parent}")
                else:
                    note = "; ".join(filter(None, [
                        m.note(candidates),
                        by_villages[code].note(kchildren[k_parent]) if code in by_villages else None]))
                    if code in mapping:  # say why the mapping file did not settle it
                        stale = mapping[code]
                        note = (f"mapping line {stale.line} not applied: it names {stale.bps_name}"
                                + (f"; {note}" if note else ""))
                    row(level, code, parent, name, None, m.status, None, None, note or None)
    return rows


def _districts_by_villages(
    matches: dict[str, Match], bchildren: dict[str | None, dict[str, str]],
    kchildren: dict[str | None, dict[str, str]], k_regency: str, candidates: dict[str, str],
) -> dict[str, Match]:
    """BPS districts whose name fell short, tried by their villages' names against every
    district of the matched regency (one already linked competes, but is not taken)."""
    short = {c: bchildren[c] for c, m in matches.items() if m.status != "matched" and bchildren[c]}
    if not short:
        return {}
    free = set(candidates) - {m.right for m in matches.values() if m.right}
    return match_by_children(short, {k: kchildren[k] for k in kchildren[k_regency]}, free)


def build_crosswalk(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict[str, int]:
    """Rebuild core.bps_crosswalk for every BPS delivery; counts by status."""
    mapping = read_mapping(mapping_path(settings))
    editions = [d for (d,) in con.execute(
        "SELECT DISTINCT edition_date FROM core.region_edition ORDER BY 1").fetchall()]
    deliveries = [d for (d,) in con.execute(
        "SELECT DISTINCT delivery_date FROM core.bps_region ORDER BY 1").fetchall()]
    rows: list[tuple] = []
    for delivery in deliveries:
        edition = target_edition(editions, delivery)
        bps = con.execute(
            "SELECT level, bps_code, parent_code, name FROM core.bps_region "
            "WHERE delivery_date = ? ORDER BY bps_code", [delivery]).fetchall()
        kem = con.execute(
            "SELECT level, code, parent_code, name FROM core.region_edition "
            "WHERE edition_date = ? ORDER BY code", [edition]).fetchall() if edition else []
        rows.extend(link_delivery(delivery, bps, edition, kem, mapping))
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r[8]] += 1
    with transaction(con):
        con.execute("DELETE FROM core.bps_crosswalk")
        insert_rows(con, "core.bps_crosswalk", COLUMNS, rows, extra="now() AS built_at")
        con.execute(
            "INSERT INTO audit.crosswalk_build VALUES (now(), ?, ?, ?, ?)",
            [mapping_sha256(settings), len(rows), counts["matched"] + counts["mapped"],
             sum(counts[s] for s in OPEN)])
    return dict(counts)


def crosswalk_pending(con: duckdb.DuckDBPyConnection, settings: Settings) -> bool:
    """True when BPS data is loaded and the mapping file changed since the last build."""
    (loaded,) = con.execute("SELECT count(*) > 0 FROM core.bps_region").fetchone()
    if not loaded:
        return False
    last = con.execute(
        "SELECT mapping_sha256 FROM audit.crosswalk_build ORDER BY built_at DESC LIMIT 1"
    ).fetchone()
    return last is None or last[0] != mapping_sha256(settings)


def open_entries(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Unmatched and ambiguous BPS entries, for an engineer to settle in the mapping file."""
    return con.execute(
        f"""SELECT delivery_date, level, bps_code, bps_name, bps_parent_code, status, note
            FROM core.bps_crosswalk WHERE status IN {OPEN}
            ORDER BY delivery_date, bps_code"""
    ).fetchall()


def loose_links(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Links by a part of a double name, a word added or dropped, or a district's villages:
    each was the only candidate, but a person may still want to read them."""
    return con.execute(
        f"""SELECT delivery_date, level, bps_code, bps_name, kemendagri_code, kemendagri_name,
                   method, score
            FROM core.bps_crosswalk WHERE status = 'matched' AND method IN {LOOSE_METHODS}
            ORDER BY delivery_date, bps_code"""
    ).fetchall()
