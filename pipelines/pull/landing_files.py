"""Putting a fetched file into landing/ whole or not at all: bytes go to a temporary name
outside landing/ (same filesystem) and are renamed into place once complete and checked."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.settings import Settings


def fetch_dir(settings: Settings) -> Path:
    """Where downloads in progress are written: under the home, never under landing/."""
    folder = settings.home / "fetching"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def temporary(settings: Settings, name: str) -> Iterator[Path]:
    """A fresh temporary path for a download of `name`; removed unless it was landed."""
    tmp = fetch_dir(settings) / f"{uuid.uuid4().hex}.{name}.part"
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def land(settings: Settings, tmp: Path, rel: str) -> str:
    """Rename a complete download into landing/<rel> (replacing an older copy at once):
    landing/<rel> as audit names it."""
    dest = settings.landing / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)
    return f"landing/{rel}"


def clear_stale(settings: Settings) -> None:
    """Downloads a killed process left behind: never landed, so simply removed."""
    for tmp in fetch_dir(settings).glob("*.part"):
        tmp.unlink(missing_ok=True)
