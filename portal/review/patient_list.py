"""The dashboard's patient list: filters the clinic asks for, and paging on the server.

Every filter is a condition in SQL, so a page of 50 costs the same queries in a clinic
of 50 patients as of 5,000, and the count for the pager is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, exists, func, or_, select

from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from portal.infusions.models import MAX_COURSE_DAYS, CourseStatus, InfusionCourse
from portal.infusions.placement import AFTER_WINDOW_DAYS as AFTER_DAYS
from portal.patients.models import Patient

PER_PAGE = 50
NEXT_COURSE_DAYS = 14


@dataclass(frozen=True)
class PatientFilters:
    """What the clinician narrowed the list to; all off is every patient."""

    unreviewed: bool = False  # has home reports no clinician has reviewed
    in_window: bool = False  # today is an infusion day or within the after-window of a course
    next_course: bool = False  # the next course starts within NEXT_COURSE_DAYS
    quiet_days: int | None = None  # no diary entry in the last N days (or none ever)

    @property
    def active(self) -> bool:
        return self.unreviewed or self.in_window or self.next_course or bool(self.quiet_days)


@dataclass(frozen=True)
class PatientPage:
    patients: list[Patient]
    page: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _has_unreviewed():
    return exists().where(
        DiaryEntry.patient_id == Patient.id,
        DiaryEntry.reviewed_at.is_(None),
        DiaryEntry.deleted_at.is_(None),
    )


def _starts_between(days: int, earliest: date, latest: date):
    return and_(InfusionCourse.days == days, InfusionCourse.start_date.between(earliest, latest))


def _in_window(day: date):
    """During a given or planned course, or 1–AFTER_DAYS days after a given one ended.

    A course of d days ends d − 1 days after it starts; spelt out per length so that the
    same SQL runs on SQLite and PostgreSQL (no date arithmetic on columns).
    """
    given = or_(
        *(
            _starts_between(d, day - timedelta(days=AFTER_DAYS + d - 1), day)
            for d in range(1, MAX_COURSE_DAYS + 1)
        )
    )
    under_way = or_(
        *(
            _starts_between(d, day - timedelta(days=d - 1), day)
            for d in range(1, MAX_COURSE_DAYS + 1)
        )
    )
    return exists().where(
        InfusionCourse.patient_id == Patient.id,
        or_(
            and_(InfusionCourse.status == CourseStatus.GIVEN.value, given),
            and_(InfusionCourse.status == CourseStatus.PLANNED.value, under_way),
        ),
    )


def _next_course_soon(day: date):
    return exists().where(
        InfusionCourse.patient_id == Patient.id,
        InfusionCourse.status != CourseStatus.CANCELLED.value,
        InfusionCourse.start_date > day,
        InfusionCourse.start_date <= day + timedelta(days=NEXT_COURSE_DAYS),
    )


def _logged_since(since: date):
    return exists().where(
        DiaryEntry.patient_id == Patient.id,
        DiaryEntry.deleted_at.is_(None),
        DiaryEntry.entry_date >= since,
    )


def apply_filters(query: Select, filters: PatientFilters, day: date) -> Select:
    """Narrow a patient query by the filters, each a condition the database checks."""
    if filters.unreviewed:
        query = query.where(_has_unreviewed())
    if filters.in_window:
        query = query.where(_in_window(day))
    if filters.next_course:
        query = query.where(_next_course_soon(day))
    if filters.quiet_days:
        query = query.where(~_logged_since(day - timedelta(days=filters.quiet_days - 1)))
    return query


def page_of(query: Select[tuple[Patient]], page: int, per_page: int = PER_PAGE) -> PatientPage:
    """One page of the (ordered) patient query, with the total for the pager: two queries."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return PatientPage(rows, page, pages, total)
