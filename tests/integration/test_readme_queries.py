"""The README's "Querying the warehouse" section works as written.

Every command of its fenced bash and python blocks runs, exactly as printed, from a
directory laid out like a checkout after `make demo`: `.venv` (this interpreter's
environment) and `data/` (a small warehouse home built with the generator and the real
loaders). Each must exit 0 and print rows.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT

SECTION = "## Querying the warehouse"
DAY = date(2026, 10, 1)  # the month the README's examples name
_FENCE = re.compile(r"^```(bash|python)\n(.*?)^```$", re.M | re.S)
# What DuckDB (CLI and Python) and `konektivitas query` print for an empty result.
_EMPTY = re.compile(r"\b0 rows\b|\b0 row\(s\)")


def readme_commands() -> list[tuple[str, str]]:
    """(language, command): each line of a bash block, each python block whole."""
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start:end if end != -1 else None]
    commands = []
    for lang, body in _FENCE.findall(section):
        if lang == "python":
            commands.append((lang, body))
        else:
            lines = body.replace("\\\n", " ").splitlines()
            commands.extend((lang, c) for c in lines if c.strip() and not c.lstrip().startswith("#"))
    return commands


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with `.venv` and `data/` where `make demo` would leave them."""
    from pipelines.batch.run import run_deliveries
    from pipelines.demo.generate import GenerateOptions, generate
    from pipelines.marts import engine
    from pipelines.settings import get_settings
    from pipelines.warehouse import migrate_warehouse

    root = tmp_path_factory.mktemp("checkout")
    (root / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    home = root / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KONEKTIVITAS_HOME", str(home))
        settings = get_settings(home)
        generate(GenerateOptions(home=home, start=DAY, days=1), only={"registry", "towers"})
        # One edition and one attributes year are enough for a month's marts: fewer loads.
        shutil.rmtree(home / "landing/registry/bps")
        for old in ("kemendagri/2020-01-01.csv", "attributes/2025.csv"):
            (home / "landing/registry" / old).unlink()
        migrate_warehouse(settings)
        run_deliveries(settings, "village_registry", "now")
        run_deliveries(settings, "tower_logs", str(DAY))
        engine.build_all(settings)
    return root


def test_the_section_has_commands_to_run() -> None:
    langs = [lang for lang, _ in readme_commands()]
    assert "bash" in langs and "python" in langs


@pytest.mark.parametrize(("lang", "command"), readme_commands(),
                         ids=lambda v: v.split("\n")[0][:60])
def test_readme_query_runs_as_written(checkout: Path, lang: str, command: str) -> None:
    # The README's defaults, not this test session's: KONEKTIVITAS_HOME unset means ./data.
    env = {k: v for k, v in os.environ.items() if not k.startswith("KONEKTIVITAS_")}
    argv = (["bash", "-c", command] if lang == "bash"
            else [str(checkout / ".venv/bin/python"), "-c", command])
    done = subprocess.run(argv, cwd=checkout, env=env, capture_output=True, text=True,
                          timeout=120)
    shown = f"$ {command}\n{done.stdout}\n{done.stderr}"
    assert done.returncode == 0, shown
    assert not _EMPTY.search(done.stdout), f"an empty result:\n{shown}"
    body = done.stdout.splitlines()
    header_end = next((i for i, line in enumerate(body) if line.startswith(("├", "┡"))), None)
    assert header_end is not None and any(
        line.startswith("│") for line in body[header_end + 1:]), f"no rows printed:\n{shown}"
