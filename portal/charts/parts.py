"""Chart parts: the JSON chart spec format, tables and helpers shared by every chart.

A spec is what static/js/charts.js draws. Two kinds exist:
- "timeline": a shared time axis, value axes stacked one above the other, series of
  [ISO date, value] points on those axes, and courses as shaded bands;
- "slope": pairs of before/after values joined by a line, one per course.
The page renders the summary and the table itself, so it is complete without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from portal.charts.sources import CoursePair, CourseSpan, Point
from portal.diary.models import GRADES, SYMPTOMS
from portal.infusions.models import INDICATIONS

# Colours of lines and bars: each at least 4.5:1 against white (WCAG AA for text and graphics).
COLOURS = {
    "blue": "#1d5b8f",
    "purple": "#6b3fa0",
    "red": "#a4161a",
    "brown": "#8a4b00",
    "green": "#1e6b34",
    "grey": "#4a5561",
}


@dataclass(frozen=True)
class Table:
    """A data table alternative to a chart: column headings and rows of text."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    """Everything a chart page shows: the JSON spec, a caption, a text summary, tables."""

    spec: dict
    caption: str
    summary: list[str]
    tables: list[Table]


def iso(day: date) -> str:
    return day.isoformat()


def word(labels: dict[int, str], value: float | None) -> str:
    """The label of the nearest whole value, or a dash when nothing was reported."""
    if value is None:
        return "–"
    return labels.get(round(value), "–")


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def axis(
    axis_id: str, title: str | list[str], low: float | None, high: float | None, **extra
) -> dict:
    """A value axis; `ticks` maps values to words shown instead of numbers.

    A title given as a list is drawn one item a line.
    """
    spec = {"id": axis_id, "title": title, "min": low, "max": high, "weight": 1}
    spec.update(extra)
    return spec


def series(series_id: str, label: str, axis_id: str, colour: str, points, **extra) -> dict:
    """A dataset: points are [ISO date, value] pairs."""
    spec = {
        "id": series_id,
        "label": label,
        "axis": axis_id,
        "type": "line",
        "color": COLOURS[colour],
        "points": [[iso(day), value] for day, value in points],
    }
    spec.update(extra)
    return spec


def course_bands(courses: Iterable[CourseSpan], start: date, end: date) -> list[dict]:
    """Courses that overlap the range, as bands; planned ones are marked as such."""
    bands = []
    for course in courses:
        if course.end < start or course.start > end:
            continue
        name = f"Course {course.number}" if course.number else "Course"
        if course.status == "planned":
            name += " (planned)"
        band = {"from": iso(course.start), "to": iso(course.end), "label": name}
        band["status"] = course.status
        if course.indication == "relapse":
            band["label"] += " · relapse"
            band["relapse"] = True  # drawn with a red edge as well as named
        bands.append(band)
    return bands


def course_table(courses: Sequence[CourseSpan]) -> Table:
    """The courses a chart marks, newest first: the text alternative to its bands."""
    rows = [
        [
            f"Course {c.number}" if c.number else "Course",
            f"{short_date(c.start)} to {short_date(c.end)}",
            c.regimen,
            INDICATIONS.get(c.indication, "–"),
            c.status.capitalize(),
        ]
        for c in reversed(courses)
    ]
    columns = ["Course", "Dates", "Regimen", "Indication", "Status"]
    return Table("Courses marked on the chart, newest first", columns, rows)


def courses_in_range(courses: Iterable[CourseSpan], start: date, end: date) -> list[CourseSpan]:
    return [c for c in courses if c.end >= start and c.start <= end]


def symptom_words(symptoms: dict[str, int]) -> str:
    """'Headache: severe, Nausea: mild' — or 'None'."""
    if not symptoms:
        return "None"
    return ", ".join(f"{SYMPTOMS[name]}: {GRADES[grade]}" for name, grade in symptoms.items())


def rolling_mean(points: Sequence[Point], days: int = 7) -> list[Point]:
    """The mean of the values in the `days` days up to each point (a smoother trend line)."""
    result: list[Point] = []
    window: list[Point] = []
    for day, value in points:
        window.append((day, value))
        window = [(d, v) for d, v in window if (day - d).days < days]
        result.append((day, round(sum(v for _, v in window) / len(window), 2)))
    return result


def slope_spec(title: str, pairs: Sequence[CoursePair], axis_spec: dict) -> dict:
    """A before/after slope chart spec."""
    return {
        "kind": "slope",
        "title": title,
        "axis": axis_spec,
        "pairs": [{"label": p.label, "before": p.before, "after": p.after} for p in pairs],
    }


def slope_table(caption: str, pairs: Sequence[CoursePair], labels: dict[int, str] | None) -> Table:
    def show(value: float) -> str:
        text = f"{value:+.1f}" if labels else f"{value:g}"
        return f"{word(labels, value)} ({text})" if labels else text

    rows = [
        [p.label, show(p.before), show(p.after), "Better" if p.after > p.before else "Not better"]
        for p in pairs
    ]
    return Table(caption, ["Course", "Before", "After", "Change"], rows)
