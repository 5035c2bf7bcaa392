"""Where chart data come from: plain values read from the database for the chart builders.

The family's diary folded one report a day; the clinic's measurement series (mean
myometry, prednisolone mg/kg/day, CK), each one query; and the before/after pairs of
each course, taken from the same pairing and loader as the course-response reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from portal.assessments.measures import MEAN_MYOMETRY
from portal.assessments.models import Assessment
from portal.assessments.records import MYOMETRY_COLUMNS, has_myometry, mean_of_readings
from portal.core.extensions import db
from portal.diary.models import SYMPTOMS, DiaryEntry
from portal.infusions.calendar import number_courses
from portal.infusions.models import CourseStatus, InfusionCourse
from portal.medications.models import Agent, MedicationRecord, WeightRecord
from portal.medications.steroids import DoseRecord, Weight, dose_on
from portal.outcomes.cohort_data import load_records
from portal.outcomes.course_response import CourseResponse, course_responses
from portal.patients.models import Patient

Point = tuple[date, float]


@dataclass(frozen=True)
class DayReport:
    """What the family reported about one day, several entries of a day folded into one."""

    day: date
    strength: float | None = None
    rash: int | None = None
    mood: float | None = None
    symptoms: dict[str, int] = field(default_factory=dict)  # only the symptoms graded above none
    temperature_c: float | None = None

    @property
    def worst_symptom_grade(self) -> int:
        return max(self.symptoms.values(), default=0)


@dataclass(frozen=True)
class CourseSpan:
    """An infusion course as a span of days on a chart."""

    number: int | None
    start: date
    end: date
    status: str
    regimen: str
    indication: str


@dataclass(frozen=True)
class CoursePair:
    """A measure before and after one course (the slope chart's unit)."""

    label: str
    before: float
    after: float


_COLUMNS = (
    DiaryEntry.entry_date,
    DiaryEntry.strength,
    DiaryEntry.rash,
    DiaryEntry.mood,
    DiaryEntry.temperature_c,
    *(getattr(DiaryEntry, name) for name in SYMPTOMS),
)


_SYMPTOM_NAMES = tuple(SYMPTOMS)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _single(row: tuple) -> DayReport:
    """The usual case, one entry on a day: no folding needed (charts read 2 years fast)."""
    day, strength, rash, mood, temperature, *grades = row
    return DayReport(
        day=day,
        strength=strength,
        rash=rash,
        mood=mood,
        symptoms={name: g for name, g in zip(_SYMPTOM_NAMES, grades, strict=True) if g},
        temperature_c=temperature,
    )


def _fold(day: date, rows: list[tuple]) -> DayReport:
    """One report for a day: means of strength and mood, the worst rash, symptom and fever."""
    if len(rows) == 1:
        return _single(rows[0])
    strengths = [r[1] for r in rows if r[1] is not None]
    rashes = [r[2] for r in rows if r[2] is not None]
    moods = [r[3] for r in rows if r[3] is not None]
    temperatures = [r[4] for r in rows if r[4] is not None]
    worst = [max(r[5 + i] or 0 for r in rows) for i in range(len(_SYMPTOM_NAMES))]
    return DayReport(
        day=day,
        strength=_mean(strengths),
        rash=max(rashes) if rashes else None,
        mood=_mean(moods),
        symptoms={name: g for name, g in zip(_SYMPTOM_NAMES, worst, strict=True) if g},
        temperature_c=max(temperatures) if temperatures else None,
    )


def diary_reports(patient_id: int, start: date, end: date) -> list[DayReport]:
    """The family's reports from start to end inclusive, one per day, oldest first."""
    query = (
        select(*_COLUMNS)
        .where(
            DiaryEntry.patient_id == patient_id,
            DiaryEntry.deleted_at.is_(None),
            DiaryEntry.entry_date.between(start, end),
        )
        .order_by(DiaryEntry.entry_date, DiaryEntry.id)
    )
    by_day: dict[date, list[tuple]] = defaultdict(list)
    for row in db.session.execute(query).tuples():
        by_day[row[0]].append(row)
    return [_fold(day, rows) for day, rows in by_day.items()]


def strength_and_mood(patient_id: int, start: date, end: date) -> list[DayReport]:
    """Strength and mood alone, one report a day from every report (guardian's or child's).

    What a child's own login may read back: the trend of how strong and how happy, never
    a note, a symptom, a temperature or a warning sign, which are not even read here.
    """
    query = (
        select(DiaryEntry.entry_date, DiaryEntry.strength, DiaryEntry.mood)
        .where(
            DiaryEntry.patient_id == patient_id,
            DiaryEntry.deleted_at.is_(None),
            DiaryEntry.entry_date.between(start, end),
        )
        .order_by(DiaryEntry.entry_date, DiaryEntry.id)
    )
    by_day: dict[date, list[tuple]] = defaultdict(list)
    for day, strength, mood in db.session.execute(query).tuples():
        by_day[day].append((strength, mood))
    return [
        DayReport(
            day=day,
            strength=_mean([s for s, _ in rows if s is not None]),
            mood=_mean([m for _, m in rows if m is not None]),
        )
        for day, rows in by_day.items()
    ]


def course_spans(courses: Iterable[InfusionCourse]) -> list[CourseSpan]:
    """Given and planned courses as spans, oldest first; cancelled ones are left out."""
    courses = list(courses)
    numbers = number_courses(courses)
    return [
        CourseSpan(
            number=numbers.get(c.id),
            start=c.start_date,
            end=c.end_date,
            status=c.status,
            regimen=c.regimen,
            indication=c.indication,
        )
        for c in sorted(courses, key=lambda c: (c.start_date, c.id))
        if c.status != CourseStatus.CANCELLED
    ]


# --- The clinic's measurements --------------------------------------------------------
# Each series is (date, value) points oldest first, read in one query per series.


def mean_myometry_points(patient_id: int, start: date, end: date) -> list[Point]:
    """Mean myometry score at each formal assessment with a myometry reading."""
    query = (
        select(Assessment.assessed_on, *MYOMETRY_COLUMNS)
        .where(
            Assessment.patient_id == patient_id,
            Assessment.assessed_on.between(start, end),
            has_myometry(),
        )
        .order_by(Assessment.assessed_on)
    )
    points = []
    for day, *readings in db.session.execute(query).tuples():
        mean = mean_of_readings(tuple(readings))
        if mean is not None:
            points.append((day, round(mean, MEAN_MYOMETRY.places)))
    return points


def ck_points(patient_id: int, start: date, end: date) -> list[Point]:
    """Creatine kinase in U/L at the assessments where it was recorded."""
    query = (
        select(Assessment.assessed_on, Assessment.ck)
        .where(
            Assessment.patient_id == patient_id,
            Assessment.assessed_on.between(start, end),
            Assessment.ck.is_not(None),
        )
        .order_by(Assessment.assessed_on)
    )
    return [(day, float(ck)) for day, ck in db.session.execute(query).tuples()]


def _steroid_history(patient_id: int, end: date) -> tuple[list[DoseRecord], list[Weight]]:
    doses = select(MedicationRecord.start_date, MedicationRecord.dose, MedicationRecord.stop_date)
    doses = doses.where(
        MedicationRecord.patient_id == patient_id,
        MedicationRecord.agent == Agent.PREDNISOLONE.value,
        MedicationRecord.dose.is_not(None),
        MedicationRecord.start_date <= end,
    )
    weights = select(WeightRecord.measured_on, WeightRecord.weight_kg).where(
        WeightRecord.patient_id == patient_id, WeightRecord.measured_on <= end
    )
    return (
        [DoseRecord(*row) for row in db.session.execute(doses).tuples()],
        [Weight(*row) for row in db.session.execute(weights).tuples()],
    )


def prednisolone_points(patient_id: int, start: date, end: date) -> list[Point]:
    """Prednisolone in mg/kg/day: the dose in force on `start`, then at each change.

    The dose changes with a new record or a stop, and its mg/kg/day with a new weight
    (medications.steroids); days on which the mg/kg/day stays the same are left out.
    """
    doses, weights = _steroid_history(patient_id, end)
    if not doses:
        return []
    current_kg = db.session.scalar(select(Patient.weight_kg).where(Patient.id == patient_id))
    changes = {r.start for r in doses} | {r.stop for r in doses if r.stop}
    changes |= {w.day for w in weights}
    points: list[Point] = []
    for day in sorted({start} | {d for d in changes if start < d <= end}):
        dose = dose_on(doses, weights, day, current_kg)
        value = dose.mg_per_kg_per_day if dose is not None else None
        if value is not None and (not points or points[-1][1] != round(value, 2)):
            points.append((day, round(value, 2)))
    return points


# Series id → source. The clinician chart draws every series listed here, in this order.
MEASURE_SOURCES: dict[str, Callable[[int, date, date], list[Point]]] = {
    "mean_myometry": mean_myometry_points,
    "prednisolone": prednisolone_points,
    "ck": ck_points,
}


def clinic_measures(patient_id: int, start: date, end: date) -> dict[str, list[Point]]:
    """Every clinic measurement series of a patient between two dates."""
    return {name: source(patient_id, start, end) for name, source in MEASURE_SOURCES.items()}


# --- Course by course: the pairing service's answers ------------------------------------


def course_responses_of(patient_id: int) -> list[CourseResponse]:
    """Every given course of the patient with its before/after pair and the diary's view.

    The same loader and pairing as the course-response reports, so the charts and the
    reports can never disagree about which assessments pair with a course.
    """
    records = load_records(Patient.id == patient_id)
    return course_responses(records[0]) if records else []


def _label(response: CourseResponse, numbers: Mapping[int, int]) -> str:
    number = numbers.get(response.course.id)
    return f"Course {number}" if number else "Course"


def paired_myometry(
    responses: Sequence[CourseResponse], numbers: Mapping[int, int]
) -> list[CoursePair]:
    """Mean myometry before and after each objectively assessed course, oldest first."""
    return [
        CoursePair(_label(r, numbers), round(r.myometry.before, 2), round(r.myometry.after, 2))
        for r in responses
        if r.myometry is not None
    ]


def paired_home_strength(
    responses: Sequence[CourseResponse], numbers: Mapping[int, int]
) -> list[CoursePair]:
    """The family's mean strength in the week before and the fortnight after each course."""
    pairs = []
    for response in responses:
        felt = response.subjective
        if felt is not None:
            label = _label(response, numbers)
            pairs.append(CoursePair(label, round(felt.before_mean, 2), round(felt.after_mean, 2)))
    return pairs
