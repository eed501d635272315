"""Static charts for reports: SVG drawn here (no plotting library), PNG through the
system's headless Chromium.

Plotly's own static export needs kaleido, which is not installed and would fetch a
browser; SVG written directly has no dependency, embeds the CJK text as text (the viewer's
fonts draw it), and Chromium, which the web app's tests already need, turns it into PNG.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac")
FONT = "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, sans-serif"

Rect = tuple[float, float, float, float]


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}">'
            f'<rect width="{width}" height="{height}" fill="white"/>'
            f'<text x="{width / 2}" y="24" font-size="16" text-anchor="middle">{escape(title)}</text>'
            + "".join(body) + "</svg>\n")


def squarify(values: Sequence[float], rect: Rect) -> list[Rect]:
    """Squarified treemap layout (Bruls et al.): one rectangle per value, in order, with
    areas proportional to the values; values must be sorted largest first."""
    x, y, w, h = rect
    total = sum(values)
    if total <= 0 or not values:
        return [(x, y, 0.0, 0.0) for _ in values]
    scale = w * h / total
    areas = [v * scale for v in values]
    out: list[Rect] = []
    i = 0
    while i < len(areas):
        side = min(w, h)
        row = [areas[i]]
        j = i + 1
        while j < len(areas) and _worst([*row, areas[j]], side) <= _worst(row, side):
            row.append(areas[j])
            j += 1
        s = sum(row)
        if w >= h:  # lay the row out as a column on the left
            cw = s / h if h else 0
            cy = y
            for a in row:
                ch = a / cw if cw else 0
                out.append((x, cy, cw, ch))
                cy += ch
            x, w = x + cw, w - cw
        else:
            rh = s / w if w else 0
            cx = x
            for a in row:
                cw2 = a / rh if rh else 0
                out.append((cx, y, cw2, rh))
                cx += cw2
            y, h = y + rh, h - rh
        i = j
    return out


def _worst(row: list[float], side: float) -> float:
    s = sum(row)
    if s <= 0 or side <= 0:
        return float("inf")
    return max(max(side * side * a / (s * s), (s * s) / (side * side * a)) for a in row if a > 0)


def treemap_svg(items: Sequence[tuple[str, str, str | None, float]], title: str,
                width: int = 900, height: int = 560) -> str:
    """A two-level treemap: 类 as coloured blocks, their 项 (or 款) inside. ``items`` are
    (id, label, parent id, value) as :func:`yusuan.store.reports.function_chart_data`."""
    top = sorted((i for i in items if i[2] is None and i[3] > 0), key=lambda i: -i[3])
    body: list[str] = []
    rects = squarify([t[3] for t in top], (10, 40, width - 20, height - 50))
    for n, (item, (x, y, w, h)) in enumerate(zip(top, rects, strict=True)):
        color = PALETTE[n % len(PALETTE)]
        leaves = sorted((i for i in items if i[0].startswith(item[0]) and i[0] != item[0]
                         and not any(j[2] == i[0] for j in items) and i[3] > 0),
                        key=lambda i: -i[3])
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                    f'fill="{color}" stroke="white" stroke-width="2"/>')
        for leaf, (lx, ly, lw, lh) in zip(leaves, squarify([v[3] for v in leaves],
                                                           (x + 2, y + 22, w - 4, h - 24)),
                                          strict=True):
            body.append(f'<rect x="{lx:.1f}" y="{ly:.1f}" width="{lw:.1f}" height="{lh:.1f}" '
                        f'fill="{color}" fill-opacity="0.6" stroke="white"/>')
            if lw > 70 and lh > 30:
                body.append(_label(lx + 4, ly + 16, leaf[1], lw - 8, 11))
                body.append(_label(lx + 4, ly + 30, f"{leaf[3]:,.2f} 万元", lw - 8, 10))
        if w > 60 and h > 20:
            body.append(_label(x + 4, y + 15, f"{item[1]}  {item[3]:,.2f} 万元", w - 8, 12,
                               bold=True))
    return _svg(width, height, body, title)


def _label(x: float, y: float, text: str, max_width: float, size: int, bold: bool = False) -> str:
    chars = max(1, int(max_width / (size * 0.95)))
    shown = text if len(text) <= chars else text[: max(1, chars - 1)] + "…"
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{weight} fill="#111">'
            f"{escape(shown)}</text>")


def bars_svg(categories: Sequence[str], series: Mapping[str, Sequence[float]], title: str,
             unit: str = "万元", width: int = 720, height: int = 420) -> str:
    """Stacked vertical bars, one per category, a segment per series, with a legend."""
    left, right, top, bottom = 70, 20, 50, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s[i] for s in series.values()) for i in range(len(categories))]
    vmax = max(totals, default=0) or 1.0
    step = _nice_step(vmax)
    body: list[str] = []
    tick = 0.0
    while tick <= vmax + step / 2:
        ty = top + plot_h - tick / (vmax * 1.05) * plot_h
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" '
                    'stroke="#ddd"/>')
        body.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" font-size="11" '
                    f'text-anchor="end">{tick:,.0f}</text>')
        tick += step
    n = max(1, len(categories))
    bw = plot_w / n * 0.6
    for i, cat in enumerate(categories):
        cx = left + plot_w * (i + 0.5) / n
        base = 0.0
        for k, values in enumerate(series.values()):
            v = values[i]
            y0 = top + plot_h - (base + v) / (vmax * 1.05) * plot_h
            hgt = v / (vmax * 1.05) * plot_h
            body.append(f'<rect x="{cx - bw / 2:.1f}" y="{y0:.1f}" width="{bw:.1f}" '
                        f'height="{max(hgt, 0):.1f}" fill="{PALETTE[k % len(PALETTE)]}"/>')
            base += v
        body.append(f'<text x="{cx:.1f}" y="{top + plot_h + 18}" font-size="12" '
                    f'text-anchor="middle">{escape(cat)}</text>')
        body.append(f'<text x="{cx:.1f}" y="{top + plot_h - base / (vmax * 1.05) * plot_h - 4:.1f}" '
                    f'font-size="10" text-anchor="middle">{base:,.2f}</text>')
    for k, name in enumerate(series):
        lx = left + k * 120
        body.append(f'<rect x="{lx}" y="{height - 22}" width="12" height="12" '
                    f'fill="{PALETTE[k % len(PALETTE)]}"/>')
        body.append(f'<text x="{lx + 16}" y="{height - 12}" font-size="12">{escape(name)}</text>')
    body.append(f'<text x="14" y="{top - 10}" font-size="11">{escape(unit)}</text>')
    return _svg(width, height, body, title)


def _nice_step(vmax: float) -> float:
    raw = vmax / 5
    mag = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1.0
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return float(m * mag)
    return float(10 * mag)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def svg_to_png(svg: str, out: str | Path, width: int, height: int) -> None:
    """Rasterise ``svg`` with headless Chromium. Raises RuntimeError (Chinese) without it."""
    browser = chromium()
    if browser is None:
        raise RuntimeError("生成 PNG 需要 Chromium，未找到；请改用 SVG 格式。")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "chart.html"
        page.write_text(f'<html><body style="margin:0">{svg}</body></html>', encoding="utf-8")
        target = Path(tmp) / "chart.png"
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={tmp}/profile", f"--window-size={width},{height}",
             f"--screenshot={target}", page.as_uri()],
            check=True, capture_output=True, timeout=60)
        shutil.copyfile(target, out)
