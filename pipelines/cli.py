"""The `konektivitas` command."""

from __future__ import annotations

import argparse
import importlib
import sys

from pipelines.commands.common import console

# Modules that add subcommands: each has register(subparsers).
COMMAND_MODULES = [
    "pipelines.commands.core",
    "pipelines.commands.desk",
    "pipelines.commands.registry",
    "pipelines.commands.pln",
    "pipelines.commands.bench",
    "pipelines.commands.audit",
    "pipelines.commands.selftest",
    "pipelines.commands.ui",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="konektivitas", description="Blank-spot connectivity statistics pipeline."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the command line shows the reason, not a traceback
        if getattr(args, "debug", False):
            raise
        console.print(f"[bold red]error:[/] {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
