"""Who may read which cohort report. Anything not allowed is a 404."""

from __future__ import annotations

from flask import abort

from portal.auth.models import Role, User
from portal.clinic.models import Clinic
from portal.core.extensions import db
from portal.core.ids import parse_id


def parse_clinic_id(raw: str | None) -> int | None:
    """The ?clinic= value as an id; empty means every clinic, anything else is a 404."""
    raw = (raw or "").strip()
    if not raw:
        return None
    clinic_id = parse_id(raw)
    if clinic_id is None:
        abort(404)
    return clinic_id


def report_clinic(user: User, clinic_id: int | None) -> Clinic | None:
    """The clinic a report covers: a clinician's own; an administrator's choice, None for all."""
    role = user.role_enum
    if role is Role.CLINICIAN and user.clinic_id is not None:
        if clinic_id is not None and clinic_id != user.clinic_id:
            abort(404)
        return user.clinic
    if role is Role.ADMIN:
        if clinic_id is None:
            return None
        clinic = db.session.get(Clinic, clinic_id)
        if clinic is None:
            abort(404)
        return clinic
    abort(404)
