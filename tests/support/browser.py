"""Headless Chromium for the page tests: a screenshot of a local file, or the DevTools protocol."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import time
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


OFFLINE = [  # every name resolves nowhere and any proxied request goes to a closed port
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", "--proxy-server=127.0.0.1:9",
]


class DevTools:
    """Chromium driven over the DevTools protocol on a pipe (fds 3 and 4): stdlib only."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 1600, offline: bool = True):
        self._to_browser_r, self._to_browser_w = os.pipe()
        self._from_browser_r, self._from_browser_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4.
        self.proc = subprocess.Popen(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", f"--window-size={width},{height}",
             # file:// pages are opaque origins: without this their own stylesheets' rules
             # are unreadable to a script (it widens file access only, never the network).
             "--allow-file-access-from-files",
             "--remote-debugging-pipe", *(OFFLINE if offline else []), "about:blank"],
            pass_fds=(3, 4), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: (os.dup2(self._to_browser_r, 3), os.dup2(self._from_browser_w, 4)),
        )
        os.close(self._to_browser_r)
        os.close(self._from_browser_w)
        self._out = os.fdopen(self._to_browser_w, "wb", buffering=0)
        self._in = os.fdopen(self._from_browser_r, "rb", buffering=0)
        self._buf = b""
        self._next_id = 0
        self.events: list[dict] = []
        (target,) = [t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
        self.session = self.call(
            "Target.attachToTarget", targetId=target["targetId"], flatten=True
        )["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            self.call(f"{domain}.enable", session=self.session)

    def call(self, method: str, session: str | None = None, **params) -> dict:
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self._out.write(json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def _read(self) -> dict:
        while b"\0" not in self._buf:
            chunk = self._in.read(1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def open(self, url: str, timeout: float = 60.0) -> None:
        """Navigate and wait for the load event (scripts and stylesheets done)."""
        self.events.clear()
        self.call("Page.navigate", session=self.session, url=url)
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish loading in {timeout}s")
            self.events.append(self._read())

    def evaluate(self, expression: str):
        """The value of a JavaScript expression (awaited when it is a promise)."""
        result = self.call(
            "Runtime.evaluate", session=self.session, expression=expression,
            awaitPromise=True, returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def requests(self) -> dict[str, str]:
        """{url: 'ok' | the failure} of every request the page made since open()."""
        urls, outcome = {}, {}
        for e in self.events:
            p = e.get("params", {})
            if e.get("method") == "Network.requestWillBeSent":
                urls[p["requestId"]] = p["request"]["url"]
            elif e.get("method") == "Network.loadingFinished":
                outcome[p["requestId"]] = "ok"
            elif e.get("method") == "Network.loadingFailed":
                outcome[p["requestId"]] = p.get("errorText", "failed")
        return {url: outcome.get(rid, "unfinished") for rid, url in urls.items()}

    def screenshot(self, out: Path) -> Path:
        data = self.call("Page.captureScreenshot", session=self.session, format="png",
                         captureBeyondViewport=True)["data"]
        out.write_bytes(base64.b64decode(data))
        return out

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._out.close()
        self._in.close()

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
