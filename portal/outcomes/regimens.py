"""Regimens compared: side effects and response by dose, days, dose per day or interval.

Rules (docs/clinical-rules.md, "Regimens compared"):

* Courses are grouped by one dimension: total dose and days ("2 g/kg over 3 days"),
  dose per day in mg/kg, days, total dose, or weeks since the patient's previous
  given course (start to start, in bands; a patient's first course apart).
* Each group: its courses, the objectively assessed ones with their change in mean
  myometry (how many improved, mean, median), and the side effects the diary
  reported from the first infusion day to 7 days after the last.
* Two groups are compared with Fisher's exact test for each symptom (mild or worse,
  and severe), fever, any symptom and any severe symptom, among the courses with a
  diary in that window; and with the Mann–Whitney test of their changes in mean
  myometry. Every test is given with its n; p-values are not adjusted for the number
  of symptoms tested.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from portal.infusions.models import daily_dose_mg_per_kg
from portal.outcomes import statistics
from portal.outcomes.comparisons import FisherResult, RankSumResult, fisher_exact, mann_whitney
from portal.outcomes.course_outcomes import OUTCOME_LABELS, CourseOutcome
from portal.outcomes.side_effects import SymptomTally, regimen_label
from portal.outcomes.statistics import PairedSummary

# Weeks since the previous course, in bands: 4- and 6-weekly courses fall in different ones.
INTERVAL_BANDS = ((0, 4), (4, 6), (6, 8), (8, 10), (10, None))


def _interval_band(days: int | None) -> tuple[tuple, str, str]:
    if days is None:
        return (-1,), "first", "First course"
    weeks = days / 7
    for low, high in INTERVAL_BANDS:
        if high is None:
            return (low,), f"w{low}-", f"{low} weeks or more"
        if weeks < high:
            label = f"Under {high} weeks" if low == 0 else f"{low} to under {high} weeks"
            return (low,), f"w{low}-{high}", label
    raise AssertionError("the last band is open")


def _regimen(o: CourseOutcome) -> tuple[tuple, str, str]:
    dose, days = round(o.course.total_dose_g_per_kg, 2), o.course.days
    return (dose, days), f"{dose:g}g{days}d", regimen_label(dose, days)


def _daily_dose(o: CourseOutcome) -> tuple[tuple, str, str]:
    mg = daily_dose_mg_per_kg(o.course.total_dose_g_per_kg, o.course.days)
    return (mg,), f"{mg:g}mg", f"{mg:g} mg/kg/day"


def _days(o: CourseOutcome) -> tuple[tuple, str, str]:
    days = o.course.days
    return (days,), f"{days}d", f"Over {days} day{'s' if days != 1 else ''}"


def _total_dose(o: CourseOutcome) -> tuple[tuple, str, str]:
    dose = round(o.course.total_dose_g_per_kg, 2)
    return (dose,), f"{dose:g}g", f"{dose:g} g/kg in all"


def _interval(o: CourseOutcome) -> tuple[tuple, str, str]:
    return _interval_band(o.interval_days)


DIMENSIONS: dict[str, tuple[str, Callable[[CourseOutcome], tuple[tuple, str, str]]]] = {
    "regimen": ("Total dose and days", _regimen),
    "daily_dose": ("Dose per day", _daily_dose),
    "days": ("Number of days", _days),
    "total_dose": ("Total dose", _total_dose),
    "interval": ("Weeks since the previous course", _interval),
}


@dataclass
class RegimenGroup:
    key: str  # short and URL-safe: "2g5d", "400mg", "w4-6"
    label: str
    order: tuple
    outcomes: list[CourseOutcome] = field(default_factory=list)
    effects: SymptomTally = field(default_factory=SymptomTally)

    @property
    def courses(self) -> int:
        return len(self.outcomes)

    @property
    def changes(self) -> list[float]:
        return [o.change for o in self.outcomes if o.change is not None]

    @property
    def response(self) -> PairedSummary:
        return statistics.summarise_changes(self.changes)


def regimen_groups(outcomes: Sequence[CourseOutcome], dimension: str) -> list[RegimenGroup]:
    """The courses grouped along one dimension, in its natural order."""
    _, describe = DIMENSIONS[dimension]
    groups: dict[str, RegimenGroup] = {}
    for outcome in outcomes:
        order, key, label = describe(outcome)
        group = groups.setdefault(key, RegimenGroup(key, label, order))
        group.outcomes.append(outcome)
        group.effects.add(outcome.diary)
    for group in groups.values():
        group.effects.finish()
    return sorted(groups.values(), key=lambda g: g.order)


@dataclass(frozen=True)
class SymptomComparison:
    outcome: str  # a key of OUTCOME_LABELS
    label: str
    test: FisherResult


@dataclass(frozen=True)
class RegimenComparison:
    a: RegimenGroup
    b: RegimenGroup
    symptoms: list[SymptomComparison]
    change: RankSumResult


def default_pair(groups: Sequence[RegimenGroup]) -> tuple[str, str] | None:
    """The two groups with the most courses, in their natural order."""
    if len(groups) < 2:
        return None
    top = sorted(groups, key=lambda g: (-g.courses, g.order))[:2]
    first, second = sorted(top, key=lambda g: g.order)
    return first.key, second.key


def compare(a: RegimenGroup, b: RegimenGroup) -> RegimenComparison:
    """Fisher's exact test per side effect and Mann–Whitney of the changes, A against B."""
    a_outcomes, b_outcomes = a.effects.outcomes(), b.effects.outcomes()
    symptoms = [
        SymptomComparison(
            name,
            OUTCOME_LABELS[name],
            fisher_exact(
                a_outcomes[name].count,
                a.effects.courses_with_diary,
                b_outcomes[name].count,
                b.effects.courses_with_diary,
            ),
        )
        for name in OUTCOME_LABELS
    ]
    return RegimenComparison(a, b, symptoms, mann_whitney(a.changes, b.changes))
