"""`konektivitas airflow`: Airflow's own UI and services on a home (pipelines.standalone)."""

from __future__ import annotations

import argparse

from pipelines.commands.common import add_home, console
from pipelines.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("airflow", help="serve Airflow's UI (standalone services) on a home's "
                                       "metadata until Ctrl-C")
    add_home(p)
    p.add_argument("--port", type=int, default=8080, help="the UI's port on 127.0.0.1")
    p.set_defaults(func=cmd_airflow)


def cmd_airflow(args: argparse.Namespace) -> int:
    from pipelines.standalone import Login, serve

    settings = get_settings(args.home)
    if not (settings.airflow_home / "airflow.db").exists():
        console.print(f"[yellow]{settings.airflow_home} has no runs yet: `konektivitas demo` "
                      "or `konektivitas run` fills it; starting on an empty one[/]")
    console.print(f"starting Airflow on {settings.home} (log: "
                  f"{settings.airflow_home / 'logs' / 'standalone.log'}) ...")

    def ready(who: Login) -> None:
        console.print(f"Airflow UI: {who.url}  login: {who.user} / {who.password}", soft_wrap=True)
        console.print("Ctrl-C stops it (every service it started).")

    code = serve(settings, args.port, ready)
    console.print("Airflow stopped.")
    return code
