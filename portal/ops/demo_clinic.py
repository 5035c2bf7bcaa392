"""Demo clinic measurements: assessments around the demo courses, a prednisolone taper, CK.

Recorded through the same domain functions as the clinic's pages, deterministic (a generator seeded
by the patient reference) and idempotent: a patient who already has assessments keeps
them, and one who already has a prednisolone record keeps their medication history.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.assessments.models import Assessment
from portal.assessments.records import AssessmentData, record_assessment
from portal.auth.models import User
from portal.core.extensions import db
from portal.infusions.models import CourseStatus, InfusionCourse
from portal.medications.models import Agent, MedicationRecord
from portal.medications.records import MedicationData, record_medication, record_weight
from portal.patients.models import Patient

# Each muscle group's usual distance from the mean (neck flexors are weakest in JDM).
GROUP_OFFSETS = {
    "myometry_neck_flexors": -7.0,
    "myometry_knee_extension_right": 6.0,
    "myometry_knee_extension_left": 5.0,
    "myometry_shoulder_abduction": 0.0,
    "myometry_hip_flexion": -2.5,
    "myometry_hip_abduction": -1.5,
}
BEFORE_GAP = 1  # the clinic assesses the day before a course
AFTER_GAP = 9  # and about a week after it
TAPER_DAYS = 28
RELAPSE_DROP = 9.0


@dataclass(frozen=True)
class DemoPlan:
    """How one demo child's measurements go: where they start, which visits were missed."""

    first_mean: float  # mean myometry before the first course
    first_ck: float
    start_mg: float  # prednisolone mg/day at the start of the taper
    taper_step_mg: float
    lowest_mg: float
    missed_after: tuple[int, ...] = ()  # course numbers (1, 2 …) with no 'after' visit
    no_gain: tuple[int, ...] = ()  # courses after which the child was measured no stronger


def _given(patient: Patient) -> list[InfusionCourse]:
    courses = (c for c in patient.courses if c.status == CourseStatus.GIVEN)
    return sorted(courses, key=lambda c: c.start_date)


def _readings(mean: float, rng: random.Random) -> dict[str, float]:
    return {
        name: round(mean + offset + rng.uniform(-1.5, 1.5), 1)
        for name, offset in GROUP_OFFSETS.items()
    }


def _visit(patient, clinician, day: date, mean: float, extra: dict, rng) -> None:
    values = {**_readings(mean, rng), **extra}
    record_assessment(patient, AssessmentData(assessed_on=day, values=values), clinician)


def _function(mean: float) -> dict[str, float]:
    """CMAS and walking time that follow strength, as they do in the clinic."""
    return {"cmas": min(52, max(0, round(mean - 4))), "walk_28ft_seconds": round(90 / mean * 4, 1)}


def add_demo_assessments(
    patient: Patient, clinician: User, plan: DemoPlan, today: date, rng: random.Random
) -> None:
    """Before and after each given course: stronger after, wearing off, a dip at a relapse."""
    mean, ck = plan.first_mean, plan.first_ck
    for number, course in enumerate(_given(patient), start=1):
        if course.indication == "relapse":
            mean, ck = mean - RELAPSE_DROP, ck * 2.5
        before = course.start_date - timedelta(days=BEFORE_GAP)
        _visit(patient, clinician, before, mean, {**_function(mean), "ck": round(ck)}, rng)
        mean += -1.0 if number in plan.no_gain else rng.uniform(2.0, 5.0)
        ck *= 0.65
        after = course.end_date + timedelta(days=AFTER_GAP)
        if number not in plan.missed_after and after <= today:
            _visit(patient, clinician, after, mean, _function(mean), rng)
        mean -= rng.uniform(0.5, 1.5)  # the effect wears off before the next course


def _taper(plan: DemoPlan, first: date, relapses: list[date], today: date) -> dict[date, float]:
    """Dose (mg/day) from each date: a step down every four weeks, back up at a relapse."""
    doses: dict[date, float] = {}
    day, dose = first - timedelta(days=TAPER_DAYS), plan.start_mg
    while day <= today:
        restart = next((r for r in relapses if day - timedelta(days=TAPER_DAYS) < r <= day), None)
        if restart is not None:
            dose = plan.start_mg  # a relapse: back to the starting dose, then taper again
            day = restart
        doses[day] = dose
        dose = max(plan.lowest_mg, dose - plan.taper_step_mg)
        day += timedelta(days=TAPER_DAYS)
    return doses


def add_demo_prednisolone(patient: Patient, plan: DemoPlan, today: date) -> None:
    """A prednisolone taper from a month before the first course, and two weighings."""
    given = _given(patient)
    if not given:
        return
    first = given[0].start_date
    relapses = [c.start_date - timedelta(days=2) for c in given if c.indication == "relapse"]
    for day, dose in sorted(_taper(plan, first, relapses, today).items()):
        data = MedicationData(agent=Agent.PREDNISOLONE.value, start_date=day, dose=dose)
        record_medication(patient, data, by=None)
    kg = patient.weight_kg or 30.0
    record_weight(patient, first - timedelta(days=TAPER_DAYS), round(kg - 1.2, 1), by=None)
    record_weight(patient, first + (today - first) / 2, round(kg - 0.5, 1), by=None)


def add_demo_measurements(patient: Patient, clinician: User, plan: DemoPlan, today: date) -> None:
    """Whatever part of the child's clinic record is missing: assessments, then medication."""
    rng = random.Random(f"{patient.patient_ref}:clinic")  # noqa: S311 - demo data
    has = select(func.count(Assessment.id)).where(Assessment.patient_id == patient.id)
    if not db.session.scalar(has):
        add_demo_assessments(patient, clinician, plan, today, rng)
    on_steroid = select(func.count(MedicationRecord.id)).where(
        MedicationRecord.patient_id == patient.id,
        MedicationRecord.agent == Agent.PREDNISOLONE.value,
    )
    if not db.session.scalar(on_steroid):
        add_demo_prednisolone(patient, plan, today)
