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


def find_by_ref(patient_ref: str) -> Patient | None:
    """The patient with this hospital reference (case-insensitive)."""
    ref = patient_ref.strip().upper()
    return db.session.scalar(select(Patient).where(func.upper(Patient.patient_ref) == ref))


def _apply(patient: Patient, data: PatientData) -> None:
    patient.patient_ref = data.patient_ref.strip().upper()
    patient.name = data.name.strip()
    patient.date_of_birth = data.date_of_birth
    patient.sex = data.sex
    patient.onset_date = data.onset_date
    patient.subtype = data.subtype or ""
    patient.weight_kg = float(data.weight_kg) if data.weight_kg is not None else None


def enrol_patient(clinic: Clinic, data: PatientData) -> Patient:
    """A new patient of the clinic; hospital references are unique."""
    if find_by_ref(data.patient_ref) is not None:
        raise FieldError("patient_ref", "A patient with this hospital reference exists.")
    patient = Patient(clinic=clinic)
    _apply(patient, data)
    db.session.add(patient)
    db.session.flush()
    return patient


def update_patient(patient: Patient, data: PatientData) -> Patient:
    """Correct a patient's details."""
    other = find_by_ref(data.patient_ref)
    if other is not None and other.id != patient.id:
        raise FieldError("patient_ref", "Another patient has this hospital reference.")
    _apply(patient, data)
    db.session.flush()
    return patient
