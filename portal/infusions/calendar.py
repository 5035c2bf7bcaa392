"""The infusion calendar: course numbers, past and next courses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from portal.infusions.models import CourseStatus, InfusionCourse


@dataclass(frozen=True)
class CalendarCourse:
    """A course as the family sees it on the calendar."""

    course: InfusionCourse
    number: int | None  # counted over given and planned courses; None when cancelled
    when: str  # 'past', 'current' or 'upcoming'


@dataclass(frozen=True)
class FamilySummary:
    next_course: CalendarCourse | None
    last_course: CalendarCourse | None
    days_until_next: int | None
    days_since_last: int | None


def number_courses(courses: Iterable[InfusionCourse]) -> dict[int, int]:
    """Course id → course number (1, 2, …) in date order; cancelled courses get none."""
    counted = sorted(
        (c for c in courses if c.status != CourseStatus.CANCELLED),
        key=lambda c: (c.start_date, c.id),
    )
    return {course.id: index for index, course in enumerate(counted, start=1)}


def _when(course: InfusionCourse, day: date) -> str:
    if course.end_date < day:
        return "past"
    if course.start_date <= day:
        return "current"
    return "upcoming"


def calendar_courses(courses: Iterable[InfusionCourse], day: date) -> list[CalendarCourse]:
    """Every course, oldest first, with its number and whether it is past or to come."""
    courses = list(courses)
    numbers = number_courses(courses)
    ordered = sorted(courses, key=lambda c: (c.start_date, c.id))
    return [CalendarCourse(c, numbers.get(c.id), _when(c, day)) for c in ordered]


def family_summary(courses: Iterable[InfusionCourse], day: date) -> FamilySummary:
    """The next planned course and the last given one, as of `day`."""
    entries = calendar_courses(courses, day)
    upcoming = [e for e in entries if e.course.status == CourseStatus.PLANNED and e.when != "past"]
    given = [e for e in entries if e.course.status == CourseStatus.GIVEN and e.when != "upcoming"]
    next_course = upcoming[0] if upcoming else None
    last_course = given[-1] if given else None
    return FamilySummary(
        next_course=next_course,
        last_course=last_course,
        days_until_next=(next_course.course.start_date - day).days if next_course else None,
        days_since_last=(day - last_course.course.end_date).days if last_course else None,
    )
