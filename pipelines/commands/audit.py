"""`konektivitas audit ...`: the auditor's desk. Each module below adds its subcommands
to the `audit` group with register(audit_subparsers)."""

from __future__ import annotations

import argparse
import importlib

AUDIT_COMMAND_MODULES: list[str] = [
    "pipelines.commands.audit_desk",
    "pipelines.commands.audit_integrity",
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="what was validated, traced and verified: the auditor's desk")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    for name in AUDIT_COMMAND_MODULES:
        importlib.import_module(name).register(audit_sub)
