"""Tower files in the landing zone and how long a day's run waits for them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pipelines.batch.days import WITA, local_midnight
from pipelines.batch.errors import FilesNotLanded
from pipelines.batch.feed import Feed, file_item, unpublished
from pipelines.batch.landing import Landed, accepted, named_date
from pipelines.batch.steps import Dataset
from pipelines.settings import Settings

SOURCE = "towers"
_DATED = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})(\.csv|\.log)(\.gz)?$")
EXTENSIONS = {"kpi": ".csv", "events": ".log", "inventory": ".csv"}
NAMES = {"kpi": "<YYYY-MM-DD>.csv[.gz]", "events": "<YYYY-MM-DD>.log[.gz]",
         "inventory": "<YYYY-MM-DD>.csv"}


def day_key(path: Path) -> str:
    """A dated file's partition: its day, as the file's name says."""
    return str(file_date(path))


def file_date(path: Path) -> date:
    return named_date(path, _DATED, "tower files are named <YYYY-MM-DD>.csv[.gz] or .log[.gz]")


def kind_key(kind: str):
    """The day a file of `kind` is for, or a ValueError when its name is not the kind's."""

    def key(path: Path) -> str:
        m = _DATED.match(path.name)
        if not m or m.group(2) != EXTENSIONS[kind] or (kind == "inventory" and m.group(3)):
            raise ValueError(f"{path.name}: a tower {kind} file is named {NAMES[kind]}")
        return str(file_date(path))

    return key


def outside_days(settings: Settings, day: str) -> str | None:
    """Why a day's file is refused for its date: before the first day, or after tomorrow
    (local): no day's data comes from the future, and a typo must not publish it."""
    when = date.fromisoformat(day)
    tomorrow = datetime.now(WITA).date() + timedelta(days=1)
    if when > tomorrow:
        return f"dated {when}, after tomorrow ({tomorrow}): a day's data cannot be from the future"
    if when < settings.first_day:
        return (f"dated {when}, before the pipeline's first day {settings.first_day} "
                "(KONEKTIVITAS_FIRST_DAY)")
    return None


def landed(kind: str) -> Landed:
    return Landed(f"towers/{kind}/*", kind_key(kind), outside_days)


def dated_files(settings: Settings, kind: str) -> list[Path]:
    """The kind's files, oldest day first (the newest delivery of a day last)."""
    found = accepted(settings, landed(kind))
    return sorted(found, key=lambda p: (file_date(p), p.stat().st_mtime))


def inventory_files(settings: Settings, up_to: date | None = None) -> list[Path]:
    files = dated_files(settings, "inventory")
    return [p for p in files if up_to is None or file_date(p) <= up_to]


def day_file(settings: Settings, kind: str, day: date) -> Path | None:
    """towers/kpi/<day>.csv[.gz] or towers/events/<day>.log[.gz]; the newest if both."""
    found = [p for p in dated_files(settings, kind) if file_date(p) == day]
    return found[-1] if found else None


def missing_files(settings: Settings, day: date) -> list[str]:
    """What the day still lacks: its KPI file, its syslog, an inventory snapshot in force."""
    missing = [f"landing/towers/{kind}/{day}{EXTENSIONS[kind]}[.gz]" for kind in ("kpi", "events")
               if day_file(settings, kind, day) is None]
    if not inventory_files(settings, day):
        missing.append(f"landing/towers/inventory/<YYYY-MM-DD>.csv dated on or before {day}")
    return missing


def files_landed(settings: Settings, day: date, now: datetime | None = None) -> bool:
    """True once the day's files are there; raises FilesNotLanded past the deadline."""
    missing = missing_files(settings, day)
    if not missing:
        return True
    hours = settings.tower_wait_hours
    deadline = local_midnight(day + timedelta(days=1)) + timedelta(hours=hours)
    if (now or datetime.now(UTC)) >= deadline:
        raise FilesNotLanded(
            f"tower files for {day} have not landed by {deadline.astimezone(WITA):%Y-%m-%d %H:%M} "
            f"WITA ({hours:g} h after the day ended): missing {'; '.join(missing)}"
        )
    return False


def day_landed(settings: Settings, partition: str) -> bool:
    # Every kind waits for the whole day: nothing of a day loads before all of it is there.
    outside = outside_days(settings, partition)
    if outside:  # a run asked for such a day (a backfill): its files are refused, say why
        raise FilesNotLanded(f"tower files for {partition} are refused: {outside}")
    return files_landed(settings, date.fromisoformat(partition))


def day_feed(dataset: Dataset, kind: str) -> Feed:
    """The day's one file of a kind. A file already published is still listed: archiving it
    again records the duplicate delivery."""

    def listed(con, settings: Settings, partition: str, connection=None) -> list[dict]:
        path = day_file(settings, kind, date.fromisoformat(partition))
        if path is None:
            raise FilesNotLanded(f"landing/towers/{kind}/{partition}: no file to load")
        return [file_item(dataset, path, partition)]

    def pending(con, settings: Settings) -> list[str]:
        days = {file_date(p) for p in dated_files(settings, kind)}
        return sorted(str(d) for d in days
                      if unpublished(con, dataset, [day_file(settings, kind, d)], day_key))

    return Feed((dataset,), listed, landed=day_landed, pending=pending, files=(landed(kind),))
