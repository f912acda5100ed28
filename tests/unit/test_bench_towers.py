"""The tower benchmark on a tiny file: every variant runs, and the pipeline's DuckDB
quarantine agrees with Great Expectations' own pandas engine on the same rules."""

from __future__ import annotations

from pipelines.demo import bench_towers


def test_bench_smoke_and_gx_pandas_agree_with_the_duckdb_quarantine(tmp_path):
    measures, file_mib = bench_towers.run(tmp_path, 20_000)

    summary = bench_towers.summarise(measures)
    full, bare, naive = summary["full"], summary["bare"], summary["naive"]
    assert full["rows"] == bare["rows"] == naive["rows"] > 20_000  # duplicates were injected
    assert full["rows_quarantined"] > 0
    assert (naive["rows_published"], naive["rows_quarantined"]) == (
        full["rows_published"], full["rows_quarantined"])
    assert all(m.peak_rss_mib > 0 and m.seconds > 0 for m in measures)
    text = bench_towers.report(20_000, file_mib, summary, 1)
    assert "full / bare" in text and "naive / full" in text and "peak RSS" in text
