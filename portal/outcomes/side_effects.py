"""Side effects by regimen: which symptoms the diary reports after each kind of course.

A symptom *follows* a course when the diary reports it (mild or worse) from the
first infusion day to 7 days after the last (outcomes.diary_windows); it is
*severe* at grade 3. Fever is a temperature of 38.0 °C or more. Shares are of
the courses with at least one diary entry in that window: a course the family
did not report on tells nothing either way, so it is counted apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from portal.outcomes.diary_windows import SEVERE_GRADE, SYMPTOMS, CourseDiary


def regimen_label(total_dose_g_per_kg: float, days: int) -> str:
    """How the clinic names a regimen, e.g. '2 g/kg over 5 days'."""
    unit = "day" if days == 1 else "days"
    return f"{total_dose_g_per_kg:g} g/kg over {days} {unit}"


@dataclass(frozen=True)
class RegimenCourse:
    course_id: int
    days: int
    total_dose_g_per_kg: float


@dataclass
class Share:
    count: int = 0
    share: float | None = None


def _shares() -> dict[str, Share]:
    return {s: Share() for s in SYMPTOMS}


@dataclass
class SymptomTally:
    """How many courses a diary followed with each symptom, and the shares they make."""

    courses: int = 0
    courses_with_diary: int = 0
    symptoms: dict[str, Share] = field(default_factory=_shares)
    severe_symptoms: dict[str, Share] = field(default_factory=_shares)
    fever: Share = field(default_factory=Share)
    any_symptom: Share = field(default_factory=Share)
    any_severe: Share = field(default_factory=Share)

    def add(self, diary: CourseDiary | None) -> None:
        """Add one course, with its diary summary if the family reported in the window."""
        self.courses += 1
        if diary is not None and diary.effect_entries:
            self.count(diary)

    def count(self, diary: CourseDiary) -> None:
        """Add one course whose diary has entries in the side-effect window."""
        self.courses_with_diary += 1
        followed, severe = diary.symptoms(), diary.symptoms(SEVERE_GRADE)
        for symptom in followed:
            self.symptoms[symptom].count += 1
        for symptom in severe:
            self.severe_symptoms[symptom].count += 1
        self.fever.count += diary.fever
        self.any_symptom.count += bool(followed) or diary.fever
        self.any_severe.count += bool(severe)

    def finish(self) -> None:
        """Turn counts into shares of the courses with a diary."""
        if not self.courses_with_diary:
            return
        shares = [*self.symptoms.values(), *self.severe_symptoms.values()]
        for share in [*shares, self.fever, self.any_symptom, self.any_severe]:
            share.share = round(share.count / self.courses_with_diary, 4)

    def outcomes(self) -> dict[str, Share]:
        """Every outcome counted, by name: symptoms, severe_<symptom>, fever, any, any severe."""
        return {
            **self.symptoms,
            **{f"severe_{name}": share for name, share in self.severe_symptoms.items()},
            "fever": self.fever,
            "any_symptom": self.any_symptom,
            "any_severe": self.any_severe,
        }


@dataclass
class RegimenSideEffects(SymptomTally):
    days: int = 0
    total_dose_g_per_kg: float = 0.0

    @property
    def regimen(self) -> str:
        return regimen_label(self.total_dose_g_per_kg, self.days)


def side_effects_by_regimen(
    courses: Sequence[RegimenCourse], diaries: Mapping[int, CourseDiary]
) -> list[RegimenSideEffects]:
    """One summary per regimen (total dose, days), lowest dose and fewest days first."""
    groups: dict[tuple[float, int], RegimenSideEffects] = {}
    for course in courses:
        key = (round(course.total_dose_g_per_kg, 2), course.days)
        if key not in groups:
            groups[key] = RegimenSideEffects(days=course.days, total_dose_g_per_kg=key[0])
        groups[key].add(diaries.get(course.course_id))
    for group in groups.values():
        group.finish()
    return [groups[key] for key in sorted(groups)]
