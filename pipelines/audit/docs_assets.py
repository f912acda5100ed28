"""Data Docs served whole from their own folder: GX's CDN links become local vendor files.

GX's page templates link Bootstrap, jQuery, bootstrap-table, Font Awesome, vega and its
logo from CDNs and S3, so a page opened without internet shows bare HTML. The same files,
at the versions the templates name, come from npm (datadocs_assets/package.json, installed
by `make venv` with `npm ci`); they are copied under static/vendor/ of the Data Docs folder
and every page's links are rewritten to them, relative to the page's own depth.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import re
import shutil
import time
from pathlib import Path

PACKAGES = Path(__file__).resolve().parent / "datadocs_assets"
NODE_MODULES = PACKAGES / "node_modules"
VENDOR = "static/vendor"
_STAMP = ".localised"  # under VENDOR; pages older than it are already rewritten

# Each link GX's templates write -> the file of the npm package (same version) that serves
# it. jsdelivr's bare "vega@5" serves the package's "jsdelivr" entry, build/*.min.js.
CDN_FILES = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css":
        "bootstrap/dist/css/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js":
        "bootstrap/dist/js/bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js":
        "popper.js/dist/umd/popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css":
        "bootstrap-table/dist/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js":
        "bootstrap-table/dist/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    # The templates take this one stylesheet from 1.19.0; it must match the 1.19.1 script.
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css":
        "@fortawesome/fontawesome-free/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/build/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite/build/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed/build/vega-embed.min.js",
}
# Files a copied stylesheet loads itself (Font Awesome's ../webfonts/).
FONT_DIRS = ("@fortawesome/fontawesome-free/webfonts",)

# GX's logo comes from its own S3 bucket; the package ships the same images, which GX
# already copies to static/images/. The dark-mode logo is not shipped: the long one stands in.
_LOGO_HOST = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
_LOGOS = {"logo-long.png": "logo-long.png", "full_logo_dark.png": "logo-long.png"}

_TAG_URL = re.compile(r"""(?P<attr>src|href)=(?P<q>["'])(?P<url>https?://[^"']+)(?P=q)""")
_INTEGRITY = re.compile(r"""\s+(?:integrity|crossorigin)=["'][^"']*["']""")
_LOGO_URL = re.compile(re.escape(_LOGO_HOST) + r"""(?P<name>[\w.-]+)(?:\?[^"')\s]*)?""")
# GX's favicon link on run pages is one folder short; every static/ reference is re-anchored.
_STATIC_REF = re.compile(r"""(?P<pre>(?:src|href)=["']|url\(["']?)(?:\./|(?:\.\./)+)?static/""")
_NEWSLETTER = re.compile(r"<footer>\s*<p>Stay current on everything GX.*?</footer>", re.S)
_EXTERNAL_ANCHOR = re.compile(r"""<a href=["']https?://[^"']*["'][^>]*>(?P<text>.*?)</a>""", re.S)
_LOADED_URL = re.compile(
    r"""<(?:script|link)\b[^>]*\b(?:src|href)=["'](?P<url>(?:https?:)?//[^"']+)["']"""
)


class AssetsMissing(RuntimeError):
    """A vendor file a page needs is not installed."""


def install_assets(data_docs: Path) -> None:
    """Copy the vendor files pages need under data_docs/static/vendor (only what changed)."""
    files = [NODE_MODULES / rel for rel in sorted(set(CDN_FILES.values()))]
    for folder in FONT_DIRS:
        files += sorted(p for p in (NODE_MODULES / folder).glob("*") if p.is_file())
    for src in files:
        if not src.is_file():
            raise AssetsMissing(
                f"Data Docs asset {src} is not installed: run `make venv` "
                f"(npm ci in {PACKAGES}) before building Data Docs"
            )
        dest = data_docs / VENDOR / src.relative_to(NODE_MODULES)
        if dest.exists() and _same(src, dest):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)


def localise_page(text: str, depth: int) -> str:
    """The page with every CDN link made local, relative to a page `depth` folders down.

    Raises AssetsMissing when a script or stylesheet still points off the machine (a GX
    upgrade naming a file no pinned package provides), or when a local file's bytes differ
    from the Subresource Integrity hash GX's template pins.
    """
    up = "../" * depth

    def tag_url(m: re.Match[str]) -> str:
        rel = CDN_FILES.get(m["url"])
        if rel is None:
            return m[0]
        return f"{m['attr']}={m['q']}{up}{VENDOR}/{rel}{m['q']}"

    # Integrity/crossorigin attributes make Chromium refuse file:// scripts (no CORS there);
    # the hash is checked here against the installed file instead.
    text = re.sub(r"<script\b[^>]*>", lambda m: _without_integrity(m[0]), text)
    text = _TAG_URL.sub(tag_url, text)
    text = _LOGO_URL.sub(
        lambda m: f"{up}static/images/{_LOGOS.get(m['name'], 'logo-long.png')}", text
    )
    text = _STATIC_REF.sub(lambda m: f"{m['pre']}{up}static/", text)
    text = _NEWSLETTER.sub("", text)
    text = _EXTERNAL_ANCHOR.sub(lambda m: m["text"], text)
    left = _LOADED_URL.search(text)
    if left:
        raise AssetsMissing(
            f"Data Docs page links {left['url']}, which no pinned package provides: "
            f"add it to CDN_FILES and {PACKAGES / 'package.json'}"
        )
    return text


def localise_site(data_docs: Path) -> list[Path]:
    """Install the vendor files and rewrite every page written since the last pass.

    Returns the pages rewritten. The first pass (no stamp yet) covers every page, so pages
    built before this existed are fixed too.
    """
    install_assets(data_docs)
    stamp = data_docs / VENDOR / _STAMP
    since = stamp.stat().st_mtime if stamp.exists() else 0.0
    started = time.time()
    changed = []
    for page in _pages(data_docs, since):
        text = page.read_text(encoding="utf-8")
        depth = len(page.relative_to(data_docs).parts) - 1
        new = localise_page(text, depth)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed.append(page)
    stamp.touch()
    os.utime(stamp, (started, started))
    return changed


def _pages(root: Path, since: float) -> list[Path]:
    found = []
    with os.scandir(root) as entries:
        for e in entries:
            if e.is_dir() and e.name != "static":
                found += _pages(Path(e.path), since)
            elif e.name.endswith(".html") and e.stat().st_mtime >= since:
                found.append(Path(e.path))
    return found


def _same(a: Path, b: Path) -> bool:
    sa, sb = a.stat(), b.stat()
    return sa.st_size == sb.st_size and int(sa.st_mtime) == int(sb.st_mtime)


def _without_integrity(tag: str) -> str:
    src = _TAG_URL.search(tag)
    rel = CDN_FILES.get(src["url"], "") if src else ""
    for sri in re.findall(r"""integrity=["']([^"']+)["']""", tag):
        _check_sri(rel, sri)
    return _INTEGRITY.sub("", tag)


@functools.cache
def _check_sri(rel: str, sri: str) -> None:
    algo, _, want = sri.partition("-")
    path = NODE_MODULES / rel
    if not rel or not path.is_file():
        raise AssetsMissing(f"no installed file for a script pinned by integrity {sri}")
    got = base64.b64encode(hashlib.new(algo, path.read_bytes()).digest()).decode()
    if got != want:
        raise AssetsMissing(f"{path}: its {algo} hash {got} is not the {want} GX pins")
