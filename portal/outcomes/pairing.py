"""Before/after pairing of formal assessments with infusion courses, and the diary's view.

Rules (docs/clinical-rules.md, "Before/after pairing" and "Subjective response"):

* Only given courses are paired; the caller leaves planned and cancelled ones out.
* *Before* is the latest assessment from 7 days before the first infusion day up to
  that day itself (an assessment on the morning of the first infusion is still
  before it). Eight days before is too early.
* *After* is the first assessment from the day after the last infusion day up to
  14 days after it. Assessments during a course belong to neither side.
* An assessment that could serve two courses (after one, before the next) goes with
  the nearer course; at equal distance it is the *before* of the later course,
  because the clinic assesses on the day before a course by protocol.
* The family's subjective response compares the mean perceived strength (−2 … +2)
  in the 14 days after the last infusion day with the 7 days before the start
  (windows in outcomes.diary_windows); both need at least one entry.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, NamedTuple, Protocol, TypeVar

from portal.outcomes.diary_windows import CourseDiary

BEFORE_DAYS = 7
AFTER_DAYS = 14


class Dated(Protocol):
    day: date


T = TypeVar("T", bound=Dated)


@dataclass(frozen=True)
class CourseSpan:
    """A given course: its id, first and last infusion day."""

    id: int
    start: date
    end: date

    @classmethod
    def of(cls, course_id: int, start: date, days: int) -> CourseSpan:
        return cls(course_id, start, start + timedelta(days=days - 1))


@dataclass(frozen=True)
class CoursePair(Generic[T]):
    before: T | None
    after: T | None

    @property
    def complete(self) -> bool:
        return self.before is not None and self.after is not None


class _Candidate(NamedTuple):
    course_id: int
    role: str  # 'before' or 'after'
    distance: int  # days from the course (0 = on its first day)


def _candidates(courses: Sequence[CourseSpan], day: date) -> list[_Candidate]:
    found = []
    for course in courses:
        days_before = (course.start - day).days
        days_after = (day - course.end).days
        if 0 <= days_before <= BEFORE_DAYS:
            found.append(_Candidate(course.id, "before", days_before))
        elif 1 <= days_after <= AFTER_DAYS:
            found.append(_Candidate(course.id, "after", days_after))
    return found


def _nearest(candidates: list[_Candidate]) -> _Candidate:
    # At equal distance the 'before' of the later course wins (see the module docstring).
    return min(candidates, key=lambda c: (c.distance, c.role != "before"))


class _Calendar:
    """Courses sorted by start, to find the few an assessment could belong to."""

    def __init__(self, courses: Sequence[CourseSpan]) -> None:
        self.courses = sorted(courses, key=lambda c: c.start)
        self.starts = [c.start for c in self.courses]
        longest = max(((c.end - c.start).days for c in courses), default=0)
        self.reach_back = timedelta(days=AFTER_DAYS + longest)
        self.reach_ahead = timedelta(days=BEFORE_DAYS)

    def near(self, day: date) -> list[CourseSpan]:
        first = bisect_left(self.starts, day - self.reach_back)
        last = bisect_right(self.starts, day + self.reach_ahead)
        return self.courses[first:last]


def pair_courses(
    courses: Sequence[CourseSpan], assessments: Iterable[T]
) -> dict[int, CoursePair[T]]:
    """Course id → its before and after assessment (either may be None)."""
    before: dict[int, T] = {}
    after: dict[int, T] = {}
    calendar = _Calendar(courses)
    for assessment in assessments:
        candidates = _candidates(calendar.near(assessment.day), assessment.day)
        if not candidates:
            continue
        chosen = _nearest(candidates)
        if chosen.role == "before":
            current = before.get(chosen.course_id)
            if current is None or assessment.day > current.day:
                before[chosen.course_id] = assessment
        else:
            current = after.get(chosen.course_id)
            if current is None or assessment.day < current.day:
                after[chosen.course_id] = assessment
    return {c.id: CoursePair(before.get(c.id), after.get(c.id)) for c in courses}


@dataclass(frozen=True)
class SubjectiveResponse:
    before_mean: float
    after_mean: float
    before_entries: int
    after_entries: int

    @property
    def change(self) -> float:
        return round(self.after_mean - self.before_mean, 6)

    @property
    def improved(self) -> bool:
        return self.change > 0


def subjective_response(diary: CourseDiary | None) -> SubjectiveResponse | None:
    """The family's perceived change in strength around a course; None without both windows."""
    if diary is None or not diary.before_entries or not diary.after_entries:
        return None
    assert diary.before_strength is not None and diary.after_strength is not None
    return SubjectiveResponse(
        before_mean=float(diary.before_strength),
        after_mean=float(diary.after_strength),
        before_entries=diary.before_entries,
        after_entries=diary.after_entries,
    )
