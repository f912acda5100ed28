"""Opening a delivered XLSX workbook without trusting it.

An XLSX is a zip of XML parts, and both layers can be made to explode: a small zip that
expands to gigabytes, an XML part whose DTD defines entities that expand exponentially
("billion laughs"), a sheet of a million rows. openpyxl guards against none of these on its
own (without defusedxml it expands entities), so the package is checked before openpyxl
sees it, and the rows are read as a stream with a bound on their number and on time.
"""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# A partner's monthly SLA workbook is tens of kB expanding to a few hundred: these leave
# ample room for real workbooks and none for a bomb.
MAX_EXPANDED_BYTES = 64 * 2**20
MAX_PART_RATIO = 100  # expanded : compressed, for parts over 1 MiB (XML usually 5-20)
MAX_ROWS = 20_000
MAX_SECONDS = 60.0
_PROLOG_BYTES = 64 * 1024
_ROOT_START = re.compile(rb"<[A-Za-z_]")


class WorkbookRefused(ValueError):
    """The file is not a workbook this pipeline opens; the message says why."""


def check_package(path: Path) -> None:
    """Refuse a file that is not a zip, expands too far, or has an XML part with a DTD."""
    if not zipfile.is_zipfile(path):
        raise WorkbookRefused("not an XLSX workbook (it is not a zip archive)")
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
            expanded = sum(p.file_size for p in parts)
            if expanded > MAX_EXPANDED_BYTES:
                raise WorkbookRefused(
                    f"expands to {expanded / 2**20:,.0f} MiB, over the "
                    f"{MAX_EXPANDED_BYTES / 2**20:,.0f} MiB a workbook may have (a zip bomb?)")
            for p in parts:
                ratio = p.file_size / max(p.compress_size, 1)
                if p.file_size > 2**20 and ratio > MAX_PART_RATIO:
                    raise WorkbookRefused(
                        f"part {p.filename} expands {ratio:,.0f}:1, over "
                        f"{MAX_PART_RATIO}:1 (a zip bomb?)")
            for p in parts:
                if p.filename.endswith((".xml", ".rels")):
                    _check_prolog(path, p.filename, zf.open(p).read(_PROLOG_BYTES))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise WorkbookRefused(f"not a readable XLSX workbook ({exc})") from exc


def _check_prolog(path: Path, part: str, head: bytes) -> None:
    # A DTD can only stand before the root element: look at everything up to it.
    root = _ROOT_START.search(head)
    if root is None:
        raise WorkbookRefused(f"part {part} has no XML root element in its first "
                              f"{_PROLOG_BYTES // 1024} kB")
    if b"<!DOCTYPE" in head[: root.start()].upper():
        raise WorkbookRefused(f"part {part} declares a DTD; workbooks have none "
                              "(entity expansion is refused)")


def sheet_rows(path: Path, max_rows: int = MAX_ROWS, max_seconds: float = MAX_SECONDS
               ) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows as value tuples (a formula's cached value), streamed from a
    checked package; WorkbookRefused past max_rows rows or max_seconds."""
    from openpyxl import load_workbook

    check_package(path)
    deadline = time.monotonic() + max_seconds
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken package
        raise WorkbookRefused(f"not a readable XLSX workbook ({exc})") from exc
    try:
        for n, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), 1):
            if n > max_rows:
                raise WorkbookRefused(f"more than {max_rows:,} rows read without the "
                                      "table ending; nothing of it was loaded")
            if time.monotonic() > deadline:
                raise WorkbookRefused(f"reading took over {max_seconds:g} s; "
                                      "nothing of it was loaded")
            yield row
    finally:
        wb.close()
