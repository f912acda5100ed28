"""The published indicators, read from their one definition (warehouse/indicators.yml).

Everything that says what an indicator means or how precisely it is published (column
comments, marts.indicator_metadata, the dictionary, the report, the exports) asks here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from pipelines.settings import Settings

KINDS = ("indicator", "completeness")
_REQUIRED = ("label_id", "label_en", "definition", "formula", "unit", "period", "sources")


@dataclass(frozen=True)
class Indicator:
    name: str
    label_id: str
    label_en: str
    definition: str
    formula: str
    unit: str
    period: str
    sources: str
    decimals: int | None = None  # published precision; None for true/false values
    threshold: str | None = None  # the Settings.thresholds key that parameterises it
    # "completeness": not a statistic but how complete a month's inputs are
    kind: str = "indicator"

    def label(self, lang: str) -> str:
        """The report's label, with the unit when it is a share."""
        text = self.label_id if lang == "id" else self.label_en
        return f"{text} (%)" if self.unit == "%" else text

    def column_comment(self, note: str | None = None) -> str:
        """The COMMENT ON COLUMN of a mart column carrying the indicator; `note` says what
        is particular to that mart."""
        text = f"{self.label_en} ({self.unit}): {self.definition} Formula: {self.formula}."
        if self.decimals is not None:
            text += f" Published rounded to {self.decimals} decimals."
        return f"{text} {note}" if note else text


def definition_path(settings: Settings) -> Path:
    return settings.warehouse_dir / "indicators.yml"


def read_indicators(path: Path) -> dict[str, Indicator]:
    """{name: Indicator} in the file's order; a missing or unknown field names the file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = {f.name for f in fields(Indicator)} - {"name"}
    out = {}
    for name, spec in raw.items():
        missing = [k for k in _REQUIRED if not str((spec or {}).get(k) or "").strip()]
        unknown = sorted(set(spec or {}) - known)
        if missing or unknown:
            raise ValueError(f"{path}: indicator {name}: missing {missing}, unknown {unknown}")
        if (spec or {}).get("kind", "indicator") not in KINDS:
            raise ValueError(f"{path}: indicator {name}: kind must be one of {KINDS}")
        out[name] = Indicator(name=name, **spec)
    return out


def indicators(settings: Settings) -> dict[str, Indicator]:
    return read_indicators(definition_path(settings))
