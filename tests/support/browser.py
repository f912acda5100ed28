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


def screenshot(page: Path, out: Path, width: int = 1200, height: int = 3000, hash_: str = ""):
    from PIL import Image

    subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={out.parent / 'chromium-profile'}",
         f"--window-size={width},{height}", f"--screenshot={out}",
         f"file://{page}{hash_}"],
        check=True, capture_output=True, timeout=120,
    )
    return Image.open(out).convert("RGB")
