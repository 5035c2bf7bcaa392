"""Loads what the course-response reports read, in a fixed number of queries.

Nine queries whatever the number of patients: patients, given courses, their
lots, assessments, the diary summarised per course (three, see diary_summary),
prednisolone records and weights. Rows deleted from the record never count
(outcomes.on_record, the one place that filter is written). Rows come back as plain tuples, not ORM
objects, so that a clinic of 500 children with ten courses each and a year of
daily diary entries still answers within a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, and_, select

from portal.assessments import measures
from portal.assessments.models import Assessment
from portal.clinic.models import Clinic
from portal.core.extensions import db
from portal.infusions.models import CourseLot, CourseStatus, InfusionCourse
from portal.medications.models import Agent, MedicationRecord, WeightRecord
from portal.medications.steroids import DoseRecord, Weight
from portal.outcomes.course_response import AssessmentPoint, GivenCourse, PatientRecord
from portal.outcomes.diary_summary import course_diaries
from portal.outcomes.on_record import on_record
from portal.patients.models import Patient


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
        InfusionCourse.product,
    ).where(_given(scope))


def _given(scope: ColumnElement) -> ColumnElement[bool]:
    return and_(
        InfusionCourse.patient_id.in_(_patient_ids(scope)),
        InfusionCourse.status == CourseStatus.GIVEN.value,
        on_record(InfusionCourse),
    )


def _lots(scope: ColumnElement) -> Select:
    given = select(InfusionCourse.id).where(_given(scope))
    return (
        select(CourseLot.course_id, CourseLot.lot_number)
        .where(CourseLot.course_id.in_(given))
        .order_by(CourseLot.id)
    )


def _assessments(scope: ColumnElement) -> Select:
    columns = [getattr(Assessment, m.name) for m in measures.RECORDED]
    return select(Assessment.id, Assessment.patient_id, Assessment.assessed_on, *columns).where(
        Assessment.patient_id.in_(_patient_ids(scope)), on_record(Assessment)
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
        on_record(MedicationRecord),
    )


def _weights(scope: ColumnElement) -> Select:
    return select(WeightRecord.patient_id, WeightRecord.measured_on, WeightRecord.weight_kg).where(
        WeightRecord.patient_id.in_(_patient_ids(scope)), on_record(WeightRecord)
    )


_RECORDED_NAMES = [m.name for m in measures.RECORDED]


def _assessment_point(row: Sequence) -> AssessmentPoint:
    recorded = {name: v for name, v in zip(_RECORDED_NAMES, row[3:], strict=True) if v is not None}
    return AssessmentPoint(id=row[0], day=row[2], values=measures.reported_values(recorded))


def load_records(scope: ColumnElement) -> list[PatientRecord]:
    """Every patient in scope with the courses, assessments, diary and doses reports need."""
    # Core execution on the session's connection: plain rows, no ORM bookkeeping, and so
    # no automatic filter of soft-deleted rows (portal.core.versions): each query above
    # leaves them out itself.
    connection = db.session.connection()
    patients = connection.execute(
        select(Patient.id, Patient.patient_ref, Patient.weight_kg, Patient.date_of_birth)
        .where(scope)
        .order_by(Patient.patient_ref)
    )
    records = {
        pid: PatientRecord(pid, ref, weight, date_of_birth=born)
        for pid, ref, weight, born in patients
    }
    lots: dict[int, list[str]] = defaultdict(list)
    for course_id, lot_number in connection.execute(_lots(scope)):
        lots[course_id].append(lot_number)
    for cid, pid, start, days, dose, product in connection.execute(_given_courses(scope)):
        course = GivenCourse(cid, start, days, dose, product or "", tuple(lots.get(cid, ())))
        records[pid].courses.append(course)
    for row in connection.execute(_assessments(scope)):
        records[row[1]].assessments.append(_assessment_point(row))
    for course_id, (patient_id, diary) in course_diaries(_patient_ids(scope)).items():
        records[patient_id].diary[course_id] = diary
    for pid, start, dose, stop in connection.execute(_prednisolone(scope)):
        records[pid].prednisolone.append(DoseRecord(start, dose, stop))
    for pid, day, kg in connection.execute(_weights(scope)):
        records[pid].weights.append(Weight(day, kg))
    return list(records.values())
