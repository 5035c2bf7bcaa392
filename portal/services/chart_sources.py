"""Where chart data come from: plain values read from the database for the chart builders.

The clinic's measurement series (mean myometry, prednisolone, CK, paired courses) come
from models that land with the clinic-measurements work. Until then their sources return
nothing and the charts say so; plugging one in is replacing one function body here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from portal.diary.models import SYMPTOMS, DiaryEntry
from portal.extensions import db
from portal.infusions.models import CourseStatus, InfusionCourse
from portal.services.calendar import number_courses

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


# --- Hooks for the clinic's measurements -------------------------------------------------
# Each returns (date, value) points oldest first. They return nothing until the
# Assessment and medication models exist; the chart builders need no change then.


def mean_myometry_points(patient_id: int, start: date, end: date) -> list[Point]:
    """Mean myometry score at each formal assessment (hook: Assessment model)."""
    return []


def prednisolone_points(patient_id: int, start: date, end: date) -> list[Point]:
    """Prednisolone dose in mg/kg/day at each change (hook: medication history)."""
    return []


def ck_points(patient_id: int, start: date, end: date) -> list[Point]:
    """Creatine kinase in U/L where recorded (hook: Assessment model)."""
    return []


def paired_myometry(patient_id: int) -> list[CoursePair]:
    """Mean myometry before and after each objectively assessed course (hook: pairing)."""
    return []


# Series id → source. The clinician chart draws every series listed here, in this order.
MEASURE_SOURCES: dict[str, Callable[[int, date, date], list[Point]]] = {
    "mean_myometry": mean_myometry_points,
    "prednisolone": prednisolone_points,
    "ck": ck_points,
}


def clinic_measures(patient_id: int, start: date, end: date) -> dict[str, list[Point]]:
    """Every clinic measurement series of a patient between two dates."""
    return {name: source(patient_id, start, end) for name, source in MEASURE_SOURCES.items()}
