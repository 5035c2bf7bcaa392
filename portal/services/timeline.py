"""The patient review page: home reports in a date window, grouped by infusion course."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.diary.models import (
    GRADES,
    MOOD,
    RASH,
    RASH_CHANGE,
    STRENGTH,
    SYMPTOMS,
    WARNING_SIGNS,
    Alert,
    DiaryEntry,
)
from portal.extensions import db
from portal.infusions.models import CourseStatus, InfusionCourse
from portal.patients.models import Patient
from portal.review.models import Reply
from portal.services.calendar import number_courses


@dataclass(frozen=True)
class Symptom:
    label: str
    grade: int

    @property
    def word(self) -> str:
        return GRADES[self.grade]


@dataclass(frozen=True)
class TimelineEntry:
    """One home report as the clinician reads it at a glance."""

    entry: DiaryEntry
    place: str
    symptoms: list[Symptom]
    warnings: list[str]

    @property
    def strength(self) -> str:
        return STRENGTH.get(self.entry.strength, "–") if self.entry.strength is not None else "–"

    @property
    def mood(self) -> str:
        return MOOD.get(self.entry.mood, "–") if self.entry.mood is not None else "–"

    @property
    def rash(self) -> str:
        if self.entry.rash is None:
            return "–"
        change = self.entry.rash_change
        return RASH[self.entry.rash] + (f", {RASH_CHANGE[change].lower()}" if change else "")


@dataclass
class CourseGroup:
    """Entries following one course (or before the first), newest first."""

    title: str
    course: InfusionCourse | None
    entries: list[TimelineEntry] = field(default_factory=list)


def load_entries(patient: Patient, start: date, end: date) -> list[DiaryEntry]:
    """The patient's entries in the window, deleted ones too, with alerts and replies loaded."""
    query = (
        select(DiaryEntry)
        .where(DiaryEntry.patient_id == patient.id, DiaryEntry.entry_date.between(start, end))
        .order_by(DiaryEntry.entry_date.desc(), DiaryEntry.id.desc())
        .options(
            selectinload(DiaryEntry.alerts).joinedload(Alert.acknowledged_by),
            selectinload(DiaryEntry.replies).joinedload(Reply.author),
            selectinload(DiaryEntry.reviewed_by),
            selectinload(DiaryEntry.author),
        )
    )
    return list(db.session.scalars(query))


def unreviewed_before(patient: Patient, start: date) -> int:
    """How many entries older than the window still wait for review."""
    query = select(func.count(DiaryEntry.id)).where(
        DiaryEntry.patient_id == patient.id,
        DiaryEntry.entry_date < start,
        DiaryEntry.reviewed_at.is_(None),
        DiaryEntry.deleted_at.is_(None),
    )
    return db.session.scalar(query) or 0


def _place(day: date, course: InfusionCourse | None, number: int | None) -> str:
    if course is None:
        return "Before the first course"
    if day <= course.end_date:
        return f"During course {number}, day {(day - course.start_date).days + 1}"
    after = (day - course.end_date).days
    return f"{after} day{'s' if after != 1 else ''} after course {number}"


def _view(entry: DiaryEntry, course: InfusionCourse | None, number: int | None) -> TimelineEntry:
    symptoms = [Symptom(label, getattr(entry, name)) for name, label in SYMPTOMS.items()]
    warnings = [WARNING_SIGNS[name][1] for name in entry.warning_signs]
    return TimelineEntry(
        entry, _place(entry.entry_date, course, number), [s for s in symptoms if s.grade], warnings
    )


def group_by_course(
    entries: Sequence[DiaryEntry], courses: Sequence[InfusionCourse]
) -> list[CourseGroup]:
    """Entries (newest first) under the given course each follows; newest course first."""
    numbers = number_courses(courses)
    given = sorted(
        (c for c in courses if c.status == CourseStatus.GIVEN), key=lambda c: c.start_date
    )
    groups: dict[int | None, CourseGroup] = {}
    for entry in entries:
        course = next((c for c in reversed(given) if c.start_date <= entry.entry_date), None)
        key = course.id if course else None
        if key not in groups:
            groups[key] = CourseGroup(_title(course, numbers), course)
        number = numbers.get(course.id) if course else None
        groups[key].entries.append(_view(entry, course, number))
    return list(groups.values())


def _title(course: InfusionCourse | None, numbers: dict[int, int]) -> str:
    if course is None:
        return "Before the first course"
    return (
        f"After course {numbers.get(course.id)}: {course.regimen}, "
        f"{course.start_date.day} {course.start_date:%b %Y}"
    )
