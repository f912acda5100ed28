"""Benchmark of the KPI path: `konektivitas bench towers --rows N`.

Generates one day of N KPI rows, then times three ways of loading that same file,
each in its own child process so that its peak memory is its own: the child reports
its peak resident set size since exec (VmHWM of /proc/self/status; ru_maxrss would also
count the parent's pages at fork time):

- full: the pipeline's validated load of the day file: archive (sha256 + copy), parse,
  validate against expectations/tower_kpi.json, quarantine, publish, daily and monthly
  indicators (inventory loaded beforehand, untimed);
- bare: DuckDB `CREATE TABLE AS SELECT * FROM read_csv(...)` of the file, nothing else;
- naive: pandas read_csv, the same rules as columns in pandas, Great Expectations' pandas
  engine validating the suite's column expectations, then an insert of the valid rows.

Times are wall-clock seconds measured inside each child around the work only (not the
interpreter start or imports).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DAY = date(2026, 9, 1)
VARIANTS = ("full", "bare", "naive")


@dataclass(frozen=True)
class Measure:
    variant: str
    rows: int
    seconds: float
    peak_rss_mib: float
    detail: dict


def prepare(home: Path, rows: int, seed: int = 7) -> Path:
    """The day's KPI file (plain variant) and an inventory for ceil(rows / 288) towers."""
    import duckdb

    from pipelines.demo.generate import towers as gen

    towers = -(-rows // 288)
    opts = gen.TowerOptions(towers=towers, gap_rate=0.0, events=False)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    gen.tower_table(con, seed, towers, ["64.02.01.2001"], DAY, 1)
    gen.write_inventory(con, home, DAY, 1)
    (path,) = gen.write_day(con, home, seed, DAY, opts, variants=set())
    con.close()
    return path


def _child(variant: str, home: Path, path: Path) -> dict:
    if variant == "bare":
        return _bare(home, path)
    if variant == "full":
        return _full(home, path)
    return _naive(home, path)


def _bare(home: Path, path: Path) -> dict:
    import duckdb

    db = home / "bare.duckdb"
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    start = time.perf_counter()
    con.execute(f"CREATE TABLE kpi AS SELECT * FROM read_csv('{path}')")
    seconds = time.perf_counter() - start
    (n,) = con.execute("SELECT count(*) FROM kpi").fetchone()
    return {"seconds": seconds, "rows_loaded": n}


def _full(home: Path, path: Path) -> dict:
    from pipelines.batch.run import run_delivery
    from pipelines.batch.steps import load_file
    from pipelines.marts.engine import refresh_indicators
    from pipelines.settings import get_settings
    from pipelines.towers.kpi import KPI
    from pipelines.warehouse import connect, migrate_warehouse

    settings = get_settings(home)
    migrate_warehouse(settings)
    con = connect(settings)
    run_delivery(con, settings, "tower_logs", "inventory", str(DAY))
    start = time.perf_counter()
    result = load_file(con, settings, KPI, path, str(DAY))
    refresh_indicators(con, settings, DAY)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows_read": result.rows_read,
            "rows_published": result.rows_published, "rows_quarantined": result.rows_quarantined}


def _naive(home: Path, path: Path) -> dict:
    import duckdb
    import great_expectations as gx
    import numpy as np
    import pandas as pd

    from pipelines.audit.suites import load_suite
    from pipelines.settings import get_settings

    settings = get_settings(home)
    suite = load_suite(settings.expectations_dir, "tower_kpi")
    inventory = pd.read_csv(next((home / "landing" / "towers" / "inventory").glob("*.csv")))
    numeric = ["availability_pct", "latency_ms", "packet_loss_pct", "throughput_mbps",
               "active_users", "rssi_dbm", "battery_v"]
    start = time.perf_counter()
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    errors = pd.Series("", index=df.index)
    for col in numeric:
        values = pd.to_numeric(df[col].str.replace(",", "."), errors="coerce")
        errors = errors.where(~(df[col].notna() & values.isna()), errors + f"{col};")
        df[col] = values
    df["measured_at"] = pd.to_datetime(df["ts"], utc=True, errors="coerce", format="ISO8601")
    errors = errors.where(~(df["ts"].notna() & df["measured_at"].isna()), errors + "ts;")
    df["_cast_errors"] = errors.replace("", None)
    day_start = pd.Timestamp(f"{DAY}T00:00:00+08:00")
    us = (df["measured_at"] - day_start) // pd.Timedelta(microseconds=1)
    df["grid_offset_us"] = us % 300_000_000
    df["days_from_file_day"] = np.floor(us / 86_400_000_000)
    df["tower_in_inventory"] = df["tower_id"].isin(set(inventory["tower_id"]))
    # the suite's column expectations, validated by GX's own pandas engine
    ctx = gx.get_context(mode="ephemeral")
    batch = (ctx.data_sources.add_pandas("naive").add_dataframe_asset("kpi")
             .add_batch_definition_whole_dataframe("all").get_batch({"dataframe": df}))
    expectations = [
        {k: v for k, v in e.items() if k != "id"} for e in suite["expectations"]
        if e["type"] != "unexpected_rows_expectation"
    ]
    gx_suite = gx.ExpectationSuite(name="tower_kpi_naive", expectations=expectations)
    result = batch.validate(gx_suite, result_format={"result_format": "COMPLETE"})
    bad = np.zeros(len(df), dtype=bool)
    for r in result.results:
        index = r.result.get("unexpected_index_list") or []
        bad[np.asarray([i if isinstance(i, int) else i.get("index", i) for i in index], dtype=int)] = True
    bad |= df.duplicated(["tower_id", "measured_at"], keep="first").to_numpy()
    valid = df[~bad]
    con = duckdb.connect(str(home / "naive.duckdb"))
    con.execute("CREATE OR REPLACE TABLE kpi AS SELECT * FROM valid")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows_read": len(df), "rows_published": len(valid),
            "rows_quarantined": int(bad.sum()), "gx_success": bool(result.success)}


def measure(variant: str, home: Path, path: Path) -> Measure:
    """Run one variant in a child process of its own."""
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.demo.bench_towers", variant, str(home), str(path)],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"bench variant {variant} failed: {proc.stderr[-3000:]}")
    detail = json.loads(proc.stdout.strip().splitlines()[-1])
    rows = detail.get("rows_read", detail.get("rows_loaded", 0))
    return Measure(variant, rows, detail.pop("seconds"), detail.pop("peak_rss_mib"), detail)


def run(workdir: Path, rows: int, repeat: int = 1,
        variants: tuple[str, ...] = VARIANTS) -> tuple[list[Measure], float]:
    """Generate the file, then measure each variant on it `repeat` times, interleaved
    (full, bare, naive, full, bare, ...) so that load from other processes on the machine
    hits all variants alike. Returns the measures and the file's size in MiB."""
    import shutil

    home = workdir / f"rows_{rows}"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    path = prepare(home, rows)
    results = []
    for _ in range(repeat):
        for variant in variants:
            for leftover in ("warehouse.duckdb", "warehouse.duckdb.wal", "warehouse.duckdb.tmp",
                             "archive", "gx", "reports", "bare.duckdb", "naive.duckdb"):
                target = home / leftover
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
            # Flush the previous run's writes so that no variant pays for another's.
            os.sync()
            results.append(measure(variant, home, path))
    return results, path.stat().st_size / 2**20


def summarise(measures: list[Measure]) -> dict[str, dict[str, float]]:
    """Per variant: best and median seconds, and the largest peak RSS over the repeats."""
    from statistics import median

    out = {}
    for variant in dict.fromkeys(m.variant for m in measures):
        mine = [m for m in measures if m.variant == variant]
        out[variant] = {
            "rows": mine[0].rows,
            "best_s": min(m.seconds for m in mine),
            "median_s": median(m.seconds for m in mine),
            "peak_rss_mib": max(m.peak_rss_mib for m in mine),
            **{k: v for k, v in mine[0].detail.items() if k.startswith("rows_")},
        }
    return out


def report(rows: int, file_mib: float, summary: dict[str, dict[str, float]], repeat: int) -> str:
    """The benchmark's printed table (Markdown), with the ratios the targets speak of."""
    full, bare = summary["full"], summary["bare"]
    lines = [
        f"### {rows:,} KPI rows ({file_mib:.0f} MiB CSV), best / median of {repeat}",
        "",
        "| variant | best s | median s | peak RSS MiB | rows published | rows quarantined |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for variant, m in summary.items():
        lines.append(
            f"| {variant} | {m['best_s']:.2f} | {m['median_s']:.2f} | {m['peak_rss_mib']:.0f} | "
            f"{m.get('rows_published', m.get('rows_loaded', ''))} | {m.get('rows_quarantined', '-')} |"
        )
    lines += ["", f"- full / bare: {full['best_s'] / bare['best_s']:.2f}x (best), "
              f"{full['median_s'] / bare['median_s']:.2f}x (median); target <= 1.5x"]
    if "naive" in summary:
        naive = summary["naive"]
        lines.append(f"- naive / full: {naive['best_s'] / full['best_s']:.2f}x (best), "
                     f"{naive['median_s'] / full['median_s']:.2f}x (median); target >= 3x")
    lines.append(f"- full load peak RSS: {full['peak_rss_mib']:.0f} MiB; target < 1536 MiB")
    return "\n".join(lines)


def peak_rss_mib() -> float:
    """This process's peak resident set size since exec, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status: peak memory needs Linux")


def main(argv: list[str]) -> int:
    variant, home, path = argv
    result = _child(variant, Path(home), Path(path))
    result["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
