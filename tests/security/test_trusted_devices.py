"""No lockout for free: strangers can lock an account, never its owner's own browser.

Only a well-formed login (a valid CSRF token, a login and a password) counts against
an account. When strangers have spent its 10 failed tries, a browser where the owner
logged in before (a trusted device, its signed cookie) still logs in; any other browser
is refused like the strangers.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from config import ProductionConfig
from portal.auth.device_cookie import COOKIE_NAME
from portal.auth.models import Role, TrustedDevice
from portal.core.extensions import db
from tests import factories as make
from tests.conftest import PortalClient
from tests.factories import PASSWORD, totp_code

WRONG = "wrong-password-x"


def _client(app, address: str) -> PortalClient:
    app.test_client_class = PortalClient
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _login(client, login: str, password: str = PASSWORD):
    return client.post_form("/login", {"email": login, "password": password})


def _lock(app, login: str) -> None:
    """Ten strangers' wrong passwords, each from its own address."""
    for n in range(10):
        assert _login(_client(app, f"192.0.2.{n + 1}"), login, WRONG).status_code == 200
    assert _login(_client(app, "192.0.2.99"), login, PASSWORD).status_code == 429


def _owners_phone(app, user, address: str = "10.9.0.1") -> PortalClient:
    """The owner's own browser: logged in once (so it is trusted), then logged out."""
    phone = _client(app, address)
    assert _login(phone, user.email).status_code == 302
    assert phone.get_cookie(COOKIE_NAME, path="/login") is not None
    phone.post_form("/logout")
    return phone


def _device_cookie(client) -> str:
    return client.get_cookie(COOKIE_NAME, path="/login").value


def _give_cookie(client, value: str) -> None:
    client.set_cookie(COOKIE_NAME, value, path="/login")


def test_posts_without_a_csrf_token_or_a_password_lock_nobody_out(app):
    user = make.user(Role.GUARDIAN)
    for n in range(15):
        bare = _client(app, f"198.51.100.{n + 1}")
        assert bare.post("/login", data={"email": user.email}).status_code == 200
        assert bare.post("/login", data={"email": user.email, "password": WRONG}).status_code == 200
        assert bare.post_form("/login", {"email": user.email}).status_code == 200
    assert _login(_client(app, "198.51.100.200"), user.email).status_code == 302


def test_the_owners_own_browser_still_logs_in_while_strangers_have_locked_the_account(app):
    user = make.user(Role.GUARDIAN)
    phone = _owners_phone(app, user)
    _lock(app, user.email)
    answer = _login(phone, user.email)
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert phone.get("/family").status_code in (200, 302)


def test_a_new_browser_of_the_owner_is_refused_like_a_stranger_while_locked(app):
    user = make.user(Role.GUARDIAN)
    _owners_phone(app, user)
    _lock(app, user.email)
    assert _login(_client(app, "10.9.0.1"), user.email).status_code == 429


def test_a_forged_or_altered_device_cookie_does_nothing(app):
    user = make.user(Role.GUARDIAN)
    genuine = _device_cookie(_owners_phone(app, user))
    _lock(app, user.email)
    payload, _, signature = genuine.rpartition(".")
    altered = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    for value in (altered, "forged", genuine[:-4], ""):
        intruder = _client(app, "192.0.2.150")
        _give_cookie(intruder, value)
        assert _login(intruder, user.email).status_code == 429, value[:12]


def test_a_device_cookie_of_another_account_does_nothing_for_this_one(app):
    victim, attacker = make.user(Role.GUARDIAN), make.user(Role.GUARDIAN)
    attackers_cookie = _device_cookie(_owners_phone(app, attacker, "192.0.2.160"))
    _lock(app, victim.email)
    intruder = _client(app, "192.0.2.160")
    _give_cookie(intruder, attackers_cookie)
    assert _login(intruder, victim.email).status_code == 429


def test_a_copy_taken_before_the_owner_logs_in_again_stops_working(app):
    user = make.user(Role.GUARDIAN)
    phone = _owners_phone(app, user)
    stolen = _device_cookie(phone)
    assert _login(phone, user.email).status_code == 302  # the owner logs in: a new token
    assert _device_cookie(phone) != stolen
    phone.post_form("/logout")
    _lock(app, user.email)
    thief = _client(app, "192.0.2.170")
    _give_cookie(thief, stolen)
    assert _login(thief, user.email).status_code == 429
    assert _login(phone, user.email).status_code == 302


def test_a_password_change_revokes_every_other_trusted_device(app):
    user = make.user(Role.GUARDIAN)
    laptop = _owners_phone(app, user, "10.9.0.2")
    phone = _client(app, "10.9.0.1")
    assert _login(phone, user.email).status_code == 302
    new = "amber-lantern-sky-42"
    form = {"current_password": PASSWORD, "password": new, "confirm": new}
    assert phone.post_form("/account/password", form).status_code == 302
    phone.post_form("/logout")
    _lock(app, user.email)
    assert _login(laptop, user.email, new).status_code == 429
    assert _login(phone, user.email, new).status_code == 302  # trusted again at the change


def test_logging_out_everywhere_ends_every_session_and_revokes_every_trusted_device(app):
    user = make.user(Role.GUARDIAN)
    laptop, phone = _client(app, "10.9.0.2"), _client(app, "10.9.0.1")
    for browser in (laptop, phone):
        assert _login(browser, user.email).status_code == 302
    assert laptop.get("/family").status_code in (200, 302)
    answer = phone.post_form("/account/logout-everywhere")
    assert answer.status_code == 302 and answer.headers["Location"] == "/login"
    assert phone.get_cookie(COOKIE_NAME, path="/login") is None
    assert laptop.get("/family").headers["Location"].startswith("/login")
    assert db.session.query(TrustedDevice).filter(TrustedDevice.revoked_at.is_(None)).count() == 0
    _lock(app, user.email)
    assert _login(laptop, user.email).status_code == 429


def test_a_trusted_browser_has_its_own_budget_of_10_failed_tries(app):
    user = make.user(Role.GUARDIAN)
    phone = _owners_phone(app, user)
    _lock(app, user.email)
    for n in range(10):
        phone.environ_base["REMOTE_ADDR"] = f"10.9.1.{n}"  # a phone moving between networks
        assert _login(phone, user.email, WRONG).status_code == 200
    assert _login(phone, user.email).status_code == 429


def test_the_owners_browser_also_passes_a_locked_second_factor_step(app):
    clinician = make.user(Role.CLINICIAN, totp=True)
    desk = _client(app, "10.9.2.1")
    _login(desk, clinician.email)
    assert desk.post_form("/login/code", {"code": totp_code(clinician)}).status_code == 302
    desk.post_form("/logout")
    # Someone who knows the password spends the code step's budget from elsewhere.
    stranger = _client(app, "192.0.2.180")
    for _ in range(10):
        _login(stranger, clinician.email)
        stranger.post_form("/login/code", {"code": "000000"})
    _login(stranger, clinician.email)
    assert stranger.post_form("/login/code", {"code": "000000"}).status_code == 429
    assert _login(desk, clinician.email).headers["Location"].startswith("/login/code")
    db.session.refresh(clinician)
    assert desk.post_form("/login/code", {"code": totp_code(clinician)}).status_code == 302


def test_the_device_cookie_is_httponly_strict_for_the_login_pages_only_and_secure(app, other_app):
    user = make.user(Role.GUARDIAN)
    answer = _login(_client(app, "10.9.3.1"), user.email)
    line = next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith(COOKIE_NAME))
    morsel = SimpleCookie(line)[COOKIE_NAME]
    assert morsel["httponly"] and morsel["samesite"] == "Strict" and morsel["path"] == "/login"
    assert int(morsel["max-age"]) == 90 * 24 * 3600
    assert user.email not in line

    production = other_app(
        ProductionConfig,
        SECRET_KEY="a-real-secret-from-the-environment",
        PORTAL_DATA_KEYS=app.config["PORTAL_DATA_KEYS"],
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        ASSETS_AUTO_BUILD=True,
    )
    production.test_client_class = PortalClient
    secure = production.test_client()
    answer = secure.post(
        "/login",
        base_url="https://localhost",
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf_token": _token(secure),
        },
    )
    line = next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith(COOKIE_NAME))
    assert "Secure" in line


def _token(client) -> str:
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
