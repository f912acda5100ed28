"""Sites without a village code: matched by name, else listed with candidates, and
settled on the next run by a line in the mapping file."""

from __future__ import annotations

from datetime import UTC, datetime

from pln_support import FAST, partner_server, site, table_rows, write_config, write_registry

from pipelines.cli import main
from pipelines.demo.partner_server import PartnerData
from pipelines.pln import pull as pln
from pipelines.pln.site_match import unmatched_sites
from pipelines.settings import get_settings
from pipelines.warehouse import session


def nameless(site_id: str, district: str, village: str) -> dict:
    return site(site_id, village_code=None, district_name=district, village_name=village)


def test_unmatched_names_are_listed_then_settled_by_the_mapping_file(
    settings, tmp_path, monkeypatch, capsys
):
    config = write_config(tmp_path, [])
    monkeypatch.setenv("KONEKTIVITAS_CONFIG", str(config))
    settings = get_settings(settings.home)  # one that sees the config
    write_registry(settings)
    data = PartnerData(sites=[
        nameless("M1", "SAMBOJA", "SANGA-SANGA DALAM"),  # spelling aside, one village
        nameless("U1", "SAMBOJA", "SANGA SANGA DALEM"),  # a typo: matches nothing
        nameless("U2", "SAMBOJA", "MUARA SEMBILANG"),  # two registry villages by that name
    ])
    with partner_server(data) as (_, conn):
        first = pln.pull(settings, conn, datetime(2026, 9, 20, tzinfo=UTC), FAST)
        assert (first.sites.rows_published, first.sites.rows_quarantined) == (1, 2)
        with session(settings) as con:
            listed = {u.site_id: u for u in unmatched_sites(con, settings)}
        assert listed["U1"].reason == "unmatched"
        assert listed["U1"].candidates[0][:3] == ("64.02.02.2002", "Sanga-Sanga Dalam", "Samboja")
        assert listed["U2"].reason == "ambiguous"
        assert {c[0] for c in listed["U2"].candidates[:2]} == {"64.02.02.1004", "64.02.02.2005"}

        assert main(["pln", "unmatched", "--home", str(settings.home)]) == 0
        out = capsys.readouterr().out
        assert "U1" in out and "U2" in out and "ambiguous" in out and "M1" not in out

        (config / "pln_village_mapping.csv").write_text(
            "district_name,village_name,village_code\n"
            "SAMBOJA,SANGA SANGA DALEM,64.02.02.2002\n"
            "Samboja,Muara Sembilang,64.02.02.1004\n"
        )
        second = pln.pull(settings, conn, datetime(2026, 9, 21, tzinfo=UTC), FAST)
    assert (second.sites.rows_published, second.sites.rows_quarantined) == (2, 0)
    matched = {r[0]: r[1:3] for r in table_rows(settings, "core.dim_partner_site", "site_id")}
    assert matched == {"M1": ("64.02.02.2002", "name"), "U1": ("64.02.02.2002", "mapping"),
                       "U2": ("64.02.02.1004", "mapping")}
    with session(settings) as con:
        assert unmatched_sites(con, settings) == []
