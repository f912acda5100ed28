"""Small tower deliveries in every variant of docs/sources.md 2a-2c: written by the tests
and by the selftest's cases."""

from __future__ import annotations

import gzip
from datetime import date, datetime, timedelta
from pathlib import Path

KPI_COLUMNS = [
    "tower_id", "ts", "status", "availability_pct", "latency_ms", "packet_loss_pct",
    "throughput_mbps", "active_users", "rssi_dbm", "power_source", "battery_v",
]
INVENTORY_COLUMNS = [
    "tower_id", "name", "operator", "village_code", "lat", "lon", "height_m", "technology",
    "coverage_radius_km", "commissioned_on", "decommissioned_on",
]


def write_inventory(home: Path, snapshot: date, towers: list[dict]) -> Path:
    rows = [",".join(INVENTORY_COLUMNS)]
    for t in towers:
        row = {
            "name": f"Menara {t['tower_id']}", "operator": "PEMKAB", "village_code": "64.02.01.2001",
            "lat": "-0.5", "lon": "117.0", "height_m": "42", "technology": "4G",
            "coverage_radius_km": "3.5", "commissioned_on": "2020-01-01", "decommissioned_on": "",
            **t,
        }
        rows.append(",".join(str(row[c]) for c in INVENTORY_COLUMNS))
    path = home / "landing" / "towers" / "inventory" / f"{snapshot}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n")
    return path


def sample(tower_id: str, ts: str, status: str = "UP", **over: str) -> dict[str, str]:
    row = {
        "tower_id": tower_id, "ts": ts, "status": status, "availability_pct": "99.5",
        "latency_ms": "" if status == "DOWN" else "35.5", "packet_loss_pct": "0.5",
        "throughput_mbps": "48.25", "active_users": "12", "rssi_dbm": "-71",
        "power_source": "PLN", "battery_v": "52.5",
    }
    row.update(over)
    return row


def day_samples(tower_id: str, day: date, down_slots: set[int] = frozenset(),
                skip_slots: set[int] = frozenset(), offset: bool = True) -> list[dict]:
    """288 samples of one tower for a local day; DOWN or missing in the given slots."""
    start = datetime.combine(day, datetime.min.time())
    out = []
    for slot in range(288):
        if slot in skip_slots:
            continue
        ts = (start + timedelta(minutes=5 * slot)).strftime("%Y-%m-%dT%H:%M:%S")
        out.append(sample(tower_id, ts + ("+08:00" if offset else ""),
                          "DOWN" if slot in down_slots else "UP"))
    return out


def write_kpi(home: Path, day: date, rows: list[dict], *, delimiter: str = ",",
              bom: bool = False, crlf: bool = False, gz: bool = False,
              columns: list[str] | None = None, name: str | None = None) -> Path:
    cols = columns or KPI_COLUMNS
    newline = "\r\n" if crlf else "\n"

    def cell(col: str, value: str) -> str:
        if delimiter == ";" and col not in ("tower_id", "ts"):
            return value.replace(".", ",")  # decimal comma goes with the semicolon
        return value

    lines = [delimiter.join(cols)] + [delimiter.join(cell(c, r.get(c, "")) for c in cols) for r in rows]
    data = (("\ufeff" if bom else "") + newline.join(lines) + newline).encode()
    path = home / "landing" / "towers" / "kpi" / (name or f"{day}.csv{'.gz' if gz else ''}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


def syslog(tower_id: str, when: datetime, tag: str, message: str, pri: int = 30) -> str:
    stamp = f"{when:%b} {when.day:>2} {when:%H:%M:%S}"
    return f"<{pri}>{stamp} {tower_id} {tag}: {message}"


def write_events(home: Path, day: date, lines: list[str], *, gz: bool = False,
                 crlf: bool = False) -> Path:
    data = (("\r\n" if crlf else "\n").join(lines) + "\n").encode()
    path = home / "landing" / "towers" / "events" / f"{day}.log{'.gz' if gz else ''}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path
