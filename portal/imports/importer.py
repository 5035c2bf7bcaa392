"""One import for the page and the command line: plan every row, then write in one go."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from portal.core.extensions import db
from portal.imports import assessments, courses, patients
from portal.imports.base import ImportCollision, ImportReport, ImportScope, Plan, RowProblem
from portal.imports.rows import FileProblem, Row, read_rows
from portal.imports.workbook import is_workbook, read_workbook

__all__ = ["KINDS", "ImportReport", "ImportScope", "RowProblem", "import_csv", "import_file"]

# The page's limit, held by the command line too.
MAX_FILE_BYTES = 5 * 1024 * 1024
CHANGED_MEANWHILE = (
    "the clinic's records changed while the file was being checked. Import it again."
)


@dataclass(frozen=True)
class Kind:
    columns: tuple[str, ...]
    plan: Callable[[Sequence[Row], ImportScope], Plan]
    write: Callable[[Plan, ImportScope], int]
    # The columns every file must have; the others may be left out. None: all of them.
    required: tuple[str, ...] | None = None


KINDS: dict[str, Kind] = {
    "patients": Kind(patients.COLUMNS, patients.plan, patients.write, patients.REQUIRED),
    "courses": Kind(courses.COLUMNS, courses.plan, courses.write, courses.REQUIRED),
    "assessments": Kind(
        assessments.COLUMNS, assessments.plan, assessments.write, assessments.REQUIRED
    ),
}


def import_csv(kind: str, data: bytes, scope: ImportScope) -> ImportReport:
    """Import one CSV file (see import_file)."""
    return import_file(kind, data, scope, "file.csv")


def import_file(kind: str, data: bytes, scope: ImportScope, filename: str = "") -> ImportReport:
    """Import one CSV file or .xlsx workbook: written (flushed, not committed) only when
    every row is good.

    Checking reads the clinic's records once and writes nothing; the writing is a few
    multi-row INSERTs at the end. Should another change meanwhile collide with a new
    row (the same reference enrolled at the same moment), everything is rolled back
    and the file is refused whole.
    """
    spec = KINDS[kind]
    sheet = ""
    try:
        if len(data) > MAX_FILE_BYTES:
            raise FileProblem(
                f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it."
            )
        if is_workbook(data, filename):
            sheet, rows = read_workbook(data, spec.columns, spec.required)
        else:
            rows = read_rows(data, spec.columns, spec.required)
    except FileProblem as problem:
        return ImportReport(kind, rows=0, file_problem=problem.message)
    plan = spec.plan(rows, scope)
    if plan.problems:
        return ImportReport(kind, rows=len(rows), problems=tuple(plan.problems), sheet=sheet)
    try:
        added = spec.write(plan, scope)
        db.session.flush()
    except (IntegrityError, ImportCollision):
        db.session.rollback()
        return ImportReport(kind, rows=len(rows), file_problem=CHANGED_MEANWHILE, sheet=sheet)
    return ImportReport(kind, rows=len(rows), added=added, unchanged=plan.unchanged, sheet=sheet)
