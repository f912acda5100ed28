"""Synthetic tower logs (docs/sources.md 2a-2c), built inside DuckDB for millions of rows.

Towers and events tell one story: a link outage is DOWN in the KPIs between a LINK_DOWN
and a LINK_UP event; a power loss is BATTERY power between POWER_LOSS and POWER_RESTORED.
Knobs inject each kind of bad row at a chosen rate, and each file variant on a chosen
share of the days. Everything is a pure function of the seed.
"""

from __future__ import annotations

import gzip
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from pipelines.demo.generate.geo import _unit, village_centroid

BAD_KINDS = ("out_of_range", "unknown_tower", "off_grid", "outside_day", "duplicate", "not_a_number")
VARIANTS = ("semicolon", "bom", "crlf", "gzip", "no_offset")


@dataclass(frozen=True)
class TowerOptions:
    towers: int = 30
    # share of KPI rows of each bad kind (0.001 = one row in a thousand)
    bad_rates: dict[str, float] = field(default_factory=lambda: {k: 0.0005 for k in BAD_KINDS})
    # share of days delivered in each variant (independently: a day may have several)
    variant_rates: dict[str, float] = field(default_factory=lambda: {v: 0.25 for v in VARIANTS})
    not_syslog_rate: float = 0.01  # share of towers whose syslog carries a garbage line
    gap_rate: float = 0.002  # share of slots with no sample at all
    outage_rate: float = 0.15  # chance a tower has a link outage on a given day
    power_loss_rate: float = 0.2  # chance a tower loses mains on a given day
    events: bool = True


def _villages(home: Path, region_code: str) -> list[str]:
    """Village codes of the latest edition in the landing zone that every earlier edition
    has too: a tower keeps one village code in every snapshot of the period, and a code
    younger than the period would put it in a district before that district existed."""
    editions = sorted((home / "landing" / "registry" / "kemendagri").glob("*.csv"))
    if not editions:
        return [f"{region_code}.01.2001"]
    con = duckdb.connect()
    rows = con.execute(
        """SELECT kode FROM read_csv(?, all_varchar=true, filename=true)
           WHERE length(kode) = 13 GROUP BY kode
           HAVING count(DISTINCT filename) = ? ORDER BY kode""",
        [[str(p) for p in editions], len(editions)],
    ).fetchall()
    return [r[0] for r in rows] or [f"{region_code}.01.2001"]


def tower_table(con: duckdb.DuckDBPyConnection, seed: int, n: int, villages: list[str],
                start: date, days: int) -> None:
    """Table `towers`: id, attributes, and the life of each tower around the period."""
    import pyarrow as pa

    # spread over the edition (it lists villages district by district), not its first few
    codes = [villages[i * len(villages) // n % len(villages)] for i in range(n)]
    lats, lons = zip(*(village_centroid(seed, c) for c in codes), strict=True) if n else ((), ())
    con.register("tower_places", pa.table({"i": range(n), "village_code": codes,
                                           "vlat": lats, "vlon": lons}))
    mid = start + timedelta(days=days // 2)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE towers AS
        SELECT i, 'KKR-' || lpad(i::VARCHAR, 5, '0') AS tower_id,
               'Menara ' || village_code || '/' || i AS name,
               ['PEMKAB', 'TELKOMSEL', 'XL', 'INDOSAT', 'BAKTI'][1 + (hash({seed}, i, 'op') % 5)::BIGINT] AS operator,
               village_code,
               round(vlat + ((hash({seed}, i, 'la') % 1000) / 1000.0 - 0.5) * 0.02, 6) AS lat,
               round(vlon + ((hash({seed}, i, 'lo') % 1000) / 1000.0 - 0.5) * 0.02, 6) AS lon,
               30 + hash({seed}, i, 'h') % 40 AS height_m,
               ['4G', '4G', '4G', '3G', '2G', '5G', 'VSAT', 'RADIO_LINK', 'FIBER'][1 + (hash({seed}, i, 't') % 9)::BIGINT] AS technology,
               round(1.5 + (hash({seed}, i, 'r') % 60) / 10.0, 1) AS coverage_radius_km,
               -- one tower in twenty comes into service mid-period, one in forty leaves
               CASE WHEN i % 20 = 7 THEN DATE '{mid}'
                    ELSE DATE '2018-01-01' + CAST(hash({seed}, i, 'c') % 2000 AS INTEGER) END AS commissioned_on,
               CASE WHEN i % 40 = 13 THEN DATE '{mid}' + 3 END AS decommissioned_on
        FROM tower_places"""
    )
    con.unregister("tower_places")


def write_inventory(con: duckdb.DuckDBPyConnection, home: Path, start: date, days: int) -> list[Path]:
    """A snapshot at the start and one mid-period that knows about the decommissioning."""
    folder = home / "landing" / "towers" / "inventory"
    folder.mkdir(parents=True, exist_ok=True)
    mid = start + timedelta(days=days // 2)
    # the first snapshot does not know yet which tower will leave; the second does
    snapshots = [(start, "false")] + ([(mid, "true")] if days > 1 else [])
    written = []
    for snap, knows_decom in snapshots:
        path = folder / f"{snap}.csv"
        con.execute(
            f"""COPY (SELECT tower_id, name, operator, village_code, lat, lon, height_m, technology,
                             coverage_radius_km, commissioned_on,
                             CASE WHEN {knows_decom} THEN decommissioned_on END AS decommissioned_on
                      FROM towers
                      -- towers commissioned after the snapshot are not in it yet
                      WHERE commissioned_on <= DATE '{snap}' + 7 ORDER BY i)
                TO '{path}' (HEADER)"""
        )
        written.append(path)
    return written


def day_rows(con: duckdb.DuckDBPyConnection, seed: int, day: date, opts: TowerOptions) -> None:
    """Temp tables `kpi` (clean samples, with outage and power windows) and `windows`."""
    d = f"DATE '{day}'"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE windows AS
        SELECT i, tower_id,
               -- link outage: start slot and length (slots) when the dice say so
               CASE WHEN hash({seed}, i, {d}, 'o') % 10000 < {int(opts.outage_rate * 10000)}
                    THEN hash({seed}, i, {d}, 'os') % 260 END AS out_start,
               2 + hash({seed}, i, {d}, 'ol') % 24 AS out_len,
               CASE WHEN hash({seed}, i, {d}, 'p') % 10000 < {int(opts.power_loss_rate * 10000)}
                    THEN hash({seed}, i, {d}, 'ps') % 240 END AS pow_start,
               3 + hash({seed}, i, {d}, 'pl') % 40 AS pow_len
        FROM towers
        WHERE commissioned_on <= {d} AND (decommissioned_on IS NULL OR decommissioned_on > {d})"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE kpi AS
        SELECT w.tower_id, s.slot,
               {d} + INTERVAL 5 MINUTE * s.slot AS local_ts,
               w.out_start IS NOT NULL AND s.slot BETWEEN w.out_start AND w.out_start + w.out_len - 1 AS is_down,
               w.pow_start IS NOT NULL AND s.slot BETWEEN w.pow_start AND w.pow_start + w.pow_len - 1 AS on_battery,
               CASE WHEN on_battery THEN s.slot - w.pow_start ELSE 0 END AS battery_slots,
               -- a long power loss starts the genset two slots in (GENSET_START / _STOP)
               on_battery AND w.pow_len > 30 AND s.slot >= w.pow_start + 2 AS on_genset,
               CAST(hash({seed}, w.i, s.slot, {d}) >> 1 AS BIGINT) AS h
        FROM windows AS w, (SELECT range::INTEGER AS slot FROM range(288)) AS s"""
    )


def kpi_text(seed: int, day: date, opts: TowerOptions, semicolon: bool, offset: bool) -> str:
    """SELECT of the day's KPI file as text columns, bad rows injected at their rates."""
    rate = {k: int(opts.bad_rates.get(k, 0.0) * 1_000_000) for k in BAD_KINDS}

    def num(expr: str) -> str:
        text = f"CAST({expr} AS VARCHAR)"
        return f"replace({text}, '.', ',')" if semicolon else text

    pick = "h % 1000000"
    suffix = "'+08:00'" if offset else "''"
    clean = f"""
        SELECT
            CASE WHEN {pick} BETWEEN 0 AND {rate['unknown_tower']} - 1 THEN 'GHOST-' || (h % 97)
                 ELSE tower_id END AS tower_id,
            strftime(local_ts
                     + CASE WHEN ({pick}) - 100000 BETWEEN 0 AND {rate['off_grid']} - 1 THEN INTERVAL 2 MINUTE
                            WHEN ({pick}) - 200000 BETWEEN 0 AND {rate['outside_day']} - 1 THEN INTERVAL 1 DAY
                            ELSE INTERVAL 0 MINUTE END,
                     '%Y-%m-%dT%H:%M:%S') || {suffix} AS ts,
            CASE WHEN is_down THEN 'DOWN' WHEN h % 50 = 0 THEN 'DEGRADED' ELSE 'UP' END AS status,
            {num("CASE WHEN is_down THEN 0.0 WHEN h % 50 = 0 THEN 80.0 + h % 15 ELSE 99.0 + (h % 10) / 10.0 END")} AS availability_pct,
            CASE WHEN is_down THEN '' ELSE {num("round(15 + (h % 4000) / 100.0, 2)")} END AS latency_ms,
            {num("CASE WHEN is_down THEN 100.0 ELSE round((h % 300) / 100.0, 2) END")} AS packet_loss_pct,
            CASE WHEN ({pick}) - 300000 BETWEEN 0 AND {rate['not_a_number']} - 1 THEN 'n/a'
                 ELSE {num("CASE WHEN is_down THEN 0.0 ELSE round(5 + (h % 9000) / 100.0, 2) END")} END AS throughput_mbps,
            CAST(CASE WHEN is_down THEN 0 ELSE h % 150 END AS VARCHAR) AS active_users,
            CASE WHEN ({pick}) - 400000 BETWEEN 0 AND {rate['out_of_range']} - 1 THEN '-12'
                 ELSE CAST(-55 - h % 60 AS VARCHAR) END AS rssi_dbm,
            CASE WHEN on_genset THEN 'GENSET' WHEN on_battery THEN 'BATTERY' WHEN h % 400 = 0 THEN 'SOLAR' ELSE 'PLN' END AS power_source,
            {num("CASE WHEN on_battery THEN round(52.0 - battery_slots * 0.25, 1) ELSE 53.5 END")} AS battery_v,
            slot, h
        FROM kpi
        -- gaps: slots without a sample
        WHERE NOT (h // 1000000) % 1000000 < {int(opts.gap_rate * 1_000_000)}
    """
    dupes = f"SELECT * FROM clean WHERE ({pick}) - 500000 BETWEEN 0 AND {rate['duplicate']} - 1"
    cols = ("tower_id, ts, status, availability_pct, latency_ms, packet_loss_pct, throughput_mbps, "
            "active_users, rssi_dbm, power_source, battery_v")
    return (f"WITH clean AS ({clean}) SELECT {cols} FROM "
            f"(SELECT *, 0 AS copy FROM clean UNION ALL SELECT *, 1 FROM ({dupes})) "
            "ORDER BY slot, tower_id, copy")


def event_lines(con: duckdb.DuckDBPyConnection, seed: int, day: date, bad_rate: float) -> list[str]:
    """Syslog lines matching the day's outage and power windows, in time order."""
    d = f"DATE '{day}'"
    rows = con.execute(
        f"""WITH ev AS (
            SELECT tower_id, out_start AS slot, 0 AS sec, 'netwatch' AS tag, 'link ether1 down' AS msg FROM windows WHERE out_start IS NOT NULL
            UNION ALL SELECT tower_id, out_start + out_len, 0, 'netwatch', 'link ether1 up' FROM windows WHERE out_start IS NOT NULL
            UNION ALL SELECT tower_id, pow_start, 0, 'power', 'mains lost, running on battery' FROM windows WHERE pow_start IS NOT NULL
            UNION ALL SELECT tower_id, pow_start + 2, 0, 'genset', 'started' FROM windows WHERE pow_start IS NOT NULL AND pow_len > 30
            UNION ALL SELECT tower_id, pow_start + pow_len, 0, 'genset', 'stopped' FROM windows WHERE pow_start IS NOT NULL AND pow_len > 30
            UNION ALL SELECT tower_id, pow_start + 24, 10, 'power', 'battery low 46.0V' FROM windows WHERE pow_start IS NOT NULL AND pow_len BETWEEN 25 AND 30
            UNION ALL SELECT tower_id, pow_start + pow_len, 0, 'power', 'mains restored' FROM windows WHERE pow_start IS NOT NULL
            UNION ALL SELECT tower_id, hash({seed}, tower_id, {d}) % 288, 17, 'dhcp', 'lease renewed' FROM windows WHERE hash({seed}, tower_id, {d}, 'x') % 3 = 0
            UNION ALL SELECT tower_id, hash({seed}, tower_id, {d}, 'rb') % 288, 5, 'system', 'router rebooted' FROM windows WHERE hash({seed}, tower_id, {d}, 'r') % 25 = 0
        ),
        lines AS (
            SELECT {d} + INTERVAL 5 MINUTE * slot + INTERVAL 1 SECOND * sec AS event_ts, tower_id,
                   '<' || CASE tag WHEN 'power' THEN 28 ELSE 30 END || '>'
                   || strftime({d} + INTERVAL 5 MINUTE * slot + INTERVAL 1 SECOND * sec, '%b ')
                   || lpad(CAST(day({d} + INTERVAL 5 MINUTE * slot) AS VARCHAR), 2, ' ')
                   || strftime({d} + INTERVAL 5 MINUTE * slot + INTERVAL 1 SECOND * sec, ' %H:%M:%S ')
                   || tower_id || ' ' || tag || ': ' || msg AS line
            FROM ev WHERE slot < 288
            UNION ALL
            SELECT {d} + INTERVAL 1 SECOND * (hash({seed}, tower_id, 'g') % 86400), tower_id,
                   '*** console garbage from ' || tower_id
            FROM windows WHERE hash({seed}, tower_id, {d}, 'g') % 1000000 < {int(bad_rate * 1_000_000)}
        )
        SELECT line FROM lines ORDER BY event_ts, tower_id"""
    ).fetchall()
    return [r[0] for r in rows]


def write_variant(plain: Path, target: Path, bom: bool, crlf: bool, gz: bool) -> Path:
    """Rewrite a plain LF CSV into the requested variant, streaming in chunks."""
    if not (bom or crlf or gz):
        plain.replace(target)
        return target
    opener = gzip.open if gz else open
    with plain.open("rb") as src, opener(target, "wb") as dst:
        if bom:
            dst.write(b"\xef\xbb\xbf")
        if not crlf:
            shutil.copyfileobj(src, dst, 1 << 22)
        else:
            while chunk := src.read(1 << 22):
                dst.write(chunk.replace(b"\n", b"\r\n"))
    plain.unlink()
    return target


def write_day(con: duckdb.DuckDBPyConnection, home: Path, seed: int, day: date,
              opts: TowerOptions, variants: set[str] | None = None) -> list[Path]:
    """The day's KPI file (in its variants) and syslog."""
    if variants is None:
        variants = {v for v in VARIANTS if _unit(seed, str(day), v) < opts.variant_rates.get(v, 0)}
    day_rows(con, seed, day, opts)
    semicolon = "semicolon" in variants
    folder = home / "landing" / "towers" / "kpi"
    folder.mkdir(parents=True, exist_ok=True)
    plain = folder / f".{day}.csv.part"
    sql = kpi_text(seed, day, opts, semicolon, offset="no_offset" not in variants)
    con.execute(f"COPY ({sql}) TO '{plain}' (HEADER, DELIMITER '{';' if semicolon else ','}')")
    gz = "gzip" in variants
    written = [write_variant(plain, folder / f"{day}.csv{'.gz' if gz else ''}",
                             "bom" in variants, "crlf" in variants, gz)]
    if opts.events:
        ev = home / "landing" / "towers" / "events" / f"{day}.log{'.gz' if gz else ''}"
        ev.parent.mkdir(parents=True, exist_ok=True)
        data = ("\n".join(event_lines(con, seed, day, opts.not_syslog_rate)) + "\n").encode()
        ev.write_bytes(gzip.compress(data, mtime=0) if gz else data)
        written.append(ev)
    return written


def rates(pairs: list[str], kinds: tuple[str, ...], defaults: dict[str, float],
          what: str) -> dict[str, float]:
    """`KIND=RATE` settings over the defaults, in order; `all=RATE` sets every kind."""
    out = dict(defaults)
    for pair in pairs:
        kind, sep, value = pair.partition("=")
        try:
            rate = float(value)
        except ValueError:
            rate = -1.0
        if not sep or (kind != "all" and kind not in kinds) or not 0.0 <= rate <= 1.0:
            raise ValueError(f"{what} {pair!r}: expected KIND=RATE with RATE between 0 and 1 and "
                             f"KIND one of all, {', '.join(kinds)}")
        out.update(dict.fromkeys(kinds if kind == "all" else (kind,), rate))
    return out


def generate(options) -> list[Path]:  # GenerateOptions
    """Inventory snapshots and one KPI file and syslog per day of the options' period."""
    opts = options.towers or TowerOptions()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    tower_table(con, options.seed, opts.towers, _villages(options.home, options.region_code),
                options.start, options.days)
    written = write_inventory(con, options.home, options.start, options.days)
    for n in range(options.days):
        written.extend(write_day(con, options.home, options.seed, options.start + timedelta(days=n), opts))
    con.close()
    return written
