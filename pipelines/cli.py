"""The `konektivitas` command."""

from __future__ import annotations

import argparse
import importlib
import sys
from datetime import date
from pathlib import Path

from rich.console import Console

# Wide enough for the summary tables even when output is not a terminal.
console = Console(width=max(Console().width, 140))

# Modules that add subcommands: each has register(subparsers).
COMMAND_MODULES = [
    "pipelines.commands.core",
    "pipelines.commands.desk",
    "pipelines.commands.registry",
    "pipelines.commands.pln",
    "pipelines.commands.bench",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="konektivitas", description="Blank-spot connectivity statistics pipeline."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def add_home(p: argparse.ArgumentParser) -> None:
    p.add_argument("--home", type=Path, default=None,
                   help="KONEKTIVITAS_HOME (default: $KONEKTIVITAS_HOME or ./data)")


def parse_date(text: str) -> date:
    return date.fromisoformat(text)


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
