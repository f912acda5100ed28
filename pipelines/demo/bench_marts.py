"""Benchmark of one month's connectivity marts: `konektivitas bench marts --villages N --towers M`.

Prepares a warehouse through the real loaders: N villages of the real national 2025
edition (evenly spread over its 83,345, with their districts, regencies and provinces),
synthetic centroids for them, M synthetic towers placed among them, and one day of their
5-minute KPIs (so every tower has a month's availability). Then builds the month's
village, district, regency and province marts (region `national`) twice, each in a child
process of its own so that its peak memory is its own (VmHWM, as in bench_towers):

- prefiltered: the marts as they run, coverage through the grid prefilter;
- cross join: the same marts with coverage as the definition writes it, every village
  against every tower (warehouse/models/macros/coverage.sql).

The cross join's time grows with villages x towers. Past a budget of pairs it runs on the
villages of one province only (the largest that fits, all towers kept), and its national
time is extrapolated in proportion to the villages; the output says so. The prefiltered
marts are also timed on that province, for the ratio measured there.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

MONTH = date(2026, 10, 1)
NATIONAL_VILLAGES = 83_345
DEFAULT_TOWERS = 20_000
CROSS_PAIRS_BUDGET = 200_000_000  # village x tower pairs the cross join runs whole
MARTS = ("village_connectivity_monthly", "district_connectivity_monthly",
         "regency_connectivity_monthly", "province_connectivity_monthly")


@dataclass(frozen=True)
class Build:
    method: str
    region: str
    villages: int
    seconds: float
    peak_rss_mib: float
    rows: dict[str, int]


def national_rows() -> list[tuple[str, str]]:
    from pipelines.reference import EDITIONS, read_edition

    return read_edition(next(e for e in EDITIONS if e.region_code == ""))


def sample(rows: list[tuple[str, str]], villages: int) -> list[tuple[str, str]]:
    """`villages` villages evenly spread over the edition, with every code above them."""
    all_villages = [c for c, _ in rows if c.count(".") == 3]
    if not 1 <= villages <= len(all_villages):
        raise ValueError(f"--villages {villages}: the national edition has 1 to "
                         f"{len(all_villages):,} villages")
    chosen = {all_villages[i * len(all_villages) // villages] for i in range(villages)}
    above = {c.rsplit(".", k)[0] for c in chosen for k in (1, 2, 3)}
    return [(c, n) for c, n in rows if c in chosen or c in above]


def prepare(home: Path, villages: int, towers: int, seed: int = 7) -> list[str]:
    """Load the benchmark's inputs into a fresh warehouse under `home`; the village codes."""
    import duckdb

    from pipelines.batch.run import run_delivery
    from pipelines.demo.generate import registry as reg
    from pipelines.demo.generate import towers as gen
    from pipelines.marts import engine
    from pipelines.warehouse import migrate_warehouse, session

    rows = sample(national_rows(), villages)
    codes = [c for c, _ in rows if c.count(".") == 3]
    edition = home / "landing" / "registry" / "kemendagri" / "2025-07-01.csv"
    edition.parent.mkdir(parents=True, exist_ok=True)
    with edition.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows([("kode", "nama"), *rows])
    reg.write_attributes(reg.attribute_rows(codes, seed, MONTH.year),
                         home / "landing" / "registry" / "attributes" / f"{MONTH.year}.csv",
                         decimal_comma=False)
    opts = gen.TowerOptions(towers=towers, bad_rates={}, gap_rate=0.0, events=False)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    gen.tower_table(con, seed, towers, codes, MONTH, 1)
    gen.write_inventory(con, home, MONTH, 1)
    gen.write_day(con, home, seed, MONTH, opts, variants=set())
    con.close()

    settings = bench_settings(home, "national")
    migrate_warehouse(settings)
    with session(settings) as wh:
        for source, kind, partition in (("village_registry", "kemendagri", "now"),
                                        ("village_registry", "attributes", "now"),
                                        ("tower_logs", "inventory", str(MONTH)),
                                        ("tower_logs", "kpi", str(MONTH))):
            run_delivery(wh, settings, source, kind, partition)
        engine.build_whole(wh, settings)
        engine.refresh_indicators(wh, settings, MONTH)
        # every month mart once, untimed: the timed builds then write no first comments
        engine.build_month(wh, settings, MONTH)
    return codes


def bench_settings(home: Path, region: str):
    import dataclasses

    from pipelines.settings import Settings

    return dataclasses.replace(Settings(home=home.resolve()), region_code=region)


def cross_region(codes: list[str], towers: int, budget: int = CROSS_PAIRS_BUDGET) -> tuple[str, int]:
    """Where the cross join runs: `national` when villages x towers fits the budget, else
    the province with the most villages that fits (the smallest one if none does)."""
    if len(codes) * max(towers, 1) <= budget:
        return "national", len(codes)
    per_province: dict[str, int] = {}
    for c in codes:
        per_province[c[:2]] = per_province.get(c[:2], 0) + 1
    fits = {p: n for p, n in per_province.items() if n * towers <= budget}
    chosen = max(fits, key=fits.get) if fits else min(per_province, key=per_province.get)
    return chosen, per_province[chosen]


def child(method: str, home: Path, region: str) -> dict:
    from pipelines.marts import engine
    from pipelines.warehouse import session

    settings = bench_settings(home, region)
    with session(settings) as con:
        # the client's first query with parameters imports pandas (seconds on a busy
        # machine): the process's start, not the marts' time
        con.execute("SELECT ?", [1]).fetchall()
        start = time.perf_counter()
        rows = engine.build(con, settings, "month", MONTH, MARTS, coverage=method)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": rows}


def measure(method: str, home: Path, region: str) -> Build:
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.demo.bench_marts", method, str(home), region],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"bench marts ({method}, {region}) failed: {proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    # villages as built: the few whose district the edition lacks are quarantined
    return Build(method, region, out["rows"]["village_connectivity_monthly"], out["seconds"],
                 out["peak_rss_mib"], out["rows"])


def run(home: Path, villages: int, towers: int,
        budget: int = CROSS_PAIRS_BUDGET) -> tuple[Build, Build, Build | None]:
    """(prefiltered at full size, cross join where it runs, prefiltered there when that is
    a province: None when the cross join ran at full size)."""
    codes = prepare(home, villages, towers)
    region, _ = cross_region(codes, towers, budget)
    grid = measure("grid", home, "national")
    cross = measure("cross_join", home, region)
    grid_there = measure("grid", home, region) if region != "national" else None
    return grid, cross, grid_there


def extrapolated(grid: Build, cross: Build, grid_there: Build) -> float:
    """The cross join's time at full size from its time on a province: only what it takes
    beyond the prefiltered build there grows with the villages (a conservative estimate:
    the marts' other work is counted once, at its full-size prefiltered time)."""
    extra = max(cross.seconds - grid_there.seconds, 0.0)
    return grid.seconds + extra * grid.villages / cross.villages


def report(grid: Build, cross: Build, grid_there: Build | None, towers: int) -> str:
    """What the command prints; its last two lines are for scripts."""
    rows = ", ".join(f"{m.split('_')[0]} {n:,}" for m, n in grid.rows.items())
    lines = [f"one month ({MONTH:%Y-%m}), {grid.villages:,} villages of the national 2025 "
             f"edition built, {towers:,} towers; rows: {rows}",
             f"prefiltered (grid) build: {grid.seconds:.2f} s, peak RSS {grid.peak_rss_mib:.0f} MiB"]
    if grid_there is None:
        cross_s = cross.seconds
        lines.append(f"cross join build:         {cross.seconds:.2f} s, peak RSS "
                     f"{cross.peak_rss_mib:.0f} MiB (same villages)")
    else:
        cross_s = extrapolated(grid, cross, grid_there)
        lines += [
            f"cross join build:         {cross_s:.2f} s EXTRAPOLATED: measured {cross.seconds:.2f} s "
            f"on the {cross.villages:,} villages of province {cross.region} (all {towers:,} "
            f"towers); what it took beyond the prefiltered build there, "
            f"{max(cross.seconds - grid_there.seconds, 0.0):.2f} s, scaled by {grid.villages:,} / "
            f"{cross.villages:,} villages (its work is villages x towers), plus the prefiltered "
            f"build's own time; peak RSS {cross.peak_rss_mib:.0f} MiB",
            f"on province {cross.region} alone: prefiltered {grid_there.seconds:.2f} s, "
            f"cross join {cross.seconds:.2f} s, "
            f"{cross.seconds / grid_there.seconds:.1f}x measured",
        ]
    lines += [f"cross join / prefiltered: {cross_s / grid.seconds:.1f}x",
              f"prefiltered peak RSS: {grid.peak_rss_mib:.0f} MiB"]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    from pipelines.demo.bench_towers import peak_rss_mib

    method, home, region = argv
    result = child(method, Path(home), region)
    result["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
