"""Importing patients: patient_ref,name,date_of_birth,sex,onset_date,clinic,weight_kg."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from portal.clinic.models import Clinic
from portal.core.extensions import db
from portal.imports.base import ImportScope, Plan, bulk_create, same_number
from portal.imports.rows import CellReader, Row, choice_spellings
from portal.patients.models import Patient
from portal.patients.records import PatientData, patient_values

COLUMNS = ("patient_ref", "name", "date_of_birth", "sex", "onset_date", "clinic", "weight_kg")
# The identifying columns every file must have; any other may be left out.
REQUIRED = ("patient_ref", "name", "date_of_birth")
MAX_AGE_DAYS = 365 * 25
# How clinic spreadsheets write sex besides the portal's own words (case does not matter).
SEX_SPELLINGS = choice_spellings(
    {
        "female": ("f",),
        "male": ("m",),
        "other": ("o", "x", "u", "unknown", "not stated", "other or not stated"),
    }
)


def _clinic(reader: CellReader, scope: ImportScope, clinics: dict[str, Clinic]) -> Clinic | None:
    name = reader.text("clinic", required=scope.clinic is None)
    if scope.clinic is not None:
        if name and name.lower() != scope.clinic.name.lower():
            reader.fail("clinic", f"“{name[:40]}” is not your clinic ({scope.clinic.name})")
        return scope.clinic
    clinic = clinics.get(name.lower()) if name else None
    if name and clinic is None:
        reader.fail("clinic", f"no clinic named “{name[:40]}”")
    return clinic


def _dates(reader: CellReader, scope: ImportScope):
    born = reader.day("date_of_birth", required=True)
    onset = reader.day("onset_date")
    if born and born > scope.today:
        reader.fail("date_of_birth", "is in the future")
    elif born and (scope.today - born).days > MAX_AGE_DAYS:
        reader.fail("date_of_birth", "is more than 25 years ago; check the year")
    if onset and onset > scope.today:
        reader.fail("onset_date", "is in the future")
    elif onset and born and onset < born:
        reader.fail("onset_date", "is before the date of birth")
    return born, onset


def _read(row: Row, scope: ImportScope, clinics: dict[str, Clinic]):
    reader = CellReader(row)
    ref = reader.patient_ref()
    name = reader.text("name", required=True)
    born, onset = _dates(reader, scope)
    sex = reader.choice("sex", SEX_SPELLINGS)
    clinic = _clinic(reader, scope, clinics)
    weight = reader.number("weight_kg", 1, 200)
    if reader.reasons:
        return reader.reasons, None
    data = PatientData(ref, name, born, sex, onset_date=onset, weight_kg=weight)
    return [], (clinic, data)


def _differences(patient: Patient, clinic: Clinic, data: PatientData) -> list[str]:
    checks = {
        "name": patient.name == data.name.strip(),
        "date_of_birth": patient.date_of_birth == data.date_of_birth,
        "sex": patient.sex == data.sex,
        "onset_date": patient.onset_date == data.onset_date,
        "clinic": patient.clinic_id == clinic.id,
        "weight_kg": same_number(patient.weight_kg, data.weight_kg),
    }
    return [column for column, same in checks.items() if not same]


def _existing(scope: ImportScope, refs: set[str]) -> dict[tuple[int, str], Patient]:
    """(clinic id, reference) → patient for the file's references: one query."""
    query = select(Patient)
    if scope.clinic is not None:
        query = query.where(Patient.clinic_id == scope.clinic.id)
    return {
        (p.clinic_id, p.patient_ref.upper()): p
        for p in db.session.scalars(query)
        if p.patient_ref.upper() in refs
    }


def plan(rows: Sequence[Row], scope: ImportScope) -> Plan:
    """Check every row; enrol the new patients, skip those already enrolled as given.

    A reference is unique within its clinic: another clinic's patient with the same
    reference is never looked at, so a clinician's import says nothing about it.
    """
    result = Plan()
    clinics = {c.name.lower(): c for c in db.session.scalars(select(Clinic))}
    existing = _existing(scope, {r.cells.get("patient_ref", "").upper() for r in rows})
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        reasons, parsed = _read(row, scope, clinics)
        if parsed is None:
            result.reject(row.line, reasons)
            continue
        clinic, data = parsed
        key = (clinic.id, data.patient_ref)
        if key in seen:
            result.reject(
                row.line, [f"patient_ref: {data.patient_ref} is also on line {seen[key]}"]
            )
            continue
        seen[key] = row.line
        patient = existing.get(key)
        if patient is None:
            result.new.append({"clinic_id": clinic.id, **patient_values(data)})
        elif differences := _differences(patient, clinic, data):
            changed = ", ".join(differences)
            result.reject(
                row.line,
                [f"patient_ref: {data.patient_ref} is already enrolled with a different {changed}"],
            )
        else:
            result.unchanged += 1
    return result


def write(plan: Plan, scope: ImportScope) -> int:
    """Enrol the plan's new patients in one statement batch; their audit rows beside them."""
    return len(bulk_create(Patient, plan.new))
