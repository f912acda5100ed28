"""The Kemendagri edition through the whole batch path: real editions, broken copies, reruns."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.batch.steps import BatchRejected, load_file
from pipelines.registry import kemendagri


def _land(settings, name: str, text: str) -> Path:
    folder = settings.landing / "registry" / "kemendagri"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _load(con, settings, path: Path):
    return load_file(con, settings, kemendagri.DATASET, path, str(kemendagri.edition_date(path)))


@pytest.mark.parametrize("edition", ["kemendagri_2020_64.02.csv", "kemendagri_2025_64.02.csv"])
def test_real_editions_load_with_nothing_quarantined(con, settings, shared_registry, edition):
    text = (shared_registry / edition).read_text(encoding="utf-8")
    result = _load(con, settings, _land(settings, "2025-07-01.csv", text))
    data_rows = len(text.strip().splitlines()) - 1
    assert (result.status, result.rows_read, result.rows_quarantined) == ("published", data_rows, 0)
    assert result.rows_published == data_rows
    assert con.execute("SELECT count(*) FROM core.dim_region").fetchone()[0] == data_rows
    assert (settings.data_docs / "index.html").exists()


def test_broken_copy_loads_good_rows_and_quarantines_the_rest(con, settings, shared_registry):
    lines = (shared_registry / "kemendagri_2025_64.02.csv").read_text().strip().splitlines()
    broken = lines + [
        "64.02.1.2001,Wrong Shape",          # line n+2: code of the wrong shape
        "64.02.99.2001,Orphan Village",       # parent district 64.02.99 missing
        f"{lines[5].split(',')[0]},Again",    # duplicate of a code listed earlier
        "64.02.19.2999,",                    # empty name
    ]
    result = _load(con, settings, _land(settings, "2025-07-01.csv", "\n".join(broken) + "\n"))
    n = len(lines) + 1  # line number of the first appended row
    got = dict(
        con.execute(
            "SELECT record_no, reasons FROM audit.quarantine WHERE load_id = ?", [result.load_id]
        ).fetchall()
    )
    assert got == {
        n: ["code is not of a Kemendagri shape (NN, NN.NN, NN.NN.NN or NN.NN.NN.[12]NNN)"],
        n + 1: ["parent region is missing from the edition"],
        n + 2: ["code repeats a code already listed earlier in the file"],
        n + 3: ["name is empty"],
    }
    assert result.rows_quarantined == 4
    assert result.rows_published == len(lines) - 1
    assert result.rows_read == result.rows_published + result.rows_quarantined
    # The good copy of the duplicated code is the one published, once.
    code, name = lines[5].split(",")
    assert con.execute(
        "SELECT list(name) FROM core.dim_region WHERE code = ?", [code]
    ).fetchone()[0] == [name]
    failed = con.execute(
        "SELECT count(*) FROM audit.validation_result WHERE load_id = ? AND NOT success",
        [result.load_id],
    ).fetchone()[0]
    assert failed == 4


def test_same_bytes_twice_load_nothing_twice(con, settings):
    text = "kode,nama\n64.02,Kab\n64.02.01,Satu\n64.02.01.2001,Desa Satu\n"
    first = _load(con, settings, _land(settings, "2025-07-01.csv", text))
    before = con.execute("SELECT count(*) FROM core.dim_region").fetchone()[0]
    again = _load(con, settings, _land(settings, "2025-07-01.csv", text))
    assert (first.status, again.status) == ("published", "duplicate")
    assert con.execute("SELECT count(*) FROM core.dim_region").fetchone()[0] == before == 3
    assert con.execute("SELECT count(*) FROM audit.file").fetchone()[0] == 1


def test_file_missing_a_column_is_rejected_whole(con, settings):
    path = _land(settings, "2025-07-01.csv", "kode,name_typo\n64.02,Kab\n")
    with pytest.raises(BatchRejected, match=r"2025-07-01.csv: missing required column\(s\) nama"):
        _load(con, settings, path)
    status, msg = con.execute("SELECT status, message FROM audit.load").fetchone()
    assert status == "rejected" and "nama" in msg
    assert con.execute("SELECT count(*) FROM core.dim_region").fetchone()[0] == 0


def test_crash_mid_publish_then_rerun_publishes_once(con, settings):
    import dataclasses

    text = "kode,nama\n64.02,Kab\n64.02.01,Satu\n"
    path = _land(settings, "2025-07-01.csv", text)
    original = kemendagri.DATASET.publish

    def publish_then_crash(con_, settings_, dataset, load, valid):
        original(con_, settings_, dataset, load, valid)  # rows written, then the power goes
        raise RuntimeError("power cut during publish")

    crashing = dataclasses.replace(kemendagri.DATASET, publish=publish_then_crash)
    with pytest.raises(RuntimeError, match="power cut"):
        load_file(con, settings, crashing, path, "2025-07-01")
    assert con.execute("SELECT count(*) FROM core.dim_region").fetchone()[0] == 0
    result = _load(con, settings, path)
    assert result.status == "published"
    assert con.execute("SELECT count(*) FROM core.dim_region").fetchone()[0] == 2
    statuses = sorted(r[0] for r in con.execute("SELECT status FROM audit.load").fetchall())
    assert statuses == ["abandoned", "published"]


def test_data_docs_index_lists_every_load_with_its_verdict(con, settings):
    """A load published with a row quarantined reads as published, never as failed."""
    good = "kode,nama\n64.02,Kab\n64.02.01,Satu\n"
    _load(con, settings, _land(settings, "2025-07-01.csv", good))
    _load(con, settings, _land(settings, "2025-08-01.csv", good + "64.02.1,Bad\n"))
    page = (settings.data_docs / "index.html").read_text()
    section = page[page.index("<!-- konektivitas-runs -->"):page.index("<!-- /konektivitas-runs -->")]
    assert section.count("<tr class='verdict-") == 2
    assert "<td>passed</td>" in section
    assert "<td>published, 1 row quarantined (1 rule)</td>" in section
    assert "failed" not in section
    for link in __import__("re").findall(r"href='(validations/[^']+)'", section):
        assert (settings.data_docs / link).exists()
