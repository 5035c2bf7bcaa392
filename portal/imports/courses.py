"""Importing courses: patient_ref,start_date,days,total_dose_g_per_kg,product,lots,status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.imports.base import (
    ImportScope,
    PatientRefs,
    Plan,
    bulk_create,
    bulk_insert,
    rows_of_patients,
    same_number,
)
from portal.imports.rows import CellReader, Row, choice_spellings
from portal.infusions.courses import CourseData, course_values
from portal.infusions.models import MAX_COURSE_DAYS, CourseLot, CourseStatus, InfusionCourse
from portal.patients.models import Patient

COLUMNS = ("patient_ref", "start_date", "days", "total_dose_g_per_kg", "product", "lots", "status")
# The identifying columns every file must have; any other may be left out.
REQUIRED = ("patient_ref", "start_date")
# How clinic spreadsheets write a course's status besides the portal's own words.
STATUS_SPELLINGS = choice_spellings(
    {
        CourseStatus.PLANNED.value: ("p", "plan", "booked", "scheduled"),
        CourseStatus.GIVEN.value: ("g", "done", "complete", "completed", "administered"),
        CourseStatus.CANCELLED.value: ("c", "canceled", "cancel", "not given"),
    }
)
FUTURE_YEARS = 2


@dataclass(frozen=True)
class _Span:
    start: date
    end: date
    line: int | None  # None: already recorded


def _lots(reader: CellReader) -> tuple[str, ...]:
    lots: list[str] = []
    for part in reader.text("lots", max_length=1000).split(";"):
        lot = part.strip()
        if len(lot) > 40:
            reader.fail("lots", f"lot “{lot[:12]}…” is longer than 40 characters")
        elif lot and lot not in lots:
            lots.append(lot)
    return tuple(lots)


def _read(row: Row, scope: ImportScope, patients: PatientRefs):
    reader = CellReader(row)
    ref = reader.patient_ref()
    patient = patients.found.get(ref) if ref else None
    if ref and (problem := patients.reason(ref, scope)):
        reader.reasons.append(problem)
        patient = None
    start = reader.day("start_date", required=True)
    days = reader.number("days", 1, MAX_COURSE_DAYS, whole=True, required=True)
    dose = reader.number("total_dose_g_per_kg", 0.1, 3, required=True)
    product = reader.text("product", max_length=80)
    lots = _lots(reader)
    status = reader.choice("status", STATUS_SPELLINGS)
    if start and patient and start < patient.date_of_birth:
        reader.fail("start_date", "is before the date of birth")
    if start and start > scope.today + timedelta(days=365 * FUTURE_YEARS):
        reader.fail("start_date", f"is more than {FUTURE_YEARS} years ahead")
    if start and status == CourseStatus.GIVEN and start > scope.today:
        reader.fail("status", "a course starting after today cannot be given yet")
    if reader.reasons:
        return reader.reasons, None
    data = CourseData(start, int(days), dose, product=product, lots=lots, status=status)
    return [], (patient, data)


def _differences(course: InfusionCourse, data: CourseData) -> list[str]:
    checks = {
        "days": course.days == data.days,
        "total_dose_g_per_kg": same_number(course.total_dose_g_per_kg, data.total_dose_g_per_kg),
        "product": course.product == data.product.strip(),
        "lots": course.lot_numbers == list(data.lots),
        "status": course.status == data.status,
    }
    return [column for column, same in checks.items() if not same]


def _overlap(spans: list[_Span], start: date, end: date) -> _Span | None:
    return next((s for s in spans if s.start <= end and start <= s.end), None)


class _Planner:
    def __init__(self, scope: ImportScope, patients: PatientRefs) -> None:
        self.scope = scope
        self.plan = Plan()
        query = select(InfusionCourse).options(selectinload(InfusionCourse.lots))
        courses = rows_of_patients(query, InfusionCourse.patient_id, patients.ids())
        self.existing = {(c.patient_id, c.start_date): c for c in courses}
        self.spans: dict[int, list[_Span]] = {}
        for course in self.existing.values():
            if course.status != CourseStatus.CANCELLED:
                span = _Span(course.start_date, course.end_date, None)
                self.spans.setdefault(course.patient_id, []).append(span)
        self.seen: dict[tuple[int, date], int] = {}

    def add(self, line: int, patient: Patient, data: CourseData) -> None:
        key = (patient.id, data.start_date)
        if key in self.seen:
            self.plan.reject(
                line,
                [f"start_date: a course on {data.start_date} is also on line {self.seen[key]}"],
            )
            return
        self.seen[key] = line
        course = self.existing.get(key)
        if course is not None:
            self._compare(line, course, data)
            return
        end = data.start_date + timedelta(days=data.days - 1)
        if data.status != CourseStatus.CANCELLED:
            other = _overlap(self.spans.get(patient.id, []), data.start_date, end)
            if other is not None:
                where = f"line {other.line}" if other.line else "an existing course"
                self.plan.reject(
                    line, [f"start_date: overlaps the course from {other.start} ({where})"]
                )
                return
            self.spans.setdefault(patient.id, []).append(_Span(data.start_date, end, line))
        self.plan.new.append((patient, data))

    def _compare(self, line: int, course: InfusionCourse, data: CourseData) -> None:
        differences = _differences(course, data)
        if differences:
            changed = ", ".join(differences)
            reason = (
                f"start_date: a course on {data.start_date} is recorded with a different {changed}"
            )
            self.plan.reject(line, [reason])
        else:
            self.plan.unchanged += 1


def write(plan: Plan, scope: ImportScope) -> int:
    """Add the plan's courses, then their lots, in a few multi-row INSERTs."""
    by_id = scope.by.id if scope.by else None
    rows = [
        {"patient_id": patient.id, "created_by_id": by_id, **course_values(data)}
        for patient, data in plan.new
    ]
    ids = bulk_create(InfusionCourse, rows)
    lots = [
        {"course_id": course_id, "lot_number": lot}
        for course_id, (_, data) in zip(ids, plan.new, strict=True)
        for lot in data.lots
    ]
    bulk_insert(CourseLot, lots)
    return len(ids)


def plan(rows: Sequence[Row], scope: ImportScope) -> Plan:
    """Check every row; add new courses, skip those recorded exactly as given."""
    patients = scope.patients(r.cells.get("patient_ref", "") for r in rows)
    planner = _Planner(scope, patients)
    for row in rows:
        reasons, parsed = _read(row, scope, patients)
        if parsed is None:
            planner.plan.reject(row.line, reasons)
        else:
            planner.add(row.line, *parsed)
    return planner.plan
