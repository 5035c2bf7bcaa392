"""Logging in and out, and changing a password."""

import pytest

from portal.auth.models import Role
from portal.core.extensions import db
from tests import factories as make
from tests.factories import PASSWORD, totp_code


def test_login_page_has_labelled_fields_and_button(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<label class="label" for="email">Email' in page
    assert '<label class="label" for="password">Password' in page
    assert 'name="csrf_token"' in page
    assert ">Log in<" in page or 'value="Log in"' in page
    assert '<meta name="csrf-token" content="' in page


def test_wrong_password_and_unknown_email_get_the_same_message(client):
    user = make.user(Role.GUARDIAN)
    wrong_password = client.post_form("/login", {"email": user.email, "password": "nope-nope-nope"})
    unknown = client.post_form("/login", {"email": "nobody@example.test", "password": PASSWORD})
    for response in (wrong_password, unknown):
        assert response.status_code == 200
        assert "do not match an account" in response.get_data(as_text=True)
    assert wrong_password.get_data(as_text=True).count("do not match") == 1


def test_guardian_login_lands_on_family_home_and_logout_ends_session(client, login):
    user = make.user(Role.GUARDIAN)
    login(user)
    assert client.get("/", follow_redirects=False).headers["Location"].endswith("/family")
    assert client.post_form("/logout").status_code == 302
    assert client.get("/family").status_code == 302  # back to the login page


def test_login_email_is_case_insensitive(client):
    user = make.user(Role.CLINICIAN, email="Dr.Who@Example.test")
    response = client.post_form("/login", {"email": " DR.WHO@example.TEST ", "password": PASSWORD})
    assert response.status_code == 302
    assert user.email == "dr.who@example.test"


def test_logout_requires_post_with_csrf(client, login):
    login(make.user(Role.GUARDIAN))
    assert client.get("/logout").status_code == 405
    client.post("/logout", data={})  # no token: refused, still logged in
    assert client.get("/family").status_code in (200, 302)
    assert "/login" not in client.get("/family").headers.get("Location", "")


def test_disabled_account_cannot_log_in(client):
    user = make.user(Role.GUARDIAN)
    user.active = False
    db.session.commit()
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "do not match an account" in response.get_data(as_text=True)


def test_change_password_then_log_in_with_the_new_one(client, login, app):
    user = make.user(Role.GUARDIAN)
    login(user)
    other = app.test_client()
    other.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert other.get("/family").status_code in (200, 302)
    response = client.post_form(
        "/account/password",
        {
            "current_password": PASSWORD,
            "password": "a-brand-new-secret",
            "confirm": "a-brand-new-secret",
        },
    )
    assert response.status_code == 302
    assert client.get("/family").status_code in (200, 302)
    assert "/login" not in client.get("/family").headers.get("Location", "")
    # the other device's session ended with the change
    assert "/login" in other.get("/family").headers.get("Location", "")
    client.post_form("/logout")
    bad = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert "do not match" in bad.get_data(as_text=True)
    good = client.post_form("/login", {"email": user.email, "password": "a-brand-new-secret"})
    assert good.status_code == 302


def test_change_password_rejects_short_and_mismatched(client, login):
    login(make.user(Role.GUARDIAN))
    response = client.post_form(
        "/account/password", {"current_password": PASSWORD, "password": "short", "confirm": "other"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "at least 10 characters" in page
    assert "do not match" in page


HOMES = {
    "guardian": "/family",
    "child": "/family",
    "clinician": "/clinic/dashboard",
    "admin": "/admin/",
}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_logs_in_changes_password_and_logs_out(client, role):
    user = make.user(role, patients=[make.patient()] if role.is_family else ())
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    if role is Role.ADMIN:  # administrators must give their second factor too
        assert response.headers["Location"].startswith("/login/code")
        assert "/login" in client.get("/account/password").headers["Location"]  # not yet in
        db.session.refresh(user)
        response = client.post_form("/login/code", {"code": totp_code(user)})
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == HOMES[role.value]
    assert "Log out" in client.get("/account/password").get_data(as_text=True)

    changed = client.post_form(
        "/account/password",
        {"current_password": PASSWORD, "password": "brand-new-pass", "confirm": "brand-new-pass"},
    )
    assert changed.status_code == 302
    assert client.post_form("/logout").headers["Location"] == "/login"
    assert "/login" in client.get(HOMES[role.value]).headers["Location"]
    again = client.post_form("/login", {"email": user.email, "password": "brand-new-pass"})
    assert again.status_code == 302


def test_wrong_current_password_is_refused_and_nothing_changes(client, login):
    user = make.user(Role.CLINICIAN)
    login(user)
    old_hash = user.password_hash
    page = client.post_form(
        "/account/password",
        {"current_password": "not-mine-at-all", "password": "new-one", "confirm": "new-one"},
    ).get_data(as_text=True)
    assert "Current password: That is not your current password." in page
    assert "New password: Use at least 10 characters." in page
    db.session.refresh(user)
    assert user.password_hash == old_hash


@pytest.mark.parametrize(
    ("target", "lands"),
    [
        ("/clinic/", "/clinic/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_login_follows_next_only_to_a_page_of_this_site(client, target, lands):
    user = make.user(Role.CLINICIAN)
    response = client.post_form(
        "/login",
        {"email": user.email, "password": PASSWORD},
        query_string={"next": target},
    )
    assert response.headers["Location"] == lands


def test_a_page_asked_for_before_login_is_shown_after_it(client):
    user = make.user(Role.CLINICIAN)
    bounced = client.get("/clinic/patients/new")
    assert "/login?next=" in bounced.headers["Location"]
    response = client.post_form(
        bounced.headers["Location"], {"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/clinic/patients/new"


def test_login_form_keeps_the_email_after_a_wrong_password(client):
    user = make.user(Role.GUARDIAN)
    page = client.post_form("/login", {"email": user.email, "password": "nope-nope-nope"})
    text = page.get_data(as_text=True)
    assert f'value="{user.email}"' in text
    assert "nope-nope-nope" not in text
