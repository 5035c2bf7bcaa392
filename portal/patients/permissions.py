"""Who may see and change which patient. Anything not allowed is a 404."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, false, select

from portal.auth.models import Role, User
from portal.extensions import db
from portal.patients.models import Patient, patient_links


def visible_patients(user: User) -> Select[tuple[Patient]]:
    """A query of the patients this user may see, ordered by name."""
    query = select(Patient).order_by(Patient.name, Patient.id)
    role = user.role_enum
    if role.is_family:
        linked = select(patient_links.c.patient_id).where(patient_links.c.user_id == user.id)
        return query.where(Patient.id.in_(linked))
    if role is Role.CLINICIAN and user.clinic_id is not None:
        return query.where(Patient.clinic_id == user.clinic_id)
    return query.where(false())


def can_view_patient(user: User, patient: Patient) -> bool:
    """True when the user is linked to the child, or is a clinician of its clinic."""
    if not user.is_authenticated or not user.active:
        return False
    role = user.role_enum
    if role.is_family:
        return any(p.id == patient.id for p in user.patients)
    if role is Role.CLINICIAN:
        return user.clinic_id is not None and user.clinic_id == patient.clinic_id
    return False


def can_manage_patient(user: User, patient: Patient) -> bool:
    """True for clinicians of the patient's clinic: they record courses and codes."""
    return user.role_enum is Role.CLINICIAN and can_view_patient(user, patient)


def get_patient_or_404(patient_id: int, user: User, *, manage: bool = False) -> Patient:
    """The patient if this user may see it (or manage it), else 404."""
    patient = db.session.get(Patient, patient_id)
    allowed = can_manage_patient if manage else can_view_patient
    if patient is None or not allowed(user, patient):
        abort(404)
    return patient
