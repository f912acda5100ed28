"""The marts over time: only touched months are rebuilt, and a district split is
harmonised on the real Kemendagri editions."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.batch.run import run_deliveries
from pipelines.demo.generate import GenerateOptions, generate
from pipelines.demo.generate import pln as gen_pln
from pipelines.demo.generate import registry as gen_registry
from pipelines.demo.generate import towers as gen_towers
from pipelines.marts import engine
from pipelines.marts import months as connectivity
from pipelines.settings import get_settings
from pipelines.warehouse import session

pytestmark = pytest.mark.slow


def _month_rows(con, settings, month: date) -> dict[str, list]:
    return {t: con.execute(f"SELECT * FROM marts.{t} WHERE {m.partition_column} = ? ORDER BY ALL",
                           [month]).fetchall()
            for t, m in engine.discover(settings).items() if m.partition == "month"}


def test_a_late_correction_rebuilds_its_month_and_no_other(settings, monkeypatch, tmp_path):
    monkeypatch.setenv("KONEKTIVITAS_CONFIG", str(tmp_path / "config"))
    settings = get_settings(settings.home)  # one that sees the config
    sept, octo = date(2026, 9, 1), date(2026, 10, 1)
    generate(GenerateOptions(home=settings.home, start=date(2026, 9, 29), days=3),
             only=("registry", "towers"))
    run_deliveries(settings, "village_registry", "now")
    with session(settings) as con:
        for day in (date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 1)):
            run_deliveries(settings, "tower_logs", str(day), con=con)
    assert connectivity.build_stale_months(settings) == [sept, octo]
    assert connectivity.build_stale_months(settings) == []  # nothing new: nothing rebuilt
    with session(settings, read_only=True) as con:
        before = {m: _month_rows(con, settings, m) for m in (sept, octo)}

    # A corrected file for 30 September: every sample of one tower is now DOWN.
    kpi = next((settings.landing / "towers" / "kpi").glob("2026-09-30.csv*"))
    import gzip

    raw = gzip.decompress(kpi.read_bytes()) if kpi.suffix == ".gz" else kpi.read_bytes()
    text = raw.decode("utf-8-sig")
    lines = text.splitlines()
    delim = ";" if ";" in lines[0] else ","
    victim = lines[1].split(delim)[0]
    fixed = [lines[0]] + [
        delim.join(f[:2] + ["DOWN"] + f[3:]) if f[0] == victim else line
        for line in lines[1:] for f in [line.split(delim)]
    ]
    kpi.unlink()
    (kpi.parent / "2026-09-30.csv").write_text("\n".join(fixed) + "\n", encoding="utf-8")
    with session(settings) as con:
        run_deliveries(settings, "tower_logs", str(date(2026, 9, 30)), con=con)
    assert connectivity.build_stale_months(settings) == [sept]
    with session(settings, read_only=True) as con:
        after = {m: _month_rows(con, settings, m) for m in (sept, octo)}
        builds = con.execute(
            "SELECT month_date, count(*) FROM audit.mart_build WHERE month_date IS NOT NULL "
            "GROUP BY ALL ORDER BY ALL").fetchall()
    assert after[octo] == before[octo]
    assert after[sept] != before[sept]
    assert builds == [(sept, 2), (octo, 1)]


def test_harmonised_trend_puts_moved_villages_under_the_new_districts(
        settings, shared_registry, monkeypatch, tmp_path):
    """Real 2020 and 2025 editions, generated towers and attributes around them."""
    monkeypatch.setenv("KONEKTIVITAS_CONFIG", str(tmp_path / "config"))
    settings = get_settings(settings.home)  # one that sees the config
    folder = settings.landing / "registry" / "kemendagri"
    folder.mkdir(parents=True)
    for src, effective in (("kemendagri_2020_64.02.csv", "2020-01-01"),
                           ("kemendagri_2025_64.02.csv", "2025-07-01")):
        (folder / f"{effective}.csv").write_bytes((shared_registry / src).read_bytes())
    codes = sorted({line.split(",")[0] for p in folder.glob("*.csv")
                    for line in p.read_text().splitlines()[1:] if line.count(".") == 3})
    for year in (2024, 2025):
        gen_registry.write_attributes(gen_registry.attribute_rows(codes, 7, year),
                                      settings.landing / "registry" / "attributes" / f"{year}.csv",
                                      decimal_comma=False)
    options = GenerateOptions(home=settings.home, start=date(2025, 6, 29), days=4)
    gen_towers.generate(options)
    gen_pln.generate(options)
    run_deliveries(settings, "village_registry", "now")
    with session(settings) as con:
        for n in range(4):
            run_deliveries(settings, "tower_logs", str(date(2025, 6, 29 + n) if n < 2 else date(2025, 7, n - 1)), con=con)
        engine.build_whole(con, settings)
        for month in (date(2025, 6, 1), date(2025, 7, 1)):
            engine.build_month(con, settings, month)

        def districts(table: str, month: str) -> dict[str, int]:
            return dict(con.execute(
                f"SELECT district_code, villages_total FROM marts.{table} "
                f"WHERE month_date = DATE '{month}'").fetchall())

        june = districts("district_connectivity_monthly", "2025-06-01")
        june_h = districts("district_connectivity_monthly_harmonised", "2025-06-01")
        july = districts("district_connectivity_monthly", "2025-07-01")
        moved = con.execute(
            """SELECT left(new_code, 8), count(*) FROM core.region_code_succession
               WHERE change_kind = 'moved' AND level = 'village' GROUP BY ALL""").fetchall()
        names = dict(con.execute(
            "SELECT code, name FROM core.dim_region WHERE level = 'district' AND valid_to IS NULL"
        ).fetchall())
    # June 2025: the official figures know no Kota Bangun Darat or Samboja Barat ...
    assert "64.02.19" not in june and "64.02.20" not in june
    # ... the harmonised ones carry the moved villages' history under them,
    assert dict(moved) == {"64.02.19": 10, "64.02.20": 10}
    assert (names["64.02.19"], names["64.02.20"]) == ("Kota Bangun Darat", "Samboja Barat")
    assert june_h["64.02.19"] == july["64.02.19"] == 10
    assert june_h["64.02.20"] == july["64.02.20"] == 10
    # ... taken out of the districts they were split from, with nothing lost or invented.
    assert june_h["64.02.08"] == june["64.02.08"] - 10
    assert june_h["64.02.13"] == june["64.02.13"] - 10
    assert sum(june_h.values()) == sum(june.values())
