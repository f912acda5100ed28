"""Which files of the landing zone a delivery kind takes, and why every other file is not
taken: each file in landing/ is either some kind's delivery or listed as unrecognised with
its reason, so a misnamed file is never silently left behind."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from pipelines.settings import Settings


@dataclass(frozen=True)
class Landed:
    """One delivery kind's files: where they land and the partition key a name gives."""

    pattern: str  # under landing/, one "*" per level: every file there is this kind's
    key: Callable[[Path], str]  # raises ValueError saying what is wrong with the name
    # (settings, partition key) -> why a key outside what the pipeline loads is refused
    window: Callable[[Settings, str], str | None] | None = None


def named_date(path: Path, pattern: re.Pattern[str], expected: str) -> date:
    """The date a delivery's name carries (the pattern's first group); a ValueError naming
    the file says what its name should be, or why the date in it is none."""
    m = pattern.match(path.name)
    if not m:
        raise ValueError(f"{path}: {expected}")
    try:
        return date.fromisoformat(m.group(1))
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def refused(settings: Settings, path: Path) -> str | None:
    """Why a landed path is never read, whatever its name; None when it may be."""
    if path.is_symlink():
        return "a symbolic link: links in the landing zone are never followed"
    try:
        path.resolve().relative_to(settings.landing.resolve())
    except ValueError:
        return "leads outside the landing zone"
    if not path.is_file():
        return "not a regular file"
    if not os.access(path, os.R_OK):
        return "cannot be read: permission denied (the pipeline's user needs read access)"
    return None


def why_not(settings: Settings, landed: Landed, path: Path) -> str | None:
    """Why `landed` does not take the file; None when it does."""
    reason = refused(settings, path)
    if reason:
        return reason
    try:
        key = landed.key(path)
    except ValueError as exc:
        return str(exc)
    outside = landed.window(settings, key) if landed.window else None
    return f"{path.name}: {outside}" if outside else None


def _matches(rel: str, pattern: str) -> bool:
    parts, wanted = PurePosixPath(rel).parts, PurePosixPath(pattern).parts
    return len(parts) == len(wanted) and all(map(fnmatch.fnmatchcase, parts, wanted))


def accepted(settings: Settings, landed: Landed) -> list[Path]:
    """The kind's files, in partition-key order (then name); misnamed or refused files
    are not (unrecognised_files lists them)."""
    found = [p for p in settings.landing.glob(landed.pattern)
             if why_not(settings, landed, p) is None]
    return sorted(found, key=lambda p: (landed.key(p), p.name))


def landing_entries(settings: Settings) -> Iterable[str]:
    """Every entry of landing/ that is not a directory (links included, never followed),
    relative to it."""
    root = settings.landing
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in [*files, *(d for d in dirs if (here / d).is_symlink())]:
            yield (here / name).relative_to(root).as_posix()


def unrecognised_files(settings: Settings, layout: Iterable[Landed]) -> list[tuple[str, str]]:
    """(landing/<path>, reason) for every file no delivery kind of `layout` takes."""
    layout = list(layout)
    out = []
    for rel in sorted(landing_entries(settings)):
        owners = [landed for landed in layout if _matches(rel, landed.pattern)]
        path = settings.landing / rel
        if not owners:
            where = "".join(f"{part}/" for part in PurePosixPath(rel).parent.parts)
            reason = refused(settings, path) or f"no delivery kind lands files in landing/{where}"
        else:
            reason = why_not(settings, owners[0], path)
        if reason:
            out.append((f"landing/{rel}", reason))
    return out
