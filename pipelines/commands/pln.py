"""pln and partner-api: the PLN partner's unmatched sites, a one-off pull, the demo API."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import time
from collections.abc import Iterator

from rich.table import Table

from pipelines.commands.common import add_home, console
from pipelines.settings import Settings, get_settings

TOKEN_ENV = "PLN_PARTNER_API_TOKEN"  # read by get_settings (partner_api_token)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pln", help="PLN partner data: unmatched village names, a one-off pull")
    psub = p.add_subparsers(dest="pln_command", required=True)
    u = psub.add_parser("unmatched", help="sites whose village could not be matched, with candidates")
    add_home(u)
    u.set_defaults(func=cmd_unmatched)
    pl = psub.add_parser("pull", help="one API pull up to now (connection pln_partner_api, from "
                                      "Airflow: its metadata DB or $AIRFLOW_CONN_PLN_PARTNER_API)")
    add_home(pl)
    pl.set_defaults(func=cmd_pull)

    s = sub.add_parser("partner-api", help="the demo PLN partner API on loopback")
    ssub = s.add_subparsers(dest="api_command", required=True)
    sv = ssub.add_parser("serve", help=f"serve generated data; the token comes from ${TOKEN_ENV}")
    add_home(sv)
    sv.add_argument("--port", type=int, default=8765)
    sv.add_argument("--slow", type=float, default=0.0, help="seconds to wait before each answer")
    sv.add_argument("--error-every", type=int, default=0, help="answer every n-th request with 500")
    sv.add_argument("--rate-limit-first", type=int, default=0, help="answer the first n with 429")
    sv.add_argument("--duplicates", action="store_true", help="repeat records across pages")
    sv.set_defaults(func=cmd_serve)


def cmd_unmatched(args: argparse.Namespace) -> int:
    from pipelines.pln.site_match import mapping_hint, unmatched_sites
    from pipelines.warehouse import session

    settings = get_settings(args.home)
    with session(settings) as con:
        rows = unmatched_sites(con, settings)
    if not rows:
        console.print("every partner site is matched to a village")
        return 0
    table = Table(title="PLN partner sites without a village")
    for col in ("site_id", "kecamatan", "desa", "why", "candidates (code village / district, likeness)"):
        table.add_column(col)
    for r in rows:
        cands = "\n".join(f"{c} {v} / {d} ({s:.2f})" for c, v, d, s in r.candidates) or "-"
        table.add_row(r.site_id, r.district_name or "", r.village_name or "", r.reason, cands)
    console.print(table)
    console.print(mapping_hint(settings))
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    from pipelines.pln import api_client as pln_api
    from pipelines.pln import pull as pln
    from pipelines.runner import airflow_connection, configure_airflow

    settings = get_settings(args.home)
    configure_airflow(settings)  # Airflow answers for the connection, as in a task
    conn = airflow_connection(pln_api.CONN_ID)
    if conn is None:
        console.print(f"skipped: no connection {pln_api.CONN_ID!r} configured in Airflow")
        return 0
    console.print(pln.pull(settings, pln_api.partner_connection(conn)).describe())
    return 0


@contextlib.contextmanager
def demo_partner_api(settings: Settings) -> Iterator[None]:
    """Serve the generated partner data on loopback, with a fresh token and some of the
    partner's habits (a 429, an occasional 500, repeated records), and point connection
    pln_partner_api at it for the duration, in Airflow's environment form (Airflow reads it;
    a task gets it from Airflow)."""
    from pipelines.demo.generate.pln import api_folder
    from pipelines.demo.partner_server import Faults, PartnerApiServer, PartnerData
    from pipelines.pln.api_client import ENV_CONN

    folder = api_folder(settings.home)
    if not (folder / "sites.json").exists():
        yield
        return
    token = secrets.token_urlsafe(24)
    faults = Faults(rate_limit_first=1, retry_after_s=1, error_every=7, duplicate_across_pages=True)
    with PartnerApiServer(PartnerData.read(folder), token, faults) as api:
        os.environ[ENV_CONN] = json.dumps(
            {"conn_type": "http", "host": api.base_url, "password": token}
        )
        console.print(f"partner API (demo) serving on {api.base_url}")
        try:
            yield
        finally:
            os.environ.pop(ENV_CONN, None)


def cmd_serve(args: argparse.Namespace) -> int:
    from pipelines.demo.generate.pln import api_folder
    from pipelines.demo.partner_server import Faults, PartnerApiServer, PartnerData

    settings = get_settings(args.home)
    token = settings.partner_api_token
    if not token:
        console.print(f"set {TOKEN_ENV} to the token clients must send")
        return 2
    faults = Faults(slow_s=args.slow, error_every=args.error_every,
                    rate_limit_first=args.rate_limit_first, duplicate_across_pages=args.duplicates)
    data = PartnerData.read(api_folder(settings.home))
    with PartnerApiServer(data, token, faults, port=args.port) as api:
        console.print(f"partner API serving {len(data.sites)} sites, {len(data.outages)} outages "
                      f"on {api.base_url} (Ctrl-C stops)")
        while True:
            time.sleep(3600)
