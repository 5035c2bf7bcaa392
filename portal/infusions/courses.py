"""Recording infusion courses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from portal.auth.models import User
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.core.versions import INCLUDE_DELETED, keep_edit, plain, soft_delete
from portal.infusions.calendar import number_courses
from portal.infusions.models import CourseLot, CourseStatus, InfusionCourse
from portal.patients.models import Patient

# Courses are repeated every 4 to 10 weeks; a longer gap is allowed but pointed out.
LONG_GAP_WEEKS = 10


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


COURSE_FIELDS = (
    "start_date",
    "days",
    "total_dose_g_per_kg",
    "product",
    "indication",
    "status",
    "notes",
)


def course_values(data: CourseData) -> dict[str, object]:
    """The column values a course is stored as (its lots apart)."""
    return {
        "start_date": data.start_date,
        "days": data.days,
        "total_dose_g_per_kg": float(data.total_dose_g_per_kg),
        "product": data.product.strip(),
        "indication": data.indication,
        "status": data.status,
        "notes": data.notes,
    }


def _apply(course: InfusionCourse, data: CourseData) -> None:
    for name, value in course_values(data).items():
        setattr(course, name, value)
    if course.lot_numbers != list(data.lots):
        course.lots = [CourseLot(lot_number=lot) for lot in data.lots]


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _others(patient: Patient, course: InfusionCourse | None) -> list[InfusionCourse]:
    query = select(InfusionCourse).where(
        InfusionCourse.patient_id == patient.id,
        InfusionCourse.status != CourseStatus.CANCELLED.value,
    )
    if course is not None and course.id is not None:
        query = query.where(InfusionCourse.id != course.id)
    return list(db.session.scalars(query.order_by(InfusionCourse.start_date)))


def _lock_calendar(patient: Patient) -> None:
    """Hold the patient's row until commit, so two saves at once cannot both pass the check.

    A no-op UPDATE takes PostgreSQL's row lock and SQLite's write lock alike, before the
    other courses are read; it goes round the ORM, so it is no change to audit.
    """
    db.session.execute(
        update(Patient)
        .where(Patient.id == patient.id)
        .values(id=Patient.id)
        .execution_options(synchronize_session=False)
    )


def refuse_overlap(patient: Patient, data: CourseData, course: InfusionCourse | None) -> None:
    """FieldError naming the other course when this one would share an infusion day with it.

    Cancelled courses overlap nothing, neither as this course nor as the other.
    """
    if data.status == CourseStatus.CANCELLED:
        return
    _lock_calendar(patient)
    end = data.start_date + timedelta(days=data.days - 1)
    others = _others(patient, course)
    clash = next((o for o in others if o.start_date <= end and data.start_date <= o.end_date), None)
    if clash is None:
        return
    number = number_courses(others).get(clash.id)
    name = f"course {number}" if number else "another course"
    raise FieldError(
        "start_date",
        f"These dates overlap {name} ({clash.regimen}, {clash.status}, "
        f"{_day(clash.start_date)} to {_day(clash.end_date)}). "
        "Change the dates, or cancel or correct that course first.",
    )


def gap_note(course: InfusionCourse) -> str:
    """'' or a note that the course starts more than LONG_GAP_WEEKS after the one before."""
    if course.status == CourseStatus.CANCELLED:
        return ""
    earlier = [c for c in _others(course.patient, course) if c.start_date < course.start_date]
    if not earlier:
        return ""
    previous = earlier[-1]
    weeks = (course.start_date - previous.start_date).days / 7
    if weeks <= LONG_GAP_WEEKS:
        return ""
    return (
        f"This course starts {weeks:.0f} weeks after the one before "
        f"({_day(previous.start_date)}); courses are usually 4 to {LONG_GAP_WEEKS} weeks apart. "
        "It was saved; check the dates if that gap was not meant."
    )


def course_snapshot(course: InfusionCourse) -> dict:
    """What a course holds, its lots included, as a version keeps it."""
    return {
        **{name: plain(getattr(course, name)) for name in COURSE_FIELDS},
        "lots": course.lot_numbers,
    }


def record_course(patient: Patient, data: CourseData, by: User | None) -> InfusionCourse:
    """Add a course to a patient's calendar; one overlapping another is refused."""
    refuse_overlap(patient, data, None)
    course = InfusionCourse(patient=patient, created_by_id=by.id if by else None)
    _apply(course, data)
    db.session.add(course)
    db.session.flush()
    return course


def update_course(
    course: InfusionCourse, data: CourseData, by: User | None = None
) -> InfusionCourse:
    """Change a recorded course (e.g. planned -> given, lots added); no overlap allowed, and
    the old values are kept."""
    refuse_overlap(course.patient, data, course)
    keep_edit(course, course_snapshot, lambda: _apply(course, data), by.id if by else None)
    return course


def delete_course(course: InfusionCourse, by: User | None, now: datetime) -> None:
    """Take a course recorded in error off the calendar; what it held is kept."""
    soft_delete(course, course_snapshot, by.id if by else None, now)


def deleted_courses(patient: Patient) -> list[InfusionCourse]:
    """The patient's deleted courses, most recently deleted first."""
    query = (
        select(InfusionCourse)
        .where(InfusionCourse.patient_id == patient.id, InfusionCourse.deleted_at.is_not(None))
        .order_by(InfusionCourse.deleted_at.desc())
        .execution_options(**{INCLUDE_DELETED: True})
    )
    return list(db.session.scalars(query))
