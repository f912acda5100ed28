"""Injectable faults: the crash matrix (pipelines/selftest/cases/crash.py) kills a run at a
chosen point to prove a rerun ends with the warehouse a clean run builds.

KONEKTIVITAS_FAULT=<point>[:<qualifier>] (Settings.fault) selects one point; the qualifier
is a dataset (batch points) or a migration number (migration points), and without one the
first time the point is reached fires. Unset, no point does anything. A fault kills the
process with SIGKILL: no `finally`, no rollback, no atexit, as when the kernel's OOM killer
or a lost machine ends a worker.
"""

from __future__ import annotations

import os
import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.settings import Settings

# In the order a load reaches them (pipelines.batch.steps), then the migrations'.
BATCH_POINTS = ("after-archive", "after-stage", "after-validate", "mid-publish", "after-publish")
MIGRATION_POINTS = ("mid-migration", "after-migration")
POINTS = BATCH_POINTS + MIGRATION_POINTS


def parse_fault(text: str) -> str:
    """The KONEKTIVITAS_FAULT value, checked: a misspelt point would silently never fire."""
    point = text.split(":", 1)[0]
    if text and point not in POINTS:
        raise ValueError(f"KONEKTIVITAS_FAULT={text}: unknown point {point!r}; expected one "
                         f"of {', '.join(POINTS)}, optionally followed by :<dataset or migration>")
    return text


def fault_point(settings: Settings, point: str, qualifier: str) -> None:
    """Kill this process here if the settings' fault names this point (and qualifier)."""
    if not settings.fault:
        return
    wanted, _, which = settings.fault.partition(":")
    if wanted == point and which in ("", qualifier):
        os.kill(os.getpid(), signal.SIGKILL)
