"""`konektivitas selftest`: the hardening matrix (crash, race, hostile, access) on
temporary homes; exit status 1 when any case fails."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("selftest", help="run the hardening matrix on temporary homes: one line "
                                        "per case, then the total")
    p.add_argument("--group", choices=("crash", "race", "hostile", "access"),
                   help="only this group's cases")
    p.add_argument("-k", dest="keyword", help="only cases whose group or name contains this")
    p.add_argument("--list", action="store_true", help="list the cases, run none")
    p.set_defaults(func=cmd_selftest)


def cmd_selftest(args: argparse.Namespace) -> int:
    from pipelines.selftest.runner import discover, listing_line, run_matrix, select

    cases = select(discover(), args.group, args.keyword)
    if args.list:
        for case in cases:
            print(listing_line(case))
        return 0
    if not cases:
        print("no case matches")
        return 1
    board = run_matrix(cases, lambda line: print(line, flush=True))
    return 1 if board.failed else 0
