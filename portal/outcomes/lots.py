"""Response by product lot: was a batch of immunoglobulin followed by less improvement?

Rules (docs/clinical-rules.md, "Response by lot"):

* A lot is a product and a lot number (compared without case or surrounding spaces).
* A course that used several lots counts under each of them and is marked mixed:
  its response cannot be put down to one lot.
* For each lot: its courses, how many were objectively assessed, the mean and median
  change in mean myometry, how many improved, and the side effects the diary reported
  from the first infusion day to 7 days after the last.
* Lots are ranked by mean change only when at least MIN_RANKED courses of theirs were
  objectively assessed; the others are listed, unranked. It is description, not proof:
  lots go to different children at different times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import fmean, median

from portal.outcomes.course_outcomes import CourseOutcome
from portal.outcomes.side_effects import SymptomTally

MIN_RANKED = 3
NO_PRODUCT = "Product not recorded"
STATEMENT = (
    "This is a description, not proof: each lot was given to different children at "
    "different times, so a difference between lots may have other causes."
)


def _lot_key(product: str, lot_number: str) -> tuple[str, str]:
    return (product.strip().casefold(), lot_number.strip().casefold())


@dataclass
class LotCourse:
    """One course as a lot's row shows it."""

    outcome: CourseOutcome
    mixed: bool


@dataclass
class LotSummary:
    product: str
    lot_number: str
    courses: list[LotCourse] = field(default_factory=list)
    effects: SymptomTally = field(default_factory=SymptomTally)
    rank: int | None = None

    @property
    def course_count(self) -> int:
        return len(self.courses)

    @property
    def mixed(self) -> int:
        return sum(1 for c in self.courses if c.mixed)

    @property
    def changes(self) -> list[float]:
        return [c.outcome.change for c in self.courses if c.outcome.change is not None]

    @property
    def assessed(self) -> int:
        return len(self.changes)

    @property
    def improved(self) -> int:
        return sum(1 for c in self.courses if c.outcome.improved)

    @property
    def mean_change(self) -> float | None:
        return round(fmean(self.changes), 6) if self.changes else None

    @property
    def median_change(self) -> float | None:
        return round(median(self.changes), 6) if self.changes else None

    @property
    def rankable(self) -> bool:
        return self.assessed >= MIN_RANKED


@dataclass(frozen=True)
class LotReport:
    lots: list[LotSummary]  # ranked lots first (best mean change first), then the others
    courses: int
    without_lot: int  # given courses with no lot number recorded
    mixed_courses: int  # courses that used more than one lot


def _lots_of(outcome: CourseOutcome) -> list[tuple[str, str]]:
    product = outcome.course.product.strip() or NO_PRODUCT
    numbers = {_lot_key(product, n): n.strip() for n in outcome.course.lots if n.strip()}
    return [(product, number) for number in numbers.values()]


def _rank(lots: list[LotSummary]) -> list[LotSummary]:
    ranked = sorted(
        (lot for lot in lots if lot.rankable),
        key=lambda lot: (-(lot.mean_change or 0.0), lot.product, lot.lot_number),
    )
    for position, lot in enumerate(ranked, start=1):
        lot.rank = position
    others = sorted(
        (lot for lot in lots if not lot.rankable),
        key=lambda lot: (-lot.course_count, lot.product.casefold(), lot.lot_number.casefold()),
    )
    return ranked + others


def response_by_lot(outcomes: Sequence[CourseOutcome]) -> LotReport:
    """Each product lot with the courses that used it, their response and side effects."""
    found: dict[tuple[str, str], LotSummary] = {}
    without = mixed = 0
    for outcome in outcomes:
        lots = _lots_of(outcome)
        if not lots:
            without += 1
        mixed += len(lots) > 1
        for product, number in lots:
            lot = found.setdefault(_lot_key(product, number), LotSummary(product, number))
            lot.courses.append(LotCourse(outcome, mixed=len(lots) > 1))
            lot.effects.add(outcome.diary)
    for lot in found.values():
        lot.effects.finish()
        lot.courses.sort(key=lambda c: (c.outcome.course.start, c.outcome.course.id))
    return LotReport(_rank(list(found.values())), len(outcomes), without, mixed)
