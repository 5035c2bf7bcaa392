"""Steroid sparing over time: prednisolone at each course and 3, 6 and 12 months on.

Rules (docs/clinical-rules.md, "Steroid sparing over time"):

* For each patient with a given course and a prednisolone record: the dose in force
  (medications.steroids: the latest record on or before the day, 0 after a stop) on
  the first day of each given course, and 3, 6 and 12 calendar months after the first
  course's first day (the 31st falls back to the month's last day).
* mg/kg/day uses the weight in force that day; a dose before any record is "not
  recorded"; a time point still in the future is "not yet".
* The cohort: at the first course and at each time point after it, how many patients
  have a dose in mg/kg/day at both, the median, how many take less than at the first
  course and how many have stopped.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import TYPE_CHECKING

from portal.medications.steroids import DoseOnDay, dose_on

if TYPE_CHECKING:  # course_response builds the cohort report from this module
    from portal.outcomes.course_response import PatientRecord

MONTHS_AFTER_FIRST = (3, 6, 12)


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DosePoint:
    label: str  # "Course 2" or "6 months after the first course"
    day: date
    months: int | None  # None for a course; 3, 6 or 12 after the first
    dose: DoseOnDay | None  # None: not yet, or no prednisolone recorded by then
    due: bool  # False while the day is still to come

    @property
    def mg_per_kg_per_day(self) -> float | None:
        return self.dose.mg_per_kg_per_day if self.dose else None


@dataclass(frozen=True)
class SteroidOverTime:
    patient_id: int
    patient_ref: str
    first_course: date
    at_courses: list[DosePoint]
    after_first: list[DosePoint]

    @property
    def at_first(self) -> DosePoint:
        return self.at_courses[0]

    def change_from_first(self, point: DosePoint) -> float | None:
        """mg/kg/day at `point` minus at the first course."""
        first, then = self.at_first.mg_per_kg_per_day, point.mg_per_kg_per_day
        if first is None or then is None:
            return None
        return round(then - first, 3)


def _point(record: PatientRecord, label: str, day: date, months, today: date | None) -> DosePoint:
    due = today is None or day <= today
    dose = dose_on(record.prednisolone, record.weights, day, record.weight_kg) if due else None
    return DosePoint(label, day, months, dose, due)


def steroid_over_time(record: PatientRecord, today: date | None = None) -> SteroidOverTime | None:
    """A patient's prednisolone at each given course and after the first; None without both."""
    if not record.courses or not record.prednisolone:
        return None
    starts = sorted({c.start for c in record.courses})
    first = starts[0]
    at_courses = [
        _point(record, f"Course {n}", day, None, today) for n, day in enumerate(starts, start=1)
    ]
    after = [
        _point(record, f"{m} months after the first course", add_months(first, m), m, today)
        for m in MONTHS_AFTER_FIRST
    ]
    return SteroidOverTime(record.id, record.patient_ref, first, at_courses, after)


@dataclass(frozen=True)
class TimePointSummary:
    label: str
    months: int  # 0 for the first course
    due: int  # patients for whom the day has come
    patients: int  # with mg/kg/day here and at the first course (all of `due` at 0)
    median_mg_per_kg_per_day: float | None
    lower: int  # less than at the first course
    stopped: int  # 0 mg/day


def _summary(rows: Sequence[SteroidOverTime], months: int) -> TimePointSummary:
    label = "First course" if months == 0 else f"{months} months after the first course"
    points = [(r, r.at_first if months == 0 else _after(r, months)) for r in rows]
    due = [(r, p) for r, p in points if p.due]
    doses = [
        (r.at_first.mg_per_kg_per_day, p.mg_per_kg_per_day, p)
        for r, p in due
        if r.at_first.mg_per_kg_per_day is not None and p.mg_per_kg_per_day is not None
    ]
    return TimePointSummary(
        label=label,
        months=months,
        due=len(due),
        patients=len(doses),
        median_mg_per_kg_per_day=round(median(d for _, d, _ in doses), 3) if doses else None,
        lower=sum(1 for first, then, _ in doses if then < first),
        stopped=sum(1 for _, _, p in doses if p.dose is not None and p.dose.mg_per_day == 0),
    )


def _after(row: SteroidOverTime, months: int) -> DosePoint:
    return next(p for p in row.after_first if p.months == months)


def cohort_steroid_summary(rows: Sequence[SteroidOverTime]) -> list[TimePointSummary]:
    """At the first course and 3, 6 and 12 months after it, across the patients."""
    return [_summary(rows, months) for months in (0, *MONTHS_AFTER_FIRST)]


def cohort_steroids(
    records: Sequence[PatientRecord], today: date | None = None
) -> list[SteroidOverTime]:
    """Every patient's prednisolone over time, in the records' order."""
    rows = (steroid_over_time(record, today) for record in records)
    return [row for row in rows if row is not None]
