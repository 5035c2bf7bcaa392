"""The cohort report's counts as cells, for the readers who may only see aggregates.

Administrators read the cohort report of any clinic, but only as aggregates with
small numbers suppressed (outcomes.disclosure). Every count the report shows is a
cell here, keyed by a tuple. The complement of each health count (courses that did
not improve, courses with a diary but no headache, patients whose dose was not
lowered) is protected too (a Complement), so it cannot be had by subtraction.
Whether a family wrote in the diary, or a dose was recorded, is no health fact and
its complement is not protected. A figure made from a suppressed count (a share, a
mean) is not shown. Clinicians read their own clinic's report whole: open_cells().
"""

from __future__ import annotations

from portal.assessments import measures
from portal.outcomes.course_response import CohortReport
from portal.outcomes.disclosure import Complement, Protected, Relation, protect
from portal.outcomes.side_effects import SymptomTally

Cells = dict[tuple, int]


class CellTable:
    """Cells, their sums and which of them are hidden, built up section by section."""

    def __init__(self) -> None:
        self.values: Cells = {}
        self.relations: list[Relation] = []
        self.complements: list[Complement] = []

    def count(self, key: tuple, value: int) -> None:
        self.values[key] = value

    def split(self, total: tuple, part: tuple, value: int) -> None:
        """`part` of `total` is `value`; the rest is never shown, and protected."""
        self.values[part] = value
        self.complements.append(Complement(total, part))


def _measures(table: CellTable, report: CohortReport) -> None:
    for measure in measures.REPORTED:
        summary = report.measures[measure.name]
        base = ("measure", measure.name)
        table.count((*base, "courses"), summary.courses)
        table.split((*base, "courses"), (*base, "improved"), summary.improved)


def _subjective_and_agreement(table: CellTable, report: CohortReport) -> None:
    table.count(("subjective", "courses"), report.subjective.courses)
    table.split(("subjective", "courses"), ("subjective", "improved"), report.subjective.improved)
    a = report.agreement
    parts = {"both": a.both_improved, "neither": a.neither_improved, "disagree": a.disagree}
    table.count(("agreement", "courses"), a.courses)
    for name, value in parts.items():
        table.count(("agreement", name), value)
    table.relations.append(
        Relation(("agreement", "courses"), tuple(("agreement", n) for n in parts))
    )


def effects_cells(table: CellTable, base: tuple, tally: SymptomTally) -> None:
    """A tally's courses, courses with a diary and each outcome, with their complements."""
    table.count((*base, "courses"), tally.courses)
    # Whether the family wrote is no health fact: its complement is not protected.
    table.count((*base, "with_diary"), tally.courses_with_diary)
    for name, share in tally.outcomes().items():
        table.split((*base, "with_diary"), (*base, name), share.count)


def _steroids(table: CellTable, report: CohortReport) -> None:
    for point in report.steroid_summary:
        base = ("steroid", point.months)
        table.count((*base, "due"), point.due)
        table.count((*base, "patients"), point.patients)
        table.split((*base, "patients"), (*base, "lower"), point.lower)
        table.split((*base, "patients"), (*base, "stopped"), point.stopped)


def cohort_cells(report: CohortReport) -> CellTable:
    """Every count of the cohort report, its complements and the sums between them."""
    table = CellTable()
    table.count(("patients",), report.patients)
    _measures(table, report)
    _subjective_and_agreement(table, report)
    for group in report.side_effects:
        effects_cells(table, ("effects", group.regimen), group)
    _steroids(table, report)
    return table


def protect_cohort(report: CohortReport) -> Protected:
    """The report's counts with every count under 5, and what would reveal one, suppressed."""
    table = cohort_cells(report)
    return protect(table.values, table.relations, complements=table.complements)


def open_cells(report: CohortReport) -> Protected:
    """The report's counts, all shown (a clinician reading their own clinic)."""
    table = cohort_cells(report)
    return Protected(table.values, frozenset(), frozenset())
