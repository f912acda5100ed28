"""Matching place names between two lists of one group (a district's villages in two
registries, the ended and new codes of one regency), never guessing.

The lists are small (one parent region at a time), so this runs in Python; the bulk
work around it (history, staging, publishing) stays in DuckDB.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pipelines.registry.names import normalise_name, similarity

# Below this similarity two names are not the same place. 0.8 admits one edit in
# five letters (SEMBOJA/Samboja, SELIKI/Saliki) but not a missing word
# (Liang/LIANG ILIR scores 0.56).
MIN_SIMILARITY = 0.8


@dataclass(frozen=True)
class Match:
    left: str
    right: str | None
    status: str  # matched, ambiguous or unmatched
    method: str | None  # name (equal keys) or similarity; None when not matched
    score: float | None
    candidates: tuple[tuple[str, float], ...] = ()  # (right id, score), best first

    def note(self, names: dict[str, str] | None = None) -> str | None:
        """Why this entry was not matched, naming the closest candidates."""
        if self.status == "matched" or not self.candidates:
            return None
        names = names or {}
        shown = ", ".join(
            f"{c}{' ' + names[c] if c in names else ''} ({s:.2f})" for c, s in self.candidates[:3]
        )
        if self.status == "ambiguous":
            return f"ambiguous: equally close candidates {shown}"
        return f"closest candidate {shown}, below similarity {MIN_SIMILARITY}"


def match_names(
    left: dict[str, str], right: dict[str, str], min_similarity: float = MIN_SIMILARITY,
) -> dict[str, Match]:
    """Each left id matched to at most one right id, by name.

    1. Equal normalised names: a match when the key is unique on both sides;
       a key shared by several entries on either side is ambiguous.
    2. The rest: the most similar remaining right name, if it scores at least
       `min_similarity`, is the only one with that score, and this left name is in
       turn the only best for it. Otherwise ambiguous (a tie) or unmatched.
    """
    lkeys = {i: normalise_name(n) for i, n in left.items()}
    rkeys = {i: normalise_name(n) for i, n in right.items()}
    by_lkey: dict[str, list[str]] = defaultdict(list)
    by_rkey: dict[str, list[str]] = defaultdict(list)
    for i, k in lkeys.items():
        by_lkey[k].append(i)
    for i, k in rkeys.items():
        by_rkey[k].append(i)

    result: dict[str, Match] = {}
    claimed: set[str] = set()
    for i, k in lkeys.items():
        rs = by_rkey.get(k)
        if not rs:
            continue
        claimed.update(rs)
        if len(rs) == 1 and len(by_lkey[k]) == 1:
            result[i] = Match(i, rs[0], "matched", "name", 1.0)
        else:
            result[i] = Match(i, None, "ambiguous", None, None, tuple((r, 1.0) for r in sorted(rs)))

    rest_left = [i for i in left if i not in result]
    rest_right = [i for i in right if i not in claimed]
    scores = {(li, ri): similarity(lkeys[li], rkeys[ri]) for li in rest_left for ri in rest_right}
    for li in rest_left:
        ranked = sorted(((ri, scores[li, ri]) for ri in rest_right), key=lambda x: (-x[1], x[0]))
        if not ranked or ranked[0][1] < min_similarity:
            result[li] = Match(li, None, "unmatched", None, None, tuple(ranked[:1]))
            continue
        best_ri, best = ranked[0]
        tied = [r for r in ranked if r[1] == best]
        rivals = [lj for lj in rest_left if lj != li and scores[lj, best_ri] >= best]
        if len(tied) == 1 and not rivals:
            result[li] = Match(li, best_ri, "matched", "similarity", round(best, 4))
        else:
            near = tuple(r for r in ranked if r[1] >= min_similarity)
            result[li] = Match(li, None, "ambiguous", None, None, near)
    return result
