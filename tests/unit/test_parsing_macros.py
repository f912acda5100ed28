"""The parsing macros every staging model uses (warehouse/models/macros/parsing.sql), run
by DuckDB on tiny inputs: decimal numbers, local timestamps, cast errors."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import jinja2
import pytest

from pipelines.settings import LOCAL_TZ, PROJECT_ROOT

MACROS = "{% from 'macros/parsing.sql' import cast_errors, decimal_number, local_timestamp %}"


def sql(expression: str, **params: object) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PROJECT_ROOT / "warehouse" / "models"),
        undefined=jinja2.StrictUndefined,
    )
    return env.from_string(MACROS + expression).render(**params)


@pytest.fixture
def db():
    c = duckdb.connect()
    c.execute("SET TimeZone = 'UTC'")
    yield c
    c.close()


def values(db: duckdb.DuckDBPyConnection, expression: str, texts: list[str | None]) -> list:
    """The expression over a column `x` holding `texts`, in order."""
    return [v for (v,) in db.execute(
        f"SELECT {expression} FROM (SELECT unnest(?::VARCHAR[]) AS x, "
        "generate_subscripts(?::VARCHAR[], 1) AS i) ORDER BY i", [texts, texts]
    ).fetchall()]


def test_decimal_number_reads_a_point_or_a_comma_and_nothing_else(db):
    texts = ["12.5", "12,5", "-0,45", "1.234,5", "1.234.567,25", "1234", "1.234",
             "abc", "1x", "", None, "1,234.5", "1.2.3,4", "12.34,5", "1,2,3"]
    assert values(db, sql("{{ decimal_number('x') }}"), texts) == [
        12.5, 12.5, -0.45, 1234.5, 1234567.25, 1234.0, 1.234,
        None, None, None, None, None, None, None, None,
    ]


def test_strict_decimal_number_takes_plain_numerals_only(db):
    # What a person types into a register: "1e5" or "nan" there is a typo, not a number.
    texts = ["12.5", "12,5", "-0,45", "1.234,5", "1234", "1e5", "+5", ".5", "5.", "1,",
             "inf", "nan", "1_000", " 5"]
    assert values(db, sql("{{ decimal_number('x', strict=true) }}"), texts) == [
        12.5, 12.5, -0.45, 1234.5, 1234.0] + [None] * 9


def test_decimal_number_to_another_type_and_where_a_comma_is_ruled_out(db):
    assert values(db, sql("{{ decimal_number('x', 'INTEGER') }}"), ["42", "42,0", "x"]) == [
        42, 42, None]
    assert values(db, sql("{{ decimal_number('x', decimal_comma=false) }}"),
                  ["12.5", "12,5", "1.234,5"]) == [12.5, None, None]


def test_local_timestamp_without_offset_is_wita_with_offset_that_instant(db):
    texts = ["2026-11-27T14:05:00", "2026-11-27 14:05:00", "2026-11-27T14:05:00+08:00",
             "2026-11-27T14:05:00Z", "2026-11-27T14:05:00+0700", "2026-11-27T14:05:00.5-03",
             "2026-11-27T14:05:00 UTC", "2026-11-27", "2026-11-27T25:00:00", "yesterday", None]
    assert values(db, sql("{{ local_timestamp('x') }}"), texts) == [
        datetime(2026, 11, 27, 6, 5, tzinfo=UTC), datetime(2026, 11, 27, 6, 5, tzinfo=UTC),
        datetime(2026, 11, 27, 6, 5, tzinfo=UTC), datetime(2026, 11, 27, 14, 5, tzinfo=UTC),
        datetime(2026, 11, 27, 7, 5, tzinfo=UTC), datetime(2026, 11, 27, 17, 5, 0, 500000, tzinfo=UTC),
        datetime(2026, 11, 27, 14, 5, tzinfo=UTC), datetime(2026, 11, 26, 16, 0, tzinfo=UTC),
        None, None, None,
    ]


def test_local_timestamp_ignores_the_session_time_zone(db):
    expression = sql("{{ local_timestamp('x') }}")
    texts = ["2026-11-27T14:05:00", "2026-11-27T14:05:00+08:00"]
    in_utc = values(db, expression, texts)
    db.execute("SET TimeZone = 'America/New_York'")
    assert values(db, expression, texts) == in_utc


def test_wita_is_utc_plus_8_all_year_no_daylight_saving(db):
    # local midnight on the 1st of each month, and on the days Europe and the US move clocks
    days = [f"2026-{m:02d}-01" for m in range(1, 13)] + ["2026-03-08", "2026-03-29", "2026-10-25"]
    texts = [f"{d} 02:30:00" for d in days]
    got = values(db, sql("{{ local_timestamp('x') }}"), texts)
    assert [(datetime.fromisoformat(t).replace(tzinfo=UTC) - g).total_seconds() / 3600
            for t, g in zip(texts, got, strict=True)] == [8.0] * len(days)
    assert LOCAL_TZ == "Asia/Makassar"  # the zone the macro is written for


def test_cast_errors_name_each_failed_cast_with_its_text(db):
    expression = sql(
        "{{ cast_errors([('lat', 'lat_text', 'lat'), ('ts', 'ts_text', 'ts')]) }}")
    db.execute("""CREATE TABLE t AS SELECT * FROM (VALUES
        (1, '1,5', 1.5, '2026-11-27', TIMESTAMPTZ '2026-11-27 00:00:00+00'),
        (2, 'abc', NULL, '2026-11-27', TIMESTAMPTZ '2026-11-27 00:00:00+00'),
        (3, 'abc', NULL, 'yesterday', NULL),
        (4, NULL, NULL, NULL, NULL)) AS v(i, lat_text, lat, ts_text, ts)""")
    got = [v for (v,) in db.execute(f"SELECT {expression} FROM t ORDER BY i").fetchall()]
    assert got == [None, "lat=abc", "lat=abc, ts=yesterday", None]


def test_cast_errors_can_name_the_columns_only(db):
    expression = sql("{{ cast_errors([(\"SLA Kontrak (%)\", 'a', 'b'), (\"it's\", 'a', 'b')],"
                     " with_text=false) }}")
    (got,) = db.execute(f"SELECT {expression} FROM (SELECT 'x' AS a, NULL AS b)").fetchone()
    assert got == "SLA Kontrak (%), it's"
