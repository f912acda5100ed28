"""registry: what an engineer needs to keep the village registry linked."""

from __future__ import annotations

import argparse

from pipelines.commands.common import add_home, console
from pipelines.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("registry", help="village registry: BPS crosswalk and code succession")
    rsub = p.add_subparsers(dest="registry_command", required=True)
    u = rsub.add_parser(
        "unmatched", help="list BPS regions with no Kemendagri link, to settle in the mapping file"
    )
    add_home(u)
    u.add_argument("--csv", action="store_true",
                   help="print only mapping-file lines to fill in (kemendagri_code left empty)")
    u.set_defaults(func=cmd_unmatched)


def cmd_unmatched(args: argparse.Namespace) -> int:
    """Print the open crosswalk entries; exit 0 (an open entry is work, not a failure)."""
    from pipelines.registry.crosswalk import (
        MAPPING_COLUMNS,
        loose_links,
        mapping_path,
        open_entries,
    )
    from pipelines.warehouse import session

    settings = get_settings(args.home)
    with session(settings, read_only=True) as con:
        rows = open_entries(con)
        loose = loose_links(con)
    if args.csv:
        print(",".join(MAPPING_COLUMNS))
        for _, _, code, name, _, status, note in rows:
            print(f"{code},{_csv(name)},,{_csv(note or status)}")
        return 0
    if loose:
        console.print(f"[bold]{len(loose)} links by a word added or dropped, a part of a double "
                      "name or a district's villages[/] (each the only candidate; a mapping-file "
                      "line overrides any):")
        for delivery, level, code, name, kcode, kname, method, score in loose:
            console.print(f"{delivery} {level} {code} {name} = {kcode} {kname} ({method}, {score:.2f})",
                          highlight=False)
    if not rows:
        console.print("Every BPS region is linked (or settled in the mapping file).")
        return 0
    console.print(f"[bold]{len(rows)} BPS region{'s' if len(rows) != 1 else ''} without a Kemendagri link[/]")
    for delivery, level, code, name, parent, status, note in rows:
        console.print(
            f"{delivery} {level} [bold]{code}[/] {name} (in {parent}): {note or status}",
            highlight=False,
        )
    console.print(
        f"Settle each in {mapping_path(settings)} (bps_code,bps_name,kemendagri_code,note; an empty "
        "kemendagri_code means no counterpart exists); the next run applies it. "
        "`konektivitas registry unmatched --csv` prints lines to start from."
    )
    return 0


def _csv(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text
