"""Chart sources read from the database: the clinic's series and each course's pairs."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.charts import sources
from portal.charts.sources import CoursePair
from portal.infusions.calendar import number_courses
from portal.patients.models import Patient
from portal.review.dashboard import latest_mean_myometry
from tests import factories as make

D0 = date(2025, 1, 6)


def at(days: int) -> date:
    return D0 + timedelta(days=days)


def test_mean_myometry_is_derived_from_the_readings_within_the_range_oldest_first():
    patient = make.patient(make.clinic())
    make.assessment(patient, at(-1), myometry=99.0)  # before the range
    make.assessment(patient, at(20), myometry=40.0)
    # Knee extension counts once, as the mean of its sides: (30 + (20+40)/2 + 30*3) / 5 = 30.
    make.assessment(
        patient, at(5), myometry=30.0,
        myometry_knee_extension_right=20.0, myometry_knee_extension_left=40.0,
    )  # fmt: skip
    make.assessment(patient, at(10), ck=800.0)  # no myometry: no point
    make.assessment(patient, at(15), myometry_neck_flexors=12.5)  # the groups present only
    points = sources.mean_myometry_points(patient.id, D0, at(20))
    assert points == [(at(5), 30.0), (at(15), 12.5), (at(20), 40.0)]


def test_ck_points_are_only_where_ck_was_recorded():
    patient = make.patient(make.clinic())
    make.assessment(patient, at(1), myometry=30.0, ck=1850.0)
    make.assessment(patient, at(8), myometry=32.0)
    make.assessment(patient, at(30), ck=420.0)
    make.assessment(make.patient(make.clinic()), at(2), ck=5.0)  # another child
    assert sources.ck_points(patient.id, D0, at(30)) == [(at(1), 1850.0), (at(30), 420.0)]


def test_prednisolone_starts_with_the_dose_in_force_and_steps_at_each_change():
    patient = make.patient(make.clinic(), weight_kg=25.0)
    make.weight(patient, at(-60), 20.0)
    make.prednisolone(patient, at(-30), 20.0)  # 1 mg/kg/day, in force when the range opens
    make.prednisolone(patient, at(10), 10.0)
    make.weight(patient, at(20), 25.0)  # the same dose, heavier child: 0.4 mg/kg/day
    make.weight(patient, at(25), 25.0)  # weighed again, unchanged: no new step
    make.prednisolone(patient, at(40), 5.0, stop=at(50))
    make.prednisolone(patient, at(90), 40.0)  # after the range
    points = sources.prednisolone_points(patient.id, D0, at(60))
    assert points == [
        (D0, 1.0),
        (at(10), 0.5),
        (at(20), 0.4),
        (at(40), 0.2),
        (at(50), 0.0),  # stopped
    ]


def test_prednisolone_is_empty_without_a_dose_and_starts_at_the_first_record():
    patient = make.patient(make.clinic(), weight_kg=20.0)
    assert sources.prednisolone_points(patient.id, D0, at(60)) == []
    make.prednisolone(patient, at(30), 10.0)
    assert sources.prednisolone_points(patient.id, D0, at(60)) == [(at(30), 0.5)]


def paired(patient):
    responses = sources.course_responses_of(patient.id)
    numbers = number_courses(patient.courses)
    return sources.paired_myometry(responses, numbers), sources.paired_home_strength(
        responses, numbers
    )


def test_paired_myometry_follows_the_pairing_rules_and_numbers_courses_as_the_calendar():
    patient = make.patient(make.clinic())
    make.course(patient, at(-40), status="cancelled")  # no number, never paired
    first = make.course(patient, D0, days=5)
    second = make.course(patient, at(42), days=3)
    make.assessment(patient, at(-1), myometry=30.0)
    make.assessment(patient, first.end_date + timedelta(days=9), myometry=34.5)
    make.assessment(patient, at(42 - 8), myometry=50.0)  # 8 days before: too early
    make.assessment(patient, second.end_date + timedelta(days=3), myometry=36.0)
    myometry, _ = paired(patient)
    assert myometry == [CoursePair("Course 1", 30.0, 34.5)]


def test_home_strength_pairs_compare_the_week_before_with_the_fortnight_after():
    patient = make.patient(make.clinic())
    course = make.course(patient, D0, days=3)
    make.diary_row(patient, at(-3), strength=-2)
    make.diary_row(patient, at(-1), strength=-1)
    make.diary_row(patient, course.end_date + timedelta(days=2), strength=1)
    make.diary_row(patient, course.end_date + timedelta(days=15), strength=-2)  # too late
    make.course(patient, at(60), days=3)  # no diary around it: no pair
    _, home = paired(patient)
    assert home == [CoursePair("Course 1", -1.5, 1.0)]


def test_dashboard_latest_mean_myometry_skips_later_assessments_without_myometry():
    clinic = make.clinic()
    measured, ck_only, none = (make.patient(clinic) for _ in range(3))
    make.assessment(measured, at(0), myometry=30.0)
    make.assessment(measured, at(14), myometry=33.333)
    make.assessment(measured, at(20), ck=500.0)  # the latest, but no myometry
    make.assessment(ck_only, at(3), ck=900.0)
    make.assessment(make.patient(make.clinic()), at(30), myometry=70.0)  # another clinic
    patients = select(Patient).where(Patient.clinic_id == clinic.id)
    assert latest_mean_myometry(patients) == {measured.id: 33.33}
    assert none.id not in latest_mean_myometry(patients)
