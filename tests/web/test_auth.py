"""Logging in and out, and changing a password."""

from portal.auth.models import Role
from portal.extensions import db
from tests.factories import PASSWORD, make_user


def test_login_page_has_labelled_fields_and_button(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<label class="label" for="email">Email' in page
    assert '<label class="label" for="password">Password' in page
    assert 'name="csrf_token"' in page
    assert ">Log in<" in page or 'value="Log in"' in page
    assert '<meta name="csrf-token" content="' in page


def test_wrong_password_and_unknown_email_get_the_same_message(client):
    user = make_user(Role.GUARDIAN)
    wrong_password = client.post_form("/login", {"email": user.email, "password": "nope-nope-nope"})
    unknown = client.post_form("/login", {"email": "nobody@example.test", "password": PASSWORD})
    for response in (wrong_password, unknown):
        assert response.status_code == 200
        assert "do not match an account" in response.get_data(as_text=True)
    assert wrong_password.get_data(as_text=True).count("do not match") == 1


def test_guardian_login_lands_on_family_home_and_logout_ends_session(client, login):
    user = make_user(Role.GUARDIAN)
    login(user)
    assert client.get("/", follow_redirects=False).headers["Location"].endswith("/family")
    assert client.post_form("/logout").status_code == 302
    assert client.get("/family").status_code == 302  # back to the login page


def test_login_email_is_case_insensitive(client):
    user = make_user(Role.CLINICIAN, email="Dr.Who@Example.test")
    response = client.post_form("/login", {"email": " DR.WHO@example.TEST ", "password": PASSWORD})
    assert response.status_code == 302
    assert user.email == "dr.who@example.test"


def test_logout_requires_post_with_csrf(client, login):
    login(make_user(Role.GUARDIAN))
    assert client.get("/logout").status_code == 405
    client.post("/logout", data={})  # no token: refused, still logged in
    assert client.get("/family").status_code in (200, 302)
    assert "/login" not in client.get("/family").headers.get("Location", "")


def test_disabled_account_cannot_log_in(client):
    user = make_user(Role.GUARDIAN)
    user.active = False
    db.session.commit()
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "do not match an account" in response.get_data(as_text=True)


def test_change_password_then_log_in_with_the_new_one(client, login, app):
    user = make_user(Role.GUARDIAN)
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
    login(make_user(Role.GUARDIAN))
    response = client.post_form(
        "/account/password", {"current_password": PASSWORD, "password": "short", "confirm": "other"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "at least 10 characters" in page
    assert "do not match" in page
