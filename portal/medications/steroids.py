"""Prednisolone doses over time, in mg/day and mg/kg/day, and steroid sparing per patient."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Weight:
    day: date
    kg: float


@dataclass(frozen=True)
class DoseRecord:
    """A prednisolone dose in mg/day from `start`, until the next record or `stop`."""

    start: date
    mg_per_day: float
    stop: date | None = None


@dataclass(frozen=True)
class WeightInForce:
    kg: float
    measured_on: date | None  # None: the patient's current weight, no dated weighing


@dataclass(frozen=True)
class DoseOnDay:
    day: date
    mg_per_day: float
    weight: WeightInForce | None

    @property
    def mg_per_kg_per_day(self) -> float | None:
        if self.weight is None:
            return None
        return round(self.mg_per_day / self.weight.kg, 3)


@dataclass(frozen=True)
class SteroidSparing:
    """Prednisolone at the first given course and at the latest record."""

    first_course: date
    at_first_course: DoseOnDay | None  # None: no dose recorded before that course
    latest: DoseOnDay

    @property
    def change_mg_per_kg_per_day(self) -> float | None:
        if self.at_first_course is None:
            return None
        first = self.at_first_course.mg_per_kg_per_day
        last = self.latest.mg_per_kg_per_day
        if first is None or last is None:
            return None
        return round(last - first, 3)


def weight_in_force(
    weights: Sequence[Weight], day: date, current_kg: float | None = None
) -> WeightInForce | None:
    """The latest weight measured on or before `day`; else the patient's current weight."""
    earlier = [w for w in weights if w.day <= day]
    if earlier:
        latest = max(earlier, key=lambda w: w.day)
        return WeightInForce(latest.kg, latest.day)
    if current_kg:
        return WeightInForce(current_kg, None)
    return None


def mg_per_day_on(records: Sequence[DoseRecord], day: date) -> float | None:
    """The prednisolone dose in force on `day` (0 after a stop), None before any record."""
    started = [r for r in records if r.start <= day]
    if not started:
        return None
    current = max(started, key=lambda r: r.start)
    if current.stop is not None and day >= current.stop:
        return 0.0
    return current.mg_per_day


def dose_on(
    records: Sequence[DoseRecord],
    weights: Sequence[Weight],
    day: date,
    current_kg: float | None = None,
) -> DoseOnDay | None:
    """The dose in force on `day` with its mg/kg/day, or None before any record."""
    mg = mg_per_day_on(records, day)
    if mg is None:
        return None
    return DoseOnDay(day, mg, weight_in_force(weights, day, current_kg))


def latest_record_day(records: Sequence[DoseRecord]) -> date | None:
    """The date of the last change: the latest start or stop."""
    days = [r.stop or r.start for r in records] + [r.start for r in records]
    return max(days) if days else None


def steroid_sparing(
    records: Sequence[DoseRecord],
    weights: Sequence[Weight],
    first_course: date | None,
    current_kg: float | None = None,
) -> SteroidSparing | None:
    """Dose at the first given course and at the latest record; None without both."""
    last_day = latest_record_day(records)
    if first_course is None or last_day is None:
        return None
    latest = dose_on(records, weights, last_day, current_kg)
    assert latest is not None  # a record starts on or before its own date
    return SteroidSparing(
        first_course=first_course,
        at_first_course=dose_on(records, weights, first_course, current_kg),
        latest=latest,
    )
