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
