"""core.region_code_succession: what happened to each code between consecutive editions.

Derived from core.region_edition as a whole (like core.dim_region), so it does not
depend on the order editions arrived in.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb

from pipelines.io.arrow_rows import insert_rows
from pipelines.registry.matching import match_names
from pipelines.settings import Settings
from pipelines.warehouse import render_model

COLUMNS = (
    "from_edition_date", "to_edition_date", "level", "change_kind", "old_code", "new_code",
    "old_name", "new_name", "old_parent_code", "new_parent_code", "method", "score", "note",
)


def matching_group(code: str) -> str:
    """Moves are looked for within the regency (a regency's within its province)."""
    parts = code.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else parts[0]


def succession_rows(pairs: list[tuple]) -> list[tuple]:
    """Rows of core.region_code_succession from the side-by-side rows of edition pairs.

    Same code: unchanged (no row) or renamed. A code only in the earlier edition and
    one only in the later edition with the same place name (normalised, unique within
    the regency and level) are a move; what stays unpaired is ended or new.
    """
    out: list[tuple] = []
    ended: dict[tuple, dict[str, tuple]] = defaultdict(dict)
    new: dict[tuple, dict[str, tuple]] = defaultdict(dict)
    for row in pairs:
        frm, to, level, old_code, new_code, old_name, new_name, old_parent, new_parent = row
        if old_code and new_code:
            if old_name != new_name:
                out.append((frm, to, level, "renamed", old_code, new_code, old_name, new_name,
                            old_parent, new_parent, "code", None, None))
        elif old_code:
            ended[frm, to, level, matching_group(old_code)][old_code] = row
        else:
            new[frm, to, level, matching_group(new_code)][new_code] = row
    for key in sorted(set(ended) | set(new)):
        olds, news = ended.get(key, {}), new.get(key, {})
        matches = match_names({c: r[5] for c, r in olds.items()}, {c: r[6] for c, r in news.items()})
        taken = set()
        for old_code, m in sorted(matches.items()):
            o = olds[old_code]
            if m.status == "matched":
                n = news[m.right]
                taken.add(m.right)
                out.append((o[0], o[1], o[2], "moved", old_code, m.right, o[5], n[6], o[7], n[8],
                            m.method, m.score, None))
            else:
                out.append((o[0], o[1], o[2], "ended", old_code, None, o[5], None, o[7], None,
                            "none", None, m.note({c: r[6] for c, r in news.items()})))
        for new_code, n in sorted(news.items()):
            if new_code not in taken:
                out.append((n[0], n[1], n[2], "new", None, new_code, None, n[6], None, n[8],
                            "none", None, None))
    return out


def rebuild_succession(con: duckdb.DuckDBPyConnection, settings: Settings, refused: str) -> int:
    """Replace core.region_code_succession from every loaded edition; rows written.
    `refused`: the query of (edition_date, code) pairs to leave out of comparisons."""
    pairs = con.execute(
        render_model(settings, "core", "region_code_succession", refused=refused)).fetchall()
    rows = succession_rows(pairs)
    con.execute("DELETE FROM core.region_code_succession")
    return insert_rows(con, "core.region_code_succession", COLUMNS, rows)
