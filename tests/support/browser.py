"""Headless Chromium for the report tests: a screenshot of a local file, as a PIL image."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    return exe


def _run(out: Path, *args: str) -> None:
    subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={out.parent / 'chromium-profile'}", *args],
        check=True, capture_output=True, timeout=120,
    )


def screenshot(page: Path, out: Path, width: int = 1200, height: int = 3000, hash_: str = ""):
    from PIL import Image

    _run(out, f"--window-size={width},{height}", f"--screenshot={out}", f"file://{page}{hash_}")
    return Image.open(out).convert("RGB")


def print_to_pdf(page: Path, out: Path) -> list[bytes]:
    """The page printed to PDF (A4-ish, no browser header/footer): each printed page's
    drawing operators, decompressed, in page order."""
    import re
    import zlib

    _run(out, "--no-pdf-header-footer", f"--print-to-pdf={out}", f"file://{page}")
    data = out.read_bytes()
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}
    pages = []
    for body in objects.values():
        if re.search(rb"/Type\s*/Page\b", body):
            contents = objects[int(re.search(rb"/Contents\s+(\d+) 0 R", body)[1])]
            stream = re.search(rb"stream\r?\n(.*)\r?\nendstream", contents, re.S)[1]
            pages.append(zlib.decompress(stream))
    return pages
