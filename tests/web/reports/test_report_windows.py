"""The diary windows around a course, as the report's SQL draws them (SQLite and PostgreSQL)."""

from datetime import date, timedelta

from portal.core.database import now_utc
from portal.core.extensions import db
from portal.outcomes.cohort_data import load_records, scope_filter
from tests import factories as make

START = date(2024, 5, 6)


def diary_of(patient, course):
    (record,) = load_records(scope_filter(patient=patient))
    return record.diary.get(course.id)


def test_strength_windows_are_seven_days_before_and_fourteen_after_the_last_day():
    patient = make.patient(make.clinic())
    course = make.course(patient, START, days=5)  # last infusion day START + 4
    end = course.end_date
    for day, strength in [
        (START - timedelta(days=8), 2),  # too early
        (START - timedelta(days=7), -2),
        (START - timedelta(days=1), 0),
        (START, 2),  # infusion days belong to neither side
        (end, 2),
        (end + timedelta(days=1), 1),
        (end + timedelta(days=14), 2),
        (end + timedelta(days=15), -2),  # too late
    ]:
        make.diary_row(patient, day, strength=strength)
    diary = diary_of(patient, course)
    assert (diary.before_entries, diary.before_strength) == (2, -1.0)
    assert (diary.after_entries, diary.after_strength) == (2, 1.5)


def test_side_effect_window_runs_from_the_first_day_to_seven_after_the_last():
    patient = make.patient(make.clinic())
    course = make.course(patient, START, days=3)
    end = course.end_date
    make.diary_row(patient, START - timedelta(days=1), headache=3)  # before: not a side effect
    make.diary_row(patient, START, nausea=1)
    make.diary_row(patient, end + timedelta(days=7), diarrhoea=2, temperature_c=38.0)
    make.diary_row(patient, end + timedelta(days=8), vomiting=3)  # after the window
    diary = diary_of(patient, course)
    assert diary.effect_entries == 2
    assert diary.symptoms() == {"nausea", "diarrhoea"}
    assert diary.symptoms(3) == frozenset()
    assert diary.fever


def test_deleted_entries_and_other_patients_entries_do_not_count():
    clinic = make.clinic()
    patient, other = make.patient(clinic), make.patient(clinic)
    course = make.course(patient, START, days=1)
    make.course(other, START, days=1)
    gone = make.diary_row(patient, START + timedelta(days=2), strength=2, headache=3)
    gone.deleted_at = now_utc()
    db.session.commit()
    make.diary_row(other, START + timedelta(days=2), strength=2, headache=3)
    assert diary_of(patient, course) is None


def test_planned_and_cancelled_courses_get_no_diary_summary():
    patient = make.patient(make.clinic())
    planned = make.course(patient, START, days=5, status="planned")
    make.diary_row(patient, START + timedelta(days=1), headache=2)
    (record,) = load_records(scope_filter(patient=patient))
    assert record.courses == [] and planned.id not in record.diary
