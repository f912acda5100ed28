"""bench: time the pipeline's bulk paths against simpler ways of doing the same."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from pipelines.commands.common import console


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="benchmarks")
    family = p.add_subparsers(dest="bench", required=True)
    t = family.add_parser(
        "towers", help="full validated KPI load vs bare DuckDB load vs pandas + GX-pandas",
    )
    t.add_argument("--rows", type=int, action="append",
                   help="KPI rows of the day file (repeatable: --rows 1000000 --rows 10000000)")
    t.add_argument("--repeat", type=int, default=1, help="runs of each variant, interleaved")
    t.add_argument("--no-naive", action="store_true", help="skip the pandas + GX-pandas variant")
    t.add_argument("--workdir", type=Path, default=None, help="where to write (default: a temp dir)")
    t.set_defaults(func=cmd_bench_towers)
    f = family.add_parser("pull", help="SFTP fetch of a KPI day vs OpenSSH's sftp client, real sshd")
    f.add_argument("--mb", type=int, default=700, help="size of the day file in MiB (default 700)")
    f.add_argument("--repeat", type=int, default=1, help="runs of each, interleaved")
    f.add_argument("--workdir", type=Path, default=None, help="where to write (default: a temp dir)")
    f.set_defaults(func=cmd_bench_pull)
    m = family.add_parser(
        "marts", help="one month's village/district/regency/province marts: grid prefilter vs "
                      "cross join",
    )
    m.add_argument("--villages", type=int, default=None,
                   help="villages of the national edition (default: all 83,345)")
    m.add_argument("--towers", type=int, default=None, help="synthetic towers (default 20,000)")
    m.add_argument("--cross-pairs", type=int, default=None,
                   help="village x tower pairs the cross join runs whole; past them it runs on "
                        "one province and is extrapolated (default 200,000,000)")
    m.add_argument("--workdir", type=Path, default=None, help="where to write (default: a temp dir)")
    m.set_defaults(func=cmd_bench_marts)


def cmd_bench_towers(args: argparse.Namespace) -> int:
    from pipelines.demo import bench_towers

    variants = ("full", "bare") if args.no_naive else bench_towers.VARIANTS
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="konektivitas-bench-"))
    peaks = {}
    for rows in args.rows or [1_000_000]:
        console.print(f"generating {rows:,} rows in {workdir} ...")
        measures, file_mib = bench_towers.run(workdir, rows, args.repeat, variants)
        summary = bench_towers.summarise(measures)
        peaks[rows] = summary["full"]["peak_rss_mib"]
        print(bench_towers.report(rows, file_mib, summary, args.repeat), flush=True)
    if len(peaks) > 1:
        (lo, lo_peak), (hi, hi_peak) = min(peaks.items()), max(peaks.items())
        print(
            f"full load peak RSS grows {hi_peak / lo_peak:.2f}x for {hi / lo:.0f}x the rows "
            f"({lo:,} -> {hi:,}): {'sub-linear' if hi_peak / lo_peak < hi / lo else 'NOT sub-linear'}"
        )
    return 0


def cmd_bench_pull(args: argparse.Namespace) -> int:
    import shutil

    from pipelines.demo import bench_pull

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="konektivitas-bench-pull-"))
    console.print(f"writing a {args.mb} MiB KPI day in {workdir} ...")
    try:
        print(bench_pull.report(args.mb, bench_pull.run(workdir, args.mb, args.repeat)), flush=True)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def cmd_bench_marts(args: argparse.Namespace) -> int:
    from pipelines.demo import bench_marts as bm

    villages = args.villages or bm.NATIONAL_VILLAGES
    towers = args.towers if args.towers is not None else bm.DEFAULT_TOWERS
    home = (args.workdir or Path(tempfile.mkdtemp(prefix="konektivitas-bench-"))) / "marts"
    if home.exists():
        raise ValueError(f"{home}: already exists; give an empty --workdir")
    console.print(f"loading {villages:,} villages and {towers:,} towers into {home} ...")
    grid, cross, there = bm.run(home, villages, towers, args.cross_pairs or bm.CROSS_PAIRS_BUDGET)
    print(bm.report(grid, cross, there, towers), flush=True)
    return 0
