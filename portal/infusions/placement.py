"""Where a diary date sits on the infusion calendar: during, after or before a course.

Rules (docs/clinical-rules.md, "Placement"):
- *during*: the date falls on the infusion days of a given or planned course. A
  course under way is often still marked planned until the clinic records it as
  given, and its days are the infusion days either way.
- *after*: counted only from GIVEN courses; day 1 is the day after the last
  infusion day.
- *next course*: the first PLANNED or GIVEN course starting after the date.
- cancelled courses are ignored throughout.

Placement is computed whenever it is shown, never stored, so a course recorded
or corrected later moves every entry with it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.infusions.calendar import number_courses
from portal.infusions.models import MAX_COURSE_DAYS, CourseStatus, InfusionCourse

# The clinic compares the 14 days after a course with the 7 days before the next
# one; inside that window an entry is named by the course it follows.
AFTER_WINDOW_DAYS = 14


@dataclass(frozen=True)
class CourseRef:
    """The facts about a course that a placement needs, detached from the session."""

    id: int
    number: int | None
    start_date: date
    end_date: date
    days: int
    regimen: str
    status: str

    @classmethod
    def of(cls, course: InfusionCourse, number: int | None) -> CourseRef:
        return cls(
            id=course.id,
            number=number,
            start_date=course.start_date,
            end_date=course.end_date,
            days=course.days,
            regimen=course.regimen,
            status=course.status,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "days": self.days,
            "regimen": self.regimen,
            "status": self.status,
        }


@dataclass(frozen=True)
class Placement:
    """One date placed on a patient's infusion calendar."""

    entry_date: date
    phase: str  # 'during', 'after', 'before_first' or 'none'
    course: CourseRef | None = None  # the course under way, or the last given one
    day_of_course: int | None = None  # during: 1 … course days
    days_after: int | None = None  # after: days since the last infusion day (≥ 1)
    next_course: CourseRef | None = None
    days_before_next: int | None = None

    @property
    def within_after_window(self) -> bool:
        """True in the 14 days after a given course ends."""
        return self.days_after is not None and self.days_after <= AFTER_WINDOW_DAYS

    @property
    def label(self) -> str:
        """How people read it, e.g. 'day 3 after course 4 (2 g/kg over 5 days)'."""
        if self.phase == "during":
            of_days = f"day {self.day_of_course} of {self.course.days}"
            return f"during {_course_name(self.course)} ({of_days})"
        if self.phase == "after":
            return self._before_next_label() if self._named_by_next() else self._after_label()
        if self.phase == "before_first":
            return f"{_days(self.days_before_next)} before {_first_name(self.next_course)}"
        return "no infusion course yet"

    @property
    def title(self) -> str:
        """The label as it opens a line or fills a table cell: 'Day 3 after course 4 (…)'."""
        return self.label[:1].upper() + self.label[1:]

    @property
    def detail(self) -> str:
        """The other side of the placement, or '' when there is none."""
        if self.phase == "after" and self.next_course is not None:
            return self._after_label() if self._named_by_next() else self._before_next_label()
        if self.phase == "during" and self.course.status != CourseStatus.GIVEN:
            return "not yet marked as given by the clinic"
        return ""

    def _named_by_next(self) -> bool:
        # Past the after-window, a date closer to the next course is named by it.
        if self.next_course is None or self.within_after_window:
            return False
        return self.days_before_next < self.days_after

    def _after_label(self) -> str:
        return f"day {self.days_after} after {_course_name(self.course)} ({self.course.regimen})"

    def _before_next_label(self) -> str:
        return f"{_days(self.days_before_next)} before the next course"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form for the API and the reports."""
        return {
            "date": self.entry_date.isoformat(),
            "phase": self.phase,
            "label": self.label,
            "detail": self.detail,
            "course": self.course.to_dict() if self.course else None,
            "day_of_course": self.day_of_course,
            "days_after": self.days_after,
            "next_course": self.next_course.to_dict() if self.next_course else None,
            "days_before_next": self.days_before_next,
        }


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _course_name(course: CourseRef) -> str:
    return f"course {course.number}" if course.number else "a course"


def _first_name(course: CourseRef) -> str:
    return "the first course" if course.number == 1 else _course_name(course)


class CoursePlacer:
    """Places any number of dates against one patient's courses, read once."""

    def __init__(self, courses: Iterable[InfusionCourse]) -> None:
        courses = [c for c in courses if c.status != CourseStatus.CANCELLED]
        numbers = number_courses(courses)
        refs = sorted(
            (CourseRef.of(c, numbers.get(c.id)) for c in courses),
            key=lambda ref: (ref.start_date, ref.id),
        )
        self._by_start = refs
        self._starts = [ref.start_date for ref in refs]
        self._given = sorted(
            (ref for ref in refs if ref.status == CourseStatus.GIVEN),
            key=lambda ref: (ref.end_date, ref.start_date, ref.id),
        )
        self._given_ends = [ref.end_date for ref in self._given]

    def place(self, day: date) -> Placement:
        """Where `day` sits on the calendar."""
        next_course = self._next_after(day)
        days_before_next = (next_course.start_date - day).days if next_course else None
        common = {"next_course": next_course, "days_before_next": days_before_next}
        under_way = self._under_way(day)
        if under_way is not None:
            day_of_course = (day - under_way.start_date).days + 1
            return Placement(day, "during", under_way, day_of_course=day_of_course, **common)
        last_given = self._last_given_before(day)
        if last_given is not None:
            days_after = (day - last_given.end_date).days
            return Placement(day, "after", last_given, days_after=days_after, **common)
        phase = "before_first" if next_course else "none"
        return Placement(day, phase, **common)

    def _next_after(self, day: date) -> CourseRef | None:
        index = bisect.bisect_right(self._starts, day)
        return self._by_start[index] if index < len(self._by_start) else None

    def _under_way(self, day: date) -> CourseRef | None:
        # The latest-starting course whose infusion days cover the date.
        index = bisect.bisect_right(self._starts, day)
        for ref in reversed(self._by_start[:index]):
            if ref.end_date >= day:
                return ref
            if (day - ref.start_date).days >= MAX_COURSE_DAYS:  # no longer course starts earlier
                return None
        return None

    def _last_given_before(self, day: date) -> CourseRef | None:
        index = bisect.bisect_left(self._given_ends, day)
        return self._given[index - 1] if index else None


def place(day: date, courses: Iterable[InfusionCourse]) -> Placement:
    """Where one date sits on the infusion calendar of these courses."""
    return CoursePlacer(courses).place(day)


def place_many(days: Iterable[date], courses: Iterable[InfusionCourse]) -> dict[date, Placement]:
    """Placements of many dates with one pass over the courses (no query per entry)."""
    placer = CoursePlacer(courses)
    return {day: placer.place(day) for day in set(days)}
