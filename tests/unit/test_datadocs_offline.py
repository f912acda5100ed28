"""Data Docs open with no network: every stylesheet and script loads, Bootstrap styles apply."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import DevTools

from pipelines.audit.verdict import load_verdict
from pipelines.batch.steps import BatchRejected, load_file
from pipelines.registry import kemendagri

GOOD = "kode,nama\n64.02,Kab\n64.02.01,Satu\n"

# What every page must have once its scripts ran: one global per script GX's templates load.
SCRIPTS_RAN = """({
  jquery: typeof window.jQuery === 'function' && jQuery.fn.jquery,
  popper: typeof window.Popper === 'function',
  bootstrap: !!(window.jQuery && jQuery.fn.modal && jQuery.fn.tooltip),
  bootstrapTable: !!(window.jQuery && jQuery.fn.bootstrapTable),
  filterControl: !!(window.jQuery && jQuery.fn.bootstrapTable
                   && jQuery.fn.bootstrapTable.defaults.filterControl !== undefined),
  datepicker: !!(window.jQuery && jQuery.fn.datepicker),
  vega: typeof window.vega === 'object', vegaLite: typeof window.vegaLite === 'object',
  vegaEmbed: typeof window.vegaEmbed === 'function',
})"""

# Each <link rel=stylesheet> parsed into rules (a failed load leaves no sheet) and a few
# computed styles that only Bootstrap 4's stylesheet gives.
STYLES = """(async () => {
  await document.fonts.ready;
  const sheets = [...document.querySelectorAll('link[rel=stylesheet]')].map(l => {
    let rules = 0; try { rules = l.sheet ? l.sheet.cssRules.length : 0 } catch (e) { rules = -1 }
    return [l.getAttribute('href'), rules];
  });
  const css = (sel, prop) => {
    const el = document.querySelector(sel); return el && getComputedStyle(el)[prop];
  };
  const logo = document.querySelector('.navbar-brand img');
  return {
    sheets,
    navbarDisplay: css('nav.navbar', 'display'),
    stickyPosition: css('.sticky-top', 'position'),
    containerPadding: css('.container-fluid.pl-5', 'paddingLeft'),
    tableBorder: css('#konektivitas-runs table.table td', 'borderTopStyle'),
    logoLoaded: !!(logo && logo.complete && logo.naturalWidth > 0),
    iconFont: [...document.fonts].filter(f => f.family.includes('Font Awesome'))
                                 .map(f => f.status),
  };
})()"""


def _land(settings, name: str, text: str) -> Path:
    folder = settings.landing / "registry" / "kemendagri"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def _load(con, settings, name: str, text: str):
    path = _land(settings, name, text)
    return load_file(con, settings, kemendagri.DATASET, path, str(kemendagri.edition_date(path)))


def _check_page(browser: DevTools, page: Path, shot: Path) -> dict:
    browser.open(page.as_uri())
    requests = browser.requests()
    off_machine = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert off_machine == [], f"{page.name} asked the network for {off_machine}"
    failed = {u: r for u, r in requests.items() if r != "ok"}
    assert failed == {}, f"{page.name}: {failed}"
    ran = browser.evaluate(SCRIPTS_RAN)
    assert ran.pop("jquery") == "3.7.1"
    assert all(ran.values()), f"{page.name}: scripts that did not run: {ran}"
    styles = browser.evaluate(STYLES)
    assert len(styles["sheets"]) >= 6
    for href, rules in styles["sheets"]:
        assert "static/vendor/" in href and rules > 0, f"{page.name}: stylesheet {href}: {rules}"
    assert styles["navbarDisplay"] == "flex"        # .navbar
    assert styles["stickyPosition"] == "sticky"     # .sticky-top
    assert styles["containerPadding"] == "48px"     # .pl-5 = 3rem
    assert styles["logoLoaded"]
    browser.screenshot(shot)
    assert shot.stat().st_size > 10_000
    return styles


def test_data_docs_open_offline_with_bootstrap_and_verdicts(con, settings, tmp_path) -> None:
    passed = _load(con, settings, "2025-07-01.csv", GOOD)
    quarantined = _load(con, settings, "2025-08-01.csv", GOOD + "64.02.1,Bad\n")
    with pytest.raises(BatchRejected):
        _load(con, settings, "2025-09-01.csv", "kode\n64.02\n")
    (rejected,) = con.execute(
        "SELECT load_id FROM audit.load WHERE status = 'rejected'"
    ).fetchone()

    index = settings.data_docs / "index.html"
    text = index.read_text(encoding="utf-8")
    section = text[text.index("<!-- konektivitas-runs -->"):text.index("<!-- /konektivitas-runs -->")]
    for load_id in (passed.load_id, quarantined.load_id, rejected):
        assert f"<td>{load_verdict(con, load_id).text}</td>" in section
    assert load_verdict(con, passed.load_id).text == "passed"
    assert load_verdict(con, quarantined.load_id).text == "published, 1 row quarantined (1 rule)"
    assert load_verdict(con, rejected).text.startswith("rejected: missing required column(s) nama")
    assert "failed" not in section and "newsletter" not in text
    (run_page,) = [
        settings.data_docs / link
        for link in re.findall(r"href='(validations/[^']+)'", section)
        if quarantined.load_id in link
    ]
    assert not re.search(r"""<(script|link)[^>]*(src|href)=["']?(https?:)?//""", text)
    # The run page says the load's verdict where GX wrote "Status: Failed".
    run_text = run_page.read_text(encoding="utf-8")
    assert "Status:</span> <span class=\"konektivitas-verdict verdict-published\">" in run_text
    assert "published, 1 row quarantined (1 rule)</span>" in run_text
    assert not re.search(r"\bFailed\b", run_text)

    out = tmp_path / "screenshots"
    out.mkdir()
    with DevTools(tmp_path / "chromium-profile") as browser:
        home = _check_page(browser, index, out / "index.png")
        assert home["tableBorder"] == "solid"  # .table td: our verdict list is styled too
        run = _check_page(browser, run_page, out / "run.png")
        # The run page's status icons are Font Awesome glyphs, drawn from the local font.
        assert "loaded" in run["iconFont"], run["iconFont"]
