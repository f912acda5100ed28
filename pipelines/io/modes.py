"""Nothing the pipeline writes is group- or world-writable, whatever umask it was started
with: the warehouse, the archive, reports and Data Docs are evidence and publications."""

from __future__ import annotations

import os
from pathlib import Path

SHARED_WRITE = 0o022


def no_shared_write() -> None:
    """Tighten this process's umask so that every file and folder created from now on
    (by DuckDB, Great Expectations and the pipeline alike) lacks group and world write."""
    current = os.umask(0)
    os.umask(current | SHARED_WRITE)


def drop_shared_write(path: Path) -> None:
    """Remove group and world write from an existing file (one made under an older umask)."""
    if path.exists() and path.stat().st_mode & SHARED_WRITE:
        os.chmod(path, path.stat().st_mode & ~SHARED_WRITE)
