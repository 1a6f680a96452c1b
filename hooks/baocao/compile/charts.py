"""Line charts as geometry: where the grid lines, labels, line segments and points go.

One series per chart, one point per quarter with a known value; an unknown value leaves
a gap in the line. Axis labels use Vietnamese number formats and Roman quarters. The SVG
itself is drawn by a template (``overrides/baocao/partials/chart.html``): no JavaScript,
readable in print and in grey.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from baocao.periods import Period
from baocao.vnformat import number

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48


def ticks(low: int, high: int, count: int = 5) -> list[int]:
    """Whole-number y-axis ticks from ``low`` (≤ 0) to at least ``high``, at a step of 1, 2
    or 5 times a power of ten, never below 1: counts have no fractions, so every label is a
    different number."""
    span = max(high - low, 1)
    raw = span / count
    power = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    step = next((m * power for m in (1, 2, 5, 10) if raw <= m * power), 10 * power)
    step = max(1, int(step))
    top = max(step, math.ceil(high / step) * step)
    bottom = math.floor(low / step) * step
    return list(range(bottom, top + 1, step))


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    #: the point's tooltip: quarter and value.
    title: str


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    left: int
    right: int
    #: horizontal grid lines with their labels (label.y is the line's y).
    grid: tuple[Label, ...]
    xlabels: tuple[Label, ...]
    #: SVG path data of each unbroken run of known values.
    paths: tuple[str, ...]
    points: tuple[Point, ...]

    @property
    def empty(self) -> bool:
        return not self.points


def line_chart(title: str, points: list[tuple[Period, int | None]], unit: str = "") -> Chart:
    known = [v for _, v in points if v is not None]
    if not known:
        return Chart(title, WIDTH, HEIGHT, LEFT, RIGHT, (), (), (), ())
    marks = ticks(min(0, min(known)), max(known))
    low, top = marks[0], marks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(points)

    def x(i: int) -> float:
        return round(LEFT + (plot_w * (i + 0.5) / count), 1)

    def y(v: float) -> float:
        return round(TOP + plot_h - (plot_h * (v - low) / (top - low or 1)), 1)

    grid = tuple(Label(LEFT - 6, y(tick), number(tick)) for tick in marks)
    every = max(1, math.ceil(count / 12))
    xlabels = tuple(Label(x(i), HEIGHT - BOTTOM + 18, f"{period.roman}/{period.year}")
                    for i, (period, _) in enumerate(points) if i % every == 0 or i == count - 1)
    paths: list[str] = []
    segment: list[str] = []
    for i, (_, value) in enumerate(points):
        if value is None:
            if len(segment) > 1:
                paths.append(" ".join(segment))
            segment = []
            continue
        segment.append(f"{'M' if not segment else 'L'}{x(i):.1f},{y(value):.1f}")
    if len(segment) > 1:
        paths.append(" ".join(segment))
    suffix = f" {unit}" if unit else ""
    dots = tuple(Point(x(i), y(value), f"{period.label}: {number(value)}{suffix}")
                 for i, (period, value) in enumerate(points) if value is not None)
    return Chart(title, WIDTH, HEIGHT, LEFT, RIGHT, grid, xlabels, tuple(paths), dots)
