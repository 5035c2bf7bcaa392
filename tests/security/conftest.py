"""A small world of two families and two clinics, and clients logged in as each actor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask import Flask

from portal.assessments.models import Assessment
from portal.auth.models import Role, User
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.diary.models import Alert, DiaryEntry
from portal.infusions.models import InfusionCourse
from portal.medications.models import MedicationRecord
from portal.medications.records import MedicationData, record_medication
from portal.patients.enrolment import issue_code
from portal.patients.models import EnrolmentCode, Patient
from portal.review.actions import reply_to_entry
from portal.review.models import Reply
from tests import factories
from tests.conftest import PortalClient

ACTORS = (
    "anonymous",
    "guardian_a",
    "guardian_b",
    "child_a",
    "clinician_1",
    "clinician_2",
    "admin",
)


@dataclass
class Records:
    """Child A's diary entry (by A's guardian, with a fever alert and the clinic's reply),
    formal assessment and prednisolone record."""

    entry: DiaryEntry
    alert: Alert
    reply: Reply
    assessment: Assessment
    medication: MedicationRecord


@dataclass
class World:
    """Child A of clinic 1 and child B of clinic 2, their families, staff and objects."""

    patient_a: Patient
    patient_b: Patient
    course_a: InfusionCourse
    code_a: EnrolmentCode
    other_staff: User
    users: dict[str, User]
    records: Records
    # Taken when the world is made: a walk deletes some of these objects as it goes.
    _url_values: dict[str, object] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._url_values = {
            "patient_id": self.patient_a.id,
            "course_id": self.course_a.id,
            "code_id": self.code_a.id,
            "entry_id": self.records.entry.id,
            "alert_id": self.records.alert.id,
            "assessment_id": self.records.assessment.id,
            "record_id": self.records.medication.id,
            "clinic_id": self.patient_a.clinic_id,
            "user_id": self.other_staff.id,
            "fmt": "json",
            "filename": "css/portal.css",
            "token": "no-such-password-link",
        }

    def url_values(self) -> dict[str, object]:
        """Values for every URL parameter of the portal's routes: always child A's objects."""
        return dict(self._url_values)


def build_records(patient: Patient, guardian: User, clinician: User) -> Records:
    """A's clinical and home records, made through the services the pages use."""
    day = today() - timedelta(days=2)
    entry = factories.entry(patient, guardian, day, temperature_c=38.6, note="Hot tonight")
    reply = reply_to_entry(entry, clinician, "Please call us.", now_utc())
    medication = record_medication(
        patient, MedicationData(agent="prednisolone", start_date=day, dose=10.0), clinician
    )
    db.session.commit()
    assessment = factories.assessment(patient, day, myometry=20.0, cmas=30)
    return Records(entry, entry.alerts[0], reply, assessment, medication)


def build_world() -> World:
    clinic_1 = factories.clinic("Clinic One")
    clinic_2 = factories.clinic("Clinic Two")
    patient_a = factories.patient(clinic_1, name="Alice Example")
    patient_b = factories.patient(clinic_2, name="Bobby Example")
    users = {
        "guardian_a": factories.user(Role.GUARDIAN, patients=[patient_a]),
        "guardian_b": factories.user(Role.GUARDIAN, patients=[patient_b]),
        "child_a": factories.user(Role.CHILD, patients=[patient_a]),
        "clinician_1": factories.user(Role.CLINICIAN, clinic=clinic_1),
        "clinician_2": factories.user(Role.CLINICIAN, clinic=clinic_2),
        "admin": factories.user(Role.ADMIN),
    }
    course_a = factories.course(patient_a)
    issued = issue_code(patient_a, users["clinician_1"], now_utc(), 14)
    other_staff = factories.user(Role.CLINICIAN, clinic=clinic_1)
    db.session.commit()
    records = build_records(patient_a, users["guardian_a"], users["clinician_1"])
    return World(patient_a, patient_b, course_a, issued.record, other_staff, users, records)


@pytest.fixture
def world() -> World:
    return build_world()


def log_in(app: Flask, user: User | None):
    """A fresh client, logged in through the real forms (password, then code if any)."""
    app.test_client_class = PortalClient
    client = app.test_client()
    if user is None:
        return client
    response = client.post_form("/login", {"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302, f"login of {user.email} failed"
    if "/login/code" in response.headers["Location"]:
        db.session.refresh(user)
        response = client.post_form("/login/code", {"code": factories.totp_code(user)})
        assert response.status_code == 302, "second-factor code refused"
    return client


@pytest.fixture
def actor_clients(app: Flask, world: World) -> dict[str, object]:
    """One logged-in client per actor (and an anonymous one)."""
    return {name: log_in(app, world.users.get(name)) for name in ACTORS}


@pytest.fixture
def other_app() -> Iterator:
    """Build extra apps (other configs) whose database connections are closed afterwards."""
    from portal import create_app

    made = []

    def build(config, **overrides):
        application = create_app(config, **overrides)
        made.append(application)
        return application

    yield build
    for application in made:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
