"""Plain patient records for the outcome tests: courses, paired assessments and diaries."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from portal.medications.steroids import DoseRecord, Weight
from portal.outcomes.course_response import AssessmentPoint, GivenCourse, PatientRecord
from portal.outcomes.diary_windows import CourseDiary

_ids = itertools.count(1)


def diary(fever: bool = False, **grades: int) -> CourseDiary:
    """A diary summary with entries in the side-effect window and these worst grades."""
    return CourseDiary(effect_entries=1, worst_grades=grades, fever=fever)


class Patient:
    """Builds one PatientRecord course by course."""

    def __init__(self, ref: str, born: date | None = date(2014, 6, 1), weight: float = 30.0):
        self.record = PatientRecord(next(_ids), ref, weight, date_of_birth=born)

    def course(
        self,
        start: date,
        *,
        days: int = 5,
        dose: float = 2.0,
        product: str = "Privigen",
        lots: tuple[str, ...] = (),
        change: tuple[float, float] | None = None,
        effects: CourseDiary | None = None,
    ) -> GivenCourse:
        """A given course; `change` = (before, after) mean myometry, paired by the rules."""
        course = GivenCourse(next(_ids), start, days, dose, product, lots)
        self.record.courses.append(course)
        if change is not None:
            before, after = change
            end = start + timedelta(days=days - 1)
            self.record.assessments += [
                AssessmentPoint(next(_ids), start - timedelta(days=1), {"mean_myometry": before}),
                AssessmentPoint(next(_ids), end + timedelta(days=10), {"mean_myometry": after}),
            ]
        if effects is not None:
            self.record.diary[course.id] = effects
        return course

    def prednisolone(self, start: date, mg_per_day: float, stop: date | None = None) -> None:
        self.record.prednisolone.append(DoseRecord(start, mg_per_day, stop))

    def weight(self, day: date, kg: float) -> None:
        self.record.weights.append(Weight(day, kg))
