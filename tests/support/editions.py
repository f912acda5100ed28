"""A Kemendagri edition written into a home's landing zone and loaded through the batch path."""

from __future__ import annotations

from pipelines.batch.steps import load_file
from pipelines.registry import kemendagri
from pipelines.settings import Settings


def load_edition(con, settings: Settings, text: str, effective: str = "2025-07-01") -> None:
    folder = settings.landing / "registry" / "kemendagri"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{effective}.csv"
    path.write_text(text)
    load_file(con, settings, kemendagri.DATASET, path, effective)
