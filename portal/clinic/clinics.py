"""Clinics: created and renamed by administrators."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.clinic.models import Clinic
from portal.core.errors import FieldError
from portal.core.extensions import db


def clinic_name_taken(name: str, clinic: Clinic | None = None) -> bool:
    """True when another clinic already has this name (names compare without case)."""
    other = db.session.scalar(select(Clinic).where(func.lower(Clinic.name) == name.strip().lower()))
    return other is not None and other is not clinic


def save_clinic(
    clinic: Clinic | None,
    name: str,
    phone: str,
    *,
    fever_threshold_c: float | None = None,
    headache_alert_days: int | None = None,
    meningism_window_hours: int | None = None,
    meningism_headache_grade: int | None = None,
) -> Clinic:
    """Create a clinic (clinic=None) or change its name, phone number and alert thresholds."""
    if clinic_name_taken(name, clinic):
        raise FieldError("name", "A clinic with this name exists.")
    clinic = clinic or Clinic()
    clinic.name, clinic.phone = name.strip(), phone.strip()
    if fever_threshold_c is not None:
        clinic.fever_threshold_c = fever_threshold_c
    if headache_alert_days is not None:
        clinic.headache_alert_days = headache_alert_days
    if meningism_window_hours is not None:
        clinic.meningism_window_hours = meningism_window_hours
    if meningism_headache_grade is not None:
        if meningism_headache_grade not in (1, 2, 3):
            raise FieldError("meningism_headache_grade", "Choose mild, moderate or severe.")
        clinic.meningism_headache_grade = meningism_headache_grade
    db.session.add(clinic)
    db.session.flush()
    return clinic
