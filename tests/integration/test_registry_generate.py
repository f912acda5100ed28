"""The synthetic registry deliveries load cleanly and exercise history, succession,
the crosswalk and attributes; the runner's plan sees every kind of delivery."""

from __future__ import annotations

import pytest

from pipelines import cli
from pipelines.batch.run import run_deliveries
from pipelines.batch.sources import SOURCES
from pipelines.demo.generate import GenerateOptions
from pipelines.demo.generate import registry as gen
from pipelines.demo.generate.geo import village_centroid
from pipelines.registry.deliveries import refresh_crosswalk
from pipelines.registry.kemendagri import registry_as_of
from pipelines.runner import planned_runs
from pipelines.settings import get_settings
from pipelines.warehouse import session


@pytest.fixture
def generated(settings, monkeypatch, tmp_path):
    monkeypatch.setenv("KONEKTIVITAS_CONFIG", str(tmp_path / "config"))
    settings = get_settings(settings.home)  # one that sees the config
    files = gen.generate(GenerateOptions(home=settings.home))
    assert {p.parent.name for p in files} >= {"kemendagri", "attributes", "2025-07-01"}
    return settings


def test_generated_registry_loads_with_history_crosswalk_and_attributes(generated):
    # One load of the whole synthetic registry, then every check on it (loads cost time).
    settings = generated
    assert registry_runs(settings)
    results = run_deliveries(settings, "village_registry", "now")
    assert all(r.rows_quarantined == 0 for kind in DELIVERY_KINDS for r in results[kind])
    assert [len(results[k]) for k in DELIVERY_KINDS] == [2, 4, 2]
    assert not registry_runs(settings)
    with session(settings) as con:
        # The real 2020 edition has 18 districts, the 2025 one 20: Kota Bangun Darat split off
        # Kota Bangun, Samboja Barat off Samboja; the splits are traced village by village.
        def districts(day: str) -> int:
            return len(registry_as_of(con, day).filter("level = 'district'").fetchall())

        assert (districts("2021-01-01"), districts("2026-01-01")) == (18, 20)
        moved = con.execute(
            "SELECT old_code, new_code FROM core.region_code_succession WHERE change_kind = 'moved'"
        ).fetchall()
        newest = registry_as_of(con, "2026-01-01").filter(
            "parent_code IN ('64.02.19', '64.02.20')").project("code").fetchall()
        assert len(moved) == 20  # 10 villages each
        assert sorted(n for _, n in moved) == sorted(c for (c,) in newest)
        assert all(o.startswith(("64.02.08.", "64.02.13.")) for o, _ in moved)
        assert con.execute(
            "SELECT count(*) FROM core.region_code_succession WHERE change_kind = 'renamed'"
        ).fetchone()[0] > 0
        # Despite the drift, nearly every BPS village is linked, and each correctly:
        # BPS numbers villages by name within the district, so the link must agree.
        links = con.execute(
            """SELECT x.status, x.bps_name, k.name FROM core.bps_crosswalk AS x
               LEFT JOIN core.region_edition AS k
                 ON k.code = x.kemendagri_code AND k.edition_date = x.edition_date
               WHERE x.level = 'village'"""
        ).fetchall()
        linked = [r for r in links if r[0] == "matched"]
        assert len(linked) / len(links) >= 0.95
        from pipelines.registry.names import normalise_name, similarity

        assert all(similarity(normalise_name(b), normalise_name(k)) >= 0.8 for _, b, k in linked)
        assert any(b != k.upper() for _, b, k in linked)  # drift was there to overcome
        # Attributes: both years, the ;/decimal-comma one too, centroids from geo.py.
        rows = con.execute(
            "SELECT year, code, lat, lon FROM core.village_attributes ORDER BY year, code"
        ).fetchall()
        assert {r[0] for r in rows} == {2025, 2026}
        assert all((lat, lon) == village_centroid(42, code) for _, code, lat, lon in rows)
    # Each suite's results are in Data Docs.
    validations = settings.data_docs / "validations"
    assert {p.name for p in validations.iterdir()} >= {
        "kemendagri_region", "bps_region", "village_attributes"}

    # The runner's plan: nothing left, until a new attributes file or mapping file appears.

    assert registry_runs(settings) == []
    extra = settings.landing / "registry" / "attributes" / "2027.csv"
    extra.write_text("kode,population,households,area_km2,lat,lon\n")
    assert len(registry_runs(settings)) == 1
    extra.unlink()
    mapping = settings.config_dir / "bps_mapping.csv"
    mapping.parent.mkdir(parents=True, exist_ok=True)
    mapping.write_text("bps_code,bps_name,kemendagri_code,note\n")
    assert len(registry_runs(settings)) == 1  # a new mapping file is applied on the next run
    with session(settings) as con:
        refresh_crosswalk(con, settings)
    assert registry_runs(settings) == []


DELIVERY_KINDS = ["kemendagri", "bps", "attributes"]


def registry_runs(settings) -> list:
    return planned_runs(settings, SOURCES["village_registry"])


def test_unmatched_command_prints_what_to_settle(settings, shared_registry, monkeypatch, tmp_path, capsys):
    import shutil

    monkeypatch.setenv("KONEKTIVITAS_CONFIG", str(tmp_path / "config"))
    settings = get_settings(settings.home)  # one that sees the config
    landing = settings.landing / "registry"
    (landing / "kemendagri").mkdir(parents=True)
    shutil.copyfile(shared_registry / "kemendagri_2020_64.02.csv", landing / "kemendagri" / "2020-01-01.csv")
    shutil.copytree(shared_registry / "bps_mfd_2018_6403", landing / "bps" / "2018-07-01")
    run_deliveries(settings, "village_registry", "now")
    assert cli.main(["registry", "unmatched", "--home", str(settings.home)]) == 0
    out = capsys.readouterr().out
    assert "1 BPS region without a Kemendagri link" in out
    assert "6403050008 JONGGON JAYA" in out and "64.02.02.2009 Karya Utama" in out
    # The links by the looser rules are shown for review.
    assert "3 links by a word added or dropped" in out
    assert "6403080013 LIANG ILIR = 64.02.08.2007 Liang (tokens, 0.56)" in out
    assert cli.main(["registry", "unmatched", "--home", str(settings.home), "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "bps_code,bps_name,kemendagri_code,note" and len(lines) == 2
    assert lines[1].startswith("6403050008,JONGGON JAYA,,")
