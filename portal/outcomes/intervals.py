"""Interval and response: does a longer gap since the previous course change the response?

The nine-case paper's Figure 2 question ("it did not depend on ... the time interval
between doses"). Rules (docs/clinical-rules.md, "Interval and response"):

* The interval of a course is the time from the start of the same patient's previous
  given course to its own start, in weeks; a patient's first course has none.
* Each objectively assessed course with an interval is a point: interval against
  the change in mean myometry. Spearman's rho (scipy) from three points, with its n.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from portal.outcomes.comparisons import Correlation, spearman
from portal.outcomes.course_outcomes import CourseOutcome


@dataclass(frozen=True)
class IntervalPoint:
    patient_id: int
    patient_ref: str
    course_id: int
    start: date
    interval_days: int
    change: float
    improved: bool

    @property
    def weeks(self) -> float:
        return round(self.interval_days / 7, 1)


@dataclass(frozen=True)
class IntervalReport:
    points: list[IntervalPoint]  # by interval, then date
    correlation: Correlation
    courses: int  # given courses
    with_interval: int  # given courses after a previous one
    assessed_first_courses: int  # assessed, but a first course: no interval to plot


def interval_response(outcomes: Sequence[CourseOutcome]) -> IntervalReport:
    """Change in mean myometry against weeks since the previous course, with Spearman's rho."""
    points = [
        IntervalPoint(
            patient_id=o.response.patient_id,
            patient_ref=o.response.patient_ref,
            course_id=o.course.id,
            start=o.course.start,
            interval_days=o.interval_days,
            change=o.change,
            improved=bool(o.improved),
        )
        for o in outcomes
        if o.change is not None and o.interval_days is not None
    ]
    points.sort(key=lambda p: (p.interval_days, p.start, p.course_id))
    return IntervalReport(
        points=points,
        correlation=spearman([(p.interval_days / 7, p.change) for p in points]),
        courses=len(outcomes),
        with_interval=sum(1 for o in outcomes if o.interval_days is not None),
        assessed_first_courses=sum(
            1 for o in outcomes if o.change is not None and o.interval_days is None
        ),
    )
