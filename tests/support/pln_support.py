"""Small hand-built partner data, a registry to match against, and a server for tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from pipelines.demo.partner_server import Faults, PartnerApiServer, PartnerData
from pipelines.pln.api_client import PartnerConnection, PullOptions
from pipelines.settings import Settings

TOKEN = "s3cr3t-T0KEN-do-not-leak-7f9a"
FAST = PullOptions(page_size=2, timeout_s=2.0, max_retries=3, backoff_s=0.01)

REGISTRY_CSV = """kode,nama
64,Kalimantan Timur
64.02,Kabupaten Kutai Kartanegara
64.02.01,Loa Kulu
64.02.01.2001,Kedang Ipil
64.02.01.2002,Sebelimbingan
64.02.02,Samboja
64.02.02.2001,Tani Bhakti
64.02.02.2002,Sanga-Sanga Dalam
64.02.02.2003,Sanga Sanga Dalam Ilir
64.02.02.1004,Muara Sembilang
64.02.02.2005,Muara  Sembilang
"""


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


def write_registry(settings: Settings) -> None:
    """Load the small registry above into core.dim_region through the real registry path."""
    from pipelines.batch.steps import load_file
    from pipelines.registry import kemendagri
    from pipelines.warehouse import session

    path = settings.landing / "registry" / "kemendagri" / "2025-07-01.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(REGISTRY_CSV)
    with session(settings) as con:
        load_file(con, settings, kemendagri.DATASET, path, "2025-07-01")


@contextlib.contextmanager
def partner_server(data: PartnerData | None = None, faults: Faults | None = None
                   ) -> Iterator[tuple[PartnerApiServer, PartnerConnection]]:
    with PartnerApiServer(data or sample_data(), TOKEN, faults) as api:
        yield api, PartnerConnection(api.base_url, TOKEN)


def table_rows(settings: Settings, table: str, order: str) -> list[tuple]:
    from pipelines.warehouse import session

    with session(settings, read_only=True) as con:
        return con.execute(f"SELECT * EXCLUDE (load_id) FROM {table} ORDER BY {order}").fetchall()


def write_config(tmp: Path, lines: list[str]) -> Path:
    folder = tmp / "config"
    folder.mkdir(exist_ok=True)
    (folder / "pln_village_mapping.csv").write_text(
        "district_name,village_name,village_code\n" + "".join(f"{x}\n" for x in lines)
    )
    return folder
