"""Side effects by regimen: which symptoms the diary reports after each kind of course.

Window: a symptom *follows* a course when a diary entry dated from the first
infusion day to 7 days after the last infusion day reports it (grade mild or
worse); it is *severe* at grade 3. Fever is a temperature of 38.0 °C or more
(CTCAE grade 1 and above). Shares are of the courses with at least one diary
entry in that window: a course the family did not report on tells nothing
either way, and is counted apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from portal.services.pairing import CourseSpan

FOLLOW_DAYS = 7
SEVERE_GRADE = 3
FEVER_C = 38.0
SYMPTOMS = ("headache", "nausea", "vomiting", "diarrhoea", "tiredness", "muscle_pain")


@dataclass(frozen=True)
class SymptomReport:
    """One diary entry's symptom grades (0–3) and temperature."""

    day: date
    grades: dict[str, int]
    temperature_c: float | None = None


@dataclass(frozen=True)
class RegimenCourse:
    patient_id: int
    span: CourseSpan
    days: int
    total_dose_g_per_kg: float


@dataclass
class Share:
    count: int = 0
    share: float | None = None


@dataclass
class RegimenSideEffects:
    days: int
    total_dose_g_per_kg: float
    courses: int = 0
    courses_with_diary: int = 0
    symptoms: dict[str, Share] = field(default_factory=dict)
    severe_symptoms: dict[str, Share] = field(default_factory=dict)
    fever: Share = field(default_factory=Share)
    any_symptom: Share = field(default_factory=Share)
    any_severe: Share = field(default_factory=Share)

    @property
    def regimen(self) -> str:
        unit = "day" if self.days == 1 else "days"
        return f"{self.total_dose_g_per_kg:g} g/kg over {self.days} {unit}"


@dataclass(frozen=True)
class _Followed:
    symptoms: frozenset[str]
    severe: frozenset[str]
    fever: bool


def _followed(course: CourseSpan, reports: Sequence[SymptomReport]) -> _Followed | None:
    last = course.end + timedelta(days=FOLLOW_DAYS)
    window = [r for r in reports if course.start <= r.day <= last]
    if not window:
        return None
    symptoms = {s for r in window for s in SYMPTOMS if r.grades.get(s, 0) >= 1}
    severe = {s for r in window for s in SYMPTOMS if r.grades.get(s, 0) >= SEVERE_GRADE}
    fever = any(r.temperature_c is not None and r.temperature_c >= FEVER_C for r in window)
    return _Followed(frozenset(symptoms), frozenset(severe), fever)


def _count(group: RegimenSideEffects, followed: _Followed) -> None:
    group.courses_with_diary += 1
    for symptom in followed.symptoms:
        group.symptoms[symptom].count += 1
    for symptom in followed.severe:
        group.severe_symptoms[symptom].count += 1
    group.fever.count += followed.fever
    group.any_symptom.count += bool(followed.symptoms) or followed.fever
    group.any_severe.count += bool(followed.severe)


def _finish(group: RegimenSideEffects) -> None:
    shares = [*group.symptoms.values(), *group.severe_symptoms.values()]
    for share in [*shares, group.fever, group.any_symptom, group.any_severe]:
        if group.courses_with_diary:
            share.share = round(share.count / group.courses_with_diary, 4)


def side_effects_by_regimen(
    courses: Sequence[RegimenCourse], reports_by_patient: Mapping[int, Sequence[SymptomReport]]
) -> list[RegimenSideEffects]:
    """One summary per regimen (days, total dose), lowest dose and fewest days first."""
    groups: dict[tuple[float, int], RegimenSideEffects] = {}
    for course in courses:
        key = (round(course.total_dose_g_per_kg, 2), course.days)
        group = groups.get(key)
        if group is None:
            group = RegimenSideEffects(
                days=course.days,
                total_dose_g_per_kg=key[0],
                symptoms={s: Share() for s in SYMPTOMS},
                severe_symptoms={s: Share() for s in SYMPTOMS},
            )
            groups[key] = group
        group.courses += 1
        followed = _followed(course.span, reports_by_patient.get(course.patient_id, ()))
        if followed is not None:
            _count(group, followed)
    for group in groups.values():
        _finish(group)
    return [groups[key] for key in sorted(groups)]
