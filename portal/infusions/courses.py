"""Recording infusion courses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.auth.models import User
from portal.core.extensions import db
from portal.infusions.models import CourseLot, InfusionCourse
from portal.patients.models import Patient


@dataclass(frozen=True)
class CourseData:
    start_date: date
    days: int
    total_dose_g_per_kg: float | Decimal
    product: str = ""
    lots: tuple[str, ...] = ()
    indication: str = ""
    status: str = "planned"
    notes: str = ""


def _apply(course: InfusionCourse, data: CourseData) -> None:
    course.start_date = data.start_date
    course.days = data.days
    course.total_dose_g_per_kg = float(data.total_dose_g_per_kg)
    course.product = data.product.strip()
    course.indication = data.indication
    course.status = data.status
    course.notes = data.notes
    if course.lot_numbers != list(data.lots):
        course.lots = [CourseLot(lot_number=lot) for lot in data.lots]


def record_course(patient: Patient, data: CourseData, by: User | None) -> InfusionCourse:
    """Add a course to a patient's calendar."""
    course = InfusionCourse(patient=patient, created_by_id=by.id if by else None)
    _apply(course, data)
    db.session.add(course)
    db.session.flush()
    return course


def update_course(course: InfusionCourse, data: CourseData) -> InfusionCourse:
    """Change a recorded course (e.g. planned → given, lots added)."""
    _apply(course, data)
    db.session.flush()
    return course
