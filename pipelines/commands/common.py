"""What every subcommand shares: the console it prints on and its common arguments."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from rich.console import Console

# Wide enough for the summary tables even when output is not a terminal.
console = Console(width=max(Console().width, 140))


def add_home(p: argparse.ArgumentParser) -> None:
    p.add_argument("--home", type=Path, default=None,
                   help="KONEKTIVITAS_HOME (default: $KONEKTIVITAS_HOME or ./data)")


def parse_date(text: str) -> date:
    return date.fromisoformat(text)


def parse_month(text: str) -> date:
    """YYYY-MM as the month's first day."""
    return date.fromisoformat(text + "-01")
