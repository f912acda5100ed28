"""The landing zone: links never followed out of it, and every file in it either some
delivery's or listed as unrecognised with its reason."""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.batch.landing import unrecognised_files
from pipelines.batch.run import landing_layout, pending_partitions, run_deliveries
from pipelines.batch.sources import SOURCES

OUTSIDE = Path("/etc/passwd")


def _archived_bytes(settings) -> list[bytes]:
    return [p.read_bytes() for p in settings.archive.rglob("*") if p.is_file()]


def test_a_symlink_in_landing_is_never_followed(con, settings, shared_registry, tmp_path):
    editions = settings.landing / "registry" / "kemendagri"
    editions.mkdir(parents=True)
    (editions / "2025-07-01.csv").write_bytes(
        (shared_registry / "kemendagri_2025_64.02.csv").read_bytes())
    (editions / "2025-08-01.csv").symlink_to(OUTSIDE)
    kpi = settings.landing / "towers" / "kpi"
    kpi.mkdir(parents=True)
    (kpi / "2026-09-01.csv").symlink_to(OUTSIDE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "2025.csv").write_text("village_code,population\n")
    os.symlink(elsewhere, settings.landing / "registry" / "attributes")

    assert pending_partitions(con, settings, SOURCES["tower_logs"]) == []
    run_deliveries(settings, "village_registry", "2026-01-01T00:00:00+00:00", con=con)
    assert OUTSIDE.read_bytes() not in _archived_bytes(settings)
    assert con.execute("SELECT list(file_name ORDER BY file_name) FROM audit.load").fetchone() == (
        ["landing/registry/kemendagri/2025-07-01.csv"],)
    listed = dict(unrecognised_files(settings, landing_layout()))
    assert set(listed) == {"landing/registry/attributes", "landing/registry/kemendagri/2025-08-01.csv",
                           "landing/towers/kpi/2026-09-01.csv"}
    assert all("symbolic link" in reason for reason in listed.values())


MISNAMED = {
    "towers/kpi/2026-09-03 (salinan).csv": "tower kpi file is named",
    "towers/kpi/2026-09-03..csv": "tower kpi file is named",
    "towers/kpi/\u0662\u0660\u0662\u0666-09-03.csv": "tower kpi file is named",
    "towers/events/2026-09-03.csv": "tower events file is named",
    "registry/kemendagri/2026-01-01..csv": "an edition file is named",
    "registry/kemendagri/2026-13-01.csv": "month must be in 1..12",
    "registry/bps/2026-01-01/desa.csv": "a BPS file is",
    "pln/sla/Oktober 2026.xlsx": "an SLA report is named",
    "catatan.txt": "no delivery kind lands files in landing/",
}


def test_every_misnamed_file_is_listed_in_audit_and_in_the_run_summary(con, settings):
    import io

    from rich.console import Console

    from pipelines.audit.run_summary import print_summary

    for rel in MISNAMED:
        (settings.landing / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings.landing / rel).write_text("x\n")
    for source in SOURCES.values():
        pending_partitions(con, settings, source)
    got = dict(con.execute("SELECT path, reason FROM audit.unrecognised_file").fetchall())
    assert set(got) == {f"landing/{rel}" for rel in MISNAMED}
    for rel, reason in MISNAMED.items():
        assert reason in got[f"landing/{rel}"], rel
    con.close()  # the summary opens its own session
    out = io.StringIO()
    print_summary(settings, Console(file=out, width=400))
    text = out.getvalue()
    assert "Files not loaded" in text
    assert all(f"landing/{rel}" in text for rel in MISNAMED)
