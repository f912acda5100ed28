"""The monthly report renders offline, in both languages, and its charts draw in Chromium."""

from __future__ import annotations

import re
from datetime import date

from browser import print_to_pdf, screenshot

from pipelines.marts.report.data import ReportData
from pipelines.marts.report.render import render_html
from pipelines.marts.report.svg import STATUS_COLOURS


def sample_data() -> ReportData:
    d = ReportData(month=date(2026, 10, 1), previous=date(2026, 9, 1), region_name="Kab. Uji")
    d.headline = {
        "villages_total": (120, 120), "villages_blank_spot": (30, 35), "villages_unknown": (5, 5),
        "villages_connected_pct": (73.9, 69.6), "population_blank_spot": (9000, 10500),
        "population_blank_spot_pct": (12.5, 14.6), "towers_in_service": (25, 24),
        "tower_availability_pct": (97.2, 96.1),
    }
    d.districts = [(f"Kecamatan {i}", {"blank": i % 4, "unknown": i % 2, "connected": 8})
                   for i in range(1, 19)]
    d.trend_months = [f"2025-{m:02d}" for m in range(11, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
    d.trend = {f"Kecamatan {i}": [(m, 50 + i + k * 2) for k, m in enumerate(d.trend_months)]
               for i in range(1, 6)}
    d.villages = [(-0.5 + (i % 10) * 0.1, 116.5 + (i // 10) * 0.1,
                   ("blank", "connected", "unknown")[i % 3], f"Desa {i}") for i in range(60)]
    d.towers = [(-0.45 + i * 0.1, 116.55, f"T{i}") for i in range(8)]
    d.heat_rows = [f"T{i}" for i in range(8)]
    d.heat_cols = [f"{k:02d}" for k in range(1, 32)]
    d.heat = {(r, c): (100.0 - (int(c) * 3 % 40)) for r in d.heat_rows for c in d.heat_cols}
    d.sla = [(f"SITE-{i}", 99.0 + i / 10, 99.5 + i / 10, i % 2 == 0) for i in range(6)]
    return d


def test_report_is_self_contained_and_bilingual() -> None:
    page = render_html(sample_data(), "64.02")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched
    assert "@import" not in page and "url(" not in page
    assert "Oktober 2026" in page and "October 2026" in page
    assert page.count("<svg") >= 8  # districts, trend and SLA twice; map and heatmap once
    assert 'lang="en"' in page and 'lang="id"' in page


def test_report_shows_each_month_s_input_completeness() -> None:
    d = sample_data()
    d.headline["tower_availability_pct"] = (None, 96.1)
    d.completeness = {"tower_kpi_days_loaded_pct": (0.0, 96.774), "tower_inventory_date":
                      (date(2026, 9, 29), date(2026, 9, 29)), "tower_inputs_present": (False, True)}
    page = render_html(d, "64.02")
    table = page[page.index('id="completeness"'):]
    table = table[:table.index("</table>")]
    assert "Kelengkapan berkas KPI menara (%)" in table and "Tower KPI files loaded (%)" in table
    assert "0.00" in table and "96.77" in table and "2026-09-29" in table
    assert '<span lang="id">tidak</span><span lang="en">no</span>' in table
    assert '<span lang="id">ya</span><span lang="en">yes</span>' in table


def _count(img, rgb: tuple[int, int, int], box: tuple[int, int, int, int] | None = None) -> int:
    region = img.crop(box) if box else img
    return sum(1 for px in region.getdata() if all(abs(a - b) < 8 for a, b in zip(px, rgb, strict=True)))


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def test_charts_render_in_headless_chromium(tmp_path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(sample_data(), "64.02"), encoding="utf-8")
    img = screenshot(page, tmp_path / "report.png")
    # Blank-spot red appears in the district bars and on the map; connected green too;
    # the SLA chart's orange "reported" bars and the map's tower navy are drawn.
    assert _count(img, _hex(STATUS_COLOURS["blank"])) > 2000
    assert _count(img, _hex(STATUS_COLOURS["connected"])) > 2000
    assert _count(img, (0xFF, 0x7F, 0x0E)) > 300
    assert _count(img, (0x1F, 0x3B, 0x73)) > 300
    # The English twin is hidden until switched: its heading text differs in layout.
    english = screenshot(page, tmp_path / "report_en.png", hash_="#en")
    assert list(english.getdata()) != list(img.getdata())


YELLOW = (0xFF, 0xD4, 0x00)  # the demo banner and bar
WATERMARK = (248, 222, 222)  # rgba(200, 0, 0, 0.13) over white


def test_demo_report_is_marked_in_the_header_and_on_screen(tmp_path) -> None:
    from pipelines.demo.marking import MARK_EN, MARK_ID

    page = tmp_path / "report.html"
    page.write_text(render_html(sample_data(), "64.02", demo=True), encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    assert "<title>[DATA DEMO]" in text and f"{MARK_ID} / {MARK_EN}" in text
    width, height = 1200, 900
    top = screenshot(page, tmp_path / "top.png", width, height)
    # The header's banner at the top, the bar fixed to the bottom, the watermark between.
    assert _count(top, YELLOW, (0, 0, width, 200)) > 20_000
    assert _count(top, YELLOW, (0, height - 30, width, height)) > 20_000
    assert _count(top, WATERMARK) > 10_000
    # The English view keeps the mark (it is bilingual, never switched off).
    english = screenshot(page, tmp_path / "en.png", width, height, hash_="#en")
    assert _count(english, YELLOW, (0, 0, width, 200)) > 20_000
    assert _count(english, YELLOW, (0, height - 30, width, height)) > 20_000

    plain = tmp_path / "plain.html"
    plain.write_text(render_html(sample_data(), "64.02"), encoding="utf-8")
    assert "DEMO" not in plain.read_text(encoding="utf-8")
    img = screenshot(plain, tmp_path / "plain.png", width, height)
    # (a few anti-aliased edges of the red bars come near the watermark's tint)
    assert _count(img, YELLOW) == 0 and _count(img, WATERMARK) < 1_000


def test_demo_report_is_marked_on_every_printed_page(tmp_path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(sample_data(), "64.02", demo=True), encoding="utf-8")
    pages = print_to_pdf(page, tmp_path / "report.pdf")
    assert len(pages) >= 3
    # Each page draws the bar's yellow and the watermark's red (PDF fill colours).
    assert all(b"1 .8314 0 rg" in p for p in pages)
    assert all(b".7843 0 0" in p for p in pages)
