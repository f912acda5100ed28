"""Place-name normalisation shared by every matcher (registry editions, BPS, PLN sites).

Case, punctuation, spacing and common Indonesian spelling drift must not count as
differences: `KOTABANGUN` = `Kota Bangun`, `SANGA-SANGA` = `Sanga Sanga`,
`Tani Bhakti` = `TANI BAKTI`, `SEI MERDEKA` = `Sungai Merdeka`,
`Gas Alam Badak I` = `GAS ALAM BADAK SATU`, `Salo Cella` = `Sallo Cela`.

Folding can only make two names equal, never different; matchers therefore treat a
key shared by two candidates as ambiguous rather than picking one.
"""

from __future__ import annotations

import re
import unicodedata

# Old (pre-1972 EYD) and colloquial spellings -> the modern spelling, applied to letters.
_SPELLING = [
    (re.compile(r"oe"), "u"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"tj"), "c"),
    (re.compile(r"nj"), "ny"),
    (re.compile(r"sj"), "sy"),
    (re.compile(r"ch"), "kh"),
    # Sanskrit-style aspirates are written both ways: Bhakti/Bakti, Bhuana/Buana.
    (re.compile(r"([bdg])h"), r"\1"),
    # Doubled consonants are a common variant (Sallo/Salo, Cella/Cela).
    (re.compile(r"([b-df-hj-np-tv-z])\1"), r"\1"),
]
# Administrative prefixes that some lists carry and others omit. Not "kota": it is also
# part of place names (Kota Bangun), and stripping it made `Kota Bangun` != `KOTABANGUN`.
_PREFIXES = re.compile(r"^(desa|kelurahan|kel|kecamatan|kec|kabupaten|kab)\s+")
# Whole-word abbreviations and numerals, so `SEI` = `Sungai`, `I` = `Satu` = `1`.
_WORDS = {
    "sei": "sungai", "sg": "sungai", "sungei": "sungai",
    "tg": "tanjung", "tj": "tanjung", "tanjong": "tanjung",
    "kp": "kampung", "kpg": "kampung", "kampong": "kampung",
    "i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7",
    "viii": "8", "ix": "9", "x": "10",
    "satu": "1", "dua": "2", "tiga": "3", "empat": "4", "lima": "5",
}
# A glottal stop written as a final q is often dropped: Muara Tuboq / Muara Tubo.
_FINAL_Q = re.compile(r"(?<=[aeiou])q\b")


def _folded_words(name: str | None) -> str:
    """The name's words, space separated, with case, punctuation and spelling drift folded."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = _PREFIXES.sub("", text)
    text = " ".join(_WORDS.get(word, word) for word in text.split())
    text = _FINAL_Q.sub("", text)
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    return text


def normalise_name(name: str | None) -> str:
    """A matching key: lower case ASCII letters and digits only, spelling drift folded."""
    return _folded_words(name).replace(" ", "")


def name_tokens(name: str | None) -> frozenset[str]:
    """The name's words, each folded as normalise_name folds it: `MUARA ASA` and
    `Tanah Muara Asa` share {muara, asa}."""
    return frozenset(_folded_words(name).split())


def name_parts(name: str | None) -> list[str]:
    """The names in a field holding two or more separated by "/" (`MUARA ASA / TANAH
    MERAH`), or [] when it holds one. A part without a word of three letters does not
    count as a name: `Lalai I/II` is one village with a numbered suffix, not two."""
    parts = [p.strip() for p in (name or "").split("/")]
    if len(parts) < 2 or not all(re.search(r"[a-z]{3}", normalise_name(p)) for p in parts):
        return []
    return parts


def similarity(a: str, b: str) -> float:
    """1 - edit distance / longer length, on two keys from normalise_name: 1.0 is equal.

    Plain edit distance, not Jaro-Winkler: a shared prefix must not make `Liang` look
    like `Liang Ilir` or `Muara Jawa` like `Muara Jawa Pesisir`.
    """
    if not a and not b:
        return 1.0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1.0 - prev[-1] / max(len(a), len(b))
