"""Kemendagri editions as a type-2 history, code succession and the as-of view."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.batch.steps import load_file
from pipelines.registry import kemendagri
from pipelines.registry.succession import succession_rows
from pipelines.warehouse import connect, migrate_warehouse

# Effective dates chosen for the real editions (their files carry only the year).
REAL_2020 = "2020-01-01"
REAL_2025 = "2025-07-01"
HISTORY = """SELECT * EXCLUDE (load_id) FROM core.dim_region ORDER BY code, valid_from"""


# Kemendagri often re-issues a regency's list unchanged: the 2020 bytes again, earlier.
REISSUED_2018 = "2018-01-01"


def load_real(con, settings, shared_registry: Path, order: list[str]) -> None:
    files = {REAL_2020: "kemendagri_2020_64.02.csv", REAL_2025: "kemendagri_2025_64.02.csv",
             REISSUED_2018: "kemendagri_2020_64.02.csv"}
    for day in order:
        landed = settings.landing / "registry" / "kemendagri" / f"{day}.csv"
        landed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared_registry / files[day], landed)
        result = load_file(con, settings, kemendagri.DATASET, landed, day)
        assert result.status == "published", result


@pytest.fixture
def real_history(con, settings, shared_registry):
    load_real(con, settings, shared_registry, [REAL_2020, REAL_2025])
    return con


def test_byte_identical_editions_under_other_dates_are_each_a_delivery(
        settings, shared_registry, tmp_path):
    from pipelines.settings import get_settings

    def history(home, order):
        s = get_settings(home)
        migrate_warehouse(s)
        con = connect(s)
        load_real(con, s, shared_registry, order)
        rows = con.execute(HISTORY).fetchall()
        loads = con.execute(
            """SELECT partition_key, status, sha256 FROM audit.load
               WHERE dataset = 'kemendagri_region' ORDER BY partition_key""").fetchall()
        files = con.execute("SELECT count(*) FROM audit.file").fetchone()[0]
        archived = sorted(p.name for p in (s.archive).rglob("*.csv"))
        con.close()
        return rows, loads, files, archived

    in_order = history(tmp_path / "a", [REISSUED_2018, REAL_2020, REAL_2025])
    late = history(tmp_path / "b", [REAL_2025, REAL_2020, REISSUED_2018])
    assert late[0] == in_order[0]
    rows, loads, files, archived = late
    # the re-issue is its own published delivery; its bytes are archived once
    assert [(k, s) for k, s, _ in loads] == [
        (REISSUED_2018, "published"), (REAL_2020, "published"), (REAL_2025, "published")]
    assert loads[0][2] == loads[1][2] and files == 2 and len(archived) == 2
    # names valid since the re-issue's date, not only since 2020
    assert min(r[5] for r in rows if r[0] == "64.02.01").isoformat() == REISSUED_2018


def test_out_of_order_edition_gives_the_same_history(settings, shared_registry, tmp_path):
    in_order = connect(settings)
    load_real(in_order, settings, shared_registry, [REAL_2020, REAL_2025])
    expected = in_order.execute(HISTORY).fetchall()
    succession = in_order.execute("SELECT * FROM core.region_code_succession ORDER BY ALL").fetchall()
    in_order.close()

    from pipelines.settings import get_settings

    other = get_settings(tmp_path / "other")
    migrate_warehouse(other)
    reversed_ = connect(other)
    load_real(reversed_, other, shared_registry, [REAL_2025, REAL_2020])
    assert reversed_.execute(HISTORY).fetchall() == expected
    assert (
        reversed_.execute("SELECT * FROM core.region_code_succession ORDER BY ALL").fetchall()
        == succession
    )
    # The late 2020 edition was placed before 2025, not appended as newest.
    (name,) = kemendagri.registry_as_of(reversed_, "2026-01-01").filter(
        "code = '64.02.02.2009'").project("name").fetchone()
    assert name == "Jonggon Jaya"
    reversed_.close()


def test_loading_the_same_edition_twice_changes_nothing(real_history, settings):
    before = real_history.execute("SELECT * FROM core.dim_region ORDER BY ALL").fetchall()
    landed = settings.landing / "registry" / "kemendagri" / f"{REAL_2025}.csv"
    again = load_file(real_history, settings, kemendagri.DATASET, landed, REAL_2025)
    assert again.status == "duplicate"
    assert real_history.execute("SELECT * FROM core.dim_region ORDER BY ALL").fetchall() == before
    # Re-deriving from the same editions is also a no-op (same bytes, other load).
    kemendagri.rebuild_history(real_history, settings)
    assert real_history.execute("SELECT * FROM core.dim_region ORDER BY ALL").fetchall() == before


def test_history_versions_and_registry_as_of(real_history):
    con = real_history
    def count(day: str, level: str) -> int:
        return len(kemendagri.registry_as_of(con, day).filter(f"level = '{level}'").fetchall())

    assert count("2021-01-01", "district") == 18
    assert count("2026-01-01", "district") == 20
    assert count("2019-12-31", "district") == 0
    # A renamed village has two versions, closed and open at the 2025 edition.
    versions = con.execute(
        "SELECT name, valid_from, valid_to, edition_date FROM core.dim_region "
        "WHERE code = '64.02.02.2009' ORDER BY valid_from"
    ).fetchall()
    assert [(v[0], str(v[1]), str(v[2]) if v[2] else None) for v in versions] == [
        ("Karya Utama", REAL_2020, REAL_2025), ("Jonggon Jaya", REAL_2025, None)
    ]
    # A village that moved: its old code ends, its new code starts.
    assert con.execute(
        "SELECT valid_to FROM core.dim_region WHERE code = '64.02.08.2001'"
    ).fetchone()[0].isoformat() == REAL_2025
    # Villages per district as of each day add up to the edition's villages.
    assert count("2021-01-01", "village") == count("2026-01-01", "village") == 237
    # Unset, the view gives today's registry.
    con.execute("RESET VARIABLE as_of")
    assert len(con.sql("SELECT * FROM core.region_as_of WHERE level = 'district'").fetchall()) == 20


def test_succession_on_real_editions(real_history):
    con = real_history
    rows = con.execute(
        """SELECT change_kind, old_code, new_code, old_name, new_name, method
           FROM core.region_code_succession"""
    ).fetchall()
    moved = {r[1]: r[2] for r in rows if r[0] == "moved"}
    # Every village of the two new districts is traced to its 2020 code.
    new_villages = [
        c for (c,) in kemendagri.registry_as_of(con, "2026-01-01")
        .filter("parent_code IN ('64.02.19', '64.02.20')").project("code").fetchall()
    ]
    assert len(new_villages) == 20
    assert sorted(moved.values()) == sorted(new_villages)
    # Kota Bangun -> Kota Bangun Darat, Samboja -> Samboja Barat.
    assert all(old.startswith("64.02.08.") for old, new in moved.items() if new.startswith("64.02.19."))
    assert all(old.startswith("64.02.13.") for old, new in moved.items() if new.startswith("64.02.20."))
    assert moved["64.02.08.2001"] == "64.02.19.2001"  # Kedang Ipil
    assert moved["64.02.08.2003"] == "64.02.19.2002"  # Sedulang, renumbered in the move
    assert moved["64.02.13.1001"] == "64.02.20.1007"  # Salok Api Barat -> Salok Api Darat
    assert moved["64.02.13.1003"] == "64.02.20.1009"  # Ambarawang -> Amborawang Laut
    assert moved["64.02.13.2018"] == "64.02.20.2004"  # Tani Bhakti, desa
    renamed = {r[1]: (r[3], r[4]) for r in rows if r[0] == "renamed"}
    assert renamed["64.02.02.2009"] == ("Karya Utama", "Jonggon Jaya")
    assert renamed["64.02.06.2012"] == ("Rampak Lambur", "Rapak Lambur")
    assert {"64.02.05.2002", "64.02.05.2012", "64.02.12.2017", "64.02.16.2008"} <= set(renamed)
    assert sorted(r[2] for r in rows if r[0] == "new") == ["64.02.19", "64.02.20"]
    assert [r for r in rows if r[0] == "ended"] == []


def test_succession_never_guesses_between_equal_names():
    # Two villages named alike end, two new ones appear: no move is invented.
    pairs = [
        ("2020-01-01", "2025-01-01", "village", "64.02.01.2001", None, "Sumber Sari", None, "64.02.01", None),
        ("2020-01-01", "2025-01-01", "village", "64.02.02.2001", None, "Sumber Sari", None, "64.02.02", None),
        ("2020-01-01", "2025-01-01", "village", None, "64.02.19.2001", None, "SUMBER-SARI", None, "64.02.19"),
        ("2020-01-01", "2025-01-01", "village", None, "64.02.19.2002", None, "Wonosari", None, "64.02.19"),
        ("2020-01-01", "2025-01-01", "village", "64.02.03.2001", None, "Wono Sari", None, "64.02.03", None),
    ]
    rows = succession_rows(pairs)
    kinds = {(r[3], r[4] or r[5]) for r in rows}
    assert ("moved", "64.02.03.2001") in kinds  # Wono Sari = Wonosari
    assert ("ended", "64.02.01.2001") in kinds and ("ended", "64.02.02.2001") in kinds
    assert ("new", "64.02.19.2001") in kinds
    ended = [r for r in rows if r[4] == "64.02.01.2001"][0]
    assert "ambiguous" in ended[12]


def test_an_edition_speaks_only_for_its_scope(con, settings):
    folder = settings.landing / "registry" / "kemendagri"
    folder.mkdir(parents=True)
    editions = {
        "2020-01-01": "kode,nama\n64.02,Kab A\n64.02.01,Satu\n64.02.01.2001,Desa A\n",
        # A later edition of another regency only: 64.02 is not ended by it.
        "2022-01-01": "kode,nama\n64.01,Kab B\n64.01.01,Dua\n64.01.01.2001,Desa B\n",
        # A later edition of 64.02 ends 64.02.01.2001 and adds 64.02.01.2002.
        "2024-01-01": "kode,nama\n64.02,Kab A\n64.02.01,Satu\n64.02.01.2002,Desa C\n",
    }
    for day, text in editions.items():
        (folder / f"{day}.csv").write_text(text)
        load_file(con, settings, kemendagri.DATASET, folder / f"{day}.csv", day)
    current = dict(kemendagri.registry_as_of(con, "2025-01-01")
                   .project("code, valid_from::VARCHAR").fetchall())
    assert current == {"64.02": "2020-01-01", "64.02.01": "2020-01-01",
                       "64.02.01.2002": "2024-01-01", "64.01": "2022-01-01",
                       "64.01.01": "2022-01-01", "64.01.01.2001": "2022-01-01"}
    kinds = con.execute(
        "SELECT change_kind, coalesce(old_code, new_code), from_edition_date::VARCHAR "
        "FROM core.region_code_succession ORDER BY ALL").fetchall()
    assert kinds == [("ended", "64.02.01.2001", "2020-01-01"), ("new", "64.02.01.2002", "2020-01-01")]


def test_a_refused_row_does_not_end_its_region(con, settings):
    folder = settings.landing / "registry" / "kemendagri"
    folder.mkdir(parents=True)
    (folder / "2020-01-01.csv").write_text(
        "kode,nama\n64.02,Kab A\n64.02.01,Satu\n64.02.01.2001,Desa A\n64.02.01.2002,Desa B\n")
    # The next edition lists 2002 with an empty name: quarantined, not ended.
    (folder / "2024-01-01.csv").write_text(
        "kode,nama\n64.02,Kab A\n64.02.01,Satu\n64.02.01.2001,Desa A\n64.02.01.2002,\n")
    load_file(con, settings, kemendagri.DATASET, folder / "2020-01-01.csv", "2020-01-01")
    result = load_file(con, settings, kemendagri.DATASET, folder / "2024-01-01.csv", "2024-01-01")
    assert result.rows_quarantined == 1
    assert con.execute(
        "SELECT name, valid_from::VARCHAR, valid_to FROM core.dim_region WHERE code = '64.02.01.2002'"
    ).fetchall() == [("Desa B", "2020-01-01", None)]
    assert con.execute("SELECT count(*) FROM core.region_code_succession").fetchone() == (0,)
