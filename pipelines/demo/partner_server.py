"""A small PLN partner API (docs/sources.md 3a) on loopback, for the demo and the tests.

It serves sites and outages from memory, behind a bearer token, and can be told to
misbehave the ways the real partner does: 401, 429 with Retry-After, intermittent
500s, slow answers, malformed JSON, records repeated across pages, and going away
half-way through a pull. Standard library only: it runs in a thread of any process.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

DEFAULT_PAGE_SIZE = 100
WITA = timezone(timedelta(hours=8))


@dataclass
class Faults:
    """Misbehaviour to show. Mutable: a test may change it between requests."""

    unauthorized: bool = False  # every request answers 401
    rate_limit_first: int = 0  # the first n requests answer 429
    retry_after_s: int = 1
    error_every: int = 0  # every n-th request answers 500
    slow_s: float = 0.0  # every answer waits this long first
    malformed: tuple[str, int] | None = None  # (endpoint, page) answered with broken JSON
    schema_break: tuple[str, int] | None = None  # (endpoint, page) whose records lack fields
    duplicate_across_pages: bool = False  # a page repeats the previous page's last record
    fail_after: int | None = None  # after n answered requests, everything is 503
    trickle_s: float = 0.0  # the body is sent one byte at a time, this long between bytes
    nested: tuple[str, int] | None = None  # (endpoint, page) answered with JSON nested 10,000 deep


@dataclass
class PartnerData:
    sites: list[dict[str, Any]] = field(default_factory=list)
    outages: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def read(cls, folder: Path) -> PartnerData:
        return cls(
            json.loads((folder / "sites.json").read_text()),
            json.loads((folder / "outages.json").read_text()),
        )

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / "sites.json", folder / "outages.json"]
        paths[0].write_text(json.dumps(self.sites, indent=1))
        paths[1].write_text(json.dumps(self.outages, indent=1))
        return paths


def _ts(text: str | None) -> datetime | None:
    if not text:
        return None
    d = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return d if d.tzinfo else d.replace(tzinfo=WITA)  # no offset: local time (docs/sources.md)


class PartnerApiServer:
    """`with PartnerApiServer(data, token) as api:` serves on api.base_url until the block ends."""

    def __init__(
        self, data: PartnerData, token: str, faults: Faults | None = None,
        host: str = "127.0.0.1", port: int = 0,
    ) -> None:
        self.data = data
        self.faults = faults or Faults()
        self.requests: list[str] = []  # paths asked, in order (for tests and the demo log)
        self._token = token
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def start(self) -> PartnerApiServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> PartnerApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- answering ---------------------------------------------------------------------

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for one GET; the fault rules apply in a fixed order."""
        f = self.faults
        with self._lock:
            self.requests.append(path)
            n = len(self.requests)
        if f.slow_s:
            time.sleep(f.slow_s)
        if f.fail_after is not None and n > f.fail_after:
            return _json(503, {"error": "service unavailable"})
        expected = f"Bearer {self._token}"
        if f.unauthorized or not hmac.compare_digest(
            headers.get("Authorization", "").encode(), expected.encode()
        ):
            return _json(401, {"error": "invalid or missing token"})
        if n <= f.rate_limit_first:
            status, hdrs, body = _json(429, {"error": "too many requests"})
            return status, {**hdrs, "Retry-After": str(f.retry_after_s)}, body
        if f.error_every and n % f.error_every == 0:
            return _json(500, {"error": "internal error"})
        url = urlparse(path)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        endpoint = url.path.rstrip("/").rsplit("/", 1)[-1]
        if url.path not in ("/v1/sites", "/v1/outages"):
            return _json(404, {"error": f"no such endpoint {url.path}"})
        try:
            page, size = int(q.get("page", 1)), int(q.get("page_size", DEFAULT_PAGE_SIZE))
            rows = self._select(endpoint, q)
        except (ValueError, TypeError) as exc:
            return _json(400, {"error": str(exc)})
        if f.nested == (endpoint, page):
            return 200, {"Content-Type": "application/json"}, b'{"data": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
        if f.malformed == (endpoint, page):
            return 200, {"Content-Type": "application/json"}, b'{"data": [{"site_id": "PLN-'
        lo = (page - 1) * size
        chunk = [dict(r) for r in rows[lo:lo + size]]
        if f.duplicate_across_pages and page > 1 and lo - 1 < len(rows):
            chunk.insert(0, dict(rows[lo - 1]))
        if f.schema_break == (endpoint, page):
            chunk = [{"unexpected": True} for _ in chunk] or [{"unexpected": True}]
        more = lo + size < len(rows)
        return _json(200, {
            "data": chunk, "page": page, "page_size": size, "total": len(rows),
            "next_page": page + 1 if more else None,
        })

    def _select(self, endpoint: str, q: dict[str, str]) -> list[dict[str, Any]]:
        if endpoint == "sites":
            since = _ts(q.get("updated_since"))
            rows = [s for s in self.data.sites if since is None or _ts(s["updated_at"]) >= since]
            return sorted(rows, key=lambda s: (s["updated_at"], s["site_id"]))
        start, end = _ts(q.get("start")), _ts(q.get("end"))
        if start is None or end is None:
            raise ValueError("start and end are required")
        # Every outage overlapping [start, end): an ongoing one overlaps any later window.
        rows = [
            o for o in self.data.outages
            if _ts(o["started_at"]) < end and (o["ended_at"] is None or _ts(o["ended_at"]) >= start)
        ]
        return sorted(rows, key=lambda o: (o["started_at"], o["outage_id"]))

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                status, headers, body = server.answer(self.path, dict(self.headers))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.faults.trickle_s:
                    try:
                        for i in range(len(body)):
                            self.wfile.write(body[i:i + 1])
                            self.wfile.flush()
                            time.sleep(server.faults.trickle_s)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client gave up waiting, as it should
                    return
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                # Quiet: request lines would clutter the demo; server.requests keeps them.
                return

        return Handler


def _json(status: int, payload: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(payload).encode()
