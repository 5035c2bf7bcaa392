"""The cohort charts, drawn from a cohort report built of plain records (no database)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from portal.charts.cohort_charts import (
    TABLE_ROWS,
    cohort_charts,
    paired_courses_chart,
    side_effects_chart,
)
from portal.outcomes.course_response import (
    AssessmentPoint,
    GivenCourse,
    PatientRecord,
    cohort_report,
)
from portal.outcomes.diary_windows import CourseDiary
from portal.outcomes.side_effects import RegimenCourse, side_effects_by_regimen

D0 = date(2022, 1, 20)


def patient(ref: str, pid: int, *courses: tuple[int, float | None, float | None]) -> PatientRecord:
    """A patient with given courses 60 days apart: (days from D0, myometry before, after)."""
    record = PatientRecord(pid, ref)
    for n, (offset, before, after) in enumerate(courses):
        course_id = pid * 100 + n
        start = D0 + timedelta(days=offset)
        record.courses.append(GivenCourse(course_id, start, 5, 2.0))
        if before is not None:
            day = start - timedelta(days=1)
            record.assessments.append(
                AssessmentPoint(course_id * 2, day, {"mean_myometry": before})
            )
        if after is not None:
            day = start + timedelta(days=12)
            record.assessments.append(
                AssessmentPoint(course_id * 2 + 1, day, {"mean_myometry": after})
            )
    return record


def test_slope_chart_draws_every_paired_course_grouped_by_improvement_with_the_mean():
    report = cohort_report(
        [
            patient("JDM02", 2, (0, 54.8, 55.1), (60, 29.3, 24.8)),
            patient("JDM01", 1, (0, 39.4, 49.3), (60, 40.0, None)),  # no 'after': not drawn
        ]
    )
    chart = paired_courses_chart(report)
    spec = chart.spec
    assert spec["kind"] == "slope" and spec["grouped"] is True
    assert spec["pairs"] == [
        {"label": "JDM01, 20 Jan 2022", "before": 39.4, "after": 49.3, "improved": True},
        {"label": "JDM02, 20 Jan 2022", "before": 54.8, "after": 55.1, "improved": True},
        {"label": "JDM02, 21 Mar 2022", "before": 29.3, "after": 24.8, "improved": False},
    ]
    assert spec["mean"] == {"label": "Mean of all courses", "before": 41.17, "after": 43.07}
    assert chart.summary[0] == "3 courses in 2 patients were assessed before and after: 2 improved."
    assert chart.summary[1] == "Mean change +1.90, median change +0.30."
    assert chart.tables[0].rows[2] == [
        "JDM02, 21 Mar 2022",
        "29.3",
        "24.8",
        "−4.50",
        "Not improved",
    ]


def test_slope_chart_summary_gives_the_reports_own_wilcoxon_p_value():
    changes = [3.0, 2.0, 4.0, 1.5, -0.5, 2.5]
    records = [patient(f"P{n}", n + 1, (0, 30.0, 30.0 + c)) for n, c in enumerate(changes)]
    report = cohort_report(records)
    chart = paired_courses_chart(report)
    assert report.objective.wilcoxon_p is not None
    expected = (
        f"Wilcoxon signed-rank test: p = {report.objective.wilcoxon_p:.3f} (two-sided, exact)."
    )
    assert chart.summary[2] == expected


def test_slope_chart_with_one_pair_says_there_are_too_few_for_a_test():
    chart = paired_courses_chart(cohort_report([patient("A", 1, (0, 30.0, 31.0))]))
    assert chart.summary[2] == "Too few courses with a change for a signed-rank test."


def test_slope_chart_without_pairs_says_so_and_draws_nothing():
    chart = paired_courses_chart(cohort_report([patient("A", 1, (0, 30.0, None))]))
    assert chart.summary == ["No course has a formal assessment both before and after it yet."]
    assert chart.spec["pairs"] == [] and chart.spec["mean"] is None
    assert chart.tables[0].rows == []


def test_slope_table_is_capped_while_the_chart_keeps_every_course():
    records = [patient(f"P{n:04d}", n + 1, (0, 30.0, 31.0)) for n in range(TABLE_ROWS + 5)]
    chart = paired_courses_chart(cohort_report(records))
    assert len(chart.spec["pairs"]) == TABLE_ROWS + 5
    assert len(chart.tables[0].rows) == TABLE_ROWS
    assert f"the first {TABLE_ROWS} of {TABLE_ROWS + 5}; the CSV has them all" in (
        chart.tables[0].caption
    )


def effects(fever: bool = False, **grades) -> CourseDiary:
    return CourseDiary(effect_entries=1, worst_grades=grades, fever=fever)


def test_side_effect_bars_give_each_regimens_share_of_courses_per_symptom():
    courses = [
        RegimenCourse(1, days=3, total_dose_g_per_kg=2.0),
        RegimenCourse(2, days=3, total_dose_g_per_kg=2.0),
        RegimenCourse(3, days=5, total_dose_g_per_kg=2.0),
        RegimenCourse(4, days=5, total_dose_g_per_kg=2.0),  # no diary
    ]
    diaries = {1: effects(headache=3, nausea=1), 2: effects(headache=1, fever=True), 3: effects()}
    chart = side_effects_chart(side_effects_by_regimen(courses, diaries))
    spec = chart.spec
    assert spec["kind"] == "bars" and spec["legend"] is True and spec["unit"] == "%"
    assert spec["labels"][0] == "Headache" and spec["labels"][-1] == "Any severe symptom"
    assert spec["horizontal"] is True
    three_day, five_day = spec["series"]
    assert three_day["label"] == "2 g/kg over 3 days"
    # Headache, nausea, vomiting, diarrhoea, tiredness, muscle pain, fever, any severe.
    assert three_day["values"] == [100, 50, 0, 0, 0, 0, 50, 50]
    assert five_day["values"] == [0, 0, 0, 0, 0, 0, 0, 0]
    assert three_day["color"] != five_day["color"]
    assert chart.summary == [
        "2 g/kg over 3 days: 2 of 2 courses with a diary; a symptom followed 100% of them, "
        "a severe one 50%; most often headache (100%).",
        "2 g/kg over 5 days: 1 of 2 courses with a diary; a symptom followed 0% of them, "
        "a severe one 0%.",
    ]
    table = chart.tables[0]
    assert table.columns == ["Symptom", "2 g/kg over 3 days", "2 g/kg over 5 days"]
    assert table.rows[0] == ["Headache", "100% (2 of 2); severe 50%", "0% (0 of 1); severe 0%"]
    assert table.rows[6] == ["Fever", "50% (1 of 2)", "0% (0 of 1)"]


def test_a_regimen_without_diary_reports_draws_no_bars_and_says_so():
    groups = side_effects_by_regimen([RegimenCourse(1, days=1, total_dose_g_per_kg=1.0)], {})
    chart = side_effects_chart(groups)
    assert chart.spec["series"][0]["values"] == [None] * 8
    assert chart.summary == ["1 g/kg over 1 day: 0 of 1 courses with a diary."]
    assert chart.tables[0].rows[0] == ["Headache", "No diary"]


def test_cohort_charts_name_both_charts_and_serialise_to_json():
    report = cohort_report([patient("A", 1, (0, 30.0, 33.0))])
    specs = {key: chart.spec for key, chart in cohort_charts(report).items()}
    assert set(specs) == {"paired_courses", "side_effects"}
    assert json.loads(json.dumps(specs))["paired_courses"]["pairs"][0]["after"] == pytest.approx(33)


def test_administrators_get_the_mean_of_all_assessed_courses_and_no_course_of_their_own():
    report = cohort_report(
        [
            patient("JDM01", 1, (0, 39.4, 49.3), (60, 40.0, 41.0), (120, 41.0, 45.0)),
            patient("JDM02", 2, (0, 54.8, 55.1), (60, 29.3, 24.8), (120, 30.0, 36.0)),
        ]
    )
    chart = cohort_charts(report, identify=False)["paired_courses"]
    assert chart.spec["pairs"] == []
    assert chart.spec["mean"]["before"] == pytest.approx(39.08, abs=0.01)
    # 5 of 6 improved would tell that 1 did not: the count of improved is suppressed too.
    row = ["All assessed courses (6)", "39.08", "41.87", "+2.78", "suppressed"]
    assert chart.tables[0].rows == [row]
    assert chart.summary[0] == (
        "6 courses were assessed before and after: how many improved is suppressed."
    )
    text = repr(chart.spec) + repr(chart.tables) + repr(chart.summary)
    assert "JDM0" not in text and "49.3" not in text


def test_administrators_see_nothing_drawn_from_fewer_than_five_assessed_courses():
    report = cohort_report([patient("JDM01", 1, (0, 39.4, 49.3), (60, 40.0, 41.0))])
    chart = cohort_charts(report, identify=False)["paired_courses"]
    assert chart.spec["mean"] is None and chart.tables[0].rows == []
    assert "suppressed" in chart.summary[0]


def test_administrators_side_effect_bars_leave_out_shares_made_from_small_counts():
    courses = [RegimenCourse(n, days=3, total_dose_g_per_kg=2.0) for n in range(1, 9)]
    diaries = {n: CourseDiary(effect_entries=1, worst_grades={"headache": 1}) for n in range(1, 8)}
    diaries[8] = CourseDiary(effect_entries=1, worst_grades={"nausea": 1})
    report = cohort_report([])
    report = type(report)(**{**report.__dict__, "side_effects": side_effects_by_regimen(
        courses, diaries
    )})  # fmt: skip
    chart = cohort_charts(report, identify=False)["side_effects"]
    values = dict(zip(chart.spec["labels"], chart.spec["series"][0]["values"], strict=True))
    # 7 of 8 had a headache: shown would tell that 1 did not, so the share is left out;
    # 1 of 8 had nausea: under 5.
    assert values["Headache"] is None and values["Nausea"] is None
    assert values["Vomiting"] is None  # 0 of 8 is a count under 5 as well
    cells = {row[0]: row[1] for row in chart.tables[0].rows}
    assert cells["Headache"] == "suppressed"
    assert "8 of 8 courses with a diary" in chart.summary[0]
