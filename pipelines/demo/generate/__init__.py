"""Deterministic demo and test data, in every delivery format of docs/sources.md.

Each source has its own module; `generate` runs them all into a home's landing zone.
The registry is real (the Kemendagri editions in pipelines/reference); towers, their
logs, attributes and partner data are synthetic, so the landing zone is marked as demo
data (pipelines/demo/marking.py) and everything built from it says so.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.demo import marking

if TYPE_CHECKING:
    from pipelines.demo.generate.towers import TowerOptions


@dataclass(frozen=True)
class GenerateOptions:
    home: Path
    seed: int = 42
    region_code: str = "64.02"  # a regency with reference editions (pipelines/reference)
    start: date = date(2026, 9, 1)  # first local day of tower and partner data
    days: int = 61
    towers: TowerOptions | None = None  # the tower generator's knobs; None: its defaults


def generators() -> list[tuple[str, Callable[[GenerateOptions], list[Path]]]]:
    from pipelines.demo.generate import pln, registry, towers

    # registry first: the tower and partner generators read the edition it wrote
    return [("registry", registry.generate), ("towers", towers.generate), ("pln", pln.generate)]


def generate(
    options: GenerateOptions, on_step: Callable[[str], None] | None = None,
    only: Collection[str] | None = None,
) -> list[Path]:
    """Every source's deliveries, or only the named sources' (registry, towers, pln)."""
    written = [marking.mark_landing(options.home / "landing", options.seed)]
    for name, gen in generators():
        if only is not None and name not in only:
            continue
        if on_step:
            on_step(name)
        written.extend(gen(options))
    return written
