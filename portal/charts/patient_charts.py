"""Chart datasets from plain data: the parent diary chart, the clinician chart, slope charts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from portal.charts.parts import (
    Chart,
    Table,
    axis,
    course_bands,
    course_table,
    courses_in_range,
    iso,
    rolling_mean,
    series,
    short_date,
    slope_spec,
    slope_table,
    symptom_words,
    word,
)
from portal.charts.sources import CoursePair, CourseSpan, DayReport, Point
from portal.diary.models import GRADES, MOOD, RASH, STRENGTH
from portal.infusions.placement import CoursePlacer

# Axis ticks are short words so they fit a phone; tooltips and tables use the full words.
STRENGTH_TICKS = {-2: "Worse", 0: "Usual", 2: "Better"}
MOOD_TICKS = {1: "Sad", 3: "OK", 5: "Happy"}
GRADE_TICKS = {0: "None", 3: "Severe"}
GRADE_WORDS = {grade: label.capitalize() for grade, label in GRADES.items()}

# Clinic series: id → (label, unit, colour, extra options). Sources live in chart_sources.
# Measurements are weeks apart, so their points are joined across any gap ("span_gaps").
MEASURE_SERIES = {
    "mean_myometry": ("Mean myometry", "", "green", {"span_gaps": True}),
    # A dose holds from its start until the next change: the step comes after each point.
    "prednisolone": (
        "Prednisolone",
        "mg/kg/day",
        "purple",
        {"stepped": "after", "span_gaps": True},
    ),
    "ck": ("CK", "U/L", "brown", {"span_gaps": True}),
}


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def _diary_series(reports: Sequence[DayReport]) -> list[dict]:
    with_symptoms = [r for r in reports if r.symptoms]
    return [
        series("strength", "Strength", "strength", "blue",
               [(r.day, r.strength) for r in reports if r.strength is not None]),
        series("mood", "Mood", "mood", "purple",
               [(r.day, r.mood) for r in reports if r.mood is not None]),
        series("rash", "Rash", "rash", "red",
               [(r.day, r.rash) for r in reports if r.rash is not None], stepped=True),
        series("symptoms", "Worst symptom", "symptoms", "brown",
               [(r.day, r.worst_symptom_grade) for r in with_symptoms], type="bar",
               details=[symptom_words(r.symptoms) for r in with_symptoms]),
        series("temperature", "Temperature", "temperature", "grey",
               [(r.day, r.temperature_c) for r in reports if r.temperature_c is not None],
               unit="°C", span_gaps=True),
    ]  # fmt: skip


# The temperature row spans at least normal to a high fever, wider if a reading is outside.
TEMPERATURE_LOW, TEMPERATURE_HIGH = 36.0, 40.0


def _temperature_axis(reports: Sequence[DayReport], fever_c: float) -> dict:
    readings = [r.temperature_c for r in reports if r.temperature_c is not None]
    low = min([TEMPERATURE_LOW, *readings])
    high = max([TEMPERATURE_HIGH, fever_c + 1, *readings])
    return axis("temperature", "Temp. °C", low, high, unit="°C")


def _temperature_summary(reports: Sequence[DayReport], fever_c: float) -> str | None:
    readings = [r for r in reports if r.temperature_c is not None]
    if not readings:
        return None
    fevers = [r for r in readings if r.temperature_c >= fever_c]
    highest = max(readings, key=lambda r: (r.temperature_c, r.day))
    text = (
        f"Temperature measured on {_days(len(readings))}, the highest "
        f"{highest.temperature_c:.1f} °C on {short_date(highest.day)}"
    )
    if fevers:
        return f"{text}; {fever_c:.1f} °C or more on {_days(len(fevers))}."
    return f"{text}; never {fever_c:.1f} °C or more."


def _diary_summary(reports: Sequence[DayReport], placer: CoursePlacer) -> list[str]:
    if not reports:
        return ["No diary entries in these dates."]
    better = sum(1 for r in reports if r.strength is not None and r.strength > 0)
    worse = sum(1 for r in reports if r.strength is not None and r.strength < 0)
    moods = [r.mood for r in reports if r.mood is not None]
    lines = [
        f"{_days(len(reports))} with a diary entry.",
        f"Strength better than usual on {_days(better)} and worse on {_days(worse)}.",
    ]
    if moods:
        lines.append(f"Mood on average: {word(MOOD, sum(moods) / len(moods))}.")
    rashes = [r.rash for r in reports if r.rash is not None]
    if rashes:
        lines.append(f"Rash at its worst: {word(RASH, max(rashes)).lower()}.")
    lines.append(_symptom_summary(reports, placer))
    return lines


def _symptom_summary(reports: Sequence[DayReport], placer: CoursePlacer) -> str:
    with_symptoms = [r for r in reports if r.symptoms]
    if not with_symptoms:
        return "No symptoms reported."
    worst = max(with_symptoms, key=lambda r: (r.worst_symptom_grade, r.day))
    return (
        f"Symptoms on {_days(len(with_symptoms))}; the worst on {short_date(worst.day)}, "
        f"{placer.place(worst.day).label}: {symptom_words(worst.symptoms).lower()}."
    )


def _diary_table(reports: Sequence[DayReport], placer: CoursePlacer) -> Table:
    rows = [
        [
            short_date(r.day),
            placer.place(r.day).title,
            word(STRENGTH, r.strength),
            word(MOOD, r.mood),
            word(RASH, r.rash),
            symptom_words(r.symptoms),
            f"{r.temperature_c:.1f} °C" if r.temperature_c is not None else "–",
        ]
        for r in reversed(reports)
    ]
    columns = ["Date", "Around the infusions", "Strength", "Mood", "Rash", "Symptoms", "Temp."]
    return Table("Diary entries, newest first", columns, rows)


def parent_chart(
    reports: Sequence[DayReport],
    courses: Sequence[CourseSpan],
    start: date,
    end: date,
    placer: CoursePlacer,
    fever_c: float = 38.0,
) -> Chart:
    """Strength, mood, rash, symptoms and temperature on one timeline, with the courses as
    bands and the clinic's fever threshold (`fever_c`) as a line across the temperatures.

    `placer` names each day on the infusion calendar with the portal's one rule.
    """
    shown = courses_in_range(courses, start, end)
    caption = f"Diary from {short_date(start)} to {short_date(end)}"
    spec = {
        "kind": "timeline",
        "title": caption,
        "from": iso(start),
        "to": iso(end),
        "axes": [
            axis("strength", "Strength", -2, 2, ticks=STRENGTH_TICKS, words=STRENGTH, weight=2),
            axis("mood", "Mood", 1, 5, ticks=MOOD_TICKS, words=MOOD),
            axis("rash", "Rash", 0, 3, ticks=GRADE_TICKS, words=RASH),
            axis("symptoms", "Symptoms", 0, 3, ticks=GRADE_TICKS, words=GRADE_WORDS),
            _temperature_axis(reports, fever_c),
        ],
        "series": _diary_series(reports),
        "bands": course_bands(shown, start, end),
        "lines": [{"axis": "temperature", "value": fever_c, "label": f"{fever_c:.1f} °C: fever"}],
    }
    summary = _diary_summary(reports, placer)
    temperature = _temperature_summary(reports, fever_c)
    if temperature:
        summary.append(temperature)
    if shown:
        names = ", ".join(f"course {c.number} ({short_date(c.start)})" for c in shown)
        summary.append(f"Infusions in these dates: {names}.")
    return Chart(spec, caption, summary, [_diary_table(reports, placer)])


def _measure_series(measures: dict[str, list[Point]], end: date) -> list[dict]:
    result = []
    for series_id, (label, unit, colour, extra) in MEASURE_SERIES.items():
        points = measures.get(series_id, [])
        if extra.get("stepped") == "after" and points and points[-1][0] < end:
            # The last dose is still in force: carry its step to the end of the chart.
            points = [*points, (end, points[-1][1])]
        result.append(series(series_id, label, series_id, colour, points, unit=unit, **extra))
    return result


def _weekly_strength(reports: Sequence[DayReport]) -> Table:
    weeks: dict[date, list[float]] = {}
    for r in reports:
        if r.strength is not None:
            weeks.setdefault(r.day - timedelta(days=r.day.weekday()), []).append(r.strength)
    rows = [
        [short_date(week), str(len(values)), f"{word(STRENGTH, sum(values) / len(values))} "
         f"({sum(values) / len(values):+.1f})"]
        for week, values in sorted(weeks.items(), reverse=True)
    ]  # fmt: skip
    return Table("Home-reported strength by week, newest first",
                 ["Week from", "Entries", "Mean strength"], rows)  # fmt: skip


def _measure_table(measures: dict[str, list[Point]]) -> Table:
    by_day: dict[date, dict[str, float]] = {}
    for series_id, points in measures.items():
        for day, value in points:
            by_day.setdefault(day, {})[series_id] = value
    columns = ["Date"] + [
        f"{label} ({unit})" if unit else label for label, unit, _, _ in MEASURE_SERIES.values()
    ]
    rows = [
        [short_date(day)] + [f"{values[s]:g}" if s in values else "–" for s in MEASURE_SERIES]
        for day, values in sorted(by_day.items(), reverse=True)
    ]
    return Table("Clinic measurements, newest first", columns, rows)


def clinician_chart(
    reports: Sequence[DayReport],
    courses: Sequence[CourseSpan],
    measures: dict[str, list[Point]],
    start: date,
    end: date,
) -> Chart:
    """Clinic measures and home-reported strength on one time axis, courses marked."""
    strength = [(r.day, r.strength) for r in reports if r.strength is not None]
    caption = f"Measures and home reports from {short_date(start)} to {short_date(end)}"
    spec = {
        "kind": "timeline",
        "title": caption,
        "from": iso(start),
        "to": iso(end),
        "axes": [
            # Two-line titles fit the height of a stacked section.
            axis("mean_myometry", ["Mean", "myometry"], None, None, weight=2),
            axis(
                "home_strength",
                ["Home", "strength"],
                -2,
                2,
                ticks=STRENGTH_TICKS,
                words=STRENGTH,
                weight=1.5,
            ),  # fmt: skip
            axis("prednisolone", ["Prednisolone", "mg/kg/day"], 0, None),
            axis("ck", ["CK", "U/L"], 0, None),
        ],
        "series": _measure_series(measures, end)
        + [
            series(
                "home_strength",
                "Home strength (day)",
                "home_strength",
                "grey",
                strength,
                type="scatter",
            ),
            series(
                "home_trend",
                "Home strength (7-day mean)",
                "home_strength",
                "blue",
                rolling_mean(strength),
            ),
        ],  # fmt: skip
        "bands": course_bands(courses_in_range(courses, start, end), start, end),
    }
    summary = _clinician_summary(reports, courses, measures, start, end)
    shown = courses_in_range(courses, start, end)
    tables = [_measure_table(measures), _weekly_strength(reports), course_table(shown)]
    return Chart(spec, caption, summary, tables)


def _clinician_summary(reports, courses, measures, start, end) -> list[str]:
    shown = [c for c in courses_in_range(courses, start, end) if c.status == "given"]
    lines = [f"{len(shown)} given courses and {len(reports)} days of home reports in this range."]
    relapses = [c for c in shown if c.indication == "relapse"]
    if relapses:
        names = ", ".join(f"course {c.number} ({short_date(c.start)})" for c in relapses)
        lines.append(f"Given for a relapse: {names}.")
    missing = [MEASURE_SERIES[s][0] for s, points in measures.items() if not points]
    if missing:
        lines.append(f"Not recorded in this range: {', '.join(missing)}.")
    for series_id, points in measures.items():
        if points:
            label = MEASURE_SERIES[series_id][0]
            lines.append(f"{label}: {points[0][1]:g} on {short_date(points[0][0])}, "
                         f"latest {points[-1][1]:g} on {short_date(points[-1][0])}.")  # fmt: skip
    return lines


def home_slope(pairs: Sequence[CoursePair]) -> Chart:
    """Home strength before vs after each given course (the subjective response)."""
    caption = "Home-reported strength: 7 days before each course and 14 days after"
    strength_axis = axis("strength", "Home strength", -2, 2, ticks=STRENGTH_TICKS, words=STRENGTH)
    better = sum(1 for p in pairs if p.after > p.before)
    summary = (
        [f"{better} of {len(pairs)} courses were followed by stronger home reports."]
        if pairs
        else ["No course has home reports both before and after it yet."]
    )
    table = slope_table("Home strength around each course", pairs, STRENGTH)
    return Chart(slope_spec(caption, pairs, strength_axis), caption, summary, [table])


def myometry_slope(pairs: Sequence[CoursePair]) -> Chart:
    """Mean myometry before vs after each objectively assessed course."""
    caption = "Mean myometry before and after each assessed course"
    better = sum(1 for p in pairs if p.after > p.before)
    summary = (
        [f"{better} of {len(pairs)} assessed courses improved."]
        if pairs
        else ["No course has a formal assessment both before and after it yet."]
    )
    table = slope_table("Mean myometry around each course", pairs, None)
    spec = slope_spec(caption, pairs, axis("mean_myometry", "Mean myometry", None, None))
    return Chart(spec, caption, summary, [table])
