"""Factories for the objects tests need, built through the same services as the pages."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pyotp

from portal.auth.models import Role, User
from portal.clinic.models import Clinic
from portal.database import now_utc
from portal.extensions import db
from portal.infusions.models import InfusionCourse
from portal.patients.models import Patient
from portal.services.accounts import create_user, get_or_create_clinic, link_patient
from portal.services.clock import today
from portal.services.courses import CourseData, record_course
from portal.services.patients import PatientData, enrol_patient
from portal.services.two_factor import STEP_SECONDS

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def make_clinic(name: str | None = None, phone: str = "0161 496 0999") -> Clinic:
    clinic = get_or_create_clinic(name or f"Clinic {next(_seq)}")
    clinic.phone = phone
    db.session.commit()
    return clinic


def make_patient(clinic: Clinic | None = None, **fields) -> Patient:
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
    patient = enrol_patient(clinic or make_clinic(), data)
    db.session.commit()
    return patient


def make_user(
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
        clinic = make_clinic()
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


def make_course(
    patient: Patient,
    start: date | None = None,
    *,
    days: int = 5,
    dose: float = 2.0,
    status: str = "given",
    lots: tuple[str, ...] = ("LOT-1",),
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
        ),
        by=None,
    )
    db.session.commit()
    return course
