"""The clinic dashboard: triage list, unreviewed home reports, and every patient at a glance.

Each part is one aggregate query over the patients a clinician may see, so the number of
queries stays the same however many patients and entries there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, func, or_, select

from portal.assessments.measures import MEAN_MYOMETRY
from portal.assessments.models import Assessment
from portal.assessments.records import MYOMETRY_COLUMNS, has_myometry, mean_of_readings
from portal.core.extensions import db
from portal.diary.alerts import clinic_note, reason_label
from portal.diary.models import Alert, DiaryEntry
from portal.infusions.models import CourseStatus, InfusionCourse
from portal.infusions.placement import Placement, place
from portal.patients.models import Patient
from portal.review.patient_list import PER_PAGE, PatientPage, page_of


@dataclass(frozen=True)
class TriageItem:
    """An alert no clinician has acknowledged yet."""

    alert: Alert
    patient: Patient
    entry_date: date
    reasons: list[str]
    notes: list[str]


@dataclass(frozen=True)
class UnreviewedPatient:
    patient: Patient
    count: int
    oldest: date
    newest: date


@dataclass(frozen=True)
class PatientRow:
    patient: Patient
    last_entry: date | None
    today: Placement | None  # None when the patient has no course that counts
    latest_mean_myometry: float | None

    @property
    def next_course(self) -> date | None:
        """Start of the next course after today, as the family's calendar names it."""
        return self.today.next_course.start_date if self.today and self.today.next_course else None


@dataclass(frozen=True)
class Dashboard:
    triage: list[TriageItem]
    unreviewed: list[UnreviewedPatient]  # the longest waiting, at most UNREVIEWED_SHOWN
    unreviewed_total: int  # patients with reports waiting, shown or not
    patients: list[PatientRow]  # this page of the patient list
    listing: PatientPage


def search(query: Select[tuple[Patient]], term: str) -> Select[tuple[Patient]]:
    """Narrow a patient query to names or references containing the term."""
    term = term.strip().lower()
    if not term:
        return query
    like = f"%{term}%"
    return query.where(
        or_(func.lower(Patient.name).like(like), func.lower(Patient.patient_ref).like(like))
    )


def _ids(patients: Select[tuple[Patient]]):
    return patients.with_only_columns(Patient.id).order_by(None)


def triage_list(patients: Select[tuple[Patient]]) -> list[TriageItem]:
    """Unacknowledged alerts of these patients: most urgent first, then the oldest first."""
    query = (
        select(Alert, Patient, DiaryEntry)
        .join(Patient, Alert.patient_id == Patient.id)
        .join(DiaryEntry, Alert.entry_id == DiaryEntry.id)
        .where(Alert.acknowledged_at.is_(None), Alert.patient_id.in_(_ids(patients)))
        .order_by(Alert.urgency.desc(), Alert.created_at, Alert.id)
    )
    return [
        TriageItem(
            alert,
            patient,
            entry.entry_date,
            [reason_label(r, entry) for r in alert.reasons],
            _notes(alert.reasons),
        )
        for alert, patient, entry in db.session.execute(query)
    ]


def _notes(reasons: list[str]) -> list[str]:
    return list(dict.fromkeys(note for note in map(clinic_note, reasons) if note))


UNREVIEWED_SHOWN = 20


def unreviewed_patients(
    patients: Select[tuple[Patient]], limit: int = UNREVIEWED_SHOWN
) -> tuple[list[UnreviewedPatient], int]:
    """Patients with unreviewed entries, longest waiting first (at most `limit`), and how many
    patients wait in all."""
    grouped = (
        select(
            DiaryEntry.patient_id.label("patient_id"),
            func.count(DiaryEntry.id).label("count"),
            func.min(DiaryEntry.entry_date).label("oldest"),
            func.max(DiaryEntry.entry_date).label("newest"),
        )
        .where(
            DiaryEntry.reviewed_at.is_(None),
            DiaryEntry.deleted_at.is_(None),
            DiaryEntry.patient_id.in_(_ids(patients)),
        )
        .group_by(DiaryEntry.patient_id)
        .subquery()
    )
    total = db.session.scalar(select(func.count()).select_from(grouped))
    query = (
        select(Patient, grouped.c.count, grouped.c.oldest, grouped.c.newest)
        .join(grouped, grouped.c.patient_id == Patient.id)
        .order_by(grouped.c.oldest, Patient.name, Patient.id)
        .limit(limit)
    )
    rows = [UnreviewedPatient(*row) for row in db.session.execute(query)]
    return rows, total


def last_entry_dates(patients: Select[tuple[Patient]]) -> dict[int, date]:
    """Patient id → date of the newest diary entry not deleted."""
    # A correlated max() is one index seek per patient (patient, deleted_at, date index),
    # where a GROUP BY would read every entry of the clinic.
    newest = (
        select(func.max(DiaryEntry.entry_date))
        .where(DiaryEntry.patient_id == Patient.id, DiaryEntry.deleted_at.is_(None))
        .correlate(Patient)
        .scalar_subquery()
    )
    query = patients.with_only_columns(Patient.id, newest).order_by(None)
    return {pid: day for pid, day in db.session.execute(query) if day is not None}


def todays_placements(patients: Select[tuple[Patient]], day: date) -> dict[int, Placement]:
    """Patient id → where `day` sits on that patient's infusion calendar.

    One query reads the courses of every listed patient; the placement rule is the one
    every other page uses (portal.infusions.placement).
    """
    query = (
        select(InfusionCourse)
        .where(
            InfusionCourse.patient_id.in_(_ids(patients)),
            InfusionCourse.status != CourseStatus.CANCELLED.value,
        )
        .order_by(InfusionCourse.patient_id, InfusionCourse.start_date)
    )
    by_patient: dict[int, list[InfusionCourse]] = defaultdict(list)
    for course in db.session.scalars(query):
        by_patient[course.patient_id].append(course)
    return {pid: place(day, courses) for pid, courses in by_patient.items()}


def latest_mean_myometry(patients: Select[tuple[Patient]]) -> dict[int, float]:
    """Patient id → mean myometry score of the latest assessment with a myometry reading."""
    # One grouped query finds each patient's latest day, one join reads that day's readings
    # (unique per patient and day); assessments without myometry (say CK only) are skipped.
    latest = (
        select(Assessment.patient_id, func.max(Assessment.assessed_on).label("day"))
        .where(Assessment.patient_id.in_(_ids(patients)), has_myometry())
        .group_by(Assessment.patient_id)
        .subquery()
    )
    query = select(Assessment.patient_id, *MYOMETRY_COLUMNS).join(
        latest,
        and_(Assessment.patient_id == latest.c.patient_id, Assessment.assessed_on == latest.c.day),
    )
    result = {}
    for patient_id, *readings in db.session.execute(query).tuples():
        mean = mean_of_readings(tuple(readings))
        if mean is not None:
            result[patient_id] = round(mean, MEAN_MYOMETRY.places)
    return result


def build_dashboard(
    visible: Select[tuple[Patient]],
    patients: Select[tuple[Patient]],
    day: date,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Dashboard:
    """The dashboard: triage over every visible patient, the rest over `patients` (searched
    and filtered), whose list is one page of at most `per_page`.

    The triage list ignores the search and filters so that no alert is hidden by them.
    """
    listed = page_of(patients, page, per_page)
    on_page = select(Patient).where(Patient.id.in_([p.id for p in listed.patients]))
    unreviewed, waiting = unreviewed_patients(patients)
    last_entries = last_entry_dates(on_page)
    placements = todays_placements(on_page, day)
    myometry = latest_mean_myometry(on_page)
    table = [
        PatientRow(
            patient=p,
            last_entry=last_entries.get(p.id),
            today=placements.get(p.id),
            latest_mean_myometry=myometry.get(p.id),
        )
        for p in listed.patients
    ]
    return Dashboard(triage_list(visible), unreviewed, waiting, table, listed)
