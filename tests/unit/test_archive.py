"""Archive: bytes kept under their sha256, recorded once; duplicate deliveries detected."""

from __future__ import annotations

import hashlib

from pipelines.io.archive import archive_file


def test_archive_keeps_bytes_under_sha256(con, settings, tmp_path) -> None:
    f = tmp_path / "2025-07-01.csv"
    payload = b"kode,nama\r\n64,Kalimantan Timur\r\n"
    f.write_bytes(payload)
    a = archive_file(con, settings.home, settings.archive, "registry", f)
    assert a.sha256 == hashlib.sha256(payload).hexdigest()
    assert a.archive_path.read_bytes() == payload
    assert a.archive_path.name.startswith(a.sha256)
    assert a.archive_path.stat().st_mode & 0o777 == 0o444  # write-once: nobody may edit it
    again = tmp_path / "copy.csv"
    again.write_bytes(payload)
    archive_file(con, settings.home, settings.archive, "registry", again)
    rows = con.execute("SELECT sha256, bytes, first_name FROM audit.file").fetchall()
    assert rows == [(a.sha256, len(payload), str(f))]
    # The second delivery's copy (made while hashing) is dropped, not left beside the first.
    assert [p.name for p in settings.archive.rglob("*") if p.is_file()] == [a.archive_path.name]
