"""Who may see and change which patient. Anything not allowed is a 404, and audited.

get_patient_or_404 and get_patient_object_or_404 are the only doors to one
patient's data in a view: each records the read (or the refusal) in the audit
trail, so a view that uses them cannot forget to. Changes are audited from the
ORM flush (portal.audit.capture).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort
from sqlalchemy import Select, false, select

from portal.audit.trail import audit, audit_denied, audit_read
from portal.auth.models import Role, User
from portal.core.extensions import db
from portal.core.versions import INCLUDE_DELETED
from portal.patients.models import Patient, patient_links

T = TypeVar("T")


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


def list_visible_patients(user: User, query: Select | None = None) -> list[Patient]:
    """The patients this user may see (or a narrowing of that query); audited as one list."""
    rows = list(db.session.scalars(query if query is not None else visible_patients(user)))
    audit("list", object_type="patients", fields=(f"count={len(rows)}",))
    return rows


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


def get_patient_or_404(
    patient_id: int,
    user: User,
    *,
    manage: bool = False,
    check: Callable[[Patient], bool] | None = None,
) -> Patient:
    """The patient if this user may see it (or manage it, and `check` passes), else 404;
    audited either way."""
    patient = db.session.get(Patient, patient_id)
    allowed = can_manage_patient if manage else can_view_patient
    if patient is None or not allowed(user, patient) or (check and not check(patient)):
        audit_denied("patients", patient_id, patient.id if patient else None)
        abort(404)
    audit_read("patients", patient.id, patient.id)
    return patient


def get_patient_object_or_404(
    model: type[T],
    object_id: int,
    user: User,
    *,
    manage: bool = False,
    check: Callable[[T], bool] | None = None,
    include_deleted: bool = False,
) -> T:
    """An object that belongs to a patient (course, diary entry, assessment…), checked like
    get_patient_or_404 through its `patient`, then by `check` (the feature's own rule:
    the right patient in the URL, not deleted, this kind of user may change it);
    audited either way. A soft-deleted record is found only with include_deleted (its
    history page); everywhere else it is a 404 like any missing object."""
    options = {INCLUDE_DELETED: True} if include_deleted else {}
    obj = db.session.get(model, object_id, execution_options=options)
    table = model.__tablename__
    patient = getattr(obj, "patient", None)
    allowed = can_manage_patient if manage else can_view_patient
    refused = obj is None or patient is None or not allowed(user, patient)
    if refused or (check and not check(obj)):
        audit_denied(table, object_id, patient.id if patient else None)
        abort(404)
    audit_read(table, object_id, patient.id)
    return obj
