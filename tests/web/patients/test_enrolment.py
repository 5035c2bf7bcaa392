"""Enrolment codes from the clinic page to a guardian's phone."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from config import TestingConfig
from portal import create_app
from portal.auth.models import Role, User
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.patients.enrolment import revoke
from portal.patients.models import EnrolmentCode, patient_links
from tests import factories as make
from tests.factories import PASSWORD

CODE_ON_PAGE = re.compile(r'class="code-display"[^>]*>([A-Z0-9-]+)<')


def new_guardian(code: str, email: str = "mum@example.test", **overrides) -> dict:
    form = {
        "code": code,
        "display_name": "Grace Example",
        "email": email,
        "password": "kitchen-table-42",
        "confirm": "kitchen-table-42",
    }
    form.update(overrides)
    return form


def count(model_or_table) -> int:
    return db.session.scalar(select(func.count()).select_from(model_or_table))


def test_clinician_issues_a_code_that_is_shown_once_and_stored_hashed(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic, name="Ada Lovelace")

    page = client.post_form(f"/clinic/patients/{patient.id}/codes").get_data(as_text=True)
    code = CODE_ON_PAGE.search(page).group(1)
    assert "expires in 14 days" in page
    record = db.session.scalars(select(EnrolmentCode)).one()
    assert record.expires_at - record.created_at == timedelta(days=14)
    assert code.replace("-", "") not in record.code_hash

    record_page = client.get(f"/clinic/patients/{patient.id}").get_data(as_text=True)
    assert code not in record_page and code.replace("-", "") not in record_page
    assert f"…{record.hint}" in record_page
    assert "Active until" in record_page


def test_code_days_come_from_the_configuration(client, login_as, app, monkeypatch):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    monkeypatch.setitem(app.config, "ENROLMENT_CODE_DAYS", 3)
    page = client.post_form(f"/clinic/patients/{patient.id}/codes").get_data(as_text=True)
    assert "expires in 3 days" in page
    record = db.session.scalars(select(EnrolmentCode)).one()
    assert record.expires_at - record.created_at == timedelta(days=3)


def test_guardian_redeems_a_code_creates_an_account_and_lands_on_the_child(client):
    patient = make.patient(name="Ada Lovelace")
    issued = make.code(patient)
    response = client.post_form("/enrol", new_guardian(issued.code.lower()))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/family/{patient.id}")
    guardian = db.session.scalars(select(User).where(User.email == "mum@example.test")).one()
    assert guardian.role == "guardian" and guardian.patients == [patient]
    assert guardian.password_hash.startswith("$argon2id$")
    home = client.get(f"/family/{patient.id}").get_data(as_text=True)
    assert "You are now linked to Ada" in home


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("unknown", "That code was not recognised"),
        ("expired", "That code has expired"),
        ("used", "That code has already been used"),
        ("revoked", "That code was withdrawn by the clinic"),
    ],
)
def test_unusable_code_gives_a_clear_message_and_creates_nothing(client, state, message):
    patient = make.patient()
    issued_at = now_utc() - timedelta(days=15) if state == "expired" else None
    issued = make.code(patient, issued_at=issued_at)
    if state == "used":
        client.post_form("/enrol", new_guardian(issued.code, email="first@example.test"))
        client.post_form("/logout")
    if state == "revoked":
        revoke(issued.record, now_utc())
        db.session.commit()
    users, links = count(User), count(patient_links)
    code = "ABCD-EFGH-JKMN" if state == "unknown" else issued.code

    response = client.post_form("/enrol", new_guardian(code))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'value="Grace Example"' in page and 'value="mum@example.test"' in page
    assert count(User) == users and count(patient_links) == links
    assert db.session.scalar(select(User).where(User.email == "mum@example.test")) is None


def test_email_already_in_use_is_refused_and_the_code_stays_unused(client):
    make.user(Role.GUARDIAN, email="mum@example.test")
    issued = make.code(make.patient())
    page = client.post_form("/enrol", new_guardian(issued.code)).get_data(as_text=True)
    assert "That login is already in use." in page
    db.session.refresh(issued.record)
    assert issued.record.state(now_utc()) == "active"


def test_redeem_form_names_each_missing_field_and_creates_nothing(client):
    users = count(User)
    page = client.post_form("/enrol", {}).get_data(as_text=True)
    for text in (
        "Enrolment code: Enter the code the clinic gave you.",
        "Your name: Enter your name.",
        "Email: Enter your email address.",
        "Password: Choose a password.",
    ):
        assert text in page
    assert count(User) == users


def test_second_guardian_redeems_a_second_code_for_the_same_child(client, app):
    patient = make.patient(name="Ada Lovelace")
    first, second = make.code(patient), make.code(patient)
    client.post_form("/enrol", new_guardian(first.code, email="mum@example.test"))
    other = app.test_client()
    response = other.post_form("/enrol", new_guardian(second.code, email="dad@example.test"))
    assert response.status_code == 302
    db.session.refresh(patient)
    assert sorted(a.email for a in patient.accounts) == ["dad@example.test", "mum@example.test"]
    assert "Ada" in other.get(f"/family/{patient.id}").get_data(as_text=True)


def test_logged_in_guardian_adds_a_second_child_and_switches_between_them(client, login_as):
    clinic = make.clinic()
    ada = make.patient(clinic, name="Ada Lovelace")
    leo = make.patient(clinic, name="Leo Lovelace")
    guardian = login_as(Role.GUARDIAN, patients=[ada])
    assert client.get("/family").headers["Location"].endswith(f"/family/{ada.id}")

    form = client.get("/enrol").get_data(as_text=True)
    assert "Add a child" in form and 'name="email"' not in form
    response = client.post_form("/enrol", {"code": make.code(leo).code})
    assert response.headers["Location"].endswith(f"/family/{leo.id}")
    db.session.refresh(guardian)
    assert {p.id for p in guardian.patients} == {ada.id, leo.id}

    chooser = client.get("/family").get_data(as_text=True)
    assert "Ada Lovelace" in chooser and "Leo Lovelace" in chooser
    leo_home = client.get(f"/family/{leo.id}").get_data(as_text=True)
    assert f'href="/family/{ada.id}"' in leo_home
    assert 'aria-current="page">Leo<' in leo_home
    ada_calendar = client.get(f"/family/{ada.id}/calendar").get_data(as_text=True)
    assert f'href="/family/{leo.id}/calendar"' in ada_calendar


def test_logged_in_guardian_gets_a_message_for_a_bad_code_and_keeps_what_was_typed(
    client, login_as
):
    login_as(Role.GUARDIAN)
    page = client.post_form("/enrol", {"code": "WXYZ-WXYZ-WXYZ"}).get_data(as_text=True)
    assert "That code was not recognised" in page
    assert 'value="WXYZ-WXYZ-WXYZ"' in page


def test_guardian_already_linked_to_the_child_keeps_the_code_unused(client, login_as):
    patient = make.patient(name="Ada Lovelace")
    login_as(Role.GUARDIAN, patients=[patient])
    issued = make.code(patient)
    page = client.post_form("/enrol", {"code": issued.code}).get_data(as_text=True)
    assert "already linked to Ada" in page
    db.session.refresh(issued.record)
    assert issued.record.state(now_utc()) == "active"


def test_clinician_withdraws_a_code_and_it_then_fails(client, login_as, app):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    issued = make.code(patient, issued_by=clinician)
    response = client.post_form(f"/clinic/patients/{patient.id}/codes/{issued.record.id}/revoke")
    assert response.status_code == 302
    page = client.get(f"/clinic/patients/{patient.id}").get_data(as_text=True)
    assert "Revoked" in page
    refused = app.test_client().post_form("/enrol", new_guardian(issued.code))
    assert "withdrawn by the clinic" in refused.get_data(as_text=True)


def test_enrolment_form_with_a_missing_or_stale_csrf_token_keeps_what_was_typed(client, app):
    issued = make.code(make.patient())
    stale = app.test_client().csrf_token()  # a token from another session
    for token in (None, stale, "garbage"):
        data = new_guardian(issued.code)
        data["csrf_token"] = token or ""
        response = client.post("/enrol", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Your form was not sent" in page
        assert "apart from passwords: type them again" in page
        assert f'value="{issued.code}"' in page
        assert 'value="Grace Example"' in page and 'value="mum@example.test"' in page
    assert count(User) == 1  # only the clinician who issued the code
    db.session.refresh(issued.record)
    assert issued.record.state(now_utc()) == "active"


def test_link_for_families_uses_the_public_address_behind_a_trusted_proxy(app, client, login):
    clinician = make.user(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "diary.example.org"}
    url = f"/clinic/patients/{patient.id}/codes"

    login(clinician)
    untrusted = client.post_form(url, headers=forwarded).get_data(as_text=True)
    assert "http://localhost/enrol" in untrusted and "diary.example.org" not in untrusted

    behind_proxy = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        PROXY_COUNT=1,
    )
    behind_proxy.test_client_class = type(client)
    proxied = behind_proxy.test_client()
    proxied.post_form("/login", {"email": clinician.email, "password": PASSWORD})
    page = proxied.post_form(url, headers=forwarded).get_data(as_text=True)
    assert "https://diary.example.org/enrol" in page
    with behind_proxy.app_context():
        db.engine.dispose()
