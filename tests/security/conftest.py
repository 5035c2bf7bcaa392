"""A small world of two families and two clinics, and clients logged in as each actor."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal.auth.models import Role, User
from portal.database import now_utc
from portal.extensions import db
from portal.infusions.models import InfusionCourse
from portal.patients.models import EnrolmentCode, Patient
from portal.services.enrolment import issue_code
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
class World:
    """Child A of clinic 1 and child B of clinic 2, their families, staff and objects."""

    patient_a: Patient
    patient_b: Patient
    course_a: InfusionCourse
    code_a: EnrolmentCode
    other_staff: User
    users: dict[str, User]

    def url_values(self) -> dict[str, object]:
        """Values for every URL parameter of the portal's routes: always child A's objects."""
        return {
            "patient_id": self.patient_a.id,
            "course_id": self.course_a.id,
            "code_id": self.code_a.id,
            "clinic_id": self.patient_a.clinic_id,
            "user_id": self.other_staff.id,
            "fmt": "json",
            "filename": "css/portal.css",
        }


def build_world() -> World:
    clinic_1 = factories.make_clinic("Clinic One")
    clinic_2 = factories.make_clinic("Clinic Two")
    patient_a = factories.make_patient(clinic_1, name="Alice Example")
    patient_b = factories.make_patient(clinic_2, name="Bobby Example")
    users = {
        "guardian_a": factories.make_user(Role.GUARDIAN, patients=[patient_a]),
        "guardian_b": factories.make_user(Role.GUARDIAN, patients=[patient_b]),
        "child_a": factories.make_user(Role.CHILD, patients=[patient_a]),
        "clinician_1": factories.make_user(Role.CLINICIAN, clinic=clinic_1),
        "clinician_2": factories.make_user(Role.CLINICIAN, clinic=clinic_2),
        "admin": factories.make_user(Role.ADMIN),
    }
    course_a = factories.make_course(patient_a)
    issued = issue_code(patient_a, users["clinician_1"], now_utc(), 14)
    other_staff = factories.make_user(Role.CLINICIAN, clinic=clinic_1)
    db.session.commit()
    return World(patient_a, patient_b, course_a, issued.record, other_staff, users)


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
def fresh_database_url(tmp_path) -> Iterator[str]:
    """A brand-new empty database of the kind the suite runs on (dropped afterwards)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    url = make_url(base)
    name = f"sec_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
