"""Chart datasets from plain data: what each chart, summary and table says."""

from __future__ import annotations

import json
from datetime import date, timedelta

from portal.charts import patient_charts
from portal.charts.parts import course_bands, rolling_mean
from portal.charts.sources import CoursePair, CourseSpan, DayReport, course_spans
from portal.infusions.models import InfusionCourse
from portal.infusions.placement import CoursePlacer

D0 = date(2025, 3, 1)


def course(number: int, start: date, days: int = 5, status: str = "given", **extra) -> CourseSpan:
    return CourseSpan(
        number=number,
        start=start,
        end=start + timedelta(days=days - 1),
        status=status,
        regimen=f"2 g/kg over {days} days",
        indication=extra.get("indication", "weakness"),
    )


def calendar(*starts: date, days: int = 5) -> tuple[list[CourseSpan], CoursePlacer]:
    """Given courses starting on these days: their chart spans and the placement rule."""
    courses = [
        InfusionCourse(id=n, start_date=start, days=days, total_dose_g_per_kg=2.0, status="given")
        for n, start in enumerate(starts, start=1)
    ]
    return course_spans(courses), CoursePlacer(courses)


def at(offset: int) -> date:
    return D0 + timedelta(days=offset)


def day(offset: int, **fields) -> DayReport:
    return DayReport(day=D0 + timedelta(days=offset), **fields)


def series_of(spec: dict, series_id: str) -> dict:
    return next(s for s in spec["series"] if s["id"] == series_id)


def test_parent_chart_puts_strength_mood_rash_and_symptoms_on_one_timeline():
    reports = [
        day(0, strength=-1, mood=2, rash=2),
        day(1, strength=1, mood=4, rash=1, symptoms={"headache": 3, "nausea": 1}),
        day(2, strength=2, mood=5, rash=0),
    ]
    spans, placer = calendar(D0 + timedelta(days=1))
    chart = patient_charts.parent_chart(reports, spans, D0, at(6), placer)
    spec = chart.spec
    assert spec["kind"] == "timeline"
    assert [a["id"] for a in spec["axes"]] == [
        "strength",
        "mood",
        "rash",
        "symptoms",
        "temperature",
    ]
    assert series_of(spec, "strength")["points"] == [
        ["2025-03-01", -1],
        ["2025-03-02", 1],
        ["2025-03-03", 2],
    ]
    symptoms = series_of(spec, "symptoms")
    assert symptoms["points"] == [["2025-03-02", 3]]
    assert symptoms["details"] == ["Headache: severe, Nausea: mild"]
    assert spec["bands"] == [
        {"from": "2025-03-02", "to": "2025-03-06", "label": "Course 1", "status": "given"}
    ]


def test_parent_chart_summary_and_table_say_the_same_in_words():
    reports = [
        day(0, strength=-1, mood=2, rash=2),
        day(8, strength=1, mood=4, rash=1, symptoms={"headache": 3}, temperature_c=38.2),
    ]
    spans, placer = calendar(D0 + timedelta(days=1))
    chart = patient_charts.parent_chart(reports, spans, D0, at(13), placer)
    text = " ".join(chart.summary)
    assert "2 days with a diary entry" in text
    assert "better than usual on 1 day and worse on 1 day." in text
    assert "Rash at its worst: moderate" in text
    assert "the worst on 9 Mar 2025, day 3 after course 1 (2 g/kg over 5 days): headache" in text
    table = chart.tables[0]
    assert table.rows[0] == [
        "9 Mar 2025",
        "Day 3 after course 1 (2 g/kg over 5 days)",
        "A bit better",
        "Happy",
        "Mild",
        "Headache: severe",
        "38.2 °C",
    ]
    assert table.rows[1][1] == "1 day before the first course"


def test_parent_chart_with_no_entries_says_so():
    chart = patient_charts.parent_chart([], [], D0, D0 + timedelta(days=55), CoursePlacer([]))
    assert chart.summary == ["No diary entries in these dates."]
    assert all(s["points"] == [] for s in chart.spec["series"])
    assert chart.tables[0].rows == []


def test_course_bands_keep_only_courses_in_range_and_mark_planned_and_relapse():
    courses = [
        course(1, D0 - timedelta(days=60)),
        course(2, D0 + timedelta(days=3), indication="relapse"),
        course(3, D0 + timedelta(days=40), status="planned"),
    ]
    bands = course_bands(courses, D0, D0 + timedelta(days=50))
    assert [b["label"] for b in bands] == ["Course 2 · relapse", "Course 3 (planned)"]


def test_clinician_chart_takes_each_clinic_series_from_its_source_unchanged():
    measures = {
        "mean_myometry": [(D0, 41.5), (D0 + timedelta(days=20), 44.0)],
        "prednisolone": [(D0, 0.8)],
        "ck": [],
    }
    reports = [day(n, strength=s) for n, s in enumerate([-1, 0, 1, 1, 2])]
    chart = patient_charts.clinician_chart(
        reports, [course(3, D0)], measures, D0, D0 + timedelta(days=30)
    )
    spec = chart.spec
    assert series_of(spec, "mean_myometry")["points"] == [
        ["2025-03-01", 41.5],
        ["2025-03-21", 44.0],
    ]
    assert series_of(spec, "prednisolone")["unit"] == "mg/kg/day"
    assert series_of(spec, "ck")["points"] == []
    assert len(series_of(spec, "home_strength")["points"]) == 5
    assert series_of(spec, "home_trend")["points"][-1] == ["2025-03-05", 0.6]
    assert "Not recorded in this range: CK." in chart.summary
    assert "Mean myometry: 41.5 on 1 Mar 2025, latest 44 on 21 Mar 2025." in chart.summary
    measure_table = chart.tables[0]
    assert measure_table.rows == [
        ["21 Mar 2025", "44", "–", "–"],
        ["1 Mar 2025", "41.5", "0.8", "–"],
    ]


def test_clinician_chart_carries_the_dose_in_force_to_the_end_of_the_range():
    measures = {"mean_myometry": [], "prednisolone": [(D0, 1.0), (at(10), 0.5)], "ck": []}
    chart = patient_charts.clinician_chart([], [], measures, D0, at(30))
    prednisolone = series_of(chart.spec, "prednisolone")
    assert prednisolone["stepped"] == "after"  # a dose holds until the next change
    assert prednisolone["points"] == [["2025-03-01", 1.0], ["2025-03-11", 0.5], ["2025-03-31", 0.5]]
    # The table lists the recorded changes only, not the drawn end of the line.
    assert [row[0] for row in chart.tables[0].rows] == ["11 Mar 2025", "1 Mar 2025"]


def test_clinician_chart_flags_relapse_courses_in_bands_summary_and_course_table():
    courses = [
        course(1, D0, days=3),
        course(2, at(42), indication="relapse"),
        course(3, at(84), status="planned"),
    ]
    chart = patient_charts.clinician_chart([], courses, {"mean_myometry": []}, D0, at(90))
    relapse = [b for b in chart.spec["bands"] if b.get("relapse")]
    assert [b["label"] for b in relapse] == ["Course 2 · relapse"]
    assert "Given for a relapse: course 2 (12 Apr 2025)." in chart.summary
    table = chart.tables[-1]
    assert table.columns == ["Course", "Dates", "Regimen", "Indication", "Status"]
    assert table.rows == [
        ["Course 3", "24 May 2025 to 28 May 2025", "2 g/kg over 5 days",
         "Weakness despite treatment", "Planned"],
        ["Course 2", "12 Apr 2025 to 16 Apr 2025", "2 g/kg over 5 days", "Relapse", "Given"],
        ["Course 1", "1 Mar 2025 to 3 Mar 2025", "2 g/kg over 3 days",
         "Weakness despite treatment", "Given"],
    ]  # fmt: skip


def test_clinician_chart_without_clinic_measures_says_what_is_missing():
    measures = {"mean_myometry": [], "prednisolone": [], "ck": []}
    chart = patient_charts.clinician_chart([], [], measures, D0, D0 + timedelta(days=30))
    assert "Not recorded in this range: Mean myometry, Prednisolone, CK." in chart.summary
    assert chart.tables[0].rows == []


def test_rolling_mean_uses_only_the_last_seven_days():
    points = [(D0, 2.0), (D0 + timedelta(days=1), 0.0), (D0 + timedelta(days=8), -2.0)]
    assert rolling_mean(points) == [(D0, 2.0), (D0 + timedelta(days=1), 1.0), (points[2][0], -2.0)]


def test_home_slope_chart_counts_courses_followed_by_stronger_reports():
    chart = patient_charts.home_slope([CoursePair("Course 1", -1.0, 1.0)])
    assert chart.spec["kind"] == "slope"
    assert chart.spec["pairs"] == [{"label": "Course 1", "before": -1.0, "after": 1.0}]
    assert chart.summary == ["1 of 1 courses were followed by stronger home reports."]
    assert chart.tables[0].rows == [
        ["Course 1", "A bit worse (-1.0)", "A bit better (+1.0)", "Better"]
    ]


def test_myometry_slope_chart_is_ready_for_paired_courses():
    empty = patient_charts.myometry_slope([])
    assert empty.summary == ["No course has a formal assessment both before and after it yet."]
    filled = patient_charts.myometry_slope(
        [CoursePair("Course 1", 40.0, 43.5), CoursePair("Course 2", 44, 43)]
    )
    assert filled.summary == ["1 of 2 assessed courses improved."]
    assert filled.tables[0].rows[0] == ["Course 1", "40", "43.5", "Better"]


def test_two_years_of_daily_reports_make_a_small_chart_spec():
    reports = [
        day(n, strength=(n % 5) - 2, mood=(n % 5) + 1, rash=n % 4, symptoms={"headache": 1})
        for n in range(731)
    ]
    spans, placer = calendar(*(D0 + timedelta(days=60 * n) for n in range(12)))
    spec = patient_charts.parent_chart(reports, spans, D0, D0 + timedelta(days=730), placer).spec
    size = len(json.dumps(spec, separators=(",", ":")))
    assert size < 150_000


def test_parent_chart_draws_measured_temperatures_with_the_clinics_fever_line():
    reports = [day(0, strength=0), day(1, temperature_c=37.2), day(2, temperature_c=38.6)]
    spans, placer = calendar(D0 + timedelta(days=1))
    chart = patient_charts.parent_chart(reports, spans, D0, at(6), placer, fever_c=38.5)
    spec = chart.spec
    assert series_of(spec, "temperature")["points"] == [["2025-03-02", 37.2], ["2025-03-03", 38.6]]
    assert series_of(spec, "temperature")["unit"] == "°C"
    assert spec["lines"] == [{"axis": "temperature", "value": 38.5, "label": "38.5 °C: fever"}]
    temperature_axis = next(a for a in spec["axes"] if a["id"] == "temperature")
    assert temperature_axis["min"] <= 37.2 and temperature_axis["max"] > 38.6
    assert (
        "Temperature measured on 2 days, the highest 38.6 °C on 3 Mar 2025; "
        "38.5 °C or more on 1 day." in chart.summary
    )
    quiet = patient_charts.parent_chart([day(0, temperature_c=36.9)], spans, D0, at(6), placer)
    assert quiet.summary[-2].endswith("; never 38.0 °C or more.")  # before the courses line
