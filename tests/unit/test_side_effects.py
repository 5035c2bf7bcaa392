"""Side effects by regimen: symptoms in the diary from the first infusion day to 7 days after."""

from datetime import date, timedelta

import pytest

from portal.services.pairing import CourseSpan
from portal.services.side_effects import RegimenCourse, SymptomReport, side_effects_by_regimen

START = date(2024, 5, 1)


def regimen_course(
    course_id: int, patient_id: int, days: int, start: date = START
) -> RegimenCourse:
    return RegimenCourse(patient_id, CourseSpan.of(course_id, start, days), days, 2.0)


def report(day: date, temperature: float | None = None, **grades) -> SymptomReport:
    return SymptomReport(day, grades, temperature)


def test_symptoms_are_grouped_by_regimen_and_shared_over_courses_with_a_diary():
    courses = [
        regimen_course(1, 1, days=3),
        regimen_course(2, 2, days=3),
        regimen_course(3, 3, days=5),
        regimen_course(4, 4, days=5),  # no diary at all: not in the shares
    ]
    reports = {
        1: [report(START + timedelta(days=3), headache=3)],
        2: [report(START + timedelta(days=1), nausea=1)],
        3: [report(START + timedelta(days=2))],
    }
    three_day, five_day = side_effects_by_regimen(courses, reports)
    assert three_day.regimen == "2 g/kg over 3 days"
    assert (three_day.courses, three_day.courses_with_diary) == (2, 2)
    assert three_day.symptoms["headache"].share == 0.5
    assert three_day.severe_symptoms["headache"].share == 0.5
    assert three_day.symptoms["nausea"].share == 0.5
    assert three_day.any_severe.share == 0.5
    assert (five_day.courses, five_day.courses_with_diary) == (2, 1)
    assert five_day.any_symptom.share == 0.0


def test_the_window_ends_seven_days_after_the_last_infusion_day():
    course = regimen_course(1, 1, days=3)  # last day START + 2
    inside = {1: [report(START + timedelta(days=9), diarrhoea=2)]}
    outside = {1: [report(START + timedelta(days=10), diarrhoea=2)]}
    before = {1: [report(START - timedelta(days=1), diarrhoea=2)]}
    assert side_effects_by_regimen([course], inside)[0].symptoms["diarrhoea"].count == 1
    assert side_effects_by_regimen([course], outside)[0].courses_with_diary == 0
    assert side_effects_by_regimen([course], before)[0].courses_with_diary == 0


def test_fever_is_a_temperature_of_38_or_more():
    courses = [regimen_course(1, 1, days=5), regimen_course(2, 2, days=5)]
    reports = {1: [report(START, temperature=38.0)], 2: [report(START, temperature=37.9)]}
    group = side_effects_by_regimen(courses, reports)[0]
    assert group.fever.count == 1
    assert group.fever.share == pytest.approx(0.5)


def test_a_symptom_on_several_days_of_one_course_counts_once():
    course = regimen_course(1, 1, days=3)
    reports = {1: [report(START + timedelta(days=d), headache=1) for d in range(4)]}
    group = side_effects_by_regimen([course], reports)[0]
    assert group.symptoms["headache"].count == 1 and group.symptoms["headache"].share == 1.0
