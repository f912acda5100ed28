"""Whole-stream checks of compressed deliveries: a reader that stops at the first broken
block would load the rows before it and lose the rest without a word."""

from __future__ import annotations

import zlib
from pathlib import Path

_CHUNK = 1 << 20


def gzip_problem(path: Path) -> str | None:
    """Why the gzip file is not whole (it ends early, or is damaged); None when every
    member of it decompresses and matches its checksum."""
    members = 0
    with path.open("rb") as fh:
        pending = fh.read(_CHUNK)
        while pending:
            members += 1
            stream = zlib.decompressobj(zlib.MAX_WBITS | 16)  # one gzip member, CRC checked
            try:
                while not stream.eof:
                    if not pending:
                        pending = fh.read(_CHUNK)
                        if not pending:
                            return "the gzip stream ends early (the file was cut short)"
                    stream.decompress(pending, _CHUNK)  # bounded output: memory stays flat
                    pending = stream.unconsumed_tail
            except zlib.error as exc:
                return f"the gzip stream is damaged ({exc})"
            pending = stream.unused_data or fh.read(_CHUNK)
    return None if members else "the gzip file is empty"
