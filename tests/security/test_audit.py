"""The audit trail: one row per read, change, export, login and refusal; append-only."""

from __future__ import annotations

from datetime import timedelta

import flask_migrate
import pytest
from sqlalchemy import delete, select, text, update

from config import TestingConfig
from portal.audit.models import AuditEvent, AuditLogIsAppendOnly
from portal.auth.models import Role
from portal.core.database import now_utc
from portal.core.extensions import db
from tests import factories as make
from tests.factories import PASSWORD
from tests.security.audit_rows import audit_events, row_text


def _health_values(patient, course) -> set[str]:
    """Everything clinical or identifying about the child that must never reach the log."""
    return {
        patient.name,
        patient.first_name,
        patient.patient_ref,
        patient.date_of_birth.isoformat(),
        f"{patient.weight_kg}",
        f"{course.total_dose_g_per_kg}",
        course.regimen,
        *course.lot_numbers,
    }


def test_viewing_a_patient_records_exactly_one_read_row_without_health_values(client, login):
    clinician = make.user(Role.CLINICIAN)
    patient = make.patient(clinician.clinic, name="Zara Quince", weight_kg=27.5)
    course = make.course(patient, lots=("LOT-ZQ-991",))
    login(clinician)

    assert client.get(f"/clinic/patients/{patient.id}").status_code == 200

    reads = audit_events(action="read", patient_id=patient.id)
    assert len(reads) == 1
    row = reads[0]
    assert (row.user_id, row.role, row.outcome) == (clinician.id, "clinician", "success")
    assert (row.object_type, row.object_id, row.endpoint) == (
        "patients",
        patient.id,
        "clinic.patient",
    )
    assert row.remote_addr == "127.0.0.1"
    assert now_utc() - row.at < timedelta(minutes=1)
    text_of_row = row_text(row)
    leaked = [value for value in _health_values(patient, course) if value in text_of_row]
    assert leaked == []


def test_another_clinics_request_is_refused_and_recorded_as_a_denial(client, login):
    patient = make.patient()
    login(make.user(Role.CLINICIAN))
    response = client.get(f"/clinic/patients/{patient.id}")
    assert response.status_code == 404
    denied = audit_events(action="access", patient_id=patient.id)
    assert len(denied) == 1
    assert denied[0].outcome == "denied"
    assert denied[0].role == "clinician"
    assert audit_events(action="read", patient_id=patient.id) == []


def test_a_family_account_on_a_clinic_page_is_recorded_as_a_denial(client, login_as):
    guardian = login_as(Role.GUARDIAN)
    assert client.get("/clinic/").status_code == 404
    denied = audit_events(action="access", user_id=guardian.id)
    assert [(e.object_type, e.outcome, e.endpoint) for e in denied] == [
        ("page", "denied", "clinic.patients")
    ]


def test_logins_are_recorded_on_success_and_on_failure(client):
    user = make.user(Role.GUARDIAN)
    client.post_form("/login", {"email": user.email, "password": "not-the-password-1"})
    client.post_form("/login", {"email": "nobody@example.test", "password": "whatever-it-is"})
    client.post_form("/login", {"email": user.email, "password": PASSWORD})
    logins = [(e.outcome, e.object_id) for e in audit_events(action="login")]
    assert logins == [("failure", user.id), ("failure", None), ("success", user.id)]
    assert all("not-the-password" not in row_text(e) for e in audit_events())


def test_forms_sent_without_their_csrf_token_are_refused_and_recorded(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    response = client.post("/clinic/patients/new", data={"name": "No Token"})
    assert "Your form was not sent" in response.get_data(as_text=True)
    client.post("/logout", data={})
    assert client.get("/clinic/").status_code == 200  # the logout was refused
    refused = audit_events(action="csrf", user_id=clinician.id)
    assert [(e.outcome, e.object_type) for e in refused] == [
        ("denied", "PatientForm"),
        ("denied", "EmptyForm"),
    ]


def test_a_change_is_recorded_once_with_field_names_and_no_separate_read(client, login):
    clinician = make.user(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    course = make.course(patient, status="planned")
    login(clinician)
    token = client.csrf_token()
    before = len(audit_events())
    response = client.post(
        f"/clinic/courses/{course.id}/edit",
        data={
            "csrf_token": token,
            "start_date": course.start_date.isoformat(),
            "days": "3",
            "total_dose_g_per_kg": "2",
            "product": "Privigen",
            "lots": "LOT-1\nLOT-2",
            "status": "given",
            "notes": "",
            "indication": "",
        },
    )
    assert response.status_code == 302
    new = audit_events()[before:]
    assert [(e.action, e.object_type, e.object_id) for e in new] == [
        ("update", "infusion_courses", course.id)
    ]
    # The earlier values went to the course's versions, in the same one row.
    assert set(new[0].fields.split(",")) == {"days", "status", "lots", "versions"}
    assert new[0].user_id == clinician.id and new[0].patient_id == patient.id


def test_a_family_export_is_recorded(client, login):
    patient = make.patient()
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    login(guardian)
    assert client.get(f"/family/{patient.id}/export.csv").status_code == 200
    exports = audit_events(action="export", patient_id=patient.id)
    assert [(e.user_id, e.fields) for e in exports] == [(guardian.id, "csv")]


def test_the_audit_log_cannot_be_changed_or_deleted_through_the_app():
    make.patient()  # its creation is audited
    event = db.session.scalars(select(AuditEvent)).first()
    event.action = "read"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    event = db.session.scalars(select(AuditEvent)).first()
    db.session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    for statement in (update(AuditEvent).values(outcome="success"), delete(AuditEvent)):
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(statement)
        db.session.rollback()


def test_a_migrated_database_refuses_updates_and_deletes_of_audit_rows(
    fresh_database_url, other_app
):
    migrated = other_app(TestingConfig, SQLALCHEMY_DATABASE_URI=fresh_database_url)
    with migrated.app_context():
        flask_migrate.upgrade()
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO audit_events (at, role, action, outcome, object_type, fields,"
                    " endpoint, method, remote_addr) VALUES (CURRENT_TIMESTAMP, '', 'read',"
                    " 'success', 'patients', '', '', 'GET', '')"
                )
            )
        for statement in ("UPDATE audit_events SET outcome = 'denied'", "DELETE FROM audit_events"):
            with pytest.raises(Exception, match="append-only"), db.engine.begin() as connection:
                connection.execute(text(statement))
        with db.engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM audit_events")).scalar()
        assert count == 1


def test_linking_an_account_from_either_side_is_recorded_once():
    patient = make.patient()
    guardian = make.user(Role.GUARDIAN)
    sibling_account = make.user(Role.GUARDIAN)
    guardian.patients.append(patient)
    patient.accounts.append(sibling_account)
    db.session.commit()
    links = audit_events(action="link", patient_id=patient.id)
    assert sorted(e.object_id for e in links) == sorted([guardian.id, sibling_account.id])
