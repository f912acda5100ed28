"""GX's CDN links become local vendor files from the pinned npm packages, at any page depth."""

from __future__ import annotations

import filecmp
import importlib.util
import os
import re
from pathlib import Path

from pipelines.audit.docs_assets import (
    CDN_FILES,
    NODE_MODULES,
    VENDOR,
    localise_page,
    localise_site,
)

# Found without importing GX (slow): the templates of the installed version.
TEMPLATES = Path(importlib.util.find_spec("great_expectations").origin).parent / "render/view/templates"
S3 = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
REMOTE = re.compile(r"""(?:src|href)=["']?(?:https?:)?//|url\(["']?https?:""")


def _gx_head() -> str:
    """The templates that link assets, as GX ships them (every page includes these)."""
    return "".join(
        (TEMPLATES / name).read_text(encoding="utf-8")
        for name in ("page.j2", "index_page.j2", "js_script_imports.j2", "top_navbar.j2",
                     "cloud-footer.j2", "ge_info.j2")
    ) + (  # the logo as GX renders it: an <img> and, in dark mode, a CSS background
        f'<img src="{S3}logo-long.png?d=20261130T210024Z&dataContextId=x">'
        f"<style>a {{ background: url('{S3}full_logo_dark.png') }}</style>"
    )


def test_every_link_gx_templates_name_is_served_locally() -> None:
    page = localise_page(_gx_head(), depth=4)
    assert not REMOTE.search(page), REMOTE.search(page)
    assert "integrity=" not in page and "crossorigin=" not in page
    assert "newsletter" not in page
    links = set(re.findall(r"""(?:src|href)=["']\.\./\.\./\.\./\.\./(static/vendor/[^"']+)""", page))
    assert links == {f"{VENDOR}/{rel}" for rel in CDN_FILES.values()}
    assert '<img src="../../../../static/images/logo-long.png">' in page
    assert "url('../../../../static/images/logo-long.png')" in page
    assert localise_page(page, depth=4) == page  # a second pass changes nothing


def test_site_pass_fixes_old_pages_and_copies_the_package_files(tmp_path: Path) -> None:
    docs = tmp_path / "data_docs"
    old = docs / "validations" / "suite" / "load-1" / "20250101T000000Z" / "1.html"
    old.parent.mkdir(parents=True)
    old.write_text(_gx_head(), encoding="utf-8")
    (docs / "index.html").write_text(_gx_head(), encoding="utf-8")
    os.utime(old, (1_000_000, 1_000_000))  # built long before Data Docs were made local

    assert sorted(localise_site(docs)) == sorted([old, docs / "index.html"])
    assert "../../../../static/vendor/bootstrap/dist/css/bootstrap.min.css" in old.read_text()
    assert 'href="static/vendor/bootstrap/dist/css/bootstrap.min.css"' in (docs / "index.html").read_text()
    for rel in CDN_FILES.values():
        assert filecmp.cmp(NODE_MODULES / rel, docs / VENDOR / rel, shallow=False)
    fonts = docs / VENDOR / "@fortawesome/fontawesome-free/webfonts/fa-solid-900.woff2"
    assert fonts.stat().st_size > 10_000  # what all.min.css loads from ../webfonts/

    assert localise_site(docs) == []  # nothing new since the last pass
    new = docs / "validations" / "suite" / "load-2" / "20250102T000000Z" / "2.html"
    new.parent.mkdir(parents=True)
    new.write_text(_gx_head(), encoding="utf-8")
    assert localise_site(docs) == [new]
