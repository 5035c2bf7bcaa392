"""Enrolling and updating patients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from portal.clinic.models import Clinic
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.patients.models import Patient


@dataclass(frozen=True)
class PatientData:
    patient_ref: str
    name: str
    date_of_birth: date
    sex: str
    onset_date: date | None = None
    subtype: str = ""
    weight_kg: float | Decimal | None = None


class AmbiguousReference(Exception):
    """Several clinics hold a patient with this reference; name the clinic."""


def find_by_ref(patient_ref: str, clinic: Clinic | None = None) -> Patient | None:
    """The patient with this hospital reference (case-insensitive) in the clinic.

    References are unique within a clinic. Without a clinic (the command line) the
    reference must name one patient in the whole portal, or AmbiguousReference is raised.
    """
    ref = patient_ref.strip().upper()
    query = select(Patient).where(func.upper(Patient.patient_ref) == ref)
    if clinic is not None:
        return db.session.scalar(query.where(Patient.clinic_id == clinic.id))
    found = db.session.scalars(query.limit(2)).all()
    if len(found) > 1:
        raise AmbiguousReference(ref)
    return found[0] if found else None


def patient_values(data: PatientData) -> dict[str, object]:
    """The column values a patient's details are stored as (for one row or a bulk import)."""
    return {
        "patient_ref": data.patient_ref.strip().upper(),
        "name": data.name.strip(),
        "date_of_birth": data.date_of_birth,
        "sex": data.sex,
        "onset_date": data.onset_date,
        "subtype": data.subtype or "",
        "weight_kg": float(data.weight_kg) if data.weight_kg is not None else None,
    }


def _apply(patient: Patient, data: PatientData) -> None:
    for name, value in patient_values(data).items():
        setattr(patient, name, value)


def enrol_patient(clinic: Clinic, data: PatientData) -> Patient:
    """A new patient of the clinic; hospital references are unique."""
    if find_by_ref(data.patient_ref, clinic) is not None:
        raise FieldError("patient_ref", "A patient of this clinic has this hospital reference.")
    patient = Patient(clinic=clinic)
    _apply(patient, data)
    db.session.add(patient)
    db.session.flush()
    return patient


def update_patient(patient: Patient, data: PatientData) -> Patient:
    """Correct a patient's details."""
    other = find_by_ref(data.patient_ref, patient.clinic)
    if other is not None and other.id != patient.id:
        raise FieldError("patient_ref", "Another patient of this clinic has this reference.")
    _apply(patient, data)
    db.session.flush()
    return patient
