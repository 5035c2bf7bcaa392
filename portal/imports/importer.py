"""Clinic spreadsheet imports: all or nothing, every bad row reported, safe to repeat.

A file is read whole and every row checked before anything is written. Any bad
row (unknown patient, bad date, value out of range, duplicate) rejects the
whole file. A row identical to what is already recorded is counted as
"already recorded" and skipped, so importing the same file twice adds nothing
the second time; a row that clashes with a record (same key, other values) is
a bad row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from portal.core.extensions import db
from portal.imports import assessments, courses, patients
from portal.imports.base import ImportReport, ImportScope, Plan, RowProblem
from portal.imports.rows import FileProblem, Row, read_rows

Planner = Callable[[Sequence[Row], ImportScope], Plan]

KINDS: dict[str, tuple[tuple[str, ...], Planner]] = {
    "patients": (patients.COLUMNS, patients.plan),
    "courses": (courses.COLUMNS, courses.plan),
    "assessments": (assessments.COLUMNS, assessments.plan),
}

__all__ = ["KINDS", "ImportReport", "ImportScope", "RowProblem", "import_csv"]


def import_csv(kind: str, data: bytes, scope: ImportScope) -> ImportReport:
    """Import one CSV file; writes (flushed, not committed) only when every row is good."""
    columns, planner = KINDS[kind]
    try:
        rows = read_rows(data, columns)
    except FileProblem as problem:
        return ImportReport(kind, rows=0, file_problem=problem.message)
    plan = planner(rows, scope)
    if plan.problems:
        return ImportReport(kind, rows=len(rows), problems=tuple(plan.problems))
    for action in plan.actions:
        action()
    db.session.flush()
    return ImportReport(kind, rows=len(rows), added=len(plan.actions), unchanged=plan.unchanged)
