"""Generated data says so: the landing zone, the warehouse once a build read it, the monthly
report, every export, the run summary and Data Docs. Unmarked homes carry no mark."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from rich.console import Console

from pipelines.audit.run_summary import print_summary
from pipelines.batch.steps import load_file
from pipelines.demo import marking
from pipelines.demo.generate import GenerateOptions, generate
from pipelines.marts.engine import build_all
from pipelines.marts.export import export_month
from pipelines.marts.report.render import write_report
from pipelines.reference import kemendagri_editions, reference_file
from pipelines.registry import kemendagri
from pipelines.warehouse import session

MONTH = date(2025, 7, 1)


def _load_real_edition(settings, demo: bool) -> None:
    """The real 2025 edition loaded (validated into Data Docs) and the marts built; the
    landing zone marked first when `demo`."""
    if demo:
        marking.mark_landing(settings.landing, seed=42)
    edition = kemendagri_editions("64.02")[-1]
    path = settings.landing / "registry" / "kemendagri" / f"{edition.effective}.csv"
    path.parent.mkdir(parents=True)
    shutil.copyfile(reference_file(edition.file), path)
    with session(settings) as con:
        load_file(con, settings, kemendagri.DATASET, path, str(edition.effective))
    build_all(settings)


def _summary(settings) -> str:
    console = Console(record=True, width=200)
    print_summary(settings, console)
    return console.export_text()


@pytest.mark.parametrize("demo", [True, False])
def test_every_output_of_demo_data_is_marked_and_only_demo_data(settings, tmp_path, demo):
    from openpyxl import load_workbook

    _load_real_edition(settings, demo)
    assert marking.is_demo(settings) is demo
    # The warehouse learnt it at the build: without the landing zone it still knows.
    shutil.rmtree(settings.landing)
    assert marking.is_demo(settings) is demo
    with session(settings, read_only=True) as con:
        assert marking.is_demo(con) is demo

    paths = export_month(settings, MONTH, tmp_path / "out")
    assert paths and all(p.name.startswith("demo_") is demo for p in paths)
    book = tmp_path / "out" / marking.file_name("konektivitas_2025-07.xlsx", demo)
    meta = list(load_workbook(book)["metadata"].iter_rows(min_row=2, values_only=True))
    assert (meta[0][3] == marking.MARK) is demo
    assert any(r[0] == "marts.district_village_count" for r in meta)  # the rest is still there

    page = write_report(settings, MONTH).read_text(encoding="utf-8")
    assert (f"{marking.MARK_ID} / {marking.MARK_EN}" in page) is demo
    assert ('class="demo-watermark"' in page) is demo

    summary = _summary(settings)
    assert summary.count(marking.MARK) == (2 if demo else 0)
    assert ("First statistic (DEMO DATA, not official)" in summary) is demo
    assert "20 districts" in summary  # the real 2025 edition

    index = (settings.data_docs / "index.html").read_text(encoding="utf-8")
    assert (marking.MARK in index) is demo
    assert index.count("konektivitas-demo -->") == (2 if demo else 0)  # one banner only


def test_the_demo_lands_the_real_editions_from_the_package(settings, tmp_path):
    generate(GenerateOptions(home=settings.home, start=date(2026, 9, 1), days=1),
             only=("registry", "towers"))
    assert marking.is_demo(settings)
    landed = settings.landing / "registry" / "kemendagri"
    assert sorted(p.name for p in landed.iterdir()) == ["2020-01-01.csv", "2025-07-01.csv"]
    for name, file in (("2020-01-01.csv", "kemendagri_2020_64.02.csv"),
                       ("2025-07-01.csv", "kemendagri_2025_64.02.csv")):
        assert (landed / name).read_bytes() == reference_file(file).read_bytes()
    real = dict(line.split(",", 1) for line in
                (landed / "2025-07-01.csv").read_text(encoding="utf-8").splitlines()[1:])
    # Synthetic deliveries stay on the real codes: attributes for every village, towers at
    # villages spread over the districts, BPS's copy with the real districts (BPS-spelt).
    villages = {c for c in real if c.count(".") == 3}
    attributes = (settings.landing / "registry" / "attributes" / "2026.csv").read_text()
    assert {line.split(";")[0] for line in attributes.splitlines()[1:]} == villages
    inventory = next((settings.landing / "towers" / "inventory").glob("*.csv")).read_text()
    towers = [line.split(",")[3] for line in inventory.splitlines()[1:]]
    # (codes valid in both editions: none in the two districts created in 2025)
    assert set(towers) <= villages and len({t.rsplit(".", 1)[0] for t in towers}) >= 15
    assert not any(t.startswith(("64.02.19.", "64.02.20.")) for t in towers)
    bps = (settings.landing / "registry" / "bps" / "2025-07-01" / "districts.csv").read_text()
    assert len(bps.splitlines()) == 20
    assert (settings.landing / "registry" / "bps" / "2025-07-01" / "provinces.csv"
            ).read_text() == "64,KALIMANTAN TIMUR\n"


def test_a_region_the_national_edition_lacks_is_refused_by_name(settings):
    with pytest.raises(ValueError, match=r"region '64\.99': no such province or regency code"):
        generate(GenerateOptions(home=settings.home, region_code="64.99"), only=("registry",))


def test_the_banner_is_inserted_once_and_removed_when_not_demo():
    page = "<html><body class='x'><p>hi</p></body></html>"
    marked = marking.mark_page(marking.mark_page(page, True), True)
    assert marked.count(marking.MARK) == 1 and marked.index("demo-mark") > marked.index("<body")
    assert marking.mark_page(marked, False) == page
