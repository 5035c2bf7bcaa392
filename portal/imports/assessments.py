"""Importing assessments: patient_ref, date and one column per recorded measure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from portal.assessments import measures
from portal.assessments.models import Assessment
from portal.assessments.records import AssessmentData, assessment_values
from portal.imports.base import (
    ImportScope,
    PatientRefs,
    Plan,
    bulk_create,
    rows_of_patients,
    same_number,
)
from portal.imports.rows import CellReader, Row

COLUMNS = ("patient_ref", "date", *(m.name for m in measures.RECORDED))
# The identifying columns every file must have; any other may be left out.
REQUIRED = ("patient_ref", "date")


def _values(reader: CellReader) -> dict[str, float | None]:
    return {
        m.name: reader.number(m.name, m.minimum, m.maximum, whole=m.whole)
        for m in measures.RECORDED
    }


def _read(row: Row, scope: ImportScope, patients: PatientRefs):
    reader = CellReader(row)
    ref = reader.patient_ref()
    patient = patients.found.get(ref) if ref else None
    if ref and (problem := patients.reason(ref, scope)):
        reader.reasons.append(problem)
        patient = None
    day = reader.day("date", required=True)
    values = _values(reader)
    if day and day > scope.today:
        reader.fail("date", "is in the future")
    if day and patient and day < patient.date_of_birth:
        reader.fail("date", "is before the date of birth")
    if not reader.reasons and all(v is None for v in values.values()):
        reader.reasons.append("the row has no measurements")
    if reader.reasons:
        return reader.reasons, None
    return [], (patient, AssessmentData(assessed_on=day, values=values))


def _differences(assessment: Assessment, data: AssessmentData) -> list[str]:
    return [
        m.name
        for m in measures.RECORDED
        if not same_number(getattr(assessment, m.name), data.values.get(m.name))
    ]


def plan(rows: Sequence[Row], scope: ImportScope) -> Plan:
    """Check every row; add new assessments, skip those recorded with the same values."""
    result = Plan()
    patients = scope.patients(r.cells.get("patient_ref", "") for r in rows)
    recorded = rows_of_patients(select(Assessment), Assessment.patient_id, patients.ids())
    existing = {(a.patient_id, a.assessed_on): a for a in recorded}
    seen: dict[tuple[int, date], int] = {}
    for row in rows:
        reasons, parsed = _read(row, scope, patients)
        if parsed is None:
            result.reject(row.line, reasons)
            continue
        patient, data = parsed
        key = (patient.id, data.assessed_on)
        if key in seen:
            result.reject(
                row.line,
                [f"date: {patient.patient_ref} on {data.assessed_on} is also on line {seen[key]}"],
            )
            continue
        seen[key] = row.line
        if key not in existing:
            result.new.append({"patient_id": patient.id, **assessment_values(data)})
        elif differences := _differences(existing[key], data):
            changed = ", ".join(differences)
            reason = (
                f"date: an assessment on {data.assessed_on} is recorded with a different {changed}"
            )
            result.reject(row.line, [reason])
        else:
            result.unchanged += 1
    return result


def write(plan: Plan, scope: ImportScope) -> int:
    """Add the plan's assessments in a few multi-row INSERTs."""
    by_id = scope.by.id if scope.by else None
    rows = [{**row, "recorded_by_id": by_id} for row in plan.new]
    return len(bulk_create(Assessment, rows))
