"""Side effects by regimen from each course's diary summary."""

import pytest

from portal.outcomes.diary_windows import CourseDiary
from portal.outcomes.side_effects import RegimenCourse, side_effects_by_regimen


def diary(fever: bool = False, **grades) -> CourseDiary:
    return CourseDiary(effect_entries=1, worst_grades=grades, fever=fever)


def test_symptoms_are_grouped_by_regimen_and_shared_over_courses_with_a_diary():
    courses = [
        RegimenCourse(1, days=3, total_dose_g_per_kg=2.0),
        RegimenCourse(2, days=3, total_dose_g_per_kg=2.0),
        RegimenCourse(3, days=5, total_dose_g_per_kg=2.0),
        RegimenCourse(4, days=5, total_dose_g_per_kg=2.0),  # no diary: not in the shares
    ]
    diaries = {1: diary(headache=3), 2: diary(nausea=1), 3: diary()}
    three_day, five_day = side_effects_by_regimen(courses, diaries)
    assert three_day.regimen == "2 g/kg over 3 days"
    assert (three_day.courses, three_day.courses_with_diary) == (2, 2)
    assert three_day.symptoms["headache"].share == 0.5
    assert three_day.severe_symptoms["headache"].share == 0.5
    assert three_day.symptoms["nausea"].share == 0.5
    assert three_day.severe_symptoms["nausea"].share == 0.0
    assert three_day.any_severe.share == 0.5
    assert (five_day.courses, five_day.courses_with_diary) == (2, 1)
    assert five_day.any_symptom.share == 0.0


def test_a_course_with_diary_entries_only_outside_the_window_is_not_counted():
    courses = [RegimenCourse(1, days=5, total_dose_g_per_kg=2.0)]
    outside = CourseDiary(before_strength=0.0, before_entries=2, effect_entries=0)
    group = side_effects_by_regimen(courses, {1: outside})[0]
    assert group.courses == 1 and group.courses_with_diary == 0
    assert group.symptoms["headache"].share is None


def test_fever_counts_as_a_symptom_but_not_as_severe():
    courses = [RegimenCourse(1, 5, 2.0), RegimenCourse(2, 5, 2.0)]
    group = side_effects_by_regimen(courses, {1: diary(fever=True), 2: diary()})[0]
    assert group.fever.share == pytest.approx(0.5)
    assert group.any_symptom.share == pytest.approx(0.5)
    assert group.any_severe.share == 0.0


def test_regimens_are_ordered_by_dose_then_days():
    courses = [RegimenCourse(1, 5, 2.0), RegimenCourse(2, 4, 1.6), RegimenCourse(3, 3, 2.0)]
    labels = [g.regimen for g in side_effects_by_regimen(courses, {})]
    assert labels == ["1.6 g/kg over 4 days", "2 g/kg over 3 days", "2 g/kg over 5 days"]
