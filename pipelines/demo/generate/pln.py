"""Synthetic PLN partner data: sites and outages for the partner API server
($KONEKTIVITAS_HOME/partner_api/*.json) and monthly SLA spreadsheets in the partner's
hand-made style (landing/pln/sla/<YYYY-MM>.xlsx)."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.demo.generate.geo import village_centroid
from pipelines.demo.partner_server import PartnerData
from pipelines.settings import LOCAL_TZ

WITA = ZoneInfo(LOCAL_TZ)
SERVICES = {"FIBER": 99.0, "RADIO": 98.5, "VSAT": 97.5, "WIFI_PUBLIC": 95.0}  # contracted SLA %
CAUSES = ["PLN_POWER", "FIBER_CUT", "EQUIPMENT", "WEATHER", "OTHER"]
UNITS = ["ULP Tenggarong", "ULP Kota Bangun", "ULP Samboja", "ULP Muara Badak"]
ID_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


def api_folder(home: Path) -> Path:
    return home / "partner_api"


def _iso(d: datetime, rng: random.Random) -> str:
    # Mostly WITA with its offset, sometimes UTC: both are valid ISO instants.
    d = d.replace(microsecond=0)
    return d.astimezone(WITA).isoformat() if rng.random() < 0.8 else d.astimezone(UTC).isoformat()


def _registry(home: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(district code -> name, [(village code, name)]) of the latest landed edition."""
    files = sorted((home / "landing" / "registry" / "kemendagri").glob("*.csv"))
    if not files:
        return {}, []
    with files[-1].open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    districts = {r["kode"]: r["nama"] for r in rows if r["kode"].count(".") == 2}
    villages = [(r["kode"], r["nama"]) for r in rows if r["kode"].count(".") == 3]
    return districts, villages


def partner_spelling(name: str, rng: random.Random) -> str:
    """How the partner types a name: upper case, sometimes hyphens or no spaces."""
    text = name.upper()
    r = rng.random()
    if r < 0.2:
        return text.replace(" ", "-")
    if r < 0.3:
        return text.replace(" ", "")
    return text


def make_partner_data(options: Any) -> PartnerData:
    rng = random.Random(options.seed * 7 + 5)
    districts, villages = _registry(options.home)
    start = datetime.combine(options.start, datetime.min.time(), WITA)
    end = start + timedelta(days=options.days)
    chosen = rng.sample(villages, min(40, len(villages)))
    sites, outages = [], []
    for i, (code, vname) in enumerate(chosen, 1):
        service = rng.choice(list(SERVICES))
        status = rng.choices(["ACTIVE", "PLANNED", "SUSPENDED", "TERMINATED"], [80, 8, 6, 6])[0]
        activated = None if status == "PLANNED" else start + timedelta(
            days=rng.uniform(-60, options.days / 2))
        terminated = (activated + timedelta(days=rng.uniform(10, 40))
                      if status == "TERMINATED" and activated else None)
        updated = max(x for x in (start, activated, terminated) if x) + timedelta(hours=rng.uniform(1, 48))
        given = rng.random() < 0.7
        village_name = vname if given else partner_spelling(vname, rng)
        if i % 17 == 0:  # a typo no normaliser can fix: for the manual mapping file
            village_name = village_name + "H"
        lat, lon = village_centroid(options.seed, code)
        sites.append({
            "site_id": f"PLN-KKR-{i:04d}", "village_code": code if given and i % 17 else None,
            "village_name": village_name,
            "district_name": partner_spelling(districts.get(code.rsplit(".", 1)[0], ""), rng),
            "service": service, "bandwidth_mbps": rng.choice([10, 20, 50, 100]),
            "status": status, "activated_at": _iso(activated, rng) if activated else None,
            "terminated_at": _iso(terminated, rng) if terminated else None,
            "pln_unit": rng.choice(UNITS), "lat": lat, "lon": lon,
            "updated_at": _iso(updated, rng),
        })
        if activated is None:
            continue
        t = max(activated, start - timedelta(days=10))
        stop = min(terminated or end, end)
        n = 0
        while True:
            t += timedelta(hours=rng.expovariate(1 / 200))
            if t >= stop:
                break
            n += 1
            length = timedelta(minutes=rng.choice([15, 30, 45, 90, 180, 480]))
            ongoing = t + length > end or (rng.random() < 0.003)
            outages.append(_outage(f"OUT-{i:04d}-{n:03d}", sites[-1]["site_id"], t,
                                   None if ongoing else t + length, rng))
            if rng.random() < 0.15:  # a second fault overlapping the first
                n += 1
                o_start = t + length / 2
                outages.append(_outage(f"OUT-{i:04d}-{n:03d}", sites[-1]["site_id"], o_start,
                                       min(o_start + length, end), rng))
            if ongoing:
                break
    return PartnerData(sites, outages)


def _outage(oid: str, site_id: str, start: datetime, end: datetime | None,
            rng: random.Random) -> dict[str, Any]:
    cause = rng.choice(CAUSES)
    return {"outage_id": oid, "site_id": site_id, "started_at": _iso(start, rng),
            "ended_at": _iso(end, rng) if end else None, "cause": cause,
            "description": {"PLN_POWER": "padam listrik PLN", "FIBER_CUT": "kabel FO putus",
                            "EQUIPMENT": "perangkat rusak", "WEATHER": "cuaca buruk",
                            "OTHER": "lain-lain"}[cause]}


def _ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def measured_pct(site: dict, outages: list[dict], month: date) -> tuple[float, float, int] | None:
    """(availability %, outage minutes, outages) of a site in a local month, as the partner
    would compute it before it rounds in its own favour; None if not active then."""
    m0 = datetime.combine(month, datetime.min.time(), WITA)
    m1 = datetime.combine(_next_month(month), datetime.min.time(), WITA)
    if not site["activated_at"]:
        return None
    a0 = max(_ts(site["activated_at"]), m0)
    a1 = min(_ts(site["terminated_at"]) or m1, m1)
    if a1 <= a0:
        return None
    spans = sorted(
        (max(_ts(o["started_at"]), a0), min(_ts(o["ended_at"]) or m1, a1))
        for o in outages if o["site_id"] == site["site_id"]
    )
    down, cur_end, count = 0.0, a0, 0
    for s, e in spans:
        if e <= s:
            continue
        count += 1
        s = max(s, cur_end)
        if e > s:
            down += (e - s).total_seconds() / 60
            cur_end = e
    active = (a1 - a0).total_seconds() / 60
    return 100 * (1 - down / active), down, count


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


@dataclass(frozen=True)
class SheetStyle:
    header_row: int = 6  # first row of the header block
    merged_header: bool = True  # a "Kinerja Layanan" group cell over the figures
    english_title: bool = False
    period_month: date | None = None  # what the title claims; default: the real month
    total_label: str = "Rata-rata"


def write_sla_report(path: Path, month: date, rows: list[dict[str, Any]], style: SheetStyle) -> Path:
    """One report the way the partner makes it. Row values may be numbers or text ("99,87")."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "SLA"
    claimed = style.period_month or month
    names = EN_MONTHS if style.english_title else ID_MONTHS
    word = "Period" if style.english_title else "Periode"
    title = ["LAPORAN SLA LAYANAN INTERNET DESA", f"{word}: {names[claimed.month - 1]} {claimed.year}",
             "PT Icon Plus - Kantor Perwakilan Kalimantan Timur"]
    for i, text in enumerate(title, 1):
        if i < style.header_row - 1:
            ws.cell(i, 1, text).font = Font(bold=i == 1)
    labels = ["No", "ID Layanan", "Nama Desa", "Kecamatan", "Jenis Layanan", "Bandwidth (Mbps)",
              "SLA Kontrak (%)", "Availability (%)", "Downtime (menit)", "Jumlah Gangguan",
              "Keterangan"]
    h = style.header_row
    if style.merged_header:
        for c, label in enumerate(labels, 1):
            if 7 <= c <= 10:
                ws.cell(h + 1, c, label)
            else:
                ws.cell(h, c, label)
                ws.merge_cells(start_row=h, start_column=c, end_row=h + 1, end_column=c)
        ws.cell(h, 7, "Kinerja Layanan")
        ws.merge_cells(start_row=h, start_column=7, end_row=h, end_column=10)
        first = h + 2
    else:
        for c, label in enumerate(labels, 1):
            ws.cell(h, c, label)
        first = h + 1
    for c in range(1, 12):
        for r in range(h, first):
            ws.cell(r, c).alignment = Alignment(horizontal="center", wrap_text=True)
            ws.cell(r, c).font = Font(bold=True)
    keys = ["no", "site_id", "village_name", "district_name", "service", "bandwidth_mbps",
            "contracted_sla_pct", "reported_availability_pct", "downtime_minutes", "outage_count",
            "remarks"]
    for r, row in enumerate(rows, first):
        for c, k in enumerate(keys, 1):
            if row.get(k) is not None:
                ws.cell(r, c, row[k])
    total = first + len(rows)
    ws.cell(total, 1, style.total_label)
    ws.merge_cells(start_row=total, start_column=1, end_row=total, end_column=6)
    avail = [_number(x.get("reported_availability_pct")) for x in rows]
    avail = [a for a in avail if a is not None]
    if avail:
        ws.cell(total, 8, round(sum(avail) / len(avail), 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _number(value: Any) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def report_rows(data: PartnerData, month: date, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for site in data.sites:
        m = measured_pct(site, data.outages, month)
        if m is None:
            continue
        pct, down, count = m
        optimistic = rng.random() < 0.25  # the partner sometimes rounds in its own favour
        reported = min(100.0, pct + rng.uniform(0.6, 2.5)) if optimistic else pct
        value: Any = round(reported, 2)
        if rng.random() < 0.3:
            value = f"{value:.2f}".replace(".", ",")  # typed as text with a decimal comma
        rows.append({
            "no": len(rows) + 1, "site_id": site["site_id"], "village_name": site["village_name"],
            "district_name": site["district_name"], "service": site["service"],
            "bandwidth_mbps": site["bandwidth_mbps"], "contracted_sla_pct": SERVICES[site["service"]],
            "reported_availability_pct": value,
            "downtime_minutes": None if rng.random() < 0.1 else round(down),
            "outage_count": count, "remarks": "normal" if count == 0 else None,
        })
    return rows


def generate(options: Any) -> list[Path]:  # options: GenerateOptions
    data = make_partner_data(options)
    written = data.write(api_folder(options.home))
    rng = random.Random(options.seed * 11 + 3)
    month = options.start.replace(day=1)
    last = options.start + timedelta(days=options.days)
    k = 0
    while _next_month(month) <= last:
        style = SheetStyle(header_row=5 + k % 3, merged_header=k % 2 == 0,
                           english_title=k % 3 == 2, total_label=["Rata-rata", "TOTAL"][k % 2])
        path = options.home / "landing" / "pln" / "sla" / f"{month:%Y-%m}.xlsx"
        written.append(write_sla_report(path, month, report_rows(data, month, rng), style))
        month, k = _next_month(month), k + 1
    return written
