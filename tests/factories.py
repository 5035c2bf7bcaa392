"""Factories for the objects tests need, built through the same domain functions as the pages.

Tests import the module as `make`: `make.patient(clinic, name="Ada")`, `make.course(patient)`.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, timedelta

import pyotp

from portal.assessments.measures import MYOMETRY
from portal.assessments.models import Assessment
from portal.assessments.records import AssessmentData, record_assessment
from portal.auth.accounts import create_user, get_or_create_clinic, link_patient
from portal.auth.models import Role, User
from portal.auth.second_factor import STEP_SECONDS
from portal.clinic.models import Clinic
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.diary.entries import save_entry
from portal.diary.models import Alert, DiaryEntry
from portal.infusions.courses import CourseData, record_course
from portal.infusions.models import InfusionCourse
from portal.medications.records import MedicationData, record_medication, record_weight
from portal.patients.enrolment import IssuedCode, issue_code
from portal.patients.models import Patient
from portal.patients.records import PatientData, enrol_patient

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def clinic(name: str | None = None, phone: str = "0161 496 0999") -> Clinic:
    made = get_or_create_clinic(name or f"Clinic {next(_seq)}")
    made.phone = phone
    db.session.commit()
    return made


_new_clinic = clinic  # for the factories below, whose `clinic` argument hides this one


def patient(clinic: Clinic | None = None, **fields) -> Patient:
    n = next(_seq)
    data = PatientData(
        patient_ref=fields.pop("patient_ref", f"REF{n:04d}"),
        name=fields.pop("name", f"Child Number{n}"),
        date_of_birth=fields.pop("date_of_birth", date(2016, 5, 1)),
        sex=fields.pop("sex", "female"),
        onset_date=fields.pop("onset_date", None),
        subtype=fields.pop("subtype", ""),
        weight_kg=fields.pop("weight_kg", 30.0),
    )
    assert not fields, f"unknown patient fields {fields}"
    patient = enrol_patient(clinic or _new_clinic(), data)
    db.session.commit()
    return patient


def user(
    role: Role | str,
    *,
    clinic: Clinic | None = None,
    patients: tuple[Patient, ...] | list[Patient] = (),
    email: str | None = None,
    password: str = PASSWORD,
    totp: bool | None = None,
) -> User:
    """An account; administrators get a second factor unless totp=False (as the portal demands)."""
    role = Role(role)
    n = next(_seq)
    login = email or (f"child{n}" if role is Role.CHILD else f"{role.value}{n}@example.test")
    if role is Role.CLINICIAN and clinic is None:
        clinic = _new_clinic()
    user = create_user(login, password, role, clinic=clinic, display_name=f"{role.value} {n}")
    for patient in patients:
        link_patient(user, patient)
    if totp if totp is not None else role is Role.ADMIN:
        user.totp_secret = pyotp.random_base32(32)
    db.session.commit()
    return user


def totp_code(user: User) -> str:
    """A code the user's authenticator app would show that the portal has not yet accepted."""
    totp = pyotp.TOTP(user.totp_secret)
    current = int(now_utc().timestamp()) // STEP_SECONDS
    for step in (current, current + 1, current - 1):
        if user.totp_last_step is None or step > user.totp_last_step:
            return totp.at(step * STEP_SECONDS)
    raise AssertionError("every code in the window was used; wait for the next step")


def course(
    patient: Patient,
    start: date | None = None,
    *,
    days: int = 5,
    dose: float = 2.0,
    status: str = "given",
    lots: tuple[str, ...] = ("LOT-1",),
    indication: str = "",
) -> InfusionCourse:
    course = record_course(
        patient,
        CourseData(
            start_date=start or today() - timedelta(days=10),
            days=days,
            total_dose_g_per_kg=dose,
            product="Privigen",
            lots=lots,
            status=status,
            indication=indication,
        ),
        by=None,
    )
    db.session.commit()
    return course


def assessment(
    patient: Patient, day: date, *, myometry: float | None = None, notes: str = "", **values
) -> Assessment:
    """An assessment; `myometry` fills every muscle group with one reading."""
    if myometry is not None:
        values = {**{m.name: myometry for m in MYOMETRY}, **values}
    data = AssessmentData(assessed_on=day, values=values, notes=notes)
    assessment = record_assessment(patient, data, by=None)
    db.session.commit()
    return assessment


def prednisolone(patient: Patient, start: date, mg_per_day: float, stop: date | None = None):
    """A prednisolone dose in mg/day from `start` (until the next record, or `stop`)."""
    data = MedicationData(agent="prednisolone", start_date=start, dose=mg_per_day, stop_date=stop)
    record = record_medication(patient, data, by=None)
    db.session.commit()
    return record


def weight(patient: Patient, day: date, kg: float):
    """A dated weighing; doses in mg/kg use the latest one on or before their date."""
    weight = record_weight(patient, day, kg, by=None)
    db.session.commit()
    return weight


def entry(
    patient: Patient,
    author: User | None = None,
    day: date | None = None,
    **answers,
) -> DiaryEntry:
    """A diary entry saved through the diary service (so it is placed and alerts as usual).

    `answers` use the API's names: strength=1, temperature_c=38.6, warning_signs=[...].
    """
    author = author or user(Role.GUARDIAN, patients=[patient])
    payload = {
        "client_id": answers.pop("client_id", str(uuid.uuid4())),
        "date": (day or today()).isoformat(),
        **answers,
    }
    saved = save_entry(patient, author, payload, today=today())
    db.session.commit()
    return saved.entry


def code(
    patient: Patient,
    *,
    issued_by: User | None = None,
    issued_at: datetime | None = None,
    valid_days: int = 14,
) -> IssuedCode:
    """An enrolment code for the patient; `.code` is the plain code a guardian would type."""
    issuer = issued_by or user(Role.CLINICIAN, clinic=patient.clinic)
    issued = issue_code(patient, issuer, issued_at or now_utc(), valid_days)
    db.session.commit()
    return issued


def diary_row(patient: Patient, day: date | None = None, **fields) -> DiaryEntry:
    """A diary entry row written straight to the table: no placement, no alert rules.

    Review and chart tests use it to set up exact data; the diary service has its own
    factory that goes through validation and alerts.
    """
    entry = DiaryEntry(
        patient_id=patient.id,
        client_id=str(uuid.uuid4()),
        entry_date=day or today(),
        author_role=fields.pop("author_role", "guardian"),
        **fields,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def alert(
    entry: DiaryEntry,
    reasons: tuple[str, ...] = ("fever",),
    *,
    urgency: int = 1,
    created_at: datetime | None = None,
) -> Alert:
    alert = Alert(
        patient_id=entry.patient_id,
        entry_id=entry.id,
        reasons=list(reasons),
        urgency=urgency,
        created_at=created_at or now_utc(),
    )
    db.session.add(alert)
    db.session.commit()
    return alert
