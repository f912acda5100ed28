"""The PLN partner's HTTP API (docs/sources.md 3a): the connection, a careful client, and
fetching a stream's pages into the archive.

The token lives only in the connection and the Authorization header: it is never part
of a URL, an archive name, a log line or an error message.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import duckdb
import requests

from pipelines.batch.errors import Unrecoverable
from pipelines.io.archive import archive_payload
from pipelines.settings import Settings

CONN_ID = "pln_partner_api"
# Airflow's environment form of the connection (its documented way; the demo uses it).
# Airflow reads it, never our code: a task gets the connection from Airflow.
ENV_CONN = "AIRFLOW_CONN_" + CONN_ID.upper()
SOURCE = "pln"
log = logging.getLogger(__name__)


class PartnerApiError(RuntimeError):
    """The pull failed; nothing of it was loaded and the watermark did not move."""


class PartnerAuthError(PartnerApiError, Unrecoverable):
    """The token was refused: retrying cannot fix it."""


class PartnerDataError(PartnerApiError):
    """A malformed body or a page that breaks the schema."""


class AnswerTooSlow(Exception):
    """One answer outlasted its whole-request deadline (retried like a timeout)."""


@dataclass(frozen=True)
class PartnerConnection:
    base_url: str
    token: str = field(repr=False)  # never printed, not even by a debugger's repr


def _base_url(conn_type: str | None, schema: str | None, host: str, port: int | None) -> str:
    if "://" in host:  # HTTP connections often carry the whole base URL in host
        return host.rstrip("/")
    scheme = schema if schema in ("http", "https") else ("https" if conn_type == "https" else "http")
    return f"{scheme}://{host}{f':{port}' if port else ''}".rstrip("/")


def partner_connection(conn: Any) -> PartnerConnection:
    """The connection as Airflow gives it (airflow.sdk Connection: host, schema, port,
    password) as a PartnerConnection; a PartnerConnection is taken as it is."""
    if isinstance(conn, PartnerConnection):
        return conn
    return PartnerConnection(
        _base_url(conn.conn_type, conn.schema, conn.host or "", conn.port), conn.password or ""
    )


@dataclass(frozen=True)
class PullOptions:
    first_pull_at: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    outage_lookback: timedelta = timedelta(days=7)
    page_size: int = 100
    timeout_s: float = 10.0  # for connecting and for each read
    # For one whole answer: a server that sends a byte just inside each read's timeout
    # would otherwise hold the pull for ever.
    request_deadline_s: float = 120.0
    max_body_bytes: int = 64 * 2**20
    max_retries: int = 4  # for 5xx and timeouts
    backoff_s: float = 0.5  # doubled after each retry
    max_rate_limited: int = 10  # 429s tolerated in one pull
    max_retry_after_s: float = 300.0

    @classmethod
    def from_settings(cls, settings: Settings) -> PullOptions:
        first = settings.pln_first_pull
        return cls(
            first_pull_at=parse_instant(first) if first else cls.first_pull_at,
            outage_lookback=timedelta(days=settings.pln_lookback_days),
            page_size=settings.pln_page_size,
            timeout_s=settings.pln_timeout_s,
            max_retries=settings.pln_max_retries,
            backoff_s=settings.pln_backoff_s,
        )


def parse_instant(text: str) -> datetime:
    """An ISO instant; without an offset it is WITA (UTC+8), as docs/sources.md says."""
    from zoneinfo import ZoneInfo

    from pipelines.settings import LOCAL_TZ

    d = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return d if d.tzinfo else d.replace(tzinfo=ZoneInfo(LOCAL_TZ))


def iso(d: datetime) -> str:
    return d.astimezone(UTC).isoformat().replace("+00:00", "Z")


class PartnerClient:
    def __init__(
        self, conn: PartnerConnection, options: PullOptions,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._conn = conn
        self._options = options
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {conn.token}"
        self._rate_limited = 0

    def get(self, path: str, params: dict[str, Any]) -> bytes:
        """The body of one page, after the retries docs/sources.md asks for."""
        url = f"{self._conn.base_url}{path}?{urlencode(params)}"
        o = self._options
        attempt = 0  # failed tries so far (5xx, timeouts); 429s do not count
        while True:
            last = attempt == o.max_retries
            try:
                r = self._session.get(url, timeout=o.timeout_s, stream=True)
                body = self._read_body(r)
            except (requests.Timeout, requests.ConnectionError, AnswerTooSlow) as exc:
                problem = str(exc) if isinstance(exc, AnswerTooSlow) else type(exc).__name__
                if last:
                    raise PartnerApiError(f"{path}: {problem} after {attempt + 1} attempts") from None
                self._backoff(path, problem, attempt)
                attempt += 1
                continue
            if r.status_code in (401, 403):
                raise PartnerAuthError(
                    f"{path}: the partner API refused the token (HTTP {r.status_code}); "
                    f"fix the password of connection {CONN_ID!r}. Not retried."
                )
            if r.status_code == 429:
                self._rate_limited += 1
                if self._rate_limited > o.max_rate_limited:
                    raise PartnerApiError(f"{path}: still rate-limited after {o.max_rate_limited} waits")
                wait = _retry_after(r.headers.get("Retry-After"), o.backoff_s)
                log.warning("%s: rate-limited (429), waiting %.1f s as Retry-After asks", path, wait)
                self._sleep(min(wait, o.max_retry_after_s))
                continue  # a 429 is the server pacing us, not a failure: no retry spent
            if r.status_code >= 500:
                if last:
                    raise PartnerApiError(f"{path}: HTTP {r.status_code} after {attempt + 1} attempts")
                self._backoff(path, f"HTTP {r.status_code}", attempt)
                attempt += 1
                continue
            if r.status_code != 200:
                raise PartnerApiError(f"{path}: unexpected HTTP {r.status_code}")
            return body

    def _read_body(self, r: requests.Response) -> bytes:
        """The whole body within the request's deadline and size bound."""
        o = self._options
        deadline = time.monotonic() + o.request_deadline_s
        chunks, size = [], 0
        with r:
            # read1: whatever has arrived, up to 64 KiB. iter_content waits for a full
            # chunk, so a body trickled a byte at a time never reached the deadline check.
            while chunk := r.raw.read1(64 * 1024, decode_content=True):
                size += len(chunk)
                if size > o.max_body_bytes:
                    raise PartnerDataError(f"{r.request.path_url.split('?')[0]}: the answer is over "
                                           f"{o.max_body_bytes // 2**20} MiB")
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise AnswerTooSlow(f"the whole answer took longer than {o.request_deadline_s:g} s")
        return b"".join(chunks)

    def _backoff(self, path: str, problem: str, attempt: int) -> None:
        wait = self._options.backoff_s * 2**attempt
        log.warning("%s: %s, retry %d in %.1f s", path, problem, attempt + 1, wait)
        self._sleep(wait)

    def close(self) -> None:
        self._session.close()


def _retry_after(value: str | None, default: float) -> float:
    if value is None:
        return default
    try:
        return max(float(value), 0.0)
    except ValueError:  # the HTTP-date form
        from email.utils import parsedate_to_datetime

        try:
            return max((parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds(), 0.0)
        except (TypeError, ValueError):
            return default


@dataclass(frozen=True)
class FetchedStream:
    stream: str
    pages: list[dict[str, Any]]  # {"sha256", "archive_path", "name"} per page, in order
    records: int
    manifest_sha256: str
    manifest_name: str


def parse_page(body: bytes, name: str, required: list[str]) -> list[dict[str, Any]]:
    """The records of one page, or PartnerDataError if the page breaks the contract."""
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PartnerDataError(f"{name}: malformed JSON ({exc})") from None
    except RecursionError:
        raise PartnerDataError(f"{name}: JSON nested too deep to be a page") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise PartnerDataError(f"{name}: the body has no 'data' list")
    nxt = doc.get("next_page")
    if nxt is not None and not isinstance(nxt, int):
        raise PartnerDataError(f"{name}: next_page is {nxt!r}, not a page number or null")
    for i, rec in enumerate(doc["data"], 1):
        if not isinstance(rec, dict):
            raise PartnerDataError(f"{name}: record {i} is not an object")
        missing = [c for c in required if c not in rec]
        if missing:
            raise PartnerDataError(f"{name}: record {i} lacks {', '.join(missing)}")
    return doc["data"]


def fetch_stream(
    con: duckdb.DuckDBPyConnection, settings: Settings, client: PartnerClient, stream: str,
    params: dict[str, str], page_size: int, required: list[str],
) -> FetchedStream:
    """Walk every page of one endpoint, archiving each as received, then a manifest of them."""
    pages, records, page = [], 0, 1
    while True:
        query = {**params, "page": page, "page_size": page_size}
        name = f"api/{CONN_ID}/v1/{stream}?{urlencode(query)}"
        body = client.get(f"/v1/{stream}", query)
        # Archived before parsing, like a file: an auditor sees exactly what was sent,
        # malformed pages included.
        archived = archive_payload(con, settings.home, settings.archive, SOURCE, body, name, ".json")
        data = parse_page(body, name, required)
        pages.append({"sha256": archived.sha256, "name": name,
                      "archive_path": str(archived.archive_path.relative_to(settings.home))})
        records += len(data)
        nxt = json.loads(body).get("next_page")
        if nxt is None:
            break
        if nxt <= page:
            raise PartnerDataError(f"{name}: next_page {nxt} does not move forward")
        page = nxt
    manifest = json.dumps({"stream": stream, "params": params, "pages": pages}, indent=1).encode()
    mname = f"api/{CONN_ID}/v1/{stream}?{urlencode(params)} (manifest of {len(pages)} pages)"
    m = archive_payload(con, settings.home, settings.archive, SOURCE, manifest, mname, ".manifest.json")
    return FetchedStream(stream, pages, records, m.sha256, mname)


def read_manifest_records(home_path: Any, manifest_path: Any) -> list[dict[str, Any]]:
    """Every record of an archived pull, in page order, from the archived pages."""
    from pathlib import Path

    manifest = json.loads(Path(manifest_path).read_text())
    out: list[dict[str, Any]] = []
    for p in manifest["pages"]:
        out.extend(json.loads((Path(home_path) / p["archive_path"]).read_bytes())["data"])
    return out
