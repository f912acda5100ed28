"""Registry editions pulled from a portal on loopback (pipelines.pull.portal): conditional
GETs, each edition downloaded once and checked, failures recorded and retried, never a
partial edition in landing/."""

from __future__ import annotations

import pytest
from portal_server import Portal

from pipelines.batch.run import run_delivery
from pipelines.pull import portal as pull
from pipelines.pull.landing_files import fetch_dir
from pipelines.reference import kemendagri_editions, reference_file


def connection(server: Portal):
    from airflow.sdk import Connection

    return Connection.from_uri(f"http://127.0.0.1:{server.port}", conn_id="registry_portal")


@pytest.fixture
def server():
    with Portal() as p:
        for e in kemendagri_editions("64.02"):
            p.publish(f"/files/{e.file}", reference_file(e.file).read_bytes(),
                      str(e.effective), e.legal_basis)
        yield p


def rows(con, *where: str) -> list[tuple]:
    return con.execute("SELECT remote_path, outcome, legal_basis, message FROM audit.remote_fetch "
                       + (f"WHERE {where[0]} " if where else "") + "ORDER BY recorded_at, rowid"
                       ).fetchall()


def test_two_editions_then_a_third_each_downloaded_once_with_304s_between(con, settings, server):
    conn = connection(server)
    first = pull.fetch_editions(con, settings, conn)
    assert [s.outcome for s in first] == ["fetched", "fetched"]
    folder = settings.landing / "registry" / "kemendagri"
    assert sorted(p.name for p in folder.iterdir()) == ["2020-01-01.csv", "2025-07-01.csv"]
    assert (folder / "2025-07-01.csv").read_bytes() == \
        reference_file("kemendagri_2025_64.02.csv").read_bytes()
    kept = dict(con.execute("SELECT landed_as, legal_basis FROM audit.remote_fetch "
                            "WHERE outcome = 'fetched' AND landed_as IS NOT NULL").fetchall())
    assert kept == {"landing/registry/kemendagri/2020-01-01.csv": "Permendagri No. 72 Tahun 2019",
                    "landing/registry/kemendagri/2025-07-01.csv":
                        "Kepmendagri No. 300.2.2-2430 Tahun 2025"}

    assert [s.outcome for s in pull.fetch_editions(con, settings, conn)] == ["not_modified"]
    assert server.requests[-1][1].get("If-None-Match")  # asked conditionally: answered 304

    third = reference_file("kemendagri_2025_64.02.csv").read_bytes().replace(b"Tenggarong", b"TENGGARONG")
    server.publish("/files/kemendagri_2026_64.02.csv", third, "2026-01-01", "Kepmendagri No. 1 Tahun 2026")
    again = pull.fetch_editions(con, settings, conn)
    assert [s.outcome for s in again] == ["skipped", "skipped", "fetched"]
    assert [s.outcome for s in pull.fetch_editions(con, settings, conn)] == ["not_modified"]
    for e in server.editions:  # each edition asked for exactly once
        assert server.asked(e["url"]) == 1, e["url"]
    assert (folder / "2026-01-01.csv").read_bytes() == third

    # and what landed loads as any hand-dropped edition does
    from datetime import UTC, datetime

    loaded = run_delivery(con, settings, "village_registry", "kemendagri",
                          datetime.now(UTC).isoformat())
    assert len(loaded) == 3


def test_a_truncated_edition_is_refused_recorded_and_fetched_whole_on_the_retry(con, settings, server):
    server.truncate.add("/files/kemendagri_2025_64.02.csv")
    conn = connection(server)
    with pytest.raises(pull.PortalError, match="truncated body"):
        pull.fetch_editions(con, settings, conn)
    folder = settings.landing / "registry" / "kemendagri"
    assert sorted(p.name for p in folder.iterdir()) == ["2020-01-01.csv"]
    assert not list(fetch_dir(settings).iterdir())
    (refused,) = rows(con, "outcome = 'rejected'")
    assert refused[0].endswith("/files/kemendagri_2025_64.02.csv") and "truncated" in refused[3]

    server.truncate.clear()
    retry = pull.fetch_editions(con, settings, conn)  # no 304: the index is asked whole again
    assert [s.outcome for s in retry] == ["skipped", "fetched"]
    assert (folder / "2025-07-01.csv").read_bytes() == \
        reference_file("kemendagri_2025_64.02.csv").read_bytes()


def test_an_edition_whose_bytes_differ_from_the_index_is_refused(con, settings, server):
    server.files["/files/kemendagri_2020_64.02.csv"] = b"kode,nama\n64,X\n"
    with pytest.raises(pull.PortalError, match="the index says"):
        pull.fetch_editions(con, settings, connection(server))
    assert not (settings.landing / "registry" / "kemendagri" / "2020-01-01.csv").exists()


@pytest.mark.parametrize(("fault", "said"), [
    ({"status": 404}, "HTTP 404"),
    ({"status": 503}, "HTTP 503"),
    ({"raw": b"<html>maintenance</html>"}, "the index is not JSON"),
    ({"raw": b'{"editions": [{"effective_date": "2025-13-01"}]}'}, "edition 1: effective_date"),
])
def test_a_broken_index_is_a_clear_recorded_failure_and_lands_nothing(con, settings, server, fault, said):
    if "status" in fault:
        server.status["/index.json"] = fault["status"]
    else:
        server.raw_index = fault["raw"]
    with pytest.raises(pull.PortalError, match=said):
        pull.fetch_editions(con, settings, connection(server))
    ((path, outcome, _, message),) = rows(con)
    assert (path, outcome) == (f"http://127.0.0.1:{server.port}/index.json", "failed")
    assert said in message and "/index.json" in message
    assert not (settings.landing / "registry").exists()
    server.status.clear()
    server.raw_index = None  # the portal is back: the retry takes both editions
    assert [s.outcome for s in pull.fetch_editions(con, settings, connection(server))] == \
        ["fetched", "fetched"]


def test_bps_files_and_village_attributes_may_come_from_the_same_index():
    sha = "a" * 64
    index = (b'{"editions": ['
             b'{"kind": "bps", "effective_date": "2018-06-30", "url": "mfd/bps_6403.csv", "sha256": "' + sha.encode() + b'"},'
             b'{"kind": "attributes", "effective_date": "2026-01-01", "url": "/attr/2026.csv", "sha256": "' + sha.encode() + b'"},'
             b'{"effective_date": "2025-07-01", "url": "https://cdn.example/k.csv", "sha256": "' + sha.upper().encode() + b'"}]}')
    editions = pull.parse_index(index, "https://portal.example/api/index.json")
    assert [(e.kind, e.url, e.landing_path()) for e in editions] == [
        ("bps", "https://portal.example/api/mfd/bps_6403.csv", "registry/bps/2018-06-30/bps_6403.csv"),
        ("attributes", "https://portal.example/attr/2026.csv", "registry/attributes/2026.csv"),
        ("kemendagri", "https://cdn.example/k.csv", "registry/kemendagri/2025-07-01.csv"),
    ]
    with pytest.raises(pull.PortalError, match="edition 1: its file name .* is not a plain"):
        pull.parse_index(index.replace(b"mfd/bps_6403.csv", b"mfd/.."), "https://p/index.json")
    with pytest.raises(pull.PortalError, match="edition 2: kind 'towers'"):
        pull.parse_index(index.replace(b'"attributes"', b'"towers"'), "https://p/index.json")
