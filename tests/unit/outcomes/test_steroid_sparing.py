"""Steroid sparing over time: prednisolone at each course and 3, 6 and 12 months on."""

from __future__ import annotations

from datetime import date

import pytest

from portal.outcomes.steroid_sparing import (
    add_months,
    cohort_steroid_summary,
    cohort_steroids,
    steroid_over_time,
)
from tests.unit.outcomes.records import Patient

FIRST = date(2024, 1, 31)


def tapering(ref: str = "ADA", weight: float = 20.0) -> Patient:
    patient = Patient(ref, weight=weight)
    patient.course(FIRST)
    patient.course(date(2024, 3, 13))
    patient.prednisolone(date(2023, 11, 1), 20.0)  # 1 mg/kg/day at 20 kg
    patient.prednisolone(date(2024, 3, 1), 10.0)
    patient.prednisolone(date(2024, 6, 1), 5.0, stop=date(2024, 12, 1))
    return patient


def test_months_are_calendar_months_and_the_31st_falls_back_to_the_months_end():
    assert add_months(FIRST, 3) == date(2024, 4, 30)
    assert add_months(FIRST, 1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)


def test_the_dose_at_each_course_and_3_6_12_months_after_the_first():
    row = steroid_over_time(tapering().record, today=date(2025, 6, 1))
    assert [(p.label, p.day, p.mg_per_kg_per_day) for p in row.at_courses] == [
        ("Course 1", FIRST, 1.0),
        ("Course 2", date(2024, 3, 13), 0.5),
    ]
    assert [(p.months, p.day, p.mg_per_kg_per_day) for p in row.after_first] == [
        (3, date(2024, 4, 30), 0.5),
        (6, date(2024, 7, 31), 0.25),
        (12, date(2025, 1, 31), 0.0),  # stopped on 1 Dec 2024
    ]
    assert row.change_from_first(row.after_first[1]) == pytest.approx(-0.75)


def test_the_weight_in_force_on_each_day_gives_mg_per_kg():
    patient = tapering()
    patient.weight(date(2024, 4, 1), 25.0)
    row = steroid_over_time(patient.record, today=date(2025, 6, 1))
    assert row.after_first[0].mg_per_kg_per_day == pytest.approx(0.4)  # 10 mg at 25 kg


def test_a_time_point_still_to_come_is_not_yet_and_has_no_dose():
    row = steroid_over_time(tapering().record, today=date(2024, 8, 1))
    twelve = row.after_first[2]
    assert twelve.due is False and twelve.dose is None
    assert row.after_first[1].due is True


def test_patients_without_prednisolone_or_without_a_course_are_left_out():
    no_steroid = Patient("BEN")
    no_steroid.course(FIRST)
    no_course = Patient("CAL")
    no_course.prednisolone(FIRST, 10.0)
    records = [tapering().record, no_steroid.record, no_course.record]
    assert [r.patient_ref for r in cohort_steroids(records)] == ["ADA"]


def test_the_cohort_summary_counts_lower_doses_and_stops_at_each_time_point():
    ada = tapering("ADA")
    ben = Patient("BEN", weight=40.0)
    ben.course(date(2024, 2, 5))
    ben.prednisolone(date(2024, 1, 1), 20.0)  # 0.5 mg/kg/day, never changed
    late = Patient("CAL")
    late.course(date(2025, 3, 1))
    late.prednisolone(date(2025, 1, 1), 15.0)
    rows = cohort_steroids([ada.record, ben.record, late.record], today=date(2025, 6, 1))
    first, three, six, twelve = cohort_steroid_summary(rows)
    assert (first.label, first.patients, first.median_mg_per_kg_per_day) == (
        "First course",
        3,
        0.5,
    )
    assert (three.due, three.patients, three.lower, three.stopped) == (3, 3, 1, 0)
    assert (six.due, six.patients, six.lower) == (2, 2, 1)  # CAL's 6 months are still to come
    assert (twelve.patients, twelve.lower, twelve.stopped) == (2, 1, 1)
    assert twelve.median_mg_per_kg_per_day == pytest.approx(0.25)
