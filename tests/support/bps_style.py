"""A BPS Master File Desa made from Kemendagri names, with the drift real BPS files show.

No real BPS file of a regency other than 6403 is available, so the crosswalk's rules are
also measured on this: every regency of a Kemendagri edition renumbered the BPS way and
written in upper case, with, on a fixed share of its villages, the differences seen
between the real BPS 2018 and Kemendagri files (a dropped letter, a word added or
dropped, two names in one field) and one district per regency with an abbreviated name.
The truth is the Kemendagri code each entry was made from.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pipelines.registry.names import normalise_name

Row = tuple[str, str, str | None, str]
SUFFIXES = ("ILIR", "ULU", "BARU", "DARAT")


def drop_letter(name: str) -> str:
    """The first vowel after the third letter of the longest word left out (SEMANGKO for
    SEMANGKOK is the real case the other way round)."""
    words = name.split()
    w = max(range(len(words)), key=lambda i: len(words[i]))
    m = re.search(r"(?<=...)[AEIOU]", words[w])
    if m:
        words[w] = words[w][:m.start()] + words[w][m.end():]
    return " ".join(words)


def word_added_or_dropped(name: str, i: int) -> str:
    """MUARA ASA for Tanah Muara Asa (a dropped first word), or LIANG ILIR for Liang."""
    words = name.split()
    return " ".join(words[1:]) if len(words) > 1 else f"{name} {SUFFIXES[i % len(SUFFIXES)]}"


def abbreviated(name: str) -> str:
    """BT. ENGAU for Batu Engau: the first word cut to its first and last letter."""
    first, *rest = name.split()
    return " ".join([f"{first[0]}{first[-1]}.", *rest])


def bps_style(kemendagri: list[Row], regencies: list[str]) -> tuple[list[Row], dict[str, str]]:
    """BPS rows (level, code, parent, name) for `regencies` and {bps_code: kemendagri code}."""
    kids: dict[str | None, list[tuple[str, str]]] = defaultdict(list)
    for _, code, parent, name in kemendagri:
        kids[parent].append((code, name))
    villages = [(c, n) for level, c, _, n in kemendagri if level == "village"]
    rows: list[Row] = []
    truth: dict[str, str] = {}
    i = 0
    for regency in regencies:
        province = regency[:2]
        rcode = province + regency[3:5]
        rows.append(("regency", rcode, province, _name_of(kemendagri, regency).upper()))
        truth[rcode] = regency
        # The other name of a double-name field: a village name of another regency.
        others = [n for c, n in villages if not c.startswith(regency + ".")]
        abbreviate = next((c for c, n in kids[regency] if len(n.split()) > 1), None)
        for j, (dcode, dname) in enumerate(sorted(kids[regency]), start=1):
            bd = f"{rcode}{j * 10:03d}"
            rows.append(("district", bd, rcode,
                         (abbreviated(dname) if dcode == abbreviate else dname).upper()))
            truth[bd] = dcode
            # An edit that gives a village the name of its neighbour makes another place of
            # it, which no matcher could tell: such a village keeps its name.
            keys = {normalise_name(n) for _, n in kids[dcode]}
            for n, (vcode, vname) in enumerate(sorted(kids[dcode]), start=1):
                i += 1
                name = vname.upper()
                if i % 20 == 3:
                    name = drop_letter(name)
                elif i % 20 == 8:
                    name = word_added_or_dropped(name, i)
                elif i % 20 == 13:
                    name = f"{name} / {others[i % len(others)].upper()}"
                if name != vname.upper() and normalise_name(name) in keys:
                    name = vname.upper()
                bv = f"{bd}{n:03d}"
                rows.append(("village", bv, bd, name))
                truth[bv] = vcode
    return rows, truth


def _name_of(kemendagri: list[Row], code: str) -> str:
    return next(n for _, c, _, n in kemendagri if c == code)
