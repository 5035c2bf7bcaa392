"""A guardian downloads everything held about their child, or closes their account."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import date

from portal.auth.models import Role
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.diary.models import DiaryEntry, DiaryEntryVersion
from portal.patients.enrolment import issue_code
from tests import factories as make
from tests.factories import PASSWORD
from tests.security.conftest import log_in


def _diary_entry(patient, author) -> DiaryEntry:
    entry = DiaryEntry(
        patient=patient,
        client_id=str(uuid.uuid4()),
        entry_date=date(2025, 3, 3),
        author_id=author.id,
        author_role="guardian",
        mood=4,
        headache=2,
        temperature_c=37.9,
        note="=cmd|' /C calc'!A0 tired after school",
    )
    entry.versions.append(
        DiaryEntryVersion(action="edit", changed_by_id=author.id, previous={"mood": 3})
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def _family():
    patient = make.patient(name="Ivy Export", weight_kg=24.0)
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    return patient, guardian


def test_the_json_download_holds_the_childs_record_and_no_secrets(app):
    patient, guardian = _family()
    course = make.course(patient, lots=("LOT-A1", "LOT-B2"))
    entry = _diary_entry(patient, guardian)
    issue_code(patient, make.user(Role.CLINICIAN), now_utc(), 14)
    db.session.commit()
    response = log_in(app, guardian).get(f"/family/{patient.id}/export.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="ivig-diary-record-{patient.id}.json"'
    record = json.loads(response.get_data(as_text=True))
    assert record["patient"]["name"] == "Ivy Export"
    tables = record["tables"]
    assert [c["id"] for c in tables["infusion_courses"]] == [course.id]
    assert sorted(lot["lot_number"] for lot in tables["course_lots"]) == ["LOT-A1", "LOT-B2"]
    assert tables["diary_entries"][0]["temperature_c"] == 37.9
    assert tables["diary_entry_versions"][0]["entry_id"] == entry.id
    assert tables["enrolment_codes"][0]["expires_at"] and "hint" not in tables["enrolment_codes"][0]
    text = response.get_data(as_text=True)
    for secret in ("code_hash", "password_hash", "token_hash", "totp_secret", "audit_events"):
        assert secret not in text


def test_the_downloads_carry_no_part_of_any_enrolment_code(app):
    patient, guardian = _family()
    clinician = make.user(Role.CLINICIAN, clinic=patient.clinic)
    unused = issue_code(patient, clinician, now_utc(), 14).code.replace("-", "")
    db.session.commit()
    client = log_in(app, guardian)
    for fmt in ("json", "csv"):
        text = client.get(f"/family/{patient.id}/export.{fmt}").get_data(as_text=True)
        assert "enrolment_codes" in text  # the code's row is there: when, by whom, its state
        pieces = {unused[i : i + 4] for i in range(len(unused) - 3)}
        assert not [piece for piece in pieces if piece in text.upper()], fmt


def test_the_download_holds_the_clinics_measurements_alerts_and_replies_too(world, actor_clients):
    response = actor_clients["guardian_a"].get(f"/family/{world.patient_a.id}/export.json")
    tables = json.loads(response.get_data(as_text=True))["tables"]
    records = world.records
    for table, obj in (
        ("diary_entries", records.entry),
        ("alerts", records.alert),
        ("replies", records.reply),
        ("assessments", records.assessment),
        ("medication_records", records.medication),
    ):
        assert [row["id"] for row in tables[table]] == [obj.id], table
    assert tables["replies"][0]["text"] == "Please call us."
    owners = {row["patient_id"] for rows in tables.values() for row in rows if "patient_id" in row}
    assert owners == {world.patient_a.id}


def test_the_csv_download_is_one_long_table_with_formulas_defused(app):
    patient, guardian = _family()
    _diary_entry(patient, guardian)
    response = log_in(app, guardian).get(f"/family/{patient.id}/export.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["table", "row_id", "field", "value"]
    assert ["patients", str(patient.id), "name", "Ivy Export"] in rows
    notes = [row[3] for row in rows if row[0] == "diary_entries" and row[2] == "note"]
    assert notes == ["'=cmd|' /C calc'!A0 tired after school"]


def test_closing_asks_for_the_tick_and_the_password_naming_each_field(app):
    _, guardian = _family()
    client = log_in(app, guardian)
    page = client.post_form("/account/close", {"password": "wrong-password-x"}).get_data(
        as_text=True
    )
    assert "Tick the box to confirm" in page
    page = client.post_form("/account/close", {"understood": "y", "password": "wrong-pass"})
    assert "Your password: That is not your password." in page.get_data(as_text=True)
    db.session.refresh(guardian)
    assert guardian.active


def test_closing_the_account_ends_the_login_and_links_but_the_clinic_keeps_the_record(app):
    patient, guardian = _family()
    make.course(patient)
    child = make.user(Role.CHILD, patients=[patient])
    clinician = make.user(Role.CLINICIAN, clinic=patient.clinic)
    phone, childs_tablet = log_in(app, guardian), log_in(app, child)

    response = phone.post_form("/account/close", {"understood": "y", "password": PASSWORD})

    assert response.status_code == 302
    assert "Your account is closed" in phone.get("/", follow_redirects=True).get_data(as_text=True)
    for user in (guardian, child):
        db.session.refresh(user)
        assert not user.active and user.patients == []
    assert "/login" in childs_tablet.get("/family").headers["Location"]
    login_again = app.test_client().post_form(
        "/login", {"email": guardian.email, "password": PASSWORD}
    )
    assert "do not match an account" in login_again.get_data(as_text=True)
    db.session.refresh(patient)
    assert patient.family_closed_at is not None and len(patient.courses) == 1
    clinic_page = log_in(app, clinician).get(f"/clinic/patients/{patient.id}")
    assert "The family closed its portal account" in clinic_page.get_data(as_text=True)


def test_a_child_keeps_their_login_while_another_guardian_stays(app):
    patient, leaving = _family()
    staying = make.user(Role.GUARDIAN, patients=[patient])
    child = make.user(Role.CHILD, patients=[patient])
    log_in(app, leaving).post_form("/account/close", {"understood": "y", "password": PASSWORD})
    for user in (staying, child):
        db.session.refresh(user)
        assert user.active and user.patients == [patient]
    db.session.refresh(patient)
    assert patient.family_closed_at is None


def test_a_new_enrolment_code_brings_a_closed_family_back(app):
    patient, guardian = _family()
    log_in(app, guardian).post_form("/account/close", {"understood": "y", "password": PASSWORD})
    code = issue_code(patient, make.user(Role.CLINICIAN), now_utc(), 14).code
    db.session.commit()
    newcomer = make.user(Role.GUARDIAN)
    log_in(app, newcomer).post_form("/enrol", {"code": code})
    db.session.refresh(patient)
    assert patient.family_closed_at is None
    assert newcomer in patient.accounts
