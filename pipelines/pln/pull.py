"""PLN partner sites and outages from its API: one pull = list (fetch every page into the
archive), then archive → stage → validate → publish both streams, then move the watermarks.

Nothing is staged until every page of both streams arrived and parsed, so a failed
pull loads nothing; the watermark moves only after both streams are published.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipelines.audit import records as audit
from pipelines.audit.suites import load_suite, required_columns
from pipelines.batch.feed import Feed, Item
from pipelines.batch.steps import Dataset, LoadResult, staging_table
from pipelines.pln import api_client as pln_api
from pipelines.pln.api_client import (
    SOURCE,
    PartnerApiError,
    PartnerClient,
    PartnerConnection,
    PullOptions,
    fetch_stream,
    iso,
    partner_connection,
    read_manifest_records,
)
from pipelines.registry.names import normalise_name
from pipelines.settings import LOCAL_TZ, Settings
from pipelines.warehouse import quote_literal, render_model, session, transaction

SOURCE_ID = "pln_partner"  # its declaration in pipelines.batch.sources
MAPPING_FILE = "pln_village_mapping.csv"
SITE_FIELDS = ["site_id", "village_code", "village_name", "district_name", "service",
               "bandwidth_mbps", "status", "activated_at", "terminated_at", "pln_unit", "lat",
               "lon", "updated_at"]
OUTAGE_FIELDS = ["outage_id", "site_id", "started_at", "ended_at", "cause", "description"]
# Sites quarantined for want of a village are looked at again on every pull.
WAITING_MATCH = ("unmatched", "ambiguous")


def create_name_function(con: duckdb.DuckDBPyConnection) -> None:
    """normalise_name in SQL: the normaliser shared by every name matcher."""
    (n,) = con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'normalise_name'"
    ).fetchone()
    if not n:
        con.create_function("normalise_name", normalise_name, ["VARCHAR"], "VARCHAR")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def raw_table(
    con: duckdb.DuckDBPyConnection, table: str, fields: list[str],
    records: list[tuple[str, dict[str, Any]]], lines: list[int] | None = None,
) -> None:
    """(origin, record) pairs as a text table with _raw = the record and _line = its number
    (1, 2, ... unless `lines` gives them, e.g. spreadsheet rows)."""
    cols = ["_line", "_origin", "_raw", *fields]
    numbers = lines or range(1, len(records) + 1)
    rows = [
        [i, origin, json.dumps(rec, default=str), *(_text(rec.get(f)) for f in fields)]
        for i, (origin, rec) in zip(numbers, records, strict=True)
    ]
    ddl = ", ".join(["_line BIGINT", "_origin VARCHAR", "_raw VARCHAR"]
                    + [f'"{f}" VARCHAR' for f in fields])
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({ddl})")
    if rows:
        frame = pd.DataFrame(rows, columns=cols, dtype=object)  # noqa: F841 (read by DuckDB)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")


def manifest_header(fields: list[str]) -> Callable[[duckdb.DuckDBPyConnection, Path], list[str]]:
    def header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
        home = path.parents[3]  # archive/<source>/<xx>/<sha>.manifest.json under the home
        recs = read_manifest_records(home, path)
        if not recs:  # an empty pull has no fields to miss
            return list(fields)
        return sorted(set().union(*(r.keys() for r in recs)))

    return header


def mapping_table(con: duckdb.DuckDBPyConnection, settings: Settings, table: str) -> None:
    """config/pln_village_mapping.csv as (district_key, village_key, village_code)."""
    path = settings.config_dir / MAPPING_FILE
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {table}
            (district_key VARCHAR, village_key VARCHAR, village_code VARCHAR)"""
    )
    if path.exists() and len(path.read_text().strip().splitlines()) > 1:
        con.execute(
            f"""INSERT INTO {table}
                SELECT normalise_name(district_name), normalise_name(village_name), trim(village_code)
                FROM read_csv({quote_literal(str(path))}, header = true, all_varchar = true)
                WHERE nullif(trim(village_code), '') IS NOT NULL"""
        )


def waiting_sites(con: duckdb.DuckDBPyConnection, exclude: set[str]) -> list[dict[str, Any]]:
    """The latest record of each site still quarantined for want of a village match."""
    rows = con.execute(
        f"""WITH q AS (
                SELECT q.record->>'site_id' AS site_id, q.record->'_raw' AS raw,
                       CAST(q.record->>'updated_at' AS TIMESTAMPTZ) AS updated_at,
                       q.record->>'village_match' AS village_match, q.quarantined_at
                FROM audit.quarantine AS q JOIN audit.load AS l USING (load_id)
                WHERE q.dataset = 'pln_site' AND l.status IN ('published', 'superseded')
            ),
            latest AS (
                SELECT * FROM q QUALIFY row_number() OVER (
                    PARTITION BY site_id ORDER BY updated_at DESC, quarantined_at DESC) = 1
            )
            SELECT CAST(raw AS VARCHAR) FROM latest AS w
            WHERE village_match IN {WAITING_MATCH}
              AND NOT EXISTS (SELECT 1 FROM core.dim_partner_site AS d
                              WHERE d.site_id = w.site_id AND d.updated_at >= w.updated_at)
            ORDER BY site_id"""
    ).fetchall()
    recs = [json.loads(r) for (r,) in rows]
    return [r for r in recs if r.get("site_id") not in exclude]


def stage_sites(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: audit.Load
) -> None:
    create_name_function(con)
    api = read_manifest_records(settings.home, path)
    waiting = waiting_sites(con, {r.get("site_id") for r in api})
    raw, mapping = f"raw_{load.load_id}", f"mapping_{load.load_id}"
    raw_table(con, raw, SITE_FIELDS, [("api", r) for r in api] + [("waiting", r) for r in waiting])
    mapping_table(con, settings, mapping)
    select = render_model(settings, "staging", "stg_pln_site", raw=raw, mapping=mapping,
                          load_id=load.load_id, local_tz=LOCAL_TZ)
    con.execute(f"CREATE TABLE {table} AS {select}")
    con.execute(f"DROP TABLE {raw}; DROP TABLE {mapping}")


def stage_outages(
    con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, table: str, load: audit.Load
) -> None:
    raw = f"raw_{load.load_id}"
    raw_table(con, raw, OUTAGE_FIELDS, [("api", r) for r in read_manifest_records(settings.home, path)])
    select = render_model(settings, "staging", "stg_pln_outage", raw=raw, load_id=load.load_id)
    con.execute(f"CREATE TABLE {table} AS {select}")
    con.execute(f"DROP TABLE {raw}")


def publish_merge(
    con: duckdb.DuckDBPyConnection, settings: Settings, dataset: Dataset, load: audit.Load,
    valid: str,
) -> int:
    """Merge the valid rows into the dataset's core table by its model (the merge rules are
    in warehouse/models/core/<table>.sql); returns the rows merged."""
    (n,) = con.execute(f"SELECT count(*) FROM {valid}").fetchone()
    con.execute(render_model(settings, "core", dataset.core_model, valid=valid, load_id=load.load_id))
    return n


SITES = Dataset(
    name="pln_site", source=SOURCE, core_table="core.dim_partner_site", partition_column=None,
    header=manifest_header(SITE_FIELDS), stage=stage_sites, publish=publish_merge,
)
OUTAGES = Dataset(
    name="pln_outage", source=SOURCE, core_table="core.fct_partner_outage", partition_column=None,
    header=manifest_header(OUTAGE_FIELDS), stage=stage_outages, publish=publish_merge,
)


def watermarks(con: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    return dict(con.execute(
        "SELECT stream, watermark_at FROM audit.api_watermark WHERE source = ?", [SOURCE]
    ).fetchall())


def _advance(con: duckdb.DuckDBPyConnection, stream: str, until: datetime, load_id: str) -> None:
    con.execute("DELETE FROM audit.api_watermark WHERE source = ? AND stream = ?", [SOURCE, stream])
    con.execute("INSERT INTO audit.api_watermark VALUES (?, ?, ?, ?, now())",
                [SOURCE, stream, until, load_id])


def _fail_running(con: duckdb.DuckDBPyConnection, message: str) -> None:
    audit.fail_running(con, (SITES.name, OUTAGES.name), message)


@dataclass(frozen=True)
class PullResult:
    sites_since: datetime
    outages_start: datetime
    until: datetime
    sites: LoadResult | None  # None: nothing pulled, the watermark was already past `until`
    outages: LoadResult | None

    def describe(self) -> str:
        if self.sites is None or self.outages is None:
            return f"nothing to pull: already pulled past {iso(self.until)}"
        return (f"pulled to {iso(self.until)}: {self.sites.rows_published} sites "
                f"({self.sites.rows_quarantined} quarantined), {self.outages.rows_published} "
                f"outages ({self.outages.rows_quarantined} quarantined)")


def pull_window(con: duckdb.DuckDBPyConnection, until: datetime, options: PullOptions
                ) -> tuple[datetime, datetime, bool]:
    """(sites updated since, outages starting from, anything to ask for) of a pull to `until`."""
    marks = watermarks(con)
    sites_since = marks.get("sites", options.first_pull_at)
    out_start = (marks["outages"] - options.outage_lookback if "outages" in marks
                 else options.first_pull_at)
    # A run for a time already pulled (a rerun of an old day): the watermark never moves
    # back, and there is nothing new to ask for.
    return sites_since, out_start, not ("outages" in marks and until <= marks["outages"])


def fetch_pages(
    con: duckdb.DuckDBPyConnection, settings: Settings, conn: PartnerConnection, until: datetime,
    options: PullOptions, sleep: Callable[[float], None] = time.sleep,
) -> list[Item]:
    """Every page of both streams into the archive: the two manifests to load. Nothing is
    loaded unless both streams arrived whole (else PartnerApiError, recorded in audit)."""
    sites_since, out_start, due = pull_window(con, until, options)
    if not due:
        return []
    # A pull that died earlier left its loads running: they will never finish.
    _fail_running(con, "abandoned: a later pull started")
    client = PartnerClient(conn, options, sleep)
    try:
        fetched = [
            fetch_stream(con, settings, client, "sites", {"updated_since": iso(sites_since)},
                         options.page_size, _required(settings, SITES)),
            fetch_stream(con, settings, client, "outages",
                         {"start": iso(out_start), "end": iso(until)},
                         options.page_size, _required(settings, OUTAGES)),
        ]
    except PartnerApiError as exc:
        load = audit.start_load(con, SOURCE, SITES.name, f"pull to {iso(until)}", None,
                                f"api/{pln_api.CONN_ID}")
        audit.finish_load(con, load.load_id, "failed",
                          f"{exc} Nothing of this pull was loaded; watermark unmoved.", 0, 0)
        raise
    finally:
        client.close()
    return [
        {"dataset": ds.name, "partition_key": f"{iso(start)}/{iso(until)}",
         "sha256": f.manifest_sha256, "name": f.manifest_name}
        for ds, start, f in zip((SITES, OUTAGES), (sites_since, out_start), fetched, strict=True)
    ]


def list_pull(con: duckdb.DuckDBPyConnection, settings: Settings, partition: str,
              connection: Any) -> list[Item]:
    """The api delivery's list step: a pull up to the run's end (the partition)."""
    return fetch_pages(con, settings, partner_connection(connection),
                       datetime.fromisoformat(partition).astimezone(UTC), PullOptions.from_settings(settings))


def advance_watermarks(con: duckdb.DuckDBPyConnection, settings: Settings, partition: str,
                       loads: list[audit.Load]) -> None:
    """Both streams published: the next pull starts where this one ended."""
    until = datetime.fromisoformat(partition).astimezone(UTC)
    by_dataset = {load.dataset: load.load_id for load in loads}
    with transaction(con):
        _advance(con, "sites", until, by_dataset[SITES.name])
        _advance(con, "outages", until, by_dataset[OUTAGES.name])


FEED = Feed((SITES, OUTAGES), list_pull, on_published=advance_watermarks)


def pull(
    settings: Settings, conn: PartnerConnection, until: datetime | None = None,
    options: PullOptions | None = None, sleep: Callable[[float], None] = time.sleep,
) -> PullResult:
    """One pull up to `until` (default now): the api delivery's steps in one session.
    Raises PartnerApiError with nothing loaded."""
    from pipelines.batch import run

    options = options or PullOptions.from_settings(settings)
    until = (until or datetime.now(UTC)).astimezone(UTC)
    with session(settings) as con:
        sites_since, out_start, _ = pull_window(con, until, options)
        items = fetch_pages(con, settings, conn, until, options, sleep)
        if not items:
            return PullResult(sites_since, out_start, until, None, None)
        ids: list[str] = []
        try:
            ids = run.archive(con, settings, SOURCE_ID, "api", items)
            run.validate(con, settings, SOURCE_ID, "api", run.stage(con, settings, SOURCE_ID, "api", ids))
            sites, outages = run.publish(con, settings, SOURCE_ID, "api", until.isoformat(), ids)
        except Exception as exc:
            _fail_running(con, f"pull failed: {exc}; watermark unmoved")
            for load_id in ids:
                ds = FEED.dataset(audit.get_load(con, load_id).dataset)
                con.execute(f"DROP TABLE IF EXISTS {staging_table(ds, load_id)}")
            raise
    return PullResult(sites_since, out_start, until, sites, outages)


def _required(settings: Settings, dataset: Dataset) -> list[str]:
    return required_columns(load_suite(settings.expectations_dir, dataset.name))
