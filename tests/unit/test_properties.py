"""Property-based tests of every parser through the real batch path: whatever bytes land,
the load ends published with rows read = published + quarantined (and exactly its
published rows in core), or rejected with a reason and nothing of it in core. Never
another exception, never a load left running.

One home per module (loads accumulate, as on a real warehouse); examples are few and
small so the file stays fast.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.batch.errors import BatchRejected
from pipelines.batch.run import feed, run_delivery
from pipelines.demo.generate.pln import SheetStyle, write_sla_report
from pipelines.demo.partner_server import PartnerData
from pipelines.pln import pull as pln
from pipelines.pln.api_client import PartnerApiError, PartnerDataError, parse_page
from pipelines.selftest.partner import FAST, partner_server, site
from pipelines.selftest.towerfiles import INVENTORY_COLUMNS, KPI_COLUMNS
from pipelines.selftest.workbooks import ROW
from pipelines.settings import get_settings
from pipelines.warehouse import connect, session

DAY = date(2026, 9, 1)
FEW = settings(max_examples=5, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow, HealthCheck.data_too_large])

# Text that breaks CSV readers: delimiters, quotes, line ends, NUL, BOM, non-ASCII digits.
NASTY = st.text(alphabet=st.sampled_from(list("aZ09.,;-+= \t\"'\r\n\x00\ufeff\u0662é✓")) ,
                max_size=12)


@pytest.fixture(scope="module")
def home(tmp_path_factory, migrated_warehouse):
    s = dataclasses.replace(get_settings(tmp_path_factory.mktemp("props") / "home"),
                            warehouse_backend="duckdb")
    s.landing.mkdir(parents=True)
    shutil.copyfile(migrated_warehouse, s.warehouse_path)
    con = connect(s)
    yield s, con
    con.close()


def csv_bytes(columns: list[str]):
    """A delimited file of the given header (sometimes mangled) and nasty rows, or any bytes."""
    rows = st.lists(st.lists(NASTY, min_size=len(columns) - 2, max_size=len(columns) + 2),
                    max_size=8)
    header = st.sampled_from([",".join(columns), ";".join(columns), ",".join(columns[:-1])])
    text = st.builds(lambda h, rs, sep: "\n".join([h] + [sep.join(r) for r in rs]) + "\n",
                     header, rows, st.sampled_from([",", ";"]))
    return st.one_of(text.map(lambda t: t.encode("utf-8")), st.binary(max_size=400),
                     text.map(lambda t: t.encode("utf-16")))


def one_load(home, source: str, kind: str, partition: str, rel: str, data: bytes) -> None:
    """Land `data` as landing/<rel> (alone of its kind), run the kind, check the invariant."""
    s, con = home
    folder = s.landing / Path(rel).parent
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / Path(rel).name).write_bytes(data)
    before = {i for (i,) in con.execute("SELECT load_id FROM audit.load").fetchall()}
    with contextlib.suppress(BatchRejected):  # recorded in audit.load: checked below
        run_delivery(con, s, source, kind, partition)
    check_new_loads(con, before, feed(source, kind))


def check_new_loads(con, before: set[str], f) -> None:
    loads = con.execute(
        """SELECT load_id, dataset, status, coalesce(rows_read, 0), coalesce(rows_published, 0),
                  coalesce(rows_quarantined, 0), coalesce(message, '') FROM audit.load""").fetchall()
    for load_id, dataset, status, read, published, quarantined, message in loads:
        if load_id in before:
            continue
        in_core = con.execute(f"SELECT count(*) FROM {f.dataset(dataset).core_table} "
                              "WHERE load_id = ?", [load_id]).fetchone()[0]
        assert status in ("published", "rejected", "duplicate"), (status, message)
        if status == "published":
            assert read == published + quarantined, (read, published, quarantined)
            assert in_core == published
        elif status == "rejected":
            assert message and published == 0 and in_core == 0, (message, in_core)


@FEW
@given(csv_bytes(KPI_COLUMNS))
def test_kpi_csv(home, data):
    one_load(home, "tower_logs", "kpi", str(DAY), f"towers/kpi/{DAY}.csv", data)


@FEW
@given(csv_bytes(INVENTORY_COLUMNS))
def test_tower_inventory(home, data):
    one_load(home, "tower_logs", "inventory", str(DAY), f"towers/inventory/{DAY}.csv", data)


SYSLOG_LINE = st.builds(
    lambda pri, mon, d, hh, host, tag, msg: f"<{pri}>{mon} {d:>2} {hh} {host} {tag}: {msg}",
    st.integers(-1, 200), st.sampled_from(["Sep", "Okt", "sep", "Feb"]), st.integers(0, 32),
    st.sampled_from(["12:00:00", "25:61:00", "1:2:3"]), NASTY, NASTY, NASTY)


@FEW
@given(st.one_of(st.lists(SYSLOG_LINE, max_size=8).map(lambda ls: "\n".join(ls).encode()),
                 st.binary(max_size=400)))
def test_syslog_events(home, data):
    one_load(home, "tower_logs", "events", str(DAY), f"towers/events/{DAY}.log", data)


@FEW
@given(csv_bytes(["kode", "nama"]))
def test_registry_edition(home, data):
    one_load(home, "village_registry", "kemendagri", datetime.now(UTC).isoformat(),
             "registry/kemendagri/2025-07-01.csv", data)


@FEW
@given(csv_bytes(["kode", "population", "households", "area_km2", "lat", "lon"]))
def test_village_attributes(home, data):
    one_load(home, "village_registry", "attributes", datetime.now(UTC).isoformat(),
             "registry/attributes/2025.csv", data)


CELL = st.one_of(st.none(), NASTY, st.integers(-10**6, 10**6),
                 st.floats(allow_nan=True, allow_infinity=True))


@FEW
@given(st.one_of(
    st.lists(st.fixed_dictionaries({k: CELL for k in ROW}), max_size=6).map(lambda rows: ("rows", rows)),
    st.binary(max_size=400).map(lambda b: ("bytes", b))))
def test_sla_workbook(home, tmp_path_factory, made):
    s, _ = home
    path = tmp_path_factory.mktemp("sla") / "2026-09.xlsx"
    if made[0] == "bytes":
        path.write_bytes(made[1])
    else:
        rows = [{k: (v if not isinstance(v, str) else v.replace("\x00", "")) for k, v in r.items()}
                for r in made[1]]
        write_sla_report(path, date(2026, 9, 1), rows, SheetStyle())
    one_load(home, "pln_partner", "sla_report", datetime.now(UTC).isoformat(),
             "pln/sla/2026-09.xlsx", path.read_bytes())


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | NASTY,
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(NASTY, inner, max_size=4), max_leaves=20)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.one_of(st.binary(max_size=300), JSON.map(lambda d: json.dumps(d).encode()),
                 st.dictionaries(st.sampled_from(["data", "next_page", "x"]), JSON, max_size=3)
                 .map(lambda d: json.dumps(d).encode())))
def test_partner_page(body):
    try:
        records = parse_page(body, "page", ["site_id"])
    except PartnerDataError as exc:
        assert str(exc).startswith("page: ")
    else:
        assert all(isinstance(r, dict) and "site_id" in r for r in records)


SITE_VALUE = st.one_of(st.none(), NASTY, st.integers(-5, 10**4), st.floats(-1e3, 1e6))


@pytest.fixture(scope="module")
def pull_home(tmp_path_factory, migrated_warehouse):
    """A home of its own for the pulls, no connection held open (the pull opens its own)."""
    s = dataclasses.replace(get_settings(tmp_path_factory.mktemp("pulls") / "home"),
                            warehouse_backend="duckdb")
    s.home.mkdir(parents=True)
    shutil.copyfile(migrated_warehouse, s.warehouse_path)
    return s


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["bandwidth_mbps", "status", "village_code",
                                           "updated_at", "service", "lat"]), SITE_VALUE),
                min_size=1, max_size=4))
def test_partner_api_pull(pull_home, changes):
    s = pull_home
    with session(s, read_only=True) as con:
        before = {i for (i,) in con.execute("SELECT load_id FROM audit.load").fetchall()}
    data = PartnerData(sites=[site("S1"), site("S2", **dict(changes))])
    # each pull asks for a later instant, so it is never "nothing to pull"
    with partner_server(data) as (_, conn), contextlib.suppress(PartnerApiError):
        pln.pull(s, conn, datetime.now(UTC), FAST, sleep=lambda x: None)
    with session(s, read_only=True) as con:
        new = con.execute("SELECT load_id, status FROM audit.load").fetchall()
        new = [(i, status) for i, status in new if i not in before]
        assert new, "the pull recorded nothing"
        if all(status != "failed" for _, status in new):
            check_new_loads(con, before, feed("pln_partner", "api"))
