"""Loads what the course-response reports read, in a fixed number of queries.

Six queries whatever the number of patients: patients, given courses,
assessments, diary entries near a given course, prednisolone records and
weights. Rows come back as plain tuples, not ORM objects, so that a clinic of
500 children with ten courses each still answers well within a second.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Date, Select, exists, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from portal.assessments.models import Assessment
from portal.clinic.models import Clinic
from portal.diary.models import DiaryEntry
from portal.extensions import db
from portal.infusions.models import CourseStatus, InfusionCourse
from portal.medications.models import Agent, MedicationRecord, WeightRecord
from portal.patients.models import Patient
from portal.services import measures
from portal.services.course_response import AssessmentPoint, GivenCourse, PatientRecord
from portal.services.pairing import SUBJECTIVE_AFTER_DAYS, SUBJECTIVE_BEFORE_DAYS, StrengthReport
from portal.services.side_effects import SYMPTOMS, SymptomReport
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


def _diary(scope: ColumnElement) -> Select:
    course = aliased(InfusionCourse)
    # Only entries that fall near a given course: from 7 days before its start to
    # 14 days after its last day (which also covers the 7-day side-effect window).
    near_a_course = exists().where(
        course.patient_id == DiaryEntry.patient_id,
        course.status == CourseStatus.GIVEN.value,
        DiaryEntry.entry_date >= date_plus_days(course.start_date, -SUBJECTIVE_BEFORE_DAYS),
        DiaryEntry.entry_date
        <= date_plus_days(course.start_date, course.days - 1 + SUBJECTIVE_AFTER_DAYS),
    )
    symptoms = [getattr(DiaryEntry, s) for s in SYMPTOMS]
    return select(
        DiaryEntry.patient_id,
        DiaryEntry.entry_date,
        DiaryEntry.strength,
        DiaryEntry.temperature_c,
        *symptoms,
    ).where(
        DiaryEntry.patient_id.in_(_patient_ids(scope)),
        DiaryEntry.deleted_at.is_(None),
        near_a_course,
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


def _assessment_point(row: Sequence) -> AssessmentPoint:
    recorded = dict(zip((m.name for m in measures.RECORDED), row[3:], strict=True))
    return AssessmentPoint(id=row[0], day=row[2], values=measures.reported_values(recorded))


def _add_diary_row(record: PatientRecord, row: Sequence) -> None:
    _, day, strength, temperature, *grades = row
    if strength is not None:
        record.strength.append(StrengthReport(day, strength))
    record.symptoms.append(
        SymptomReport(day, dict(zip(SYMPTOMS, grades, strict=True)), temperature)
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
        _add_diary_row(records[row[0]], row)
    for pid, start, dose, stop in session.execute(_prednisolone(scope)):
        records[pid].prednisolone.append(DoseRecord(start, dose, stop))
    for pid, day, kg in session.execute(_weights(scope)):
        records[pid].weights.append(Weight(day, kg))
    return list(records.values())
