"""One bad file never stops the others: a misnamed file is left out (and listed), a file
that breaks a step is rejected naming the error, and kinds that need a kind with a
rejected file still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.audit import records as audit
from pipelines.batch.errors import BatchRejected
from pipelines.batch.run import each_load, feed, pending_partitions, run_deliveries
from pipelines.batch.sources import SOURCES


def _edition(settings, shared_registry: Path, name: str, data: bytes | None = None) -> Path:
    folder = settings.landing / "registry" / "kemendagri"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data or (shared_registry / "kemendagri_2025_64.02.csv").read_bytes())
    return path


def _statuses(con) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT partition_key, status FROM audit.load ORDER BY partition_key, status"
    ).fetchall()


def test_a_kpi_file_named_in_non_ascii_digits_does_not_stop_planning(con, settings):
    folder = settings.landing / "towers" / "kpi"
    folder.mkdir(parents=True)
    (folder / "2026-09-03.csv").write_text("tower_id\n")
    (folder / "\u0662\u0660\u0662\u0666-09-04.csv").write_text("tower_id\n")  # Arabic-Indic
    (folder / "2026-02-30.csv").write_text("tower_id\n")  # no such day
    assert pending_partitions(con, settings, SOURCES["tower_logs"]) == ["2026-09-03"]


def test_a_misnamed_registry_edition_does_not_abort_the_others(con, settings, shared_registry):
    _edition(settings, shared_registry, "2025-07-01.csv")
    _edition(settings, shared_registry, "2026-01-01..csv")
    assert pending_partitions(con, settings, SOURCES["village_registry"]) == ["2025-07-01"]
    got = run_deliveries(settings, "village_registry", "2026-01-01T00:00:00+00:00", con=con)
    assert [r.status for r in got["kemendagri"]] == ["published"]


def test_a_rejected_edition_stops_neither_other_editions_nor_the_needing_kinds(
    con, settings, shared_registry
):
    text = (shared_registry / "kemendagri_2025_64.02.csv").read_text(encoding="utf-8")
    _edition(settings, shared_registry, "2025-07-01.csv")
    _edition(settings, shared_registry, "2025-08-01.csv", text.replace("a", "\u00e4").encode("latin-1"))
    attributes = settings.landing / "registry" / "attributes"
    attributes.mkdir(parents=True)
    (attributes / "2025.csv").write_text("village_code,population\n")
    with pytest.raises(BatchRejected, match="2025-08-01.csv"):
        run_deliveries(settings, "village_registry", "2026-01-01T00:00:00+00:00", con=con)
    statuses = _statuses(con)
    assert ("2025-07-01", "published") in statuses and ("2025-08-01", "rejected") in statuses
    assert not [s for s in statuses if s[1] == "running"]
    # attributes need the editions (through bps): its file was still tried, not skipped
    assert con.execute("SELECT count(*) FROM audit.load WHERE dataset = 'village_attributes'"
                       ).fetchone()[0] == 1


def test_a_file_that_breaks_a_step_unforeseen_is_rejected_and_the_next_goes_on(
    con, settings, shared_registry
):
    f = feed("village_registry", "kemendagri")
    loads = [audit.start_load(con, "registry", "kemendagri_region", key, None, f"{key}.csv")
             for key in ("2025-07-01", "2025-08-01")]

    def step(con, settings, dataset, load):
        if load.partition_key == "2025-07-01":
            raise UnicodeDecodeError("utf-8", b"\xe4", 0, 1, "invalid continuation byte")
        return load.partition_key

    ids = [x.load_id for x in loads]
    assert each_load(con, settings, f, ids, step, reads_file=True) == ["2025-08-01"]
    (status, message), = con.execute(
        "SELECT status, message FROM audit.load WHERE load_id = ?", [loads[0].load_id]).fetchall()
    assert status == "rejected"
    assert message.startswith("2025-07-01.csv: could not be loaded: UnicodeDecodeError")
