"""Recording formal assessments: one a day per patient, every value within its range."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import selectinload

from portal.assessments import measures
from portal.assessments.models import Assessment
from portal.auth.models import User
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.core.versions import INCLUDE_DELETED, keep_edit, plain, soft_delete
from portal.patients.models import Patient

# The readings the mean myometry score is derived from, as columns for aggregate queries.
MYOMETRY_COLUMNS = tuple(getattr(Assessment, m.name) for m in measures.MYOMETRY)
_MYOMETRY_NAMES = tuple(m.name for m in measures.MYOMETRY)


def has_myometry() -> ColumnElement[bool]:
    """SQL: the assessment has at least one myometry reading."""
    return or_(*(column.is_not(None) for column in MYOMETRY_COLUMNS))


def mean_of_readings(readings: tuple[float | None, ...]) -> float | None:
    """The mean myometry score from readings selected in MYOMETRY_COLUMNS order."""
    return measures.mean_myometry(dict(zip(_MYOMETRY_NAMES, readings, strict=True)))


@dataclass(frozen=True)
class AssessmentData:
    assessed_on: date
    values: Mapping[str, float | None] = field(default_factory=dict)
    motor_ability_items: tuple[int, ...] | None = None
    notes: str = ""

    def is_empty(self) -> bool:
        """True when nothing was measured and nothing noted."""
        measured = any(v is not None for v in self.values.values())
        return not measured and not self.motor_ability_items and not self.notes.strip()


def check_values(values: Mapping[str, float | None]) -> list[tuple[str, str]]:
    """(measure name, message) for every value that is unknown or out of its range."""
    problems = []
    for name, value in values.items():
        measure = measures.BY_NAME.get(name)
        if measure is None:
            problems.append((name, f"{name} is not a recorded measure."))
        elif value is not None and (message := measure.problem(float(value))):
            problems.append((name, message))
    return problems


def find_assessment(patient: Patient, day: date) -> Assessment | None:
    """The patient's assessment on this date, if any."""
    return db.session.scalar(
        select(Assessment).where(Assessment.patient_id == patient.id, Assessment.assessed_on == day)
    )


def assessment_values(data: AssessmentData) -> dict[str, object]:
    """The column values an assessment is stored as; refuses an unknown or out-of-range value."""
    problems = check_values(data.values)
    if problems:
        raise FieldError(*problems[0])
    values: dict[str, object] = {"assessed_on": data.assessed_on}
    for measure in measures.RECORDED:
        value = data.values.get(measure.name)
        if value is not None:
            value = int(value) if measure.whole else float(value)
        values[measure.name] = value
    values["motor_ability_items"] = (
        list(data.motor_ability_items) if data.motor_ability_items else None
    )
    values["notes"] = data.notes.strip()
    return values


def _apply(assessment: Assessment, data: AssessmentData) -> None:
    for name, value in assessment_values(data).items():
        setattr(assessment, name, value)


def assessment_snapshot(assessment: Assessment) -> dict:
    """What an assessment holds, as a version keeps it."""
    return {
        "assessed_on": plain(assessment.assessed_on),
        **{m.name: getattr(assessment, m.name) for m in measures.RECORDED},
        "motor_ability_items": plain(assessment.motor_ability_items),
        "notes": assessment.notes,
    }


def new_assessment(patient: Patient, data: AssessmentData, by: User | None) -> Assessment:
    """An assessment added to the session unchecked for its date (imports check in bulk)."""
    assessment = Assessment(patient=patient, recorded_by_id=by.id if by else None)
    _apply(assessment, data)
    db.session.add(assessment)
    return assessment


def record_assessment(patient: Patient, data: AssessmentData, by: User | None) -> Assessment:
    """A new assessment; a second one on the same date is refused."""
    if find_assessment(patient, data.assessed_on) is not None:
        raise FieldError(
            "assessed_on", "An assessment on this date is already recorded: edit that one."
        )
    assessment = new_assessment(patient, data, by)
    db.session.flush()
    return assessment


def update_assessment(assessment: Assessment, data: AssessmentData, by: User | None) -> Assessment:
    """Correct an assessment; moving it onto another assessment's date is refused."""
    other = find_assessment(assessment.patient, data.assessed_on)
    if other is not None and other.id != assessment.id:
        raise FieldError("assessed_on", "Another assessment is recorded on this date.")
    by_id = by.id if by else None

    def change() -> None:
        _apply(assessment, data)
        assessment.updated_by_id = by_id

    keep_edit(assessment, assessment_snapshot, change, by_id)
    return assessment


def delete_assessment(assessment: Assessment, by: User | None, now: datetime) -> None:
    """Take an assessment entered in error off the record; what it held is kept."""
    soft_delete(assessment, assessment_snapshot, by.id if by else None, now)


def deleted_assessments(patient: Patient) -> list[Assessment]:
    """The patient's deleted assessments, most recently deleted first (for their history)."""
    query = (
        select(Assessment)
        .where(Assessment.patient_id == patient.id, Assessment.deleted_at.is_not(None))
        .order_by(Assessment.deleted_at.desc())
        .execution_options(**{INCLUDE_DELETED: True})
    )
    return list(db.session.scalars(query))


def patient_assessments(patient: Patient) -> list[Assessment]:
    """The patient's assessments, newest first."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.patient_id == patient.id)
            .options(selectinload(Assessment.versions))
            .order_by(Assessment.assessed_on.desc())
        )
    )
