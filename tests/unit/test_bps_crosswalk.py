"""BPS Master File Desa loading and the BPS -> Kemendagri crosswalk."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from bps_style import bps_style
from region_rows import bps_rows, kemendagri_rows

from pipelines.batch.steps import BatchRejected, load_file
from pipelines.registry import bps, kemendagri
from pipelines.registry.crosswalk import (
    MappingError,
    build_crosswalk,
    crosswalk_pending,
    link_delivery,
    open_entries,
    read_mapping,
)
from pipelines.registry.matching import match_by_children
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
    assert set(listed) == set(truth) - set(links) == {"6403050008"}
    assert "64.02.02.2009 Karya Utama" in listed["6403050008"]
    methods = con.execute(
        "SELECT DISTINCT method FROM core.bps_crosswalk WHERE status = 'matched'").fetchall()
    assert {m for (m,) in methods} == {"name", "similarity", "tokens"}
    # A word added or dropped, with the one candidate in the district so related.
    by_tokens = dict(con.execute(
        "SELECT bps_code, (kemendagri_name, score) FROM core.bps_crosswalk WHERE method = 'tokens'"
    ).fetchall())
    assert by_tokens == {"6403020008": ("Muara Jawa", 0.5625), "6403080013": ("Liang", 0.5556),
                         "6403090009": ("Kampung Baru", 0.3636)}
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
        "6403020008,MUARA JAWA PESISIR,64.02.14.1008,checked: Kemendagri drops Pesisir\n"
        "6403080013,LIANG ILIR,,checked: no counterpart\n"
        "6403050008,SOMETHING ELSE,64.02.02.2009,stale: BPS name differs\n"
    )
    assert crosswalk_pending(con, settings)
    counts = build_crosswalk(con, settings)
    assert counts["mapped"] == 1 and counts["no_counterpart"] == 1
    rows = dict(con.execute(
        "SELECT bps_code, (status, kemendagri_code, method) FROM core.bps_crosswalk "
        "WHERE bps_code IN ('6403020008', '6403080013', '6403050008')").fetchall())
    # The mapping file wins over a link the matcher would make (here by tokens).
    assert rows["6403020008"] == ("mapped", "64.02.14.1008", "mapping")
    assert rows["6403080013"] == ("no_counterpart", None, "mapping")
    assert rows["6403050008"][0] == "unmatched"  # a mapping for another name is not applied
    notes = {r[2]: r[6] for r in open_entries(con)}
    assert notes["6403050008"].startswith("mapping line 4 not applied: it names SOMETHING ELSE")
    assert {r[2] for r in open_entries(con)} == {"6403050008"}
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


def _link(bps_rows_, kem_rows) -> dict[str, tuple]:
    rows = link_delivery(date(2018, 7, 1), bps_rows_, date(2020, 1, 1), kem_rows, {})
    return {r[2]: r for r in rows}


def _renamed(rows, names: dict[str, str]) -> list:
    return [(lv, c, p, names.get(c, n)) for lv, c, p, n in rows]


# Rule: a district whose name falls short, linked by its villages (method villages).
def test_district_named_past_the_threshold_is_linked_by_its_villages(shared_registry):
    bps = bps_rows(shared_registry / "bps_mfd_2018_6403")
    kem = kemendagri_rows(shared_registry / "kemendagri_2020_64.02.csv")
    before = _link(bps, kem)
    # KOTA BGN.: KOTABANGUN abbreviated, 0.7 similar to Kota Bangun, not all words shared.
    after = _link(_renamed(bps, {"6403080": "KOTA BGN."}), kem)
    district = after["6403080"]
    assert (district[5], district[8], district[9]) == ("64.02.08", "matched", "villages")
    assert district[10] > 0.8  # the share of its villages found there and nowhere else
    # Its villages are then linked exactly as under the district's real name.
    villages = {c: r[5] for c, r in after.items() if r[4] == "6403080"}
    assert villages == {c: r[5] for c, r in before.items() if r[4] == "6403080"}
    assert len(villages) == 21 and None not in villages.values()


def test_district_whose_villages_belong_to_a_linked_district_stays_unmatched(shared_registry):
    # A BPS district split off Kota Bangun (as the 2025 edition does), matched against the
    # 2020 edition that does not have it yet: its villages are all in Kota Bangun, which
    # KOTABANGUN already took. It is listed with that evidence, not linked.
    bps = bps_rows(shared_registry / "bps_mfd_2018_6403")
    kem = kemendagri_rows(shared_registry / "kemendagri_2020_64.02.csv")
    moved = [r for r in bps if r[2] == "6403080"][:10]
    bps += [("district", "6403081", "6403", "KOTA BANGUN DARAT")]
    bps += [("village", f"6403081{i:03d}", "6403081", r[3]) for i, r in enumerate(moved, 1)]
    rows = _link(bps, kem)
    assert rows["6403081"][8] == "unmatched" and rows["6403081"][5] is None
    assert "by its villages: closest 64.02.08 Kota Bangun (0.80)" in rows["6403081"][11]
    assert rows["6403080"][5] == "64.02.08"


def test_children_vote_only_for_one_candidate_that_no_other_comes_close_to():
    kids = {"k1": {"a": "Loa Ipuh", "b": "Loa Duri", "c": "Bakungan", "d": "Jembayan"},
            "k2": {"e": "Loa Kulu", "f": "Jonggon", "g": "Sungai Payang", "h": "Rempanga"},
            "k3": {"i": "Margahayu", "j": "Sumber Sari", "k": "Sumber Sari"}}
    every = set(kids)
    # Constructed SUNGAI KUNJANG-style: three of four villages found in k1 only.
    m = match_by_children({"b": {"1": "LOA IPUH", "2": "LOA DURI", "3": "BAKUNGAN", "4": "X"}},
                          kids, every)
    assert (m["b"].right, m["b"].method, m["b"].score) == ("k1", "villages", 0.75)
    # Negatives: villages split between two candidates; a name twice in one candidate
    # votes for none; the best candidate is not available; two BPS districts want one.
    split = {"1": "LOA IPUH", "2": "LOA DURI", "3": "LOA KULU", "4": "JONGGON"}
    assert match_by_children({"b": split}, kids, every)["b"].status == "unmatched"
    twice = {"1": "SUMBER SARI", "2": "SUMBER SARI", "3": "MARGAHAYU"}
    assert match_by_children({"b": twice}, kids, every)["b"].status == "unmatched"
    k1ish = {"1": "LOA IPUH", "2": "LOA DURI", "3": "BAKUNGAN"}
    assert match_by_children({"b": k1ish}, kids, every - {"k1"})["b"].status == "unmatched"
    both = match_by_children({"b": k1ish, "c": dict(k1ish)}, kids, every)
    assert {m.status for m in both.values()} == {"ambiguous"}


def test_constructed_bps_files_of_other_east_kalimantan_regencies(shared_registry):
    """Every East Kalimantan regency but 6403 in the 2025 edition, written the BPS way
    (tests/support/bps_style.py): no real BPS file of them is available."""
    kem = kemendagri_rows(shared_registry / "kemendagri_2025_national.csv.gz", "64")
    regencies = sorted({c for lv, c, _, _ in kem if lv == "regency"} - {"64.02"})
    bps, truth = bps_style(kem, regencies)
    rows = link_delivery(date(2024, 7, 1), [("province", "64", None, "KALIMANTAN TIMUR"), *bps],
                         date(2025, 7, 1), kem, {})
    wrong = [r for r in rows if r[1] != "province" and r[5] and truth[r[2]] != r[5]]
    assert wrong == []
    villages = [r for r in rows if r[1] == "village"]
    linked = [r for r in villages if r[8] == "matched"]
    assert len(villages) == 798 and len(linked) / len(villages) >= 0.97
    assert {r[9] for r in linked} == {"name", "similarity", "part", "tokens"}
    districts = [r for r in rows if r[1] == "district"]
    assert all(r[8] == "matched" for r in districts)
    assert sum(r[9] == "villages" for r in districts) >= 5  # the abbreviated ones
