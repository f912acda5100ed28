"""Matching place names between two lists of one group (a district's villages in two
registries, the ended and new codes of one regency), never guessing.

The lists are small (one parent region at a time), so this runs in Python; the bulk
work around it (history, staging, publishing) stays in DuckDB.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, replace

from pipelines.registry.names import name_parts, name_tokens, normalise_name, similarity

# Below this similarity two names are not the same place. 0.8 admits one edit in
# five letters (SEMBOJA/Samboja, SELIKI/Saliki) but not a missing word
# (Liang/LIANG ILIR scores 0.56).
MIN_SIMILARITY = 0.8
# A region is linked by its children (a district by its villages) when more than this
# share of them have their name in that candidate only, and no other candidate holds
# even half as many of their names.
MIN_CHILD_SHARE = 0.5
MIN_CHILD_VOTES = 3


@dataclass(frozen=True)
class Match:
    left: str
    right: str | None
    status: str  # matched, ambiguous or unmatched
    # name (equal keys), similarity, part (one name of an "A / B" field), tokens (a word
    # added or dropped) or, for regions, villages; None when not matched
    method: str | None
    score: float | None
    candidates: tuple[tuple[str, float], ...] = ()  # (right id, score), best first
    rule: str | None = None  # the optional rule that decided the status: part, tokens, villages

    def note(self, names: dict[str, str] | None = None) -> str | None:
        """Why this entry was not matched, naming the closest candidates."""
        if self.status == "matched" or not self.candidates:
            return None
        names = names or {}
        shown = ", ".join(
            f"{c}{' ' + names[c] if c in names else ''} ({s:.2f})" for c, s in self.candidates[:3]
        )
        if self.rule == "villages":
            return (f"by its villages: closest {shown} (share of its villages found there only)"
                    + (", also the closest of another" if self.status == "ambiguous" else ""))
        if self.status == "unmatched":
            return f"closest candidate {shown}, below similarity {MIN_SIMILARITY}"
        if self.rule == "part":
            return f"ambiguous: its parts match different candidates {shown}"
        if self.rule == "tokens":
            return f"ambiguous: with a word added or dropped it matches {shown}, not one to one"
        return f"ambiguous: equally close candidates {shown}"


def match_names(
    left: dict[str, str], right: dict[str, str], min_similarity: float = MIN_SIMILARITY,
    *, parts: bool = False, tokens: bool = False,
) -> dict[str, Match]:
    """Each left id matched to at most one right id, by name.

    1. Equal normalised names: a match when the key is unique on both sides;
       a key shared by several entries on either side is ambiguous.
    2. The rest: the most similar remaining right name, if it scores at least
       `min_similarity`, is the only one with that score, and this left name is in
       turn the only best for it. Otherwise ambiguous (a tie) or unmatched.
    3. With `parts`: a left name still unmatched that holds several names ("A / B")
       tries each by 1 and 2 against the right names nobody matched or competes for;
       a match when its parts lead to one right name only (method part).
    4. With `tokens`: a left name still unmatched takes the one remaining right name
       whose words contain all of its own or are all contained in it (a word added or
       dropped), when no other remaining left name is so related to it (method tokens).
       Words that differ only by a number (Kota Bangun / Kota Bangun I) do not count.
    """
    lkeys = {i: normalise_name(n) for i, n in left.items()}
    rkeys = {i: normalise_name(n) for i, n in right.items()}
    # A right name equal to a part of a left one is not offered to another left name
    # merely similar to it: the equal part competes for it.
    held = {normalise_name(p) for n in left.values() for p in name_parts(n)} if parts else set()
    result, claimed = _equal_then_similar(lkeys, rkeys, min_similarity, held)
    if parts:
        _match_parts(left, rkeys, result, claimed, min_similarity)
    if tokens:
        _match_tokens(left, right, lkeys, rkeys, result, claimed)
    return result


def _equal_then_similar(
    lkeys: dict[Hashable, str], rkeys: dict[str, str], min_similarity: float,
    held: set[str] = frozenset(),
) -> tuple[dict, set[str]]:
    """Steps 1 and 2 of match_names on keys; also the right ids an equal key claimed.
    Right names whose key is `held` take part in step 1 only."""
    by_lkey: dict[str, list] = defaultdict(list)
    by_rkey: dict[str, list[str]] = defaultdict(list)
    for i, k in lkeys.items():
        by_lkey[k].append(i)
    for i, k in rkeys.items():
        by_rkey[k].append(i)

    result: dict = {}
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

    rest_left = [i for i in lkeys if i not in result]
    rest_right = [i for i in rkeys if i not in claimed and rkeys[i] not in held]
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
    return result, claimed


def _open_right(rkeys: dict[str, str], result: dict[str, Match], claimed: set[str]) -> list[str]:
    """Right ids no match took and no equal key or ambiguity competes for."""
    busy = set(claimed)
    for m in result.values():
        busy.update([m.right] if m.status == "matched" else
                    [r for r, _ in m.candidates] if m.status == "ambiguous" else [])
    return [r for r in rkeys if r not in busy]


def _match_parts(
    left: dict[str, str], rkeys: dict[str, str], result: dict[str, Match], claimed: set[str],
    min_similarity: float,
) -> None:
    split = {i: name_parts(left[i]) for i, m in result.items() if m.status == "unmatched"}
    pkeys = {(i, n): normalise_name(p) for i, ps in split.items() for n, p in enumerate(ps)}
    if not pkeys:
        return
    open_keys = {r: rkeys[r] for r in _open_right(rkeys, result, claimed)}
    by_part, _ = _equal_then_similar(pkeys, open_keys, min_similarity)
    for i, ps in split.items():
        found = [by_part[i, n] for n in range(len(ps))]
        hits = {m.right: m.score for m in found if m.status == "matched"}
        if any(m.status == "ambiguous" for m in found) or len(hits) > 1:
            near = {r: s for m in found for r, s in m.candidates if m.status == "ambiguous"}
            near.update(hits)
            ranked = tuple(sorted(near.items(), key=lambda x: (-x[1], x[0])))
            result[i] = Match(i, None, "ambiguous", None, None, ranked, rule="part")
        elif hits:
            ((r, score),) = hits.items()
            result[i] = Match(i, r, "matched", "part", score)


def _match_tokens(
    left: dict[str, str], right: dict[str, str], lkeys: dict[str, str], rkeys: dict[str, str],
    result: dict[str, Match], claimed: set[str],
) -> None:
    todo = [i for i, m in result.items() if m.status == "unmatched"]
    ltok = {i: name_tokens(left[i]) for i in todo}
    rtok = {r: name_tokens(right[r]) for r in _open_right(rkeys, result, claimed)}
    related: dict[str, list[str]] = {
        i: [r for r, t in rtok.items() if _one_word_set_holds_the_other(ltok[i], t)] for i in todo}
    suitors: dict[str, int] = defaultdict(int)
    for rs in related.values():
        for r in rs:
            suitors[r] += 1
    for i, rs in related.items():
        if not rs:
            continue
        ranked = tuple(sorted(((r, round(similarity(lkeys[i], rkeys[r]), 4)) for r in rs),
                              key=lambda x: (-x[1], x[0])))
        if len(rs) == 1 and suitors[rs[0]] == 1:
            result[i] = Match(i, rs[0], "matched", "tokens", ranked[0][1])
        else:
            # Another left name related to the same candidate is a rival too.
            result[i] = replace(result[i], status="ambiguous", candidates=ranked, rule="tokens")


def _one_word_set_holds_the_other(a: frozenset[str], b: frozenset[str]) -> bool:
    """One set of words strictly inside the other, and the extra words are not just numbers:
    `Kota Bangun I` is another village than `Kota Bangun`, `Liang Ilir` may be `Liang`."""
    if not a or not b or a == b or not (a < b or b < a):
        return False
    return any(not w.isdigit() for w in a ^ b)


def match_by_children(
    left: dict[str, dict[str, str]], right: dict[str, dict[str, str]], available: set[str],
) -> dict[str, Match]:
    """Regions whose names fell short, matched by the names of their children.

    left: region id -> {child id: name}; right: every candidate region -> its children,
    of which only `available` ones may be taken. A child votes for the one candidate whose
    children have its normalised name exactly once; names found in several candidates
    or twice in one vote for none. A left region takes the candidate with most votes
    when they are more than MIN_CHILD_SHARE of its children (and at least
    MIN_CHILD_VOTES), no other candidate holds half as many of its children's names,
    and no other left region takes the same candidate this way (method villages, score
    = the share of its children that voted for it). Left regions not linked so get
    `unmatched` with the best candidate and its share, or nothing when none was found.
    """
    holders: dict[str, list[str]] = defaultdict(list)  # key -> candidates holding it once
    for r, kids in right.items():
        counts: dict[str, int] = defaultdict(int)
        for name in kids.values():
            counts[normalise_name(name)] += 1
        for key, n in counts.items():
            holders[key].append(r if n == 1 else "")  # "" : twice in one candidate
    best: dict[str, tuple[str, float]] = {}
    out: dict[str, Match] = {}
    for i, kids in left.items():
        votes: dict[str, int] = defaultdict(int)
        hits: dict[str, int] = defaultdict(int)
        for name in kids.values():
            hs = holders.get(normalise_name(name), [])
            for r in set(hs) - {""}:
                hits[r] += 1
            if len(hs) == 1 and hs[0]:
                votes[hs[0]] += 1
        if not votes:
            continue
        r, n = max(votes.items(), key=lambda x: (x[1], x[0]))
        share = round(n / len(kids), 4)
        runner_up = max((h for c, h in hits.items() if c != r), default=0)
        if r in available and share > MIN_CHILD_SHARE and n >= MIN_CHILD_VOTES and 2 * runner_up < n:
            best[i] = (r, share)
        else:
            out[i] = Match(i, None, "unmatched", None, None, ((r, share),), rule="villages")
    taken_by: dict[str, int] = defaultdict(int)
    for r, _ in best.values():
        taken_by[r] += 1
    for i, (r, share) in best.items():
        out[i] = (Match(i, r, "matched", "villages", share) if taken_by[r] == 1 else
                  Match(i, None, "ambiguous", None, None, ((r, share),), rule="villages"))
    return out
