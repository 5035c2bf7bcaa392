"""Loads what the course-response reports read, in a fixed number of queries.

Six queries whatever the number of patients: patients, given courses,
assessments, the diary summarised per course (in SQL, see diary_windows),
prednisolone records and weights. Rows come back as plain tuples, not ORM
objects, so that a clinic of 500 children with ten courses each and a year of
daily diary entries still answers within a second.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import CTE, ColumnElement, Date, Select, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from portal.assessments.models import Assessment
from portal.clinic.models import Clinic
from portal.diary.models import DiaryEntry
from portal.extensions import db
from portal.infusions.models import CourseStatus, InfusionCourse
from portal.medications.models import Agent, MedicationRecord, WeightRecord
from portal.patients.models import Patient
from portal.services import diary_windows, measures
from portal.services.course_response import AssessmentPoint, GivenCourse, PatientRecord
from portal.services.diary_windows import CourseDiary
from portal.services.steroids import DoseRecord, Weight


class date_plus_days(FunctionElement):  # noqa: N801 - reads as the SQL function it renders
    """A date column plus a whole number of days, in SQLite and PostgreSQL alike."""

    type = Date()
    inherit_cache = True
    name = "date_plus_days"


@compiles(date_plus_days)
def _date_plus_days_postgresql(element, compiler, **kw) -> str:
    day, offset = list(element.clauses)
    # date + integer is a date in PostgreSQL; the cast keeps a bound int8 from missing it.
    return f"({compiler.process(day, **kw)} + CAST({compiler.process(offset, **kw)} AS INTEGER))"


@compiles(date_plus_days, "sqlite")
def _date_plus_days_sqlite(element, compiler, **kw) -> str:
    day, offset = list(element.clauses)
    return (
        f"date({compiler.process(day, **kw)}, printf('%+d days', {compiler.process(offset, **kw)}))"
    )


def scope_filter(*, clinic: Clinic | None = None, patient: Patient | None = None) -> ColumnElement:
    """Which patients a report covers: one patient, one clinic, or every clinic."""
    if patient is not None:
        return Patient.id == patient.id
    if clinic is not None:
        return Patient.clinic_id == clinic.id
    return Patient.id.is_not(None)


def _patient_ids(scope: ColumnElement) -> Select:
    return select(Patient.id).where(scope)


def _given_courses(scope: ColumnElement) -> Select:
    return select(
        InfusionCourse.id,
        InfusionCourse.patient_id,
        InfusionCourse.start_date,
        InfusionCourse.days,
        InfusionCourse.total_dose_g_per_kg,
    ).where(
        InfusionCourse.patient_id.in_(_patient_ids(scope)),
        InfusionCourse.status == CourseStatus.GIVEN.value,
    )


def _assessments(scope: ColumnElement) -> Select:
    columns = [getattr(Assessment, m.name) for m in measures.RECORDED]
    return select(Assessment.id, Assessment.patient_id, Assessment.assessed_on, *columns).where(
        Assessment.patient_id.in_(_patient_ids(scope))
    )


def _course_windows(scope: ColumnElement) -> CTE:
    course = InfusionCourse
    last_day = course.days - 1
    windows = select(
        course.id.label("course_id"),
        course.patient_id.label("patient_id"),
        date_plus_days(course.start_date, -diary_windows.BEFORE_DAYS).label("from_day"),
        course.start_date.label("start_day"),
        date_plus_days(course.start_date, last_day).label("last_day"),
        date_plus_days(course.start_date, last_day + diary_windows.EFFECT_DAYS).label("effects_to"),
        date_plus_days(course.start_date, last_day + diary_windows.AFTER_DAYS).label("to_day"),
    ).where(
        course.patient_id.in_(_patient_ids(scope)),
        course.status == CourseStatus.GIVEN.value,
    )
    # Materialised so each course's window dates are worked out once, not per entry.
    return windows.cte("course_windows").prefix_with("MATERIALIZED")


def _diary(scope: ColumnElement) -> Select:
    """One row per given course summarising the diary in its windows (diary_windows)."""
    windows = _course_windows(scope)
    w, entry = windows.c, DiaryEntry
    before = entry.entry_date < w.start_day
    after = entry.entry_date > w.last_day
    effects = and_(entry.entry_date >= w.start_day, entry.entry_date <= w.effects_to)
    fever = and_(effects, entry.temperature_c >= diary_windows.FEVER_C)
    worst = [func.max(case((effects, getattr(entry, s)), else_=0)) for s in diary_windows.SYMPTOMS]
    near = and_(
        entry.patient_id == w.patient_id,
        entry.entry_date >= w.from_day,
        entry.entry_date <= w.to_day,
    )
    return (
        select(
            w.course_id,
            w.patient_id,
            func.avg(case((before, entry.strength))),
            func.count(case((before, entry.strength))),
            func.avg(case((after, entry.strength))),
            func.count(case((after, entry.strength))),
            func.count(case((effects, 1))),
            func.max(case((fever, 1), else_=0)),
            *worst,
        )
        .select_from(windows)
        .join(entry, near)
        .where(entry.deleted_at.is_(None))
        .group_by(w.course_id, w.patient_id)
    )


def _prednisolone(scope: ColumnElement) -> Select:
    return select(
        MedicationRecord.patient_id,
        MedicationRecord.start_date,
        MedicationRecord.dose,
        MedicationRecord.stop_date,
    ).where(
        MedicationRecord.patient_id.in_(_patient_ids(scope)),
        MedicationRecord.agent == Agent.PREDNISOLONE.value,
        MedicationRecord.dose.is_not(None),
    )


def _weights(scope: ColumnElement) -> Select:
    return select(WeightRecord.patient_id, WeightRecord.measured_on, WeightRecord.weight_kg).where(
        WeightRecord.patient_id.in_(_patient_ids(scope))
    )


_RECORDED_NAMES = [m.name for m in measures.RECORDED]


def _assessment_point(row: Sequence) -> AssessmentPoint:
    recorded = {name: v for name, v in zip(_RECORDED_NAMES, row[3:], strict=True) if v is not None}
    return AssessmentPoint(id=row[0], day=row[2], values=measures.reported_values(recorded))


def _course_diary(row: Sequence) -> CourseDiary:
    _, _, before, before_n, after, after_n, effect_n, fever, *worst = row
    # PostgreSQL's avg of integers is a Decimal; SQLite's a float.
    return CourseDiary(
        before_strength=float(before) if before is not None else None,
        before_entries=before_n,
        after_strength=float(after) if after is not None else None,
        after_entries=after_n,
        effect_entries=effect_n,
        worst_grades=dict(zip(diary_windows.SYMPTOMS, worst, strict=True)),
        fever=bool(fever),
    )


def load_records(scope: ColumnElement) -> list[PatientRecord]:
    """Every patient in scope with the courses, assessments, diary and doses reports need."""
    session = db.session
    patients = session.execute(
        select(Patient.id, Patient.patient_ref, Patient.weight_kg)
        .where(scope)
        .order_by(Patient.patient_ref)
    )
    records = {pid: PatientRecord(pid, ref, weight) for pid, ref, weight in patients}
    for cid, pid, start, days, dose in session.execute(_given_courses(scope)):
        records[pid].courses.append(GivenCourse(cid, start, days, dose))
    for row in session.execute(_assessments(scope)):
        records[row[1]].assessments.append(_assessment_point(row))
    for row in session.execute(_diary(scope)):
        records[row[1]].diary[row[0]] = _course_diary(row)
    for pid, start, dose, stop in session.execute(_prednisolone(scope)):
        records[pid].prednisolone.append(DoseRecord(start, dose, stop))
    for pid, day, kg in session.execute(_weights(scope)):
        records[pid].weights.append(Weight(day, kg))
    return list(records.values())
