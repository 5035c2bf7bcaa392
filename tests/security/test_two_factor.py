"""A second factor for staff: optional for clinicians, required for administrators."""

from __future__ import annotations

import pyotp
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.core.database import now_utc
from portal.core.extensions import db
from tests import factories as make
from tests.factories import PASSWORD, totp_code
from tests.security.conftest import log_in


def _password_step(client, user):
    return client.post_form("/login", {"email": user.email, "password": PASSWORD})


def test_a_staff_login_with_a_second_factor_needs_the_code_before_anything(client):
    clinician = make.user(Role.CLINICIAN, totp=True)
    response = _password_step(client, clinician)
    assert response.headers["Location"].startswith("/login/code")
    assert "/login" in client.get("/clinic/").headers["Location"]  # not logged in yet
    code_page = client.get("/login/code").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in code_page and 'inputmode="numeric"' in code_page
    assert client.post_form("/login/code", {"code": totp_code(clinician)}).status_code == 302
    assert client.get("/clinic/").status_code == 200


def test_a_wrong_code_names_the_field_and_ten_wrong_codes_lock_the_step(client):
    clinician = make.user(Role.CLINICIAN, totp=True)
    _password_step(client, clinician)
    for _ in range(10):
        page = client.post_form("/login/code", {"code": "000000"}).get_data(as_text=True)
        assert "6-digit code from your app: That code is not right" in page
    assert client.post_form("/login/code", {"code": totp_code(clinician)}).status_code == 429
    failures = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "login_code", AuditEvent.outcome == "failure")
    ).all()
    assert len(failures) == 10


def test_a_code_cannot_be_used_twice(app):
    clinician = make.user(Role.CLINICIAN, totp=True)
    code = totp_code(clinician)
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        _password_step(client, clinician)
    assert first.post_form("/login/code", {"code": code}).status_code == 302
    replay = second.post_form("/login/code", {"code": code})
    assert replay.status_code == 200
    assert "already used" in replay.get_data(as_text=True)


def test_the_code_step_expires_after_five_minutes(client):
    clinician = make.user(Role.CLINICIAN, totp=True)
    _password_step(client, clinician)
    with client.session_transaction() as session:
        session["pending_login"] = {**session["pending_login"], "at": now_utc().timestamp() - 301}
    response = client.post_form("/login/code", {"code": totp_code(clinician)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_an_administrator_without_a_second_factor_must_set_one_up_first(client):
    admin = make.user(Role.ADMIN, totp=False)
    assert _password_step(client, admin).status_code == 302
    for path in ("/admin/", "/audit", "/account/password"):
        response = client.get(path)
        assert response.headers["Location"] == "/account/two-factor/", path
    page = client.get("/account/two-factor/").get_data(as_text=True)
    assert "Administrator accounts need a second factor" in page
    with client.session_transaction() as session:
        secret = session["totp_setup"]
    assert "otpauth://totp/" in page and " ".join([secret[:4], secret[4:8]]) in page
    wrong = client.post_form("/account/two-factor/", {"code": "123456"})
    assert "That code does not match" in wrong.get_data(as_text=True)
    right = client.post_form("/account/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200
    db.session.refresh(admin)
    assert admin.totp_secret == secret


def test_a_clinician_may_turn_the_factor_off_with_their_password_but_an_admin_may_not(app):
    clinician = make.user(Role.CLINICIAN, totp=True)
    desk = log_in(app, clinician)
    refused = desk.post_form("/account/two-factor/off", {"password": "not-my-password"})
    assert "Your password: That is not your password." in refused.get_data(as_text=True)
    assert desk.post_form("/account/two-factor/off", {"password": PASSWORD}).status_code == 302
    db.session.refresh(clinician)
    assert clinician.totp_secret is None

    admin = make.user(Role.ADMIN)
    admin_desk = log_in(app, admin)
    kept = admin_desk.post_form("/account/two-factor/off", {"password": PASSWORD})
    assert "Administrators must keep it" in kept.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.totp_secret is not None


def test_an_administrator_resets_a_lost_factor_and_ends_that_persons_sessions(app):
    clinician = make.user(Role.CLINICIAN, totp=True)
    old_phone = log_in(app, clinician)
    admin = log_in(app, make.user(Role.ADMIN))
    assert admin.post_form(f"/admin/staff/{clinician.id}/two-factor/reset").status_code == 302
    assert "/login" in old_phone.get("/clinic/").headers["Location"]
    db.session.refresh(clinician)
    assert clinician.totp_secret is None
    assert _password_step(app.test_client(), clinician).headers["Location"] == "/"
