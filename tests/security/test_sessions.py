"""Sessions: per-device logout, idle and absolute timeouts, ending other devices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.audit.models import AuditEvent
from portal.auth.models import Role, UserSession
from portal.core.database import now_utc
from portal.core.extensions import db
from tests import factories as make
from tests.factories import PASSWORD
from tests.security.conftest import log_in


def _copy_session_cookie(source, target) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def _age_sessions(user, *, idle: timedelta = timedelta(0), age: timedelta = timedelta(0)):
    """Pretend time has passed: the user's sessions were last used `idle` ago."""
    now = now_utc()
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id)
        .values(last_seen_at=now - idle, created_at=now - max(age, idle))
    )
    db.session.commit()


def _logged_in(client, path: str) -> bool:
    response = client.get(path)
    return response.status_code == 200 or (
        response.status_code == 302 and "/login" not in response.headers["Location"]
    )


def test_the_configured_limits_are_30_minutes_for_families_15_for_staff_12_hours_in_all(app):
    assert app.config["SESSION_IDLE_MINUTES_FAMILY"] == 30
    assert app.config["SESSION_IDLE_MINUTES_STAFF"] == 15
    assert app.config["SESSION_ABSOLUTE_HOURS"] == 12
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)


def test_a_copy_of_the_cookie_replayed_after_logout_gets_no_data(app):
    patient = make.patient(name="Replay Child")
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    device = log_in(app, guardian)
    thief = app.test_client()
    _copy_session_cookie(device, thief)
    assert "<h1>Replay</h1>" in thief.get(f"/family/{patient.id}").get_data(as_text=True)

    assert device.post_form("/logout").status_code == 302

    replay = thief.get(f"/family/{patient.id}")
    assert replay.status_code == 302 and "/login" in replay.headers["Location"]
    page = thief.get(f"/family/{patient.id}", follow_redirects=True).get_data(as_text=True)
    assert "Replay" not in page
    replays = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "session_end", AuditEvent.outcome == "denied")
    ).all()
    assert [(e.object_id, e.fields) for e in replays] == [(guardian.id, "ended")]


def test_logging_out_on_one_device_leaves_the_others_logged_in(app):
    guardian = make.user(Role.GUARDIAN, patients=[make.patient()])
    phone, tablet = log_in(app, guardian), log_in(app, guardian)
    phone.post_form("/logout")
    assert not _logged_in(phone, "/family")
    assert _logged_in(tablet, "/family")


@pytest.mark.parametrize(
    ("role", "still_fine", "too_long"),
    [
        (Role.GUARDIAN, timedelta(minutes=29), timedelta(minutes=31)),
        (Role.CHILD, timedelta(minutes=29), timedelta(minutes=31)),
        (Role.CLINICIAN, timedelta(minutes=14), timedelta(minutes=16)),
    ],
)
def test_a_session_ends_after_the_idle_limit_of_its_kind_of_account(
    app, role, still_fine, too_long
):
    user = make.user(role, patients=[make.patient()] if role.is_family else [])
    home = "/family" if role.is_family else "/clinic/"
    client = log_in(app, user)
    _age_sessions(user, idle=still_fine)
    assert _logged_in(client, home)
    _age_sessions(user, idle=too_long)
    response = client.get(home, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "<h1>Log in</h1>" in page
    assert "logged out after a while without activity" in page
    record = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert (record.ended_at is not None, record.end_reason) == (True, "idle")


def test_a_session_ends_after_12_hours_even_when_in_use(app):
    user = make.user(Role.GUARDIAN, patients=[make.patient()])
    client = log_in(app, user)
    _age_sessions(user, age=timedelta(hours=11, minutes=59))
    assert _logged_in(client, "/family")
    _age_sessions(user, age=timedelta(hours=12, minutes=1))
    assert not _logged_in(client, "/family")


def test_a_password_change_ends_the_other_devices_and_keeps_this_one(app):
    guardian = make.user(Role.GUARDIAN, patients=[make.patient()])
    phone, laptop = log_in(app, guardian), log_in(app, guardian)
    response = phone.post_form(
        "/account/password",
        {
            "current_password": PASSWORD,
            "password": "violet-harbour-kettle",
            "confirm": "violet-harbour-kettle",
        },
    )
    assert response.status_code == 302
    assert _logged_in(phone, "/family")
    assert not _logged_in(laptop, "/family")
    reasons = db.session.scalars(
        select(UserSession.end_reason).where(UserSession.user_id == guardian.id)
    ).all()
    assert sorted(reasons) == ["", "password"]


def test_disabling_a_staff_account_ends_all_its_sessions(app):
    clinician = make.user(Role.CLINICIAN)
    desk = log_in(app, clinician)
    assert _logged_in(desk, "/clinic/")
    admin = log_in(app, make.user(Role.ADMIN))
    assert admin.post_form(f"/admin/staff/{clinician.id}/active").status_code == 302
    assert not _logged_in(desk, "/clinic/")
    ended = db.session.scalars(
        select(UserSession.end_reason).where(UserSession.user_id == clinician.id)
    ).all()
    assert ended == ["disabled"]


def test_the_session_cookie_expires_within_the_absolute_limit(client):
    user = make.user(Role.GUARDIAN)
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    cookie = client.get_cookie("session")
    assert response.status_code == 302
    assert cookie.expires is not None
    assert cookie.expires - now_utc() <= timedelta(hours=12)


def test_the_session_cookie_counts_its_life_from_arrival_so_a_phone_with_a_wrong_clock_keeps_it(
    client,
):
    user = make.user(Role.GUARDIAN)
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    session_cookie = next(
        header for header in response.headers.getlist("Set-Cookie") if header.startswith("session=")
    )
    assert "Max-Age=43200" in session_cookie  # 12 hours from arrival, whatever the phone's date
