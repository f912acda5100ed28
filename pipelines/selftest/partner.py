"""The demo partner API's data for the matrix and the tests: a few sites and outages, the
token, fast pull options, and the server on loopback."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from pipelines.demo.partner_server import Faults, PartnerApiServer, PartnerData
from pipelines.pln.api_client import PartnerConnection, PullOptions

TOKEN = "s3cr3t-T0KEN-do-not-leak-7f9a"
FAST = PullOptions(page_size=2, timeout_s=2.0, max_retries=3, backoff_s=0.01)

def site(site_id: str, **kw) -> dict:
    rec = {
        "site_id": site_id, "village_code": "64.02.01.2001", "village_name": "KEDANG IPIL",
        "district_name": "LOA KULU", "service": "FIBER", "bandwidth_mbps": 20,
        "status": "ACTIVE", "activated_at": "2026-09-01T00:00:00+08:00", "terminated_at": None,
        "pln_unit": "ULP Tenggarong", "lat": -0.3, "lon": 116.6,
        "updated_at": "2026-09-02T10:00:00+08:00",
    }
    rec.update(kw)
    return rec


def outage(outage_id: str, site_id: str, start: str, end: str | None, cause: str = "PLN_POWER") -> dict:
    return {"outage_id": outage_id, "site_id": site_id, "started_at": start, "ended_at": end,
            "cause": cause, "description": "padam"}


def sample_data() -> PartnerData:
    return PartnerData(
        sites=[
            site("S1"),
            site("S2", village_code=None, village_name="SEBELIMBINGAN", district_name="LOA-KULU",
                 bandwidth_mbps="10,5", updated_at="2026-09-03T09:00:00+08:00"),
            site("S3", village_code="64.02.02.2001", service="VSAT", updated_at="2026-09-04T09:00:00"),
            site("S4", village_code="64.02.01.2002", status="PLANNED", activated_at=None,
                 updated_at="2026-09-05T09:00:00Z"),
            site("S5", village_code="64.02.02.2001", updated_at="2026-09-06T09:00:00+08:00"),
        ],
        outages=[
            outage("O1", "S1", "2026-09-10T01:00:00+08:00", "2026-09-10T03:00:00+08:00"),
            outage("O2", "S1", "2026-09-10T02:00:00+08:00", "2026-09-10T04:00:00+08:00", "FIBER_CUT"),
            outage("O3", "S3", "2026-09-11T05:00:00+08:00", None, "WEATHER"),
            outage("O4", "S5", "2026-09-12T05:00:00+08:00", "2026-09-12T05:30:00+08:00"),
            outage("O5", "S2", "2026-09-13T05:00:00+08:00", "2026-09-13T06:00:00+08:00"),
        ],
    )


@contextlib.contextmanager
def partner_server(data: PartnerData | None = None, faults: Faults | None = None
                   ) -> Iterator[tuple[PartnerApiServer, PartnerConnection]]:
    with PartnerApiServer(data or sample_data(), TOKEN, faults) as api:
        yield api, PartnerConnection(api.base_url, TOKEN)
