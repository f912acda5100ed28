"""generate, run and demo: the embedded pipeline from landing zone to marts."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pipelines.commands.common import add_home, console, parse_date
from pipelines.settings import get_settings, region_code

if TYPE_CHECKING:
    from pipelines.demo.generate.towers import TowerOptions


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("generate", help="write deterministic demo data into a landing zone")
    add_home(p)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--region", default=None, metavar="CODE",
                   help="a province (64), a regency (64.02) or 'national': synthetic data over "
                        "the real registry of that region (default: KONEKTIVITAS_REGION_CODE)")
    p.add_argument("--start", type=parse_date, default=None, help="first local day (YYYY-MM-DD)")
    p.add_argument("--days", type=int, default=None, help="days of tower and partner data")
    p.add_argument("--towers", type=int, default=None, help="number of towers (default 30)")
    p.add_argument("--bad-rate", action="append", default=[], metavar="KIND=RATE",
                   help="share of KPI rows of a bad kind (out_of_range, unknown_tower, off_grid, "
                        "outside_day, duplicate, not_a_number, or all); repeatable, in order")
    p.add_argument("--variant-rate", action="append", default=[], metavar="VARIANT=RATE",
                   help="share of days in a file variant (semicolon, bom, crlf, gzip, no_offset, "
                        "or all); repeatable, in order")
    p.add_argument("--gap-rate", type=float, default=None, help="share of slots with no sample")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("run", help="run every DAG on what has landed, in-process, then the marts")
    add_home(p)
    p.add_argument("--debug", action="store_true")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("migrate", help="apply pending warehouse migrations")
    add_home(p)
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("demo", help="generate demo data into a fresh home and run it")
    add_home(p)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--keep", action="store_true", help="keep an existing home instead of wiping it")
    p.add_argument("--start", type=parse_date, default=None,
                   help="first local day (YYYY-MM-DD; default: the generator's)")
    p.add_argument("--days", type=int, default=None, help="days of tower and partner data")
    p.add_argument("--debug", action="store_true")
    p.set_defaults(func=cmd_demo)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
        transient=False,
    )


def cmd_generate(args: argparse.Namespace) -> int:
    from pipelines.demo.generate import GenerateOptions, generate

    settings = get_settings(args.home)
    chosen = {k: v for k, v in (("start", args.start), ("days", args.days)) if v}
    region = region_code(args.region, "--region") if args.region else settings.region_code
    opts = GenerateOptions(home=settings.home, seed=args.seed, region_code=region,
                           towers=tower_options(args), **chosen)
    with _progress() as progress:
        task = progress.add_task("generating", total=None)
        files = generate(opts, on_step=lambda s: progress.update(task, description=f"generating {s}"))
        progress.update(task, description=f"generated {len(files)} files")
    from pipelines.demo import marking

    console.print(f"landing zone: {settings.landing}")
    console.print(f"[bold black on yellow] {marking.MARK} [/]")
    return 0


def tower_options(args: argparse.Namespace) -> TowerOptions:
    """The tower generator's knobs from the command line, over its defaults (TowerOptions)."""
    import dataclasses

    from pipelines.demo.generate import towers as gen

    base = gen.TowerOptions()
    chosen = {k: v for k, v in (("towers", args.towers), ("gap_rate", args.gap_rate)) if v is not None}
    return dataclasses.replace(
        base, **chosen,
        bad_rates=gen.rates(args.bad_rate, gen.BAD_KINDS, base.bad_rates, "--bad-rate"),
        variant_rates=gen.rates(args.variant_rate, gen.VARIANTS, base.variant_rates, "--variant-rate"),
    )


def cmd_run(args: argparse.Namespace) -> int:
    from pipelines.run_lock import RunLocked
    from pipelines.runner import RunReport, run_log, run_pending

    settings = get_settings(args.home)
    log = None if args.debug else run_log(settings)
    with _progress() as progress:
        task = progress.add_task("starting Airflow", total=None)

        def step(dag_id: str, when: str) -> None:
            progress.update(task, description=f"running {dag_id} for {when}")

        from pipelines.audit.run_summary import print_summary

        def summary(report: RunReport) -> None:  # inside the run lock: see run_pending
            progress.update(task, description=f"{len(report.runs)} DAG runs")
            progress.stop()
            print_summary(settings, console)

        try:
            report = run_pending(settings, on_step=step, log=log, then=summary)
        except RunLocked as exc:
            console.print(f"[bold red]{exc}[/]")
            return 2
    for dag_id, partition in report.waiting:
        console.print(f"[yellow]{dag_id} {partition}: waiting for the rest of its files: not "
                      "run; a later run loads it, or says what never landed once the wait ends[/]")
    if report.failed:
        for dag_id, when, state in report.failed:
            console.print(f"[bold red]{dag_id} {when}: {state}[/]")
        if log:
            console.print(f"Why, with every traceback: {log}")
        return 1
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from pipelines.warehouse import migrate_warehouse, session

    settings = get_settings(args.home)
    applied = migrate_warehouse(settings)
    with session(settings, read_only=True) as con:
        (version,) = con.execute("SELECT max(version) FROM audit.schema_migrations").fetchone()
    console.print(f"applied {len(applied)} migration(s); warehouse at migration {version} "
                  f"({settings.warehouse_backend})")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    settings = get_settings(args.home or Path("./data"))
    if settings.home.exists() and not args.keep:
        shutil.rmtree(settings.home)
    # The demo keeps the region of the settings (Kutai Kartanegara unless set otherwise) and
    # the generator's defaults for what `demo` does not ask.
    args.home, args.region = settings.home, None
    args.towers, args.bad_rate, args.variant_rate, args.gap_rate = None, [], [], None
    cmd_generate(args)
    from pipelines.commands.pln import demo_partner_api
    from pipelines.commands.pull import demo_noc_sftp, move_to_noc

    console.print(f"tower logs: {move_to_noc(settings)} files on the demo NOC's SFTP server")
    # the partner's API and the NOC's SFTP server, on loopback, for this run
    with demo_partner_api(settings), demo_noc_sftp(settings):
        return cmd_run(args)
