"""One given course with everything the clinic's further questions ask of it.

Its response (outcomes.course_response), the diary's side-effect summary, the
interval since the patient's previous given course and the child's age at the
start: the common ground of the reports by lot, by regimen and by interval, and
of the de-identified site summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from portal.outcomes.course_response import (
    CourseResponse,
    GivenCourse,
    PatientRecord,
    course_responses,
)
from portal.outcomes.diary_windows import CourseDiary
from portal.outcomes.side_effects import SEVERE_GRADE, SYMPTOMS

OUTCOME_LABELS = {
    **{name: name.replace("_", " ").capitalize() for name in SYMPTOMS},
    **{f"severe_{name}": f"Severe {name.replace('_', ' ')}" for name in SYMPTOMS},
    "fever": "Fever (38.0 °C or more)",
    "any_symptom": "Any symptom or fever",
    "any_severe": "Any severe symptom",
}


@dataclass(frozen=True)
class CourseOutcome:
    """A given course: its response, side effects, interval and the child's age."""

    response: CourseResponse
    diary: CourseDiary | None
    interval_days: int | None  # days from the previous given course's start; None for the first
    age_years: int | None

    @property
    def course(self) -> GivenCourse:
        return self.response.course

    @property
    def change(self) -> float | None:
        """The change in mean myometry, when the course was objectively assessed."""
        myometry = self.response.myometry
        return myometry.change if myometry is not None else None

    @property
    def improved(self) -> bool | None:
        myometry = self.response.myometry
        return myometry.improved if myometry is not None else None

    @property
    def reported(self) -> bool:
        """The family wrote in the diary between the first infusion day and 7 days after."""
        return self.diary is not None and self.diary.effect_entries > 0

    def side_effects(self) -> frozenset[str]:
        """The outcomes of OUTCOME_LABELS this course had (empty without a diary)."""
        if not self.reported:
            return frozenset()
        assert self.diary is not None
        followed = self.diary.symptoms()
        severe = {f"severe_{s}" for s in self.diary.symptoms(SEVERE_GRADE)}
        extra = {"fever"} if self.diary.fever else set()
        if followed or self.diary.fever:
            extra.add("any_symptom")
        if severe:
            extra.add("any_severe")
        return frozenset(followed | severe | extra)


def intervals(courses: Iterable[GivenCourse]) -> dict[int, int | None]:
    """Course id → days since the start of the same patient's previous given course."""
    ordered = sorted(courses, key=lambda c: (c.start, c.id))
    found: dict[int, int | None] = {}
    previous: date | None = None
    for course in ordered:
        found[course.id] = (course.start - previous).days if previous else None
        previous = course.start
    return found


def _age(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def patient_outcomes(record: PatientRecord) -> list[CourseOutcome]:
    """One patient's given courses, oldest first."""
    gaps = intervals(record.courses)
    return [
        CourseOutcome(
            response=response,
            diary=record.diary.get(response.course.id),
            interval_days=gaps[response.course.id],
            age_years=_age(record.date_of_birth, response.course.start),
        )
        for response in course_responses(record)
    ]


def course_outcomes(records: Sequence[PatientRecord]) -> list[CourseOutcome]:
    """Every given course of these patients."""
    return [outcome for record in records for outcome in patient_outcomes(record)]
