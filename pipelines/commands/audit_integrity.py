"""`konektivitas audit verify` and `audit replay`: nothing altered, and a month reproduced."""

from __future__ import annotations

import argparse
from datetime import date

from pipelines.commands.common import add_home, console
from pipelines.settings import get_settings


def _month(text: str) -> date:
    return date.fromisoformat(text + "-01")


def register(audit_sub: argparse._SubParsersAction) -> None:
    p = audit_sub.add_parser(
        "verify", help="re-hash the archive, walk the audit hash chain, check reconciliations")
    add_home(p)
    p.set_defaults(func=cmd_verify)

    p = audit_sub.add_parser(
        "replay", help="rebuild a month from the archived files alone and compare its marts")
    add_home(p)
    p.add_argument("--month", type=_month, required=True, help="YYYY-MM")
    p.add_argument("--keep", action="store_true", help="keep the scratch home (its path is printed)")
    p.set_defaults(func=cmd_replay)


def cmd_verify(args: argparse.Namespace) -> int:
    from pipelines.audit.verify import report_lines, verify
    from pipelines.warehouse import session

    settings = get_settings(args.home)
    with session(settings, read_only=True) as con:
        checks = verify(con, settings.home)
    for line in report_lines(checks):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    failed = [c for c in checks if not c.ok]
    console.print(f"{len(failed)} of {len(checks)} checks FAILED" if failed
                  else f"all {len(checks)} checks ok", markup=False, highlight=False, soft_wrap=True)
    return 1 if failed else 0


def cmd_replay(args: argparse.Namespace) -> int:
    from pipelines.audit.replay import replay_month

    settings = get_settings(args.home)
    result = replay_month(settings, args.month, keep=args.keep)
    for line in result.report_lines():
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    return 0 if result.identical else 1
