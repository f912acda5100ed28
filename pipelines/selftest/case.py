"""One case of the hardening matrix: what it expects and how it is run.

Each module under pipelines/selftest/cases/ declares CASES, a list of Case. The runner
gives every case a fresh, empty directory of its own and reports its Outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    passed: bool
    detail: str  # one line: what was seen
    rows_lost: int = 0  # rows of valid input missing from the warehouse
    rows_duplicated: int = 0  # rows present more than once


@dataclass(frozen=True)
class Case:
    group: str  # "crash", "race", "hostile" or "access"
    name: str  # short, unique, kebab-case
    expects: str  # one line: what must hold
    run: Callable[[Path], Outcome]  # given an empty scratch directory
    # Why the case cannot be built on this machine; such a case is listed, never absent.
    unavailable: str | None = None
