"""SVG line charts drawn at build time: no JavaScript, readable in print and in grey.

One series per chart, one point per quarter with a known value; an unknown value leaves
a gap in the line. Axis labels use Vietnamese number formats and Roman quarters.
"""

from __future__ import annotations

import math
from html import escape

from baocao.periods import Period
from baocao.render.fragments import wrap
from baocao.vnformat import number

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48


def ticks(low: float, high: float, count: int = 5) -> list[int]:
    """Y-axis ticks covering ``low``..``high``: about ``count`` steps of 1, 2 or 5 times a
    power of ten, never less than 1 (the figures are counts), so every label is a distinct
    whole number. Starts at or below ``low`` and ends at or above ``high``."""
    span = max(high - low, 0)
    raw = span / count if span > 0 else 1
    power = 10 ** max(0, math.floor(math.log10(raw)))
    step = next((mult * power for mult in (1, 2, 5) if raw <= mult * power), 10 * power)
    first = math.floor(low / step) * step
    last = max(math.ceil(high / step) * step, first + step)
    return list(range(int(first), int(last) + 1, int(step)))


def line_chart(title: str, points: list[tuple[Period, int | None]], unit: str = "") -> str:
    """An inline ``<svg>`` of ``points``; every value is escaped or numeric."""
    known = [v for _, v in points if v is not None]
    label = escape(title)
    if not known:
        return f'<p class="bc-chart-empty">{label}: chưa có số liệu.</p>'
    low, high = min(0, min(known)), max(known)
    axis = ticks(low, high)
    low, top = axis[0], axis[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(points)

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / count)

    def y(v: float) -> float:
        return TOP + plot_h - (plot_h * (v - low) / (top - low or 1))

    parts = [f'<svg class="bc-chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="{label}">',
             f"<title>{label}</title>"]
    for tick in axis:
        ty = y(tick)
        parts.append(f'<line class="bc-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        parts.append(f'<text class="bc-ylabel" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">'
                     f"{number(tick)}</text>")
    every = max(1, math.ceil(count / 12))
    for i, (period, _) in enumerate(points):
        if i % every == 0 or i == count - 1:
            parts.append(f'<text class="bc-xlabel" x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" '
                         f'text-anchor="middle">{period.roman}/{period.year}</text>')
    segment: list[str] = []
    paths: list[str] = []
    for i, (_, value) in enumerate(points):
        if value is None:
            if len(segment) > 1:
                paths.append(" ".join(segment))
            segment = []
            continue
        segment.append(f"{'M' if not segment else 'L'}{x(i):.1f},{y(value):.1f}")
    if len(segment) > 1:
        paths.append(" ".join(segment))
    parts.extend(f'<path class="bc-line" d="{d}"/>' for d in paths)
    for i, (period, value) in enumerate(points):
        if value is not None:
            parts.append(f'<circle class="bc-point" cx="{x(i):.1f}" cy="{y(value):.1f}" r="3.5">'
                         f"<title>{escape(period.label)}: {number(value)} {escape(unit)}</title></circle>")
    parts.append("</svg>")
    return wrap("".join(parts))
