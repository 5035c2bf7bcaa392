"""The patient review page: home reports and formal assessments in a date window, by course."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.assessments import measures
from portal.assessments.measures import Measure
from portal.assessments.models import Assessment
from portal.core.extensions import db
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
from portal.infusions.calendar import number_courses
from portal.infusions.models import CourseStatus, InfusionCourse
from portal.infusions.placement import CoursePlacer, CourseRef, Placement
from portal.outcomes.course_response import AssessmentPoint
from portal.outcomes.pairing import CourseSpan, pair_courses
from portal.patients.models import Patient
from portal.review.models import Reply

# What an assessment card shows besides mean myometry: the function scores and enzymes.
CARD_MEASURES = (*measures.FUNCTION, *measures.ENZYMES)


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

    kind: ClassVar[str] = "entry"
    entry: DiaryEntry
    place: str
    symptoms: list[Symptom]
    warnings: list[str]

    @property
    def day(self) -> date:
        return self.entry.entry_date

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

    @property
    def anchor(self) -> str:
        return f"entry-{self.entry.id}"

    def needs_a_look(self, fever_threshold_c: float) -> bool:
        """True when the report has anything to read beyond its everyday answers: an alert,
        a symptom, a warning sign, a fever, a note, a reply, worse rash or strength, or it
        was deleted. Such a report is shown in full; the others take one line."""
        e = self.entry
        worse = (e.strength is not None and e.strength < 0) or (e.rash_change or 0) < 0
        fever = e.temperature_c is not None and e.temperature_c >= fever_threshold_c
        return bool(
            e.alerts or self.symptoms or self.warnings or e.note or e.replies
            or e.deleted_at or fever or worse or (e.rash or 0) >= 2
        )  # fmt: skip


@dataclass(frozen=True)
class TimelineAssessment:
    """A formal assessment among the home reports, with its part in the course pairing."""

    kind: ClassVar[str] = "assessment"
    assessment: Assessment
    place: str
    pairing: str | None  # 'Before course 5' or 'After course 4'
    myometry_change: float | None  # an 'after' assessment's change since its 'before'

    @property
    def day(self) -> date:
        return self.assessment.assessed_on

    @property
    def mean_myometry(self) -> float | None:
        return self.assessment.mean_myometry

    @property
    def anchor(self) -> str:
        return f"assessment-{self.assessment.id}"

    @property
    def values(self) -> list[tuple[Measure, float]]:
        """The function scores and enzymes recorded, in the clinic's order."""
        present = [(m, getattr(self.assessment, m.name)) for m in CARD_MEASURES]
        return [(m, value) for m, value in present if value is not None]


TimelineItem = TimelineEntry | TimelineAssessment


@dataclass
class CourseGroup:
    """Reports and assessments following one course (or before the first), newest first."""

    title: str
    course: InfusionCourse | None
    items: list[TimelineItem] = field(default_factory=list)

    @property
    def entries(self) -> list[TimelineEntry]:
        """The home reports of the group, without the assessments."""
        return [item for item in self.items if isinstance(item, TimelineEntry)]


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


def load_assessments(patient: Patient) -> list[Assessment]:
    """Every assessment of the patient, oldest first: pairing needs those outside the window."""
    query = (
        select(Assessment)
        .where(Assessment.patient_id == patient.id)
        .order_by(Assessment.assessed_on)
        .options(selectinload(Assessment.recorded_by))
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


def _view(entry: DiaryEntry, placement: Placement) -> TimelineEntry:
    symptoms = [Symptom(label, getattr(entry, name)) for name, label in SYMPTOMS.items()]
    warnings = [WARNING_SIGNS[name][1] for name in entry.warning_signs]
    return TimelineEntry(entry, _place(placement), [s for s in symptoms if s.grade], warnings)


def _place(placement: Placement) -> str:
    """The placement as a line of the review page, in the family's words."""
    return f"{placement.title} ({placement.detail})" if placement.detail else placement.title


def _given(courses: Sequence[InfusionCourse]) -> list[InfusionCourse]:
    return sorted(
        (c for c in courses if c.status == CourseStatus.GIVEN), key=lambda c: c.start_date
    )


def _pairing_roles(
    assessments: Sequence[Assessment], given: Sequence[InfusionCourse], numbers: dict[int, int]
) -> dict[int, tuple[str, float | None]]:
    """Assessment id → its role in the course pairing and, for an 'after', the change."""
    spans = [CourseSpan.of(c.id, c.start_date, c.days) for c in given]
    points = [AssessmentPoint(a.id, a.assessed_on, {}) for a in assessments]
    means = {a.id: a.mean_myometry for a in assessments}
    roles: dict[int, tuple[str, float | None]] = {}
    for course_id, pair in pair_courses(spans, points).items():
        number = numbers.get(course_id)
        if pair.before is not None:
            roles[pair.before.id] = (f"Before course {number}", None)
        if pair.after is not None:
            old = means[pair.before.id] if pair.before is not None else None
            new = means[pair.after.id]
            change = round(new - old, 2) if old is not None and new is not None else None
            roles[pair.after.id] = (f"After course {number}", change)
    return roles


def _assessment_views(
    assessments: Sequence[Assessment],
    given: Sequence[InfusionCourse],
    numbers: dict[int, int],
    placer: CoursePlacer,
    shown: tuple[date, date] | None,
) -> list[TimelineAssessment]:
    roles = _pairing_roles(assessments, given, numbers)
    views = []
    for assessment in assessments:
        day = assessment.assessed_on
        if shown is None or shown[0] <= day <= shown[1]:
            role, change = roles.get(assessment.id, (None, None))
            place = _place(placer.place(day))
            views.append(TimelineAssessment(assessment, place, role, change))
    return views


def group_by_course(
    entries: Sequence[DiaryEntry],
    courses: Sequence[InfusionCourse],
    assessments: Sequence[Assessment] = (),
    shown: tuple[date, date] | None = None,
) -> list[CourseGroup]:
    """Entries and assessments (newest first) under the course each is placed against.

    Placement is the one rule of portal.infusions.placement, so the review page names
    each day as the family's pages and the API do. Every assessment takes part in the
    pairing; only those within `shown` are listed.
    """
    numbers = number_courses(courses)
    placer = CoursePlacer(courses)
    by_id = {course.id: course for course in courses}
    items: list[TimelineItem] = [
        *_assessment_views(assessments, _given(courses), numbers, placer, shown)
    ]
    items.extend(_view(entry, placer.place(entry.entry_date)) for entry in entries)
    # Newest first; on one day the assessment comes first (the sort keeps that order).
    items.sort(key=lambda item: item.day, reverse=True)
    groups: dict[int | None, CourseGroup] = {}
    for item in items:
        ref = placer.place(item.day).course
        key = ref.id if ref else None
        if key not in groups:
            groups[key] = CourseGroup(_title(ref), by_id.get(key) if key else None)
        groups[key].items.append(item)
    return list(groups.values())


END_ANCHOR = "review-end"


def next_anchors(groups: Sequence[CourseGroup]) -> dict[str, str]:
    """Each item's anchor → the anchor of the item after it on the page (the page's end
    after the last), where focus goes once the item has been dealt with."""
    order = [item.anchor for group in groups for item in group.items]
    return dict(zip(order, [*order[1:], END_ANCHOR], strict=False))


def _title(course: CourseRef | None) -> str:
    if course is None:
        return "Before the first course"
    heading = "After" if course.status == CourseStatus.GIVEN else "During"
    title = f"{heading} course {course.number}: {course.regimen}, {course.start_date.day} "
    title += f"{course.start_date:%b %Y}"
    if course.status != CourseStatus.GIVEN:
        title += " (not yet marked as given)"
    return title
