"""Small SVG chart builders: the report draws its own charts so it works offline."""

from __future__ import annotations

import html
from collections.abc import Sequence

STATUS_COLOURS = {"blank": "#d62728", "connected": "#2ca02c", "unknown": "#9e9e9e"}
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39",
           "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363"]


def _esc(text: object) -> str:
    return html.escape(str(text))


def svg(width: int, height: int, body: str, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-label="{_esc(label)}" class="chart">{body}</svg>')


def stacked_bars(rows: Sequence[tuple[str, dict[str, float]]], series: Sequence[tuple[str, str, str]],
                 label: str, width: int = 760) -> str:
    """Horizontal stacked bars: rows of (name, {series_key: value}); series (key, colour, legend)."""
    bar_h, gap, left = 18, 6, 190
    height = len(rows) * (bar_h + gap) + 40
    top = max((sum(v.values()) for _, v in rows), default=0) or 1
    scale = (width - left - 60) / top
    parts = []
    for i, (name, values) in enumerate(rows):
        y, x = 10 + i * (bar_h + gap), left
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end" font-size="12">{_esc(name)}</text>')
        for key, colour, legend in series:
            w = values.get(key, 0) * scale
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
                             f'<title>{_esc(name)}: {_esc(legend)} {values.get(key, 0):g}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}" font-size="11">{sum(values.values()):g}</text>')
    ly = height - 14
    for j, (_, colour, legend) in enumerate(series):
        parts.append(f'<rect x="{left + j * 170}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{left + j * 170 + 16}" y="{ly}" font-size="12">{_esc(legend)}</text>')
    return svg(width, height, "".join(parts), label)


def lines(series: dict[str, list[tuple[str, float | None]]], x_labels: Sequence[str], label: str,
          y_max: float = 100.0, width: int = 760, height: int = 320) -> str:
    """A line per series over x_labels; None values break the line."""
    left, right, top, bottom = 40, 170, 10, 40
    pw, ph = width - left - right, height - top - bottom
    n = max(len(x_labels) - 1, 1)
    xpos = {x: left + i * pw / n for i, x in enumerate(x_labels)}
    parts = [f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#444"/>']
    for tick in range(0, 101, 25):
        y = top + ph - tick / 100 * ph
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">'
                     f'{tick / 100 * y_max:g}</text>')
    for x in x_labels:
        parts.append(f'<text x="{xpos[x]:.1f}" y="{height - 22}" text-anchor="middle" font-size="10">{_esc(x)}</text>')
    for k, (name, points) in enumerate(sorted(series.items())):
        colour = PALETTE[k % len(PALETTE)]
        segs, cur = [], []
        for x, v in points:
            if v is None:
                segs.append(cur)
                cur = []
            else:
                cur.append(f"{xpos[x]:.1f},{top + ph - min(v, y_max) / y_max * ph:.1f}")
        segs.append(cur)
        for seg in segs:
            if len(seg) > 1:
                parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for pt in seg:
                cx, cy = pt.split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"><title>{_esc(name)}</title></circle>')
        parts.append(f'<rect x="{width - right + 10}" y="{top + k * 14}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{width - right + 24}" y="{top + k * 14 + 9}" font-size="10">{_esc(name)}</text>')
    return svg(width, height, "".join(parts), label)


def points_map(points: Sequence[tuple[float, float, str, str]], towers: Sequence[tuple[float, float, str]],
               label: str, width: int = 760, height: int = 560) -> str:
    """Villages as dots coloured by status, towers as triangles, on an equirectangular frame."""
    coords = [(p[0], p[1]) for p in points] + [(t[0], t[1]) for t in towers]
    if not coords:
        return svg(width, 40, '<text x="10" y="25">-</text>', label)
    lats, lons = [c[0] for c in coords], [c[1] for c in coords]
    lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
    span = max(lat1 - lat0, lon1 - lon0, 0.01)
    scale = (min(width, height) - 40) / span

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return 20 + (lon - lon0) * scale, height - 20 - (lat - lat0) * scale

    parts = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f4f8fb"/>']
    for lat, lon, name in towers:
        x, y = xy(lat, lon)
        parts.append(f'<path d="M{x:.1f},{y - 6:.1f} L{x - 5:.1f},{y + 4:.1f} L{x + 5:.1f},{y + 4:.1f} Z" '
                     f'fill="#1f3b73"><title>{_esc(name)}</title></path>')
    for lat, lon, status, name in points:
        x, y = xy(lat, lon)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{STATUS_COLOURS[status]}" '
                     f'stroke="#fff" stroke-width="1"><title>{_esc(name)}</title></circle>')
    return svg(width, height, "".join(parts), label)


def heatmap(rows: Sequence[str], cols: Sequence[str], values: dict[tuple[str, str], float | None],
            label: str, cell: int = 14) -> str:
    """rows × cols cells coloured from red (0 %) to green (100 %); grey where no value."""
    left, top = 110, 30
    width, height = left + len(cols) * cell + 10, top + len(rows) * cell + 10
    parts = []
    for j, c in enumerate(cols):
        if j % 5 == 0:
            parts.append(f'<text x="{left + j * cell}" y="{top - 8}" font-size="9">{_esc(c)}</text>')
    for i, r in enumerate(rows):
        parts.append(f'<text x="{left - 4}" y="{top + i * cell + 10}" text-anchor="end" font-size="9">{_esc(r)}</text>')
        for j, c in enumerate(cols):
            v = values.get((r, c))
            colour = "#e0e0e0" if v is None else _ramp(v)
            parts.append(f'<rect x="{left + j * cell}" y="{top + i * cell}" width="{cell - 1}" '
                         f'height="{cell - 1}" fill="{colour}"><title>{_esc(r)} {_esc(c)}: '
                         f'{"-" if v is None else f"{v:.1f} %"}</title></rect>')
    return svg(width, height, "".join(parts), label)


def _ramp(pct: float) -> str:
    t = max(0.0, min(1.0, pct / 100))
    red, green = (214, 39, 40), (44, 160, 44)
    r, g, b = (round(a + (b_ - a) * t) for a, b_ in zip(red, green, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def paired_bars(rows: Sequence[tuple[str, float | None, float | None, bool]], legends: tuple[str, str],
                label: str, width: int = 760, lo: float = 90.0) -> str:
    """Per row two bars (measured, reported) on a lo..100 % scale; flagged rows marked."""
    bar_h, left = 10, 150
    height = len(rows) * 30 + 40
    scale = (width - left - 80) / (100 - lo)
    parts = []
    for i, (name, a, b, flagged) in enumerate(rows):
        y = 10 + i * 30
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" font-size="11">'
                     f'{_esc(name)}{" ⚑" if flagged else ""}</text>')
        for k, (v, colour) in enumerate(((a, "#1f77b4"), (b, "#ff7f0e"))):
            if v is not None:
                w = max(0.0, (min(v, 100) - lo) * scale)
                parts.append(f'<rect x="{left}" y="{y + k * (bar_h + 1)}" width="{w:.1f}" height="{bar_h}" '
                             f'fill="{colour}"><title>{v:.2f} %</title></rect>'
                             f'<text x="{left + w + 4:.1f}" y="{y + k * (bar_h + 1) + 9}" font-size="9">{v:.2f}</text>')
    ly = height - 12
    for k, (legend, colour) in enumerate(zip(legends, ("#1f77b4", "#ff7f0e"), strict=True)):
        parts.append(f'<rect x="{left + k * 200}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{left + k * 200 + 16}" y="{ly}" font-size="12">{_esc(legend)}</text>')
    return svg(width, height, "".join(parts), label)
