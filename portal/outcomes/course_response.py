"""Per-course response and the cohort report, built from plain records (no database here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from portal.assessments import measures
from portal.assessments.measures import Measure
from portal.medications.steroids import DoseRecord, SteroidSparing, Weight, steroid_sparing
from portal.outcomes import statistics
from portal.outcomes.diary_windows import CourseDiary
from portal.outcomes.pairing import (
    CourseSpan,
    SubjectiveResponse,
    pair_courses,
    subjective_response,
)
from portal.outcomes.side_effects import (
    RegimenCourse,
    RegimenSideEffects,
    regimen_label,
    side_effects_by_regimen,
)
from portal.outcomes.statistics import PairedSummary
from portal.outcomes.steroid_sparing import (
    SteroidOverTime,
    TimePointSummary,
    cohort_steroid_summary,
    cohort_steroids,
)


@dataclass(frozen=True)
class AssessmentPoint:
    """An assessment's date and the reported values it has (mean myometry derived)."""

    id: int
    day: date
    values: dict[str, float]


@dataclass(frozen=True)
class GivenCourse:
    id: int
    start: date
    days: int
    total_dose_g_per_kg: float
    product: str = ""
    lots: tuple[str, ...] = ()

    @property
    def span(self) -> CourseSpan:
        return CourseSpan.of(self.id, self.start, self.days)

    @property
    def regimen(self) -> str:
        return regimen_label(self.total_dose_g_per_kg, self.days)


@dataclass
class PatientRecord:
    """Everything the reports read about one patient."""

    id: int
    patient_ref: str
    weight_kg: float | None = None
    date_of_birth: date | None = None
    courses: list[GivenCourse] = field(default_factory=list)
    assessments: list[AssessmentPoint] = field(default_factory=list)
    diary: dict[int, CourseDiary] = field(default_factory=dict)  # by course id
    prednisolone: list[DoseRecord] = field(default_factory=list)
    weights: list[Weight] = field(default_factory=list)


class MeasureChange(NamedTuple):
    """A measure before and after one course (a tuple: the cohort makes tens of thousands)."""

    measure: Measure
    before: float
    after: float

    @property
    def change(self) -> float:
        return round(self.after - self.before, statistics.DIFFERENCE_PLACES)

    @property
    def improved(self) -> bool:
        return self.measure.improved(self.change)


@dataclass(frozen=True)
class CourseResponse:
    patient_id: int
    patient_ref: str
    course: GivenCourse
    before: AssessmentPoint | None
    after: AssessmentPoint | None
    changes: dict[str, MeasureChange]
    subjective: SubjectiveResponse | None

    @property
    def myometry(self) -> MeasureChange | None:
        return self.changes.get(measures.MEAN_MYOMETRY.name)

    @property
    def basis(self) -> str | None:
        """'objective' with a measured change in mean myometry, else 'subjective' or None."""
        if self.myometry is not None:
            return "objective"
        if self.subjective is not None:
            return "subjective"
        return None

    @property
    def improved(self) -> bool | None:
        if self.myometry is not None:
            return self.myometry.improved
        if self.subjective is not None:
            return self.subjective.improved
        return None


def _changes(before: AssessmentPoint | None, after: AssessmentPoint | None) -> dict:
    if before is None or after is None:
        return {}
    later = after.values
    return {
        name: MeasureChange(measures.REPORTED_BY_NAME[name], old, later[name])
        for name, old in before.values.items()
        if name in later
    }


def course_responses(record: PatientRecord) -> list[CourseResponse]:
    """Every given course of one patient with its pairing, changes and the diary's view."""
    spans = [c.span for c in record.courses]
    pairs = pair_courses(spans, record.assessments)
    responses = []
    for course in sorted(record.courses, key=lambda c: (c.start, c.id)):
        pair = pairs[course.id]
        responses.append(
            CourseResponse(
                patient_id=record.id,
                patient_ref=record.patient_ref,
                course=course,
                before=pair.before,
                after=pair.after,
                changes=_changes(pair.before, pair.after),
                subjective=subjective_response(record.diary.get(course.id)),
            )
        )
    return responses


@dataclass(frozen=True)
class SubjectiveSummary:
    courses: int
    improved: int


@dataclass(frozen=True)
class SteroidRow:
    patient_ref: str
    sparing: SteroidSparing


@dataclass(frozen=True)
class CohortReport:
    objective: PairedSummary
    measures: dict[str, PairedSummary]
    subjective: SubjectiveSummary
    agreement: statistics.Agreement
    side_effects: list[RegimenSideEffects]
    steroid_sparing: list[SteroidRow]
    courses: list[CourseResponse]
    patients: int
    steroids: list[SteroidOverTime] = field(default_factory=list)
    steroid_summary: list[TimePointSummary] = field(default_factory=list)


def _measure_summaries(courses: Sequence[CourseResponse]) -> dict[str, PairedSummary]:
    summaries = {}
    for measure in measures.REPORTED:
        changes = [c.changes[measure.name].change for c in courses if measure.name in c.changes]
        summaries[measure.name] = statistics.summarise_changes(
            changes, higher_is_better=measure.higher_is_better
        )
    return summaries


def _subjective_only(courses: Sequence[CourseResponse]) -> SubjectiveSummary:
    only = [c for c in courses if c.basis == "subjective"]
    return SubjectiveSummary(len(only), sum(1 for c in only if c.improved))


def _agreement(courses: Sequence[CourseResponse]) -> statistics.Agreement:
    pairs = [
        (c.myometry.change, c.subjective.change)
        for c in courses
        if c.myometry is not None and c.subjective is not None
    ]
    return statistics.agreement(pairs)


def _side_effects(records: Sequence[PatientRecord]) -> list[RegimenSideEffects]:
    courses = [
        RegimenCourse(c.id, c.days, c.total_dose_g_per_kg) for r in records for c in r.courses
    ]
    diaries = {course_id: diary for r in records for course_id, diary in r.diary.items()}
    return side_effects_by_regimen(courses, diaries)


def _steroid_rows(records: Sequence[PatientRecord]) -> list[SteroidRow]:
    rows = []
    for record in records:
        first = min((c.start for c in record.courses), default=None)
        sparing = steroid_sparing(record.prednisolone, record.weights, first, record.weight_kg)
        if sparing is not None:
            rows.append(SteroidRow(record.patient_ref, sparing))
    return rows


def cohort_report(records: Sequence[PatientRecord], today: date | None = None) -> CohortReport:
    """The source study's analysis over these patients' given courses.

    `today` leaves out the steroid time points still to come (all count without it).
    """
    courses = [response for record in records for response in course_responses(record)]
    summaries = _measure_summaries(courses)
    steroids = cohort_steroids(records, today)
    return CohortReport(
        objective=summaries[measures.MEAN_MYOMETRY.name],
        measures=summaries,
        subjective=_subjective_only(courses),
        agreement=_agreement(courses),
        side_effects=_side_effects(records),
        steroid_sparing=_steroid_rows(records),
        courses=courses,
        patients=len(records),
        steroids=steroids,
        steroid_summary=cohort_steroid_summary(steroids),
    )
