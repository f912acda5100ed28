"""One run per home at a time: a second `konektivitas run` waits (bounded) for the first,
then refuses with a clear message, instead of racing it for DuckDB's one writer."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from pipelines.settings import Settings


class RunLocked(RuntimeError):
    """Another run holds the home past the wait."""


@contextmanager
def run_lock(settings: Settings, wait_s: float | None = None) -> Iterator[None]:
    """Hold the home's run lock for the block; wait for it at most `wait_s` seconds
    (Settings.run_lock_wait_s by default). The operating system releases it when the
    holding process ends, however it ends: a killed run never leaves a stale lock."""
    wait = settings.run_lock_wait_s if wait_s is None else wait_s
    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.home / ".konektivitas-run.lock"
    with path.open("a+") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "another process"
                    raise RunLocked(
                        f"another run is using {settings.home} ({holder}); waited {wait:g} s "
                        "for it to finish. Run again once it has finished.") from None
                time.sleep(min(0.2, wait))
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
