"""One import for the page and the command line: plan every row, then write in one go."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from portal.core.extensions import db
from portal.imports import assessments, courses, patients
from portal.imports.base import ImportCollision, ImportReport, ImportScope, Plan, RowProblem
from portal.imports.rows import FileProblem, Row, read_rows

__all__ = ["KINDS", "ImportReport", "ImportScope", "RowProblem", "import_csv"]

CHANGED_MEANWHILE = (
    "the clinic's records changed while the file was being checked. Import it again."
)


@dataclass(frozen=True)
class Kind:
    columns: tuple[str, ...]
    plan: Callable[[Sequence[Row], ImportScope], Plan]
    write: Callable[[Plan, ImportScope], int]


KINDS: dict[str, Kind] = {
    "patients": Kind(patients.COLUMNS, patients.plan, patients.write),
    "courses": Kind(courses.COLUMNS, courses.plan, courses.write),
    "assessments": Kind(assessments.COLUMNS, assessments.plan, assessments.write),
}


def import_csv(kind: str, data: bytes, scope: ImportScope) -> ImportReport:
    """Import one CSV file: written (flushed, not committed) only when every row is good.

    Checking reads the clinic's records once and writes nothing; the writing is a few
    multi-row INSERTs at the end. Should another change meanwhile collide with a new
    row (the same reference enrolled at the same moment), everything is rolled back
    and the file is refused whole.
    """
    spec = KINDS[kind]
    try:
        rows = read_rows(data, spec.columns)
    except FileProblem as problem:
        return ImportReport(kind, rows=0, file_problem=problem.message)
    plan = spec.plan(rows, scope)
    if plan.problems:
        return ImportReport(kind, rows=len(rows), problems=tuple(plan.problems))
    try:
        added = spec.write(plan, scope)
        db.session.flush()
    except (IntegrityError, ImportCollision):
        db.session.rollback()
        return ImportReport(kind, rows=len(rows), file_problem=CHANGED_MEANWHILE)
    return ImportReport(kind, rows=len(rows), added=added, unchanged=plan.unchanged)
