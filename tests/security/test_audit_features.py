"""The audit trail of the diary, review, measurement and report features: every read,
change, export and refusal is a row, and no row holds a health value."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import RelationshipProperty

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from portal.patients.models import Patient
from tests import factories as make
from tests.security.audit_rows import audit_events, row_text

# Tables that hold no data about a child: accounts, clinics, logins and the trail itself.
NOT_PATIENT_DATA = {
    "users",
    "clinics",
    "user_sessions",
    "audit_events",
    "recovery_codes",
    "trusted_devices",
    "password_resets",
}
# The hub's de-identified site summaries name no child; loading one is audited by its view
# (web/research/test_hub_loading.py::test_registering_a_site_and_loading_a_summary_are_audited).
NOT_PATIENT_DATA |= {"research_sites", "site_summaries", "summary_courses"}


def _owned_tables() -> set[str]:
    """Tables whose rows are a delete-orphan collection of a patient-owned model: a change
    to them is recorded as a change of that collection on the owner's row."""
    owned = set()
    for mapper in db.Model.registry.mappers:
        if "patient_id" not in mapper.columns and mapper.class_ is not Patient:
            continue
        for rel in mapper.relationships:
            if isinstance(rel, RelationshipProperty) and rel.cascade.delete_orphan:
                owned.add(rel.mapper.local_table.name)
    return owned


def test_every_table_of_patient_data_is_audited_at_flush():
    # The flush hook records any object with a patient_id (and Patient itself); the
    # rest must be owned collections of those or hold no data about a child.
    unaudited = []
    owned = _owned_tables()
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table.name
        if "patient_id" in mapper.columns or mapper.class_ is Patient:
            continue
        if table not in owned | NOT_PATIENT_DATA:
            unaudited.append(table)
    assert unaudited == [], f"patient data without an audit rule: {unaudited}"
    assert {"diary_entry_versions", "course_lots"} <= owned


def _new_entry_form(day: str, **answers) -> dict[str, str]:
    return {"date": day, "strength": "0", "mood": "3", **answers}


def test_a_guardians_entry_its_edit_and_delete_are_recorded_by_field_name_only(client, login):
    patient = make.patient()
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    login(guardian)
    day = (today() - timedelta(days=1)).isoformat()
    form = _new_entry_form(day, temperature_c="38.9", note="Secret worry 4711")
    created = client.post_form(f"/family/{patient.id}/diary/new", form)
    assert created.status_code == 302
    entry = db.session.scalars(select(DiaryEntry)).one()
    edit = _new_entry_form(day, temperature_c="38.9", note="Calmer now 0815")
    assert client.post_form(f"/family/{patient.id}/diary/{entry.id}/edit", edit).status_code == 302
    assert client.post_form(f"/family/{patient.id}/diary/{entry.id}/delete").status_code == 302

    by_guardian = audit_events(patient_id=patient.id, user_id=guardian.id)
    changes = [(e.action, e.object_type) for e in by_guardian if e.action in ("create", "update")]
    assert changes == [
        ("create", "diary_entries"),
        ("create", "alerts"),  # 38.9 °C puts the child on the triage list
        ("update", "diary_entries"),
        ("update", "diary_entries"),
    ]
    edited, deleted = audit_events(action="update", object_type="diary_entries")
    assert set(edited.fields.split(",")) == {"note", "versions"}  # once, for the one edit
    assert {"deleted_at", "deleted_by_id", "versions"} <= set(deleted.fields.split(","))
    for event in by_guardian:
        text = row_text(event)
        assert "Secret" not in text and "Calmer" not in text and "38.9" not in text


def test_acknowledging_an_alert_and_replying_are_recorded(client, login):
    patient = make.patient()
    clinician = make.user(Role.CLINICIAN, clinic=patient.clinic)
    entry = make.entry(patient, temperature_c=39.2)
    login(clinician)
    alert_id = entry.alerts[0].id
    assert client.post_form(f"/clinic/alerts/{alert_id}/acknowledge").status_code == 302
    reply = client.post_form(f"/clinic/entries/{entry.id}/reply", {"text": "Call us today."})
    assert reply.status_code == 302

    mine = [
        (e.action, e.object_type) for e in audit_events(user_id=clinician.id, patient_id=patient.id)
    ]
    assert ("update", "alerts") in mine
    assert ("create", "replies") in mine
    assert ("update", "diary_entries") in mine  # replying marks the entry reviewed
    assert all("Call us" not in row_text(e) for e in audit_events(patient_id=patient.id))


def test_an_entry_asked_for_under_another_childs_address_is_a_recorded_denial(client, login):
    first, second = make.patient(), make.patient()
    guardian = make.user(Role.GUARDIAN, patients=[first, second])
    entry = make.entry(first, guardian)
    login(guardian)
    assert client.get(f"/family/{second.id}/diary/{entry.id}").status_code == 404
    denied = audit_events(action="access", object_type="diary_entries")
    assert [(e.object_id, e.patient_id, e.outcome) for e in denied] == [
        (entry.id, first.id, "denied")
    ]
    assert client.get(f"/family/{first.id}/diary/{entry.id}").status_code == 200
    assert len(audit_events(action="read", object_type="diary_entries", object_id=entry.id)) == 1


def test_reading_and_refusing_measurement_records_are_recorded(client, login):
    patient = make.patient()
    assessment = make.assessment(patient, today() - timedelta(days=3), myometry=21.0)
    own_clinic = make.user(Role.CLINICIAN, clinic=patient.clinic)
    login(own_clinic)
    assert client.get(f"/clinic/assessments/{assessment.id}/edit").status_code == 200
    client.post_form("/logout")
    login(make.user(Role.CLINICIAN))  # another clinic
    assert client.get(f"/clinic/assessments/{assessment.id}/edit").status_code == 404
    events = [
        e
        for e in audit_events(object_type="assessments", object_id=assessment.id)
        if e.action in ("read", "access")
    ]
    assert [(e.action, e.outcome, e.user_id == own_clinic.id) for e in events] == [
        ("read", "success", True),
        ("access", "denied", False),
    ]
    assert all(e.patient_id == patient.id for e in events)


def test_cohort_report_downloads_are_recorded_as_exports(client, login):
    clinician = make.user(Role.CLINICIAN)
    login(clinician)
    for fmt in ("csv", "json"):
        assert client.get(f"/clinic/reports/course-response.{fmt}").status_code == 200
    exports = audit_events(action="export", user_id=clinician.id)
    assert [(e.object_type, e.object_id, e.fields) for e in exports] == [
        ("course_response_report", clinician.clinic_id, "csv"),
        ("course_response_report", clinician.clinic_id, "json"),
    ]


def test_an_administrator_asking_for_a_diary_is_refused_and_recorded(client, login):
    patient = make.patient()
    make.entry(patient)
    admin = make.user(Role.ADMIN)
    login(admin)
    for path in (
        f"/api/v1/patients/{patient.id}/diary",
        f"/clinic/patients/{patient.id}/diary",
        f"/clinic/patients/{patient.id}/review",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert "Child" not in response.get_data(as_text=True)
    assert len(audit_events(action="access", outcome="denied", user_id=admin.id)) == 3
    assert audit_events(action="read", user_id=admin.id) == []
