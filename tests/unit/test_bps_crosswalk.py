"""BPS Master File Desa loading and the BPS -> Kemendagri crosswalk."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from pipelines.batch.steps import BatchRejected, load_file
from pipelines.registry import bps, kemendagri
from pipelines.registry.crosswalk import (
    MappingError,
    build_crosswalk,
    crosswalk_pending,
    open_entries,
    read_mapping,
)
from pipelines.settings import get_settings

TRUTH = Path(__file__).parents[1] / "data" / "bps_mfd_2018_6403_truth.csv"
BPS_DATE = "2018-07-01"  # effective date chosen for the real BPS 2018 delivery


def land_bps(settings, source: Path, day: str = BPS_DATE) -> Path:
    target = settings.landing / "registry" / "bps" / day
    shutil.copytree(source, target)
    return target


def load_bps(con, settings) -> list:
    return [load_file(con, settings, bps.DATASET, f, bps.partition_key(f))
            for f in bps.landed_files(settings)]


@pytest.fixture
def real_crosswalk(con, settings, shared_registry, monkeypatch, tmp_path):
    monkeypatch.setenv("KONEKTIVITAS_CONFIG", str(tmp_path / "config"))
    settings = get_settings(settings.home)  # one that sees the config
    edition = load_file(con, settings, kemendagri.DATASET,
                        shared_registry / "kemendagri_2020_64.02.csv", "2020-01-01")
    assert edition.status == "published"
    land_bps(settings, shared_registry / "bps_mfd_2018_6403")
    results = load_bps(con, settings)
    assert [r.rows_published for r in results] == [1, 1, 18, 235]
    build_crosswalk(con, settings)
    return con


def test_real_bps_2018_against_2020_edition(real_crosswalk):
    con = real_crosswalk
    with TRUTH.open() as fh:
        truth = {r["bps_code"]: r["kemendagri_code"] for r in csv.DictReader(fh)}
    links = dict(con.execute(
        "SELECT bps_code, kemendagri_code FROM core.bps_crosswalk "
        "WHERE level = 'village' AND status = 'matched'").fetchall())
    total = con.execute("SELECT count(*) FROM core.bps_region WHERE level = 'village'").fetchone()[0]
    assert total == len(truth) == 235
    wrong = {b: (k, truth[b]) for b, k in links.items() if truth[b] != k}
    assert wrong == {}
    assert len(links) / total >= 0.97, f"{len(links)}/{total}"
    # Districts: all 18, including SEMBOJA = Samboja and KOTABANGUN = Kota Bangun.
    districts = dict(con.execute(
        "SELECT bps_code, kemendagri_code FROM core.bps_crosswalk WHERE level = 'district'"
    ).fetchall())
    assert len(districts) == 18 and None not in districts.values()
    assert districts["6403010"] == "64.02.13" and districts["6403080"] == "64.02.08"
    # What is not linked is listed with the closest candidate, for a person to settle.
    listed = {r[2]: r[6] for r in open_entries(con)}
    assert set(listed) == set(truth) - set(links)
    assert "64.02.08.2007 Liang" in listed["6403080013"]
    methods = con.execute(
        "SELECT DISTINCT method FROM core.bps_crosswalk WHERE status = 'matched'").fetchall()
    assert {m for (m,) in methods} == {"name", "similarity"}
    assert con.execute(
        "SELECT count(*) FROM core.bps_crosswalk WHERE status = 'matched' AND score IS NULL"
    ).fetchone() == (0,)


def test_mapping_file_settles_unmatched_on_next_build(real_crosswalk, settings):
    con = real_crosswalk
    settings = get_settings(settings.home)  # with the config real_crosswalk set
    assert not crosswalk_pending(con, settings)
    path = settings.config_dir / "bps_mapping.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "bps_code,bps_name,kemendagri_code,note\n"
        "6403050008,JONGGON JAYA,64.02.02.2009,renamed from Karya Utama in the 2025 edition\n"
        "6403080013,LIANG ILIR,,checked: no counterpart\n"
        "6403090009,SOMETHING ELSE,64.02.06.1008,stale: BPS name differs\n"
    )
    assert crosswalk_pending(con, settings)
    counts = build_crosswalk(con, settings)
    assert counts["mapped"] == 1 and counts["no_counterpart"] == 1
    rows = dict(con.execute(
        "SELECT bps_code, (status, kemendagri_code, method) FROM core.bps_crosswalk "
        "WHERE bps_code IN ('6403050008', '6403080013', '6403090009')").fetchall())
    assert rows["6403050008"] == ("mapped", "64.02.02.2009", "mapping")
    assert rows["6403080013"] == ("no_counterpart", None, "mapping")
    assert rows["6403090009"][0] == "unmatched"  # a mapping for another name is not applied
    notes = {r[2]: r[6] for r in open_entries(con)}
    assert notes["6403090009"].startswith("mapping line 4 not applied: it names SOMETHING ELSE")
    assert {r[2] for r in open_entries(con)} == {"6403020008", "6403090009"}
    assert not crosswalk_pending(con, settings)


def test_mapping_file_errors_name_the_line(tmp_path):
    path = tmp_path / "bps_mapping.csv"
    path.write_text("bps_code,bps_name,kemendagri_code\n6403010001,A,64.02.13.1006\n6403010001,A,x\n")
    with pytest.raises(MappingError, match="line 3"):
        read_mapping(path)


def test_bps_rows_breaking_rules_are_quarantined(con, settings):
    folder = settings.landing / "registry" / "bps" / "2024-01-01"
    folder.mkdir(parents=True)
    (folder / "districts.csv").write_text(
        "6403010,6403,SEMBOJA\n6403020,6499,MUARA JAWA\n640303,6403,SANGA-SANGA\n6403010,6403,AGAIN\n"
    )
    result = load_file(con, settings, bps.DATASET, folder / "districts.csv", "2024-01-01/district")
    assert (result.rows_read, result.rows_published, result.rows_quarantined) == (4, 0, 4)
    reasons = dict(con.execute(
        "SELECT record_no, reasons FROM audit.quarantine WHERE load_id = ?", [result.load_id]
    ).fetchall())
    assert "parent_id is missing or is not the code id is nested in" in reasons[2]
    assert "id has the wrong number of digits for its file (2, 4, 7 or 10)" in reasons[3]
    assert "id is listed more than once" in reasons[4]


def test_bps_file_with_one_column_is_rejected_whole(con, settings):
    folder = settings.landing / "registry" / "bps" / "2024-01-01"
    folder.mkdir(parents=True)
    (folder / "villages.csv").write_text("6403010001\n6403010002\n")
    with pytest.raises(BatchRejected, match="missing required column"):
        load_file(con, settings, bps.DATASET, folder / "villages.csv", "2024-01-01/village")
    assert con.execute("SELECT count(*) FROM core.bps_region").fetchone() == (0,)


def test_partition_key_names_a_misplaced_file(tmp_path):
    assert bps.partition_key(tmp_path / "2018-07-01" / "villages.csv") == "2018-07-01/village"
    with pytest.raises(ValueError, match="registry/bps/<effective-date>"):
        bps.partition_key(tmp_path / "latest" / "villages.csv")
