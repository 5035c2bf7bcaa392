"""The hub's report: several sites' summaries combined, small numbers suppressed.

Rules (docs/clinical-rules.md, "Several clinics together"):

* Only each site's newest summary counts.
* Pooled figures by regimen (total dose and days): courses, objectively assessed
  courses, how many improved, the mean and median change in mean myometry, courses
  with a diary and each side effect; and per site its courses, assessed and improved.
* Two regimens are compared with the van Elteren test: Wilcoxon rank sums of the
  change in mean myometry within each site, combined with weights 1/(n+1), so a
  difference between sites is never taken for a difference between regimens.
* Every count under 5 is suppressed, and so is any count from which one could be
  worked out — a site's count of one regimen, a complement (assessed but not
  improved), a pooled total less the other sites (outcomes.disclosure); a mean or
  a test is shown only when the counts it rests on are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import fmean, median

from portal.outcomes.comparisons import VanElterenResult, van_elteren
from portal.outcomes.course_outcomes import OUTCOME_LABELS
from portal.outcomes.disclosure import Complement, Protected, Relation, protect
from portal.outcomes.side_effects import regimen_label

ALL = "*"
SHOWN_PER_SITE = ("courses", "assessed", "improved")
# part → whole: the rest (assessed but not improved, reported without a headache) is protected.
WHOLES = {"improved": "assessed"} | dict.fromkeys(OUTCOME_LABELS, "with_diary")
FAMILIES = ("courses", "assessed", "improved", "with_diary", *OUTCOME_LABELS)


@dataclass(frozen=True)
class HubSite:
    code: str
    name: str
    fingerprint: str
    generated_on: date
    loaded_at: datetime
    lot_salt_id: str


@dataclass(frozen=True)
class HubCourse:
    site: str
    total_dose_g_per_kg: float
    days: int
    myometry_change: float | None
    diary_reported: bool
    side_effects: frozenset[str] = frozenset()

    @property
    def regimen(self) -> tuple[str, str, tuple]:
        dose = round(self.total_dose_g_per_kg, 2)
        return f"{dose:g}g{self.days}d", regimen_label(dose, self.days), (dose, self.days)


@dataclass
class HubGroup:
    key: str
    label: str
    order: tuple
    changes: list[float] = field(default_factory=list)

    @property
    def mean_change(self) -> float | None:
        return round(fmean(self.changes), 4) if self.changes else None

    @property
    def median_change(self) -> float | None:
        return round(median(self.changes), 4) if self.changes else None


@dataclass(frozen=True)
class HubComparison:
    a: HubGroup
    b: HubGroup
    test: VanElterenResult
    shown: bool  # False when a group's n is suppressed: then nothing of the test is shown


@dataclass(frozen=True)
class HubReport:
    sites: list[HubSite]
    groups: list[HubGroup]
    cells: Protected
    comparison: HubComparison | None
    salts_agree: bool

    def count(self, family: str, site: str = ALL, group: str = ALL) -> int | None:
        """A displayed count, or None where it is suppressed."""
        return self.cells.shown((family, site, group))

    def figures_shown(self, group: str = ALL) -> bool:
        """A mean, median or share of this group rests on counts that are shown."""
        return self.cells.is_shown(("assessed", ALL, group))


def _tally(courses: Sequence[HubCourse], sites: list[str], groups: list[str]) -> dict:
    values = {(f, s, g): 0 for f in FAMILIES for s in [*sites, ALL] for g in [*groups, ALL]}
    for course in courses:
        key = course.regimen[0]
        found = {"courses"}
        if course.myometry_change is not None:
            found.add("assessed")
            if course.myometry_change > 0:
                found.add("improved")
        if course.diary_reported:
            found.add("with_diary")
            found.update(n for n in OUTCOME_LABELS if n in course.side_effects)
        for name in found:
            for s in (course.site, ALL):
                for g in (key, ALL):
                    values[(name, s, g)] += 1
    return values


def _relations(sites: list[str], groups: list[str]) -> list[Relation]:
    relations = []
    if not sites or not groups:
        return relations  # nothing loaded yet: every count is 0 and none is shown
    for f in FAMILIES:
        for s in [*sites, ALL]:
            relations.append(Relation((f, s, ALL), tuple((f, s, g) for g in groups)))
        for g in [*groups, ALL]:
            relations.append(Relation((f, ALL, g), tuple((f, s, g) for s in sites)))
    return relations


def _complements(sites: list[str], groups: list[str]) -> list[Complement]:
    return [
        Complement((whole, s, g), (part, s, g))
        for part, whole in WHOLES.items()
        for s in [*sites, ALL]
        for g in [*groups, ALL]
    ]


def _displayed(key: tuple) -> bool:
    family, site, group = key
    if site == ALL:
        return True
    return group == ALL and family in SHOWN_PER_SITE


@dataclass(frozen=True)
class HubCells:
    """The hub's counts: every cell, the sums between them, complements, what is never shown."""

    values: dict
    relations: list[Relation]
    complements: list[Complement]
    hidden: list[tuple]


def hub_cells(courses: Sequence[HubCourse], sites: list[str], groups: list[str]) -> HubCells:
    """Every count of the hub's tables by family, site and regimen, with their margins."""
    values = _tally(courses, sites, groups)
    return HubCells(
        values=values,
        relations=_relations(sites, groups),
        complements=_complements(sites, groups),
        hidden=[key for key in values if not _displayed(key)],
    )


def protect_hub(courses: Sequence[HubCourse], sites: list[str], groups: list[str]) -> Protected:
    """The hub's counts, with every one under 5 (and what would reveal one) suppressed."""
    cells = hub_cells(courses, sites, groups)
    return protect(
        cells.values, cells.relations, hidden=cells.hidden, complements=cells.complements
    )


def hub_groups(courses: Sequence[HubCourse]) -> list[HubGroup]:
    """The regimens (total dose and days) of these courses, lowest dose and fewest days first."""
    found: dict[str, HubGroup] = {}
    for course in courses:
        key, label, order = course.regimen
        group = found.setdefault(key, HubGroup(key, label, order))
        if course.myometry_change is not None:
            group.changes.append(course.myometry_change)
    return sorted(found.values(), key=lambda g: g.order)


def _compare(
    courses: Sequence[HubCourse], sites: list[str], a: HubGroup, b: HubGroup, cells: Protected
) -> HubComparison:
    def changes(site: str, key: str) -> list[float]:
        return [
            c.myometry_change
            for c in courses
            if c.site == site and c.regimen[0] == key and c.myometry_change is not None
        ]

    test = van_elteren([(changes(s, a.key), changes(s, b.key)) for s in sites])
    shown = cells.all_shown(("assessed", ALL, a.key), ("assessed", ALL, b.key))
    return HubComparison(a, b, test, shown)


def default_pair(groups: Sequence[HubGroup]) -> tuple[str, str] | None:
    """The two regimens with the most assessed courses."""
    if len(groups) < 2:
        return None
    top = sorted(groups, key=lambda g: (-len(g.changes), g.order))[:2]
    first, second = sorted(top, key=lambda g: g.order)
    return first.key, second.key


def hub_report(
    sites: Sequence[HubSite], courses: Sequence[HubCourse], pair: tuple[str, str] | None = None
) -> HubReport:
    """The combined report; `pair` names the two regimens to compare (default: the largest)."""
    codes = [s.code for s in sites]
    groups = hub_groups(courses)
    cells = protect_hub(courses, codes, [g.key for g in groups])
    keyed = {g.key: g for g in groups}
    if pair is None or pair[0] not in keyed or pair[1] not in keyed or pair[0] == pair[1]:
        pair = default_pair(groups)
    comparison = _compare(courses, codes, keyed[pair[0]], keyed[pair[1]], cells) if pair else None
    salts = {s.lot_salt_id for s in sites}
    return HubReport(list(sites), groups, cells, comparison, len(salts) <= 1)
