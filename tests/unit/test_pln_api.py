"""The PLN partner API pull against a real server on loopback: every failure mode."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from pln_support import (
    FAST,
    TOKEN,
    partner_server,
    sample_data,
    site,
    table_rows,
    write_config,
    write_registry,
)

from pipelines.demo.partner_server import Faults
from pipelines.pln import pull as pln
from pipelines.pln.api_client import PartnerApiError, PartnerAuthError, PartnerDataError
from pipelines.settings import get_settings
from pipelines.warehouse import migrate_warehouse, session

UNTIL = datetime(2026, 9, 20, tzinfo=UTC)
LATER = datetime(2026, 9, 25, tzinfo=UTC)


@pytest.fixture
def pln_settings(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("KONEKTIVITAS_CONFIG", str(write_config(tmp_path, [])))
    settings = get_settings(settings.home)  # one that sees the config
    write_registry(settings)
    return settings


def counts(settings) -> tuple[int, int]:
    with session(settings, read_only=True) as con:
        return (con.execute("SELECT count(*) FROM core.dim_partner_site").fetchone()[0],
                con.execute("SELECT count(*) FROM core.fct_partner_outage").fetchone()[0])


def marks(settings) -> dict:
    with session(settings, read_only=True) as con:
        return pln.watermarks(con)


def loads(settings, status: str) -> list[tuple]:
    with session(settings, read_only=True) as con:
        return con.execute(
            "SELECT dataset, message FROM audit.load WHERE source = 'pln' AND status = ? "
            "ORDER BY dataset", [status]).fetchall()


def test_clean_pull_loads_sites_outages_and_moves_watermark(pln_settings):
    with partner_server() as (api, conn):
        result = pln.pull(pln_settings, conn, UNTIL, FAST)
    assert counts(pln_settings) == (5, 5)
    assert result.sites.rows_quarantined == 0 and result.outages.rows_quarantined == 0
    assert marks(pln_settings) == {"sites": UNTIL, "outages": UNTIL}
    # every page walked (page_size 2: 3 pages each), the bearer token never in a URL
    assert len(api.requests) == 6 and all(TOKEN not in r for r in api.requests)
    # S2 had no village_code: matched by normalised district and village name
    rows = {r[0]: r for r in table_rows(pln_settings, "core.dim_partner_site", "site_id")}
    assert rows["S2"][1:3] == ("64.02.01.2002", "name") and rows["S2"][6] == 10.5


def test_401_fails_fast_with_a_clear_message_and_no_retries(pln_settings):
    with partner_server(faults=Faults(unauthorized=True)) as (api, conn):
        t0 = time.monotonic()
        with pytest.raises(PartnerAuthError, match="refused the token.*pln_partner_api.*Not retried"):
            pln.pull(pln_settings, conn, UNTIL, FAST)
        assert time.monotonic() - t0 < 2
    assert len(api.requests) == 1
    assert counts(pln_settings) == (0, 0) and marks(pln_settings) == {}
    assert "HTTP 401" in loads(pln_settings, "failed")[0][1]


def test_429_honours_retry_after_and_loads_exactly_once(pln_settings):
    waits = []

    def sleep(s: float) -> None:
        waits.append(s)
        time.sleep(s)

    with partner_server(faults=Faults(rate_limit_first=2, retry_after_s=1)) as (api, conn):
        pln.pull(pln_settings, conn, UNTIL, FAST, sleep=sleep)
    assert waits == [1.0, 1.0]
    assert counts(pln_settings) == (5, 5)
    assert [d for d, _ in loads(pln_settings, "published")] == ["pln_outage", "pln_site"]


def test_intermittent_500s_are_retried_and_load_exactly_once(pln_settings):
    with partner_server(faults=Faults(error_every=3)) as (api, conn):
        pln.pull(pln_settings, conn, UNTIL, FAST)
    assert len(api.requests) > 6  # some answers were 500s and were asked again
    assert counts(pln_settings) == (5, 5)
    assert table_rows(pln_settings, "core.fct_partner_outage", "outage_id")[0][0] == "O1"
    assert len(loads(pln_settings, "published")) == 2


def test_timeouts_are_retried_with_backoff(pln_settings):
    faults = Faults(slow_s=0.6)
    options = FAST.__class__(**{**FAST.__dict__, "timeout_s": 0.2})

    def sleep(s: float) -> None:
        faults.slow_s = 0.0  # the partner recovers while we back off

    with partner_server(faults=faults) as (api, conn):
        pln.pull(pln_settings, conn, UNTIL, options, sleep=sleep)
    assert counts(pln_settings) == (5, 5)


def test_5xx_without_end_fails_after_bounded_retries(pln_settings):
    with (partner_server(faults=Faults(error_every=1)) as (api, conn),
          pytest.raises(PartnerApiError, match="HTTP 500 after 4 attempts")):
        pln.pull(pln_settings, conn, UNTIL, FAST)
    assert len(api.requests) == FAST.max_retries + 1
    assert counts(pln_settings) == (0, 0) and marks(pln_settings) == {}


def test_malformed_json_loads_nothing_and_leaves_the_watermark(pln_settings):
    with partner_server() as (api, conn):
        pln.pull(pln_settings, conn, UNTIL, FAST)
        before = (table_rows(pln_settings, "core.dim_partner_site", "site_id"),
                  table_rows(pln_settings, "core.fct_partner_outage", "outage_id"))
        api.data.sites.append(site("S9", updated_at="2026-09-21T08:00:00+08:00"))
        api.faults.malformed = ("outages", 1)  # sites arrive fine, then a broken outage page
        with pytest.raises(PartnerDataError, match="malformed JSON"):
            pln.pull(pln_settings, conn, LATER, FAST)
    assert marks(pln_settings) == {"sites": UNTIL, "outages": UNTIL}
    after = (table_rows(pln_settings, "core.dim_partner_site", "site_id"),
             table_rows(pln_settings, "core.fct_partner_outage", "outage_id"))
    assert after == before  # S9 came in a good page, yet nothing of the pull loaded
    assert "Nothing of this pull was loaded" in loads(pln_settings, "failed")[0][1]
    with session(pln_settings, read_only=True) as con:  # the broken page is kept for auditors
        assert con.execute("SELECT count(*) FROM audit.file WHERE first_name LIKE "
                           "'%outages%page=1%'").fetchone()[0] == 2


def test_a_page_that_breaks_the_schema_fails_the_pull(pln_settings):
    with (partner_server(faults=Faults(schema_break=("sites", 2))) as (api, conn),
          pytest.raises(PartnerDataError, match="lacks")):
        pln.pull(pln_settings, conn, UNTIL, FAST)
    assert counts(pln_settings) == (0, 0) and marks(pln_settings) == {}


def test_duplicates_across_pages_keep_the_latest_updated_at(pln_settings):
    data = sample_data()
    data.sites.append(site("S1", bandwidth_mbps=50, updated_at="2026-09-07T09:00:00+08:00"))
    with partner_server(data, Faults(duplicate_across_pages=True)) as (api, conn):
        result = pln.pull(pln_settings, conn, UNTIL, FAST)
    assert counts(pln_settings) == (5, 5)
    s1 = [r for r in table_rows(pln_settings, "core.dim_partner_site", "site_id") if r[0] == "S1"]
    assert len(s1) == 1 and s1[0][6] == 50.0  # the later record of S1 won
    assert result.sites.rows_quarantined == 3 and result.outages.rows_quarantined == 2
    with session(pln_settings, read_only=True) as con:
        reasons = {r for (r,) in con.execute(
            "SELECT DISTINCT unnest(reasons) FROM audit.quarantine WHERE dataset LIKE 'pln_%'"
        ).fetchall()}
    assert reasons == {
        "an older copy of a site sent again in the same pull (the latest updated_at wins)",
        "an earlier copy of an outage sent again later in the same pull (the last copy wins)",
    }


def test_a_pull_interrupted_half_way_and_rerun_equals_one_clean_pull(pln_settings, tmp_path):
    with partner_server(faults=Faults(fail_after=4)) as (api, conn):  # dies in the outages
        with pytest.raises(PartnerApiError, match="HTTP 503"):
            pln.pull(pln_settings, conn, UNTIL, FAST)
        assert counts(pln_settings) == (0, 0) and marks(pln_settings) == {}
        api.faults.fail_after = None
        pln.pull(pln_settings, conn, UNTIL, FAST)
        clean = get_settings(tmp_path / "clean")
        migrate_warehouse(clean)
        write_registry(clean)
        pln.pull(clean, conn, UNTIL, FAST)
    for table, order in [("core.dim_partner_site", "site_id"), ("core.fct_partner_outage", "outage_id")]:
        assert table_rows(pln_settings, table, order) == table_rows(clean, table, order)
    assert marks(pln_settings) == marks(clean)


def test_outage_that_ends_later_is_updated_and_site_changes_make_history(pln_settings):
    with partner_server() as (api, conn):
        pln.pull(pln_settings, conn, UNTIL, FAST)
        o3 = next(o for o in api.data.outages if o["outage_id"] == "O3")
        o3["ended_at"] = "2026-09-21T05:00:00+08:00"
        s1 = next(s for s in api.data.sites if s["site_id"] == "S1")
        s1.update(bandwidth_mbps=50, updated_at="2026-09-22T08:00:00+08:00")
        s3 = next(s for s in api.data.sites if s["site_id"] == "S3")
        s3.update(pln_unit="ULP Samboja", updated_at="2026-09-22T09:00:00+08:00")
        result = pln.pull(pln_settings, conn, LATER, FAST)
        # outages from the last pull minus the 7-day lookback, up to the run's end
        assert result.outages_start == datetime(2026, 9, 13, tzinfo=UTC)
        assert any("start=2026-09-13" in r for r in api.requests)
    outages = table_rows(pln_settings, "core.fct_partner_outage", "outage_id")
    assert len(outages) == 5
    assert [o[3] for o in outages if o[0] == "O3"] == [datetime(2026, 9, 20, 21, tzinfo=UTC)]
    sites = table_rows(pln_settings, "core.dim_partner_site", "site_id, valid_from_at")
    s1 = [(r[6], r[14], r[15]) for r in sites if r[0] == "S1"]
    changed = datetime(2026, 9, 22, tzinfo=UTC)
    assert s1 == [(20.0, datetime(2026, 9, 2, 2, tzinfo=UTC), changed), (50.0, changed, None)]
    s3 = [(r[10], r[15]) for r in sites if r[0] == "S3"]
    assert s3 == [("ULP Samboja", None)]  # not a status or bandwidth change: same version
    # a rerun of an older day asks for nothing and never moves the watermark back
    with partner_server() as (api, conn):
        again = pln.pull(pln_settings, conn, UNTIL, FAST)
    assert again.sites is None and api.requests == [] and "nothing to pull" in again.describe()
    assert marks(pln_settings) == {"sites": LATER, "outages": LATER}


def test_a_body_sent_one_byte_at_a_time_is_bounded_as_a_whole(pln_settings):
    # Each byte comes well inside the per-read timeout; the whole answer never would.
    options = FAST.__class__(**{**FAST.__dict__, "request_deadline_s": 0.5, "max_retries": 1})
    with (partner_server(faults=Faults(trickle_s=0.02)) as (api, conn),
          pytest.raises(PartnerApiError, match="whole answer took longer than 0.5 s")):
        pln.pull(pln_settings, conn, UNTIL, options)
    assert len(api.requests) == 2
    assert counts(pln_settings) == (0, 0) and marks(pln_settings) == {}
    assert "whole answer took longer" in loads(pln_settings, "failed")[0][1]


def test_json_nested_ten_thousand_deep_is_a_recorded_data_error(pln_settings):
    with (partner_server(faults=Faults(nested=("sites", 1))) as (api, conn),
          pytest.raises(PartnerDataError, match="nested too deep")):
        pln.pull(pln_settings, conn, UNTIL, FAST)
    assert counts(pln_settings) == (0, 0) and marks(pln_settings) == {}
    assert "nested too deep" in loads(pln_settings, "failed")[0][1]
