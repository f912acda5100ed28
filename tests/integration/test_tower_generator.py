"""The tower generator's knobs, from the command line: the number of towers, the rate of each
bad-row kind, the share of each file variant, gaps."""

from __future__ import annotations

from datetime import date

from pipelines.batch.run import run_deliveries
from pipelines.cli import main
from pipelines.towers.files import day_file

DAY = date(2026, 9, 1)


def _generate(home, *knobs: str) -> int:
    return main(["generate", "--home", str(home), "--start", str(DAY), "--days", "1", *knobs])


def test_knobs_choose_towers_bad_rows_and_variant(home, con, settings) -> None:
    assert _generate(home, "--towers", "4", "--gap-rate", "0", "--bad-rate", "all=0",
                     "--bad-rate", "duplicate=0.02", "--variant-rate", "all=0",
                     "--variant-rate", "semicolon=1") == 0
    path = day_file(settings, "kpi", DAY)
    assert path.name == f"{DAY}.csv"  # no gzip
    header = path.read_bytes().splitlines()[0]
    assert header.startswith(b"tower_id;ts;")  # semicolon variant, no BOM
    assert b"\r" not in path.read_bytes()  # no CRLF

    result = run_deliveries(settings, "tower_logs", str(DAY), con=con)["kpi"][0]
    # 4 towers x 288 slots, no gaps, plus the injected duplicates and nothing else bad.
    assert result.rows_published == 4 * 288
    assert 0 < result.rows_quarantined == result.rows_read - 4 * 288
    reasons = con.execute(
        "SELECT DISTINCT unnest(reasons) FROM audit.quarantine WHERE dataset = 'tower_kpi'"
    ).fetchall()
    assert reasons == [("(tower_id, ts) repeats a sample already seen earlier in the file",)]


def test_a_wrong_knob_is_refused_naming_the_kinds(home, capsys) -> None:
    assert _generate(home, "--bad-rate", "dupes=0.1") == 1
    said = capsys.readouterr().out
    assert "--bad-rate 'dupes=0.1'" in said and "not_a_number" in said
    assert _generate(home, "--variant-rate", "gzip=2") == 1
    assert "RATE between 0 and 1" in capsys.readouterr().out
