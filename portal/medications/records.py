"""Recording medication history and weights, and reading prednisolone in mg/kg/day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.auth.models import User
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.core.versions import INCLUDE_DELETED, keep_edit, plain, soft_delete
from portal.infusions.models import CourseStatus
from portal.medications.models import PREDNISOLONE_UNIT, Agent, MedicationRecord, WeightRecord
from portal.medications.steroids import (
    DoseOnDay,
    DoseRecord,
    SteroidSparing,
    Weight,
    dose_on,
    steroid_sparing,
)
from portal.patients.models import Patient


@dataclass(frozen=True)
class MedicationData:
    agent: str
    start_date: date
    dose: float | None
    dose_unit: str = ""
    stop_date: date | None = None
    other_name: str = ""
    notes: str = ""


def _check(patient: Patient, data: MedicationData, record_id: int | None) -> None:
    if data.stop_date is not None and data.stop_date < data.start_date:
        raise FieldError("stop_date", "The stop date cannot be before the start date.")
    if data.agent == Agent.OTHER and not data.other_name.strip():
        raise FieldError("other_name", "Name the medicine.")
    if data.agent == Agent.PREDNISOLONE:
        if data.dose is None:
            raise FieldError("dose", "Enter the prednisolone dose in mg/day (0 if stopped).")
        same_day = db.session.scalar(
            select(MedicationRecord.id).where(
                MedicationRecord.patient_id == patient.id,
                MedicationRecord.agent == Agent.PREDNISOLONE.value,
                MedicationRecord.start_date == data.start_date,
            )
        )
        if same_day is not None and same_day != record_id:
            raise FieldError("start_date", "A prednisolone dose from this date is recorded.")


def _apply(record: MedicationRecord, data: MedicationData) -> None:
    record.agent = data.agent
    record.start_date = data.start_date
    record.stop_date = data.stop_date
    record.dose = float(data.dose) if data.dose is not None else None
    is_prednisolone = data.agent == Agent.PREDNISOLONE
    record.dose_unit = PREDNISOLONE_UNIT if is_prednisolone else data.dose_unit
    record.other_name = data.other_name.strip() if data.agent == Agent.OTHER else ""
    record.notes = data.notes.strip()


def medication_snapshot(record: MedicationRecord) -> dict:
    """What a medication record holds, as a version keeps it."""
    return {
        "agent": record.agent,
        "other_name": record.other_name,
        "start_date": plain(record.start_date),
        "stop_date": plain(record.stop_date),
        "dose": record.dose,
        "dose_unit": record.dose_unit,
        "notes": record.notes,
    }


def record_medication(patient: Patient, data: MedicationData, by: User | None) -> MedicationRecord:
    """Add a medication, or a new prednisolone dose taking effect on its start date."""
    _check(patient, data, None)
    record = MedicationRecord(patient=patient, recorded_by_id=by.id if by else None)
    _apply(record, data)
    db.session.add(record)
    db.session.flush()
    return record


def update_medication(
    record: MedicationRecord, data: MedicationData, by: User | None = None
) -> MedicationRecord:
    """Correct a record or give it a stop date; the agent itself stays, the old values too."""
    data = MedicationData(**{**data.__dict__, "agent": record.agent})
    _check(record.patient, data, record.id)
    keep_edit(record, medication_snapshot, lambda: _apply(record, data), by.id if by else None)
    return record


def delete_medication(record: MedicationRecord, by: User | None, now: datetime) -> None:
    """Take a record entered in error off the history; what it held is kept."""
    soft_delete(record, medication_snapshot, by.id if by else None, now)


def deleted_medications(patient: Patient) -> list[MedicationRecord]:
    """The patient's deleted medication records, most recently deleted first."""
    query = (
        select(MedicationRecord)
        .where(MedicationRecord.patient_id == patient.id, MedicationRecord.deleted_at.is_not(None))
        .order_by(MedicationRecord.deleted_at.desc())
        .execution_options(**{INCLUDE_DELETED: True})
    )
    return list(db.session.scalars(query))


def record_weight(patient: Patient, day: date, kg: float, by: User | None) -> WeightRecord:
    """A weight measured on a date; a second weighing that day replaces the first."""
    weight = db.session.scalar(
        select(WeightRecord).where(
            WeightRecord.patient_id == patient.id, WeightRecord.measured_on == day
        )
    )
    by_id = by.id if by else None
    if weight is None:
        weight = WeightRecord(patient_id=patient.id, measured_on=day, weight_kg=float(kg))
        weight.recorded_by_id = by_id
        db.session.add(weight)
        db.session.flush()
        return weight

    def change() -> None:
        weight.weight_kg = float(kg)
        weight.recorded_by_id = by_id

    keep_edit(weight, _weight_snapshot, change, by_id)  # the earlier weighing is kept
    return weight


def _weight_snapshot(weight: WeightRecord) -> dict:
    return {"measured_on": plain(weight.measured_on), "weight_kg": weight.weight_kg}


def patient_medications(patient: Patient) -> list[MedicationRecord]:
    """All the patient's medication records, latest start first."""
    return list(
        db.session.scalars(
            select(MedicationRecord)
            .where(MedicationRecord.patient_id == patient.id)
            .options(selectinload(MedicationRecord.versions))
            .order_by(MedicationRecord.start_date.desc(), MedicationRecord.id.desc())
        )
    )


def patient_weights(patient: Patient) -> list[WeightRecord]:
    """The patient's dated weights, latest first."""
    return list(
        db.session.scalars(
            select(WeightRecord)
            .where(WeightRecord.patient_id == patient.id)
            .order_by(WeightRecord.measured_on.desc())
        )
    )


def prednisolone_doses(
    records: list[MedicationRecord], weights: list[WeightRecord], current_kg: float | None
) -> list[tuple[MedicationRecord, DoseOnDay | None]]:
    """Each prednisolone record with its dose and mg/kg/day on its start date."""
    doses = [
        DoseRecord(r.start_date, r.dose, r.stop_date)
        for r in records
        if r.agent == Agent.PREDNISOLONE and r.dose is not None
    ]
    weighed = [Weight(w.measured_on, w.weight_kg) for w in weights]
    return [
        (r, dose_on(doses, weighed, r.start_date, current_kg))
        for r in records
        if r.agent == Agent.PREDNISOLONE
    ]


def patient_steroid_sparing(
    patient: Patient, records: list[MedicationRecord], weights: list[WeightRecord]
) -> SteroidSparing | None:
    """Prednisolone at the patient's first given course and at the latest record."""
    given = [c.start_date for c in patient.courses if c.status == CourseStatus.GIVEN]
    doses = [
        DoseRecord(r.start_date, r.dose, r.stop_date)
        for r in records
        if r.agent == Agent.PREDNISOLONE and r.dose is not None
    ]
    weighed = [Weight(w.measured_on, w.weight_kg) for w in weights]
    return steroid_sparing(doses, weighed, min(given, default=None), patient.weight_kg)
