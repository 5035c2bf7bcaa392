"""Charts drawn as SVG on the server, for print and PDF: no browser, no JavaScript.

The same series as the clinician's chart page (charts.sources), drawn as a time line with
each course as a shaded band. The SVG is built with ElementTree, so every label is escaped.
A title and a description name what the chart shows for screen readers and PDF readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.etree import ElementTree as ET  # noqa: S405 - we write SVG, never parse input

from portal.charts.sources import CourseSpan, Point

WIDTH, HEIGHT = 680, 200
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 30
INK, MUTED, LINE, BAND, PLANNED = "#1b1f24", "#4a5561", "#1d5b8f", "#dbe7f3", "#f3ead9"
TICKS = 4


@dataclass(frozen=True)
class SvgSeries:
    """One line of a time chart: its name for the legend and its (date, value) points."""

    label: str
    points: Sequence[Point]
    unit: str = ""
    places: int = 1
    step: bool = False  # a dose in force until the next change: drawn as steps


def _scale(low: float, high: float, size: float, flip: bool = False):
    span = (high - low) or 1.0

    def at(value: float) -> float:
        share = (value - low) / span
        return round((1 - share if flip else share) * size, 1)

    return at


def _value_range(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    return (max(0.0, low - pad) if low >= 0 else low - pad), high + pad


def _text(parent: ET.Element, x: float, y: float, words: str, **attrs: str) -> None:
    node = ET.SubElement(
        parent,
        "text",
        {"x": f"{x:g}", "y": f"{y:g}", "font-size": "10", "fill": MUTED, **attrs},
    )
    node.text = words


def _day(value: date) -> str:
    return f"{value.day} {value:%b %y}"


def _polyline(series: SvgSeries, x, y, end: date) -> str:
    coords: list[str] = []
    for n, (day, value) in enumerate(series.points):
        if series.step and n:
            coords.append(f"{x(day):g},{y(series.points[n - 1][1]):g}")
        coords.append(f"{x(day):g},{y(value):g}")
    if series.step and series.points:
        coords.append(f"{x(end):g},{y(series.points[-1][1]):g}")
    return " ".join(coords)


def time_chart(
    title: str,
    series: SvgSeries,
    start: date,
    end: date,
    courses: Sequence[CourseSpan] = (),
) -> str:
    """An SVG line chart of one series from start to end, courses as bands; '' without data."""
    key = "svg-" + "".join(ch if ch.isalnum() else "-" for ch in series.label.lower())
    points = [p for p in series.points if start <= p[0] <= end]
    if not points:
        return ""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    across = _scale(0, max((end - start).days, 1), plot_w)
    low, high = _value_range([v for _, v in points])
    up = _scale(low, high, plot_h, flip=True)

    def x(day: date) -> float:
        return LEFT + across((day - start).days)

    def y(value: float) -> float:
        return TOP + up(value)

    svg = ET.Element(
        "svg",
        {"xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {WIDTH} {HEIGHT}",
         "width": "100%", "role": "img", "aria-labelledby": f"{key}-t {key}-d"},
    )  # fmt: skip
    ET.SubElement(svg, "title", {"id": f"{key}-t"}).text = title
    last = points[-1]
    ET.SubElement(svg, "desc", {"id": f"{key}-d"}).text = (
        f"{series.label}: {len(points)} values from {_day(points[0][0])} to {_day(last[0])}, "
        f"latest {last[1]:.{series.places}f} {series.unit}; {len(courses)} courses shaded."
    )
    for course in courses:
        left, right = x(max(course.start, start)), x(min(course.end, end)) + 2
        if right < LEFT or left > WIDTH - RIGHT:
            continue
        fill = BAND if course.status == "given" else PLANNED
        ET.SubElement(svg, "rect", {"x": f"{left:g}", "y": str(TOP), "width": f"{right - left:g}",
                                    "height": str(plot_h), "fill": fill})  # fmt: skip
        _text(svg, left + 1, TOP + 9, f"C{course.number}" if course.number else "C")
    for n in range(TICKS + 1):
        value = low + (high - low) * n / TICKS
        _text(svg, LEFT - 4, y(value) + 3, f"{value:.{series.places}f}", **{"text-anchor": "end"})
        ET.SubElement(svg, "line", {"x1": str(LEFT), "x2": str(WIDTH - RIGHT),
                                    "y1": f"{y(value):g}", "y2": f"{y(value):g}",
                                    "stroke": "#e3e7eb", "stroke-width": "0.5"})  # fmt: skip
    for n in range(TICKS + 1):
        day = start + (end - start) * n / TICKS
        anchor = "start" if n == 0 else "end" if n == TICKS else "middle"
        _text(svg, x(day), HEIGHT - 10, _day(day), **{"text-anchor": anchor})
    shown = SvgSeries(series.label, points, series.unit, series.places, series.step)
    line = _polyline(shown, x, y, end)
    ET.SubElement(
        svg, "polyline", {"points": line, "fill": "none", "stroke": LINE, "stroke-width": "1.6"}
    )
    for day, value in points:
        ET.SubElement(svg, "circle", {"cx": f"{x(day):g}", "cy": f"{y(value):g}", "r": "2.2",
                                      "fill": LINE})  # fmt: skip
    _text(svg, LEFT, TOP - 3, f"{series.label} ({series.unit})" if series.unit else series.label,
          fill=INK)  # fmt: skip
    return ET.tostring(svg, encoding="unicode")
