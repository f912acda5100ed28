"""`konektivitas bench marts` on a small sample: it loads real registry codes, builds the
month's four marts both ways, and ends with the two lines scripts read (no timing asserts)."""

from __future__ import annotations

import re

import pytest

from pipelines import cli
from pipelines.demo import bench_marts

pytestmark = pytest.mark.slow

LAST_LINES = re.compile(r"cross join / prefiltered: (\d+(?:\.\d+)?)x\n"
                        r"prefiltered peak RSS: (\d+) MiB\n?\Z")


def test_bench_marts_prints_the_two_lines_scripts_read(tmp_path, capsys):
    # 300 villages x 40 towers = 12,000 pairs, over a budget of 5,000: the cross join runs
    # on one province and is extrapolated, and says so
    assert cli.main(["bench", "marts", "--villages", "300", "--towers", "40",
                     "--cross-pairs", "5000", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    m = LAST_LINES.search(out)
    assert m, out
    assert float(m.group(1)) > 0 and int(m.group(2)) > 0
    assert "EXTRAPOLATED" in out and "villages of province" in out
    rows = re.search(r"rows: village ([\d,]+), district ([\d,]+), province ([\d,]+), "
                     r"regency ([\d,]+)", out)
    # a handful of the national edition's villages name a district it lacks: quarantined
    assert rows and 290 <= int(rows.group(1).replace(",", "")) <= 300
    assert int(rows.group(3)) == 38  # every province: the sample is spread over the country


def test_the_sample_spreads_over_the_edition_and_keeps_the_levels_above():
    rows = bench_marts.sample(bench_marts.national_rows(), 100)
    villages = [c for c, _ in rows if c.count(".") == 3]
    assert len(villages) == 100
    codes = {c for c, _ in rows}
    assert all(v.rsplit(".", k)[0] in codes for v in villages for k in (1, 2, 3))
    with pytest.raises(ValueError, match="--villages 90000: the national edition has 1 to 83,345"):
        bench_marts.sample(bench_marts.national_rows(), 90_000)


def test_the_cross_join_runs_whole_within_its_budget_else_on_the_largest_province_that_fits():
    codes = [f"11.01.01.{2000 + i}" for i in range(30)] + [f"12.01.01.{2000 + i}" for i in range(50)]
    assert bench_marts.cross_region(codes, 10, budget=800) == ("national", 80)
    assert bench_marts.cross_region(codes, 10, budget=600) == ("12", 50)
    assert bench_marts.cross_region(codes, 10, budget=400) == ("11", 30)
    assert bench_marts.cross_region(codes, 10, budget=100) == ("11", 30)
