"""A registry portal on loopback for the tests: a JSON index of editions with an ETag and
Last-Modified (answering 304 to a matching conditional GET), the edition files, and the
faults the real portal shows: an answer status of choice, a truncated body, a non-JSON
index. Standard library only; every request is kept in `requests`."""

from __future__ import annotations

import hashlib
import json
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Portal:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}  # path -> bytes
        self.editions: list[dict[str, Any]] = []
        self.status: dict[str, int] = {}  # path -> status to answer instead
        self.truncate: set[str] = set()  # paths whose body stops half-way
        self.raw_index: bytes | None = None  # served as the index instead of JSON
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._modified = formatdate(1_700_000_000, usegmt=True)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def publish(self, path: str, data: bytes, effective_date: str, legal_basis: str,
                kind: str = "kemendagri") -> None:
        self.files[path] = data
        self.editions.append({"kind": kind, "effective_date": effective_date, "url": path,
                              "sha256": hashlib.sha256(data).hexdigest(),
                              "legal_basis": legal_basis})
        self._modified = formatdate(1_700_000_000 + 86400 * len(self.editions), usegmt=True)

    def index(self) -> bytes:
        return self.raw_index if self.raw_index is not None else json.dumps(
            {"editions": self.editions}, indent=1).encode()

    def asked(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if path in self.status:
            return self.status[path], {}, b"error\n"
        if path == "/index.json":
            body = self.index()
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if headers.get("If-None-Match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"ETag": etag, "Last-Modified": self._modified,
                         "Content-Type": "application/json"}, body
        if path in self.files:
            return 200, {"Content-Type": "text/csv"}, self.files[path]
        return 404, {}, b"not found\n"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                portal.requests.append((self.path, dict(self.headers)))
                status, headers, body = portal.answer(self.path, dict(self.headers))
                self.send_response(status)
                for k, v in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(k, v)
                self.end_headers()
                cut = self.path in portal.truncate
                self.wfile.write(body[: len(body) // 2] if cut else body)
                if cut:
                    self.close_connection = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> Portal:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
