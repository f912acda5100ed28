"""Place-name normalisation shared by every matcher (registry editions, BPS, PLN sites).

Case, punctuation, spacing and common Indonesian spelling drift must not count as
differences: `KOTABANGUN` = `Kota Bangun`, `SANGA-SANGA` = `Sanga Sanga`.
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
]
# Administrative prefixes that some lists carry and others omit.
_PREFIXES = re.compile(r"^(desa|kelurahan|kel|kecamatan|kec|kabupaten|kab|kota)\s+")


def normalise_name(name: str | None) -> str:
    """A matching key: lower case ASCII letters and digits only, spelling drift folded."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = _PREFIXES.sub("", text)
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    return text.replace(" ", "")
