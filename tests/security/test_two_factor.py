"""A second factor for staff: optional for clinicians, required for administrators."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from portal.audit.models import AuditEvent
from portal.auth.models import RecoveryCode, Role
from portal.auth.second_factor import STEP_SECONDS
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
    db.session.refresh(admin)
    secret = admin.totp_pending_secret
    assert "otpauth://totp/" in page and " ".join([secret[:4], secret[4:8]]) in page
    wrong = client.post_form("/account/two-factor/", {"code": "123456"})
    assert "That code does not match" in wrong.get_data(as_text=True)
    right = client.post_form("/account/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 200 and "Your recovery codes" in right.get_data(as_text=True)
    assert client.get("/admin/").status_code == 200
    db.session.refresh(admin)
    assert admin.totp_secret == secret and admin.totp_pending_secret is None


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


def _session_payload(app, client) -> dict:
    """What the session cookie carries: signed, not encrypted, so anyone holding it reads it."""
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(cookie.value) if cookie else {}


def test_the_secret_being_set_up_never_travels_in_the_session_cookie_and_is_sealed(app, client):
    admin = make.user(Role.ADMIN, totp=False)
    _password_step(client, admin)
    page = client.get("/account/two-factor/").get_data(as_text=True)
    db.session.refresh(admin)
    secret = admin.totp_pending_secret
    assert secret and " ".join([secret[:4], secret[4:8]]) in page
    assert secret not in repr(_session_payload(app, client))
    stored = db.session.execute(
        text("SELECT totp_pending_secret FROM users WHERE id = :id"), {"id": admin.id}
    ).scalar_one()
    assert (
        secret not in stored
        and Fernet(app.config["PORTAL_DATA_KEYS"]).decrypt(stored.encode()) == secret.encode()
    )
    # Reloading the page keeps the same secret, so a code from the app still matches.
    client.get("/account/two-factor/")
    db.session.refresh(admin)
    assert admin.totp_pending_secret == secret


def test_the_set_up_page_draws_a_qr_code_inline_and_still_shows_the_key_as_text(client):
    login_as_admin = make.user(Role.ADMIN, totp=False)
    _password_step(client, login_as_admin)
    page = client.get("/account/two-factor/").get_data(as_text=True)
    qr = page[page.index('<div class="qr-code">') :]
    assert qr.startswith('<div class="qr-code"><svg role="img" aria-label="QR code')
    assert "<path" in qr[:4000] and "<img" not in qr[: qr.index("</svg>")]
    assert 'aria-label="Key: ' in page  # the key as text, for screen readers and typing
    # Nothing on the page is fetched from another site.
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page)


def _turn_on(client, user) -> list[str]:
    client.get("/account/two-factor/")
    db.session.refresh(user)
    code = pyotp.TOTP(user.totp_pending_secret).now()
    page = client.post_form("/account/two-factor/", {"code": code}).get_data(as_text=True)
    return re.findall(r"<code>([A-Z0-9-]{19})</code>", page)


def _code_step(client, user, **fields):
    client.post_form("/logout")
    _password_step(client, user)
    return client.post_form("/login/code", {"code": "", "recovery_code": "", **fields})


def test_ten_recovery_codes_are_shown_once_stored_hashed_and_each_logs_in_once(app, client):
    clinician = make.user(Role.CLINICIAN)
    login_page = _password_step(client, clinician)
    assert login_page.status_code == 302
    codes = _turn_on(client, clinician)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(code.replace("-", "") in stored for code in codes)
    assert not any(c in client.get("/account/two-factor/").get_data(as_text=True) for c in codes)

    used = _code_step(client, clinician, recovery_code=codes[3].lower().replace("-", " "))
    assert used.status_code == 302 and used.headers["Location"] == "/"
    again = _code_step(client, clinician, recovery_code=codes[3])
    assert again.status_code == 200 and "already used" in again.get_data(as_text=True)
    assert _code_step(client, clinician, recovery_code=codes[4]).status_code == 302
    page = client.get("/account/two-factor/").get_data(as_text=True)
    assert "<strong>8 of 10</strong>" in page
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action.in_(("recovery_codes", "login_code")))
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.outcome, e.fields) for e in events] == [
        ("recovery_codes", "success", "generated"),
        ("login_code", "success", "recovery_code"),
        ("login_code", "failure", ""),
        ("login_code", "success", "recovery_code"),
    ]


def test_new_recovery_codes_need_the_password_and_void_the_old_ones(app, client):
    clinician = make.user(Role.CLINICIAN)
    _password_step(client, clinician)
    old = _turn_on(client, clinician)
    refused = client.post_form(
        "/account/two-factor/recovery-codes", {"password": "not-mine-at-all"}
    )
    assert "Your password: That is not your password." in refused.get_data(as_text=True)
    answer = client.post_form("/account/two-factor/recovery-codes", {"password": PASSWORD})
    new = re.findall(r"<code>([A-Z0-9-]{19})</code>", answer.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert "Your earlier codes no longer work" in answer.get_data(as_text=True)
    assert _code_step(client, clinician, recovery_code=old[0]).status_code == 200
    assert _code_step(client, clinician, recovery_code=new[0]).status_code == 302


def test_a_code_one_step_either_side_works_but_not_two_steps_away(app, frozen_clock):
    # Stop the clock 5 seconds into a 30-second step, so no step ends during the test.
    start = int(now_utc().timestamp()) // STEP_SECONDS * STEP_SECONDS + 5
    frozen_clock.move_to(datetime.fromtimestamp(start, UTC), tick=False)
    clinician = make.user(Role.CLINICIAN, totp=True)
    totp = pyotp.TOTP(clinician.totp_secret)
    now = int(now_utc().timestamp())
    for offset, works in ((-60, False), (60, False), (-30, True), (30, True)):
        client = app.test_client()
        _password_step(client, clinician)
        answer = client.post_form("/login/code", {"code": totp.at(now + offset)})
        assert (answer.status_code == 302) is works, offset
