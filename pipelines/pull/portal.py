"""Registry editions from the registry portal (Connection registry_portal) into
landing/registry/: the index (docs/sources.md, "Registry portal") is asked for with a
conditional GET, editions not held yet are downloaded, checked against the index's sha256
and renamed into place; a 404, a 5xx, a truncated body or an index that is not JSON is
recorded in audit.remote_fetch and raised (PortalError: the task's retry asks again),
never landing part of an edition.

The index's validators (ETag, Last-Modified) are kept only once every edition it lists is
held, so after a failed edition the next look gets the whole index again and retries it.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlparse

import duckdb

from pipelines.io.archive import sha256_of
from pipelines.pln.api_client import _base_url
from pipelines.pull import ledger
from pipelines.pull.landing_files import land, temporary
from pipelines.pull.ledger import Seen
from pipelines.settings import Settings

Con = duckdb.DuckDBPyConnection
REMOTE = "registry_portal"  # the Airflow Connection, and audit.remote_fetch.remote
TIMEOUT_S = 60
_CHUNK = 1 << 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.csv$")


class PortalError(RuntimeError):
    """The portal answered with something that is not an index or an edition."""


class Truncated(PortalError):
    """A body shorter than announced, or broken off."""


@dataclass(frozen=True)
class Edition:
    kind: str  # kemendagri, bps, attributes
    effective_date: date
    url: str  # absolute
    sha256: str
    legal_basis: str | None

    def landing_path(self) -> str:
        """Where the landing zone takes it (docs/sources.md)."""
        if self.kind == "kemendagri":
            return f"registry/kemendagri/{self.effective_date}.csv"
        if self.kind == "attributes":
            return f"registry/attributes/{self.effective_date.year}.csv"
        name = urlparse(self.url).path.rsplit("/", 1)[-1]
        return f"registry/bps/{self.effective_date}/{name}"


def parse_index(body: bytes, index_url: str) -> list[Edition]:
    """The editions of an index; PortalError naming the entry and what is wrong with it."""
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PortalError(f"{index_url}: the index is not JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("editions"), list):
        raise PortalError(f"{index_url}: the index is not an object with an \"editions\" list")
    return [_edition(i, entry, index_url) for i, entry in enumerate(doc["editions"], 1)]


def _edition(i: int, entry: Any, index_url: str) -> Edition:
    where = f"{index_url}: edition {i}"
    if not isinstance(entry, dict):
        raise PortalError(f"{where}: not an object")
    kind = entry.get("kind", "kemendagri")
    if kind not in ("kemendagri", "bps", "attributes"):
        raise PortalError(f"{where}: kind {kind!r} is none of kemendagri, bps, attributes")
    try:
        when = date.fromisoformat(str(entry.get("effective_date")))
    except ValueError:
        raise PortalError(f"{where}: effective_date {entry.get('effective_date')!r} is not "
                          "YYYY-MM-DD") from None
    sha = str(entry.get("sha256", "")).lower()
    if not _SHA256.match(sha):
        raise PortalError(f"{where}: sha256 {entry.get('sha256')!r} is not 64 hex digits")
    if not isinstance(entry.get("url"), str) or not entry["url"]:
        raise PortalError(f"{where}: no url")
    edition = Edition(kind, when, urljoin(index_url, entry["url"]), sha, entry.get("legal_basis"))
    name = edition.landing_path().rsplit("/", 1)[-1]
    if not _FILE_NAME.match(name):
        raise PortalError(f"{where}: its file name {name!r} is not a plain <name>.csv")
    return edition


def _request(connection: Any, url: str, headers: dict[str, str]) -> urllib.request.Request:
    req = urllib.request.Request(url, headers=headers)
    if connection.login:
        import base64

        token = base64.b64encode(f"{connection.login}:{connection.password or ''}".encode())
        req.add_header("Authorization", f"Basic {token.decode()}")
    return req


def _open(connection: Any, url: str, headers: dict[str, str] | None = None):
    """The response, or None for 304; PortalError for any other failure."""
    try:
        return urllib.request.urlopen(_request(connection, url, headers or {}), timeout=TIMEOUT_S)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None
        raise PortalError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise PortalError(f"{url}: {getattr(exc, 'reason', exc)}") from None


def _read_whole(resp, url: str, sink) -> int:
    """Copy the body into `sink`; PortalError when it is shorter than announced."""
    got = 0
    try:
        while chunk := resp.read(_CHUNK):
            sink(chunk)
            got += len(chunk)
    except OSError as exc:  # http.client.IncompleteRead and a reset connection among them
        raise Truncated(f"{url}: the body broke off after {got} bytes ({exc})") from None
    length = resp.headers.get("Content-Length")
    if length is not None and got != int(length):
        raise Truncated(f"{url}: truncated body: {got} of {length} bytes")
    return got


def index_url(settings: Settings, connection: Any) -> str:
    base = _base_url(connection.conn_type, connection.schema, connection.host or "", connection.port)
    return urljoin(base + "/", settings.portal_index_path.lstrip("/"))


def _held(con: Con, settings: Settings, edition: Edition) -> str | None:
    """Why the edition need not be downloaded; None when it must be."""
    done = ledger.last_fetched(con, REMOTE, edition.url)
    if done and done.sha256 == edition.sha256:
        return f"fetched before ({done.landed_as})"
    landed = settings.landing / edition.landing_path()
    if landed.is_file() and sha256_of(landed) == edition.sha256:
        return f"already in landing/{edition.landing_path()}"
    return None


def _download(con: Con, settings: Settings, connection: Any, edition: Edition) -> Seen:
    def seen(outcome: str, size: int | None = None, sha: str | None = None,
             landed_as: str | None = None, message: str | None = None) -> Seen:
        return ledger.record(con, Seen(REMOTE, edition.url, size, None, outcome, sha or edition.sha256,
                                       landed_as, edition.legal_basis, message))

    why = _held(con, settings, edition)
    if why:
        return seen("skipped", message=why)
    name = edition.landing_path().rsplit("/", 1)[-1]
    with temporary(settings, name) as tmp:
        digest = hashlib.sha256()
        try:
            resp = _open(connection, edition.url)
            with resp, tmp.open("wb") as out:
                size = _read_whole(resp, edition.url,
                                   lambda b: (digest.update(b), out.write(b)))
        except PortalError as exc:
            return seen("rejected" if isinstance(exc, Truncated) else "failed", message=str(exc))
        got = digest.hexdigest()
        if got != edition.sha256:
            return seen("rejected", size, got, message=(
                f"{edition.url}: its bytes have sha256 {got}, the index says {edition.sha256}: "
                "not landed; downloaded again on the next try"))
        return seen("fetched", size, got, land(settings, tmp, edition.landing_path()))


def fetch_editions(con: Con, settings: Settings, connection: Any) -> list[Seen]:
    """One look at the portal: what came of the index and of each edition. Raises
    PortalError (after recording it) when the index or any edition could not be taken."""
    url = index_url(settings, connection)
    before = ledger.last_fetched(con, REMOTE, url)
    headers = {k: v for k, v in (("If-None-Match", before and before.etag),
                                 ("If-Modified-Since", before and before.last_modified)) if v}
    try:
        resp = _open(connection, url, headers)
        if resp is None:
            return [ledger.record(con, Seen(REMOTE, url, None, None, "not_modified",
                                            message="304: the index has not changed"))]
        body = bytearray()
        with resp:
            _read_whole(resp, url, body.extend)
            validators = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        editions = parse_index(bytes(body), url)
    except PortalError as exc:
        ledger.record(con, Seen(REMOTE, url, None, None, "failed", message=str(exc)))
        raise
    seen = [_download(con, settings, connection, e) for e in editions]
    failed = [s.message for s in seen if s.outcome in ("failed", "rejected")]
    kept = (None, None) if failed else validators
    ledger.record(con, Seen(REMOTE, url, len(body), None, "fetched",
                            hashlib.sha256(body).hexdigest(), message=f"{len(editions)} editions",
                            etag=kept[0], last_modified=kept[1]))
    if failed:
        raise PortalError("; ".join(failed))
    return seen


def fetch_run(con: Con, settings: Settings, connection: Any, partition: str = "") -> bool:
    """The village_registry run's fetch task."""
    fetch_editions(con, settings, connection)
    return True


def fetch_all(con: Con, settings: Settings, connection: Any) -> list[Seen]:
    """The embedded runner's fetch before it plans the run."""
    return fetch_editions(con, settings, connection)
