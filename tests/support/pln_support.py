"""Small hand-built partner data, a registry to match against, and a server for tests."""

from __future__ import annotations

from pathlib import Path

from pipelines.selftest.partner import (  # noqa: F401 (the tests import them from here)
    FAST,
    TOKEN,
    outage,
    partner_server,
    sample_data,
    site,
)
from pipelines.settings import Settings

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
