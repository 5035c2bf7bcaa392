"""Flask-Login wiring and the server-side session behind every login.

The cookie carries two things: Flask-Login's 'id:version' (the account's
session_version, bumped by a password change or a disable, ends every device
at once) and a random per-device token naming a UserSession row (ended by
logout and by the idle and absolute timeouts, so a copied cookie dies with it).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Response, current_app, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, current_user, login_user, logout_user

from portal.audit.trail import audit, set_actor
from portal.auth import device_sessions, second_factor
from portal.auth.models import User
from portal.core.api_errors import wants_json
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.ids import parse_id

SESSION_KEY = "sid"
ENDED_MESSAGES = {
    "idle": "You were logged out after a while without activity, to keep the diary private. "
    "Please log in again.",
    "absolute": "You have been logged in for a long time, so you were logged out. "
    "Please log in again.",
}
# What an administrator without a second factor may still reach.
TWO_FACTOR_SETUP_ENDPOINTS = {"two_factor.setup", "auth.logout", "static", "main.healthz"}


def session_limits(app: Flask) -> device_sessions.SessionLimits:
    """The configured idle and absolute limits."""
    config = app.config
    return device_sessions.SessionLimits(
        idle_family=timedelta(minutes=config["SESSION_IDLE_MINUTES_FAMILY"]),
        idle_staff=timedelta(minutes=config["SESSION_IDLE_MINUTES_STAFF"]),
        absolute=timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]),
    )


def load_user(session_id: str) -> User | None:
    """The user for 'id:version' when that version is current and the device session is live."""
    user_id, _, version = session_id.partition(":")
    if parse_id(user_id) is None or not (version.isascii() and version.isdigit()):
        return None
    # One statement: the account, the device session the cookie names and the children
    # the account is linked to (so a family's own child needs no query of its own).
    loaded = device_sessions.load_user_and_session(parse_id(user_id), session.get(SESSION_KEY))
    if loaded is None:
        return None
    user, record = loaded
    if not user.active or user.session_version != int(version):
        return None
    check = device_sessions.check_loaded(user, record, now_utc(), session_limits(current_app))
    if check.reason:
        g.session_end = check
        return None
    g.user_session = check.record
    return user


def start_session(user: User) -> None:
    """Log the user in on this device with a fresh session; the caller commits."""
    now = now_utc()
    device_sessions.prune_sessions(user, now, session_limits(current_app))
    record, token = device_sessions.open_session(user, now)
    session.clear()  # a new login starts from an empty cookie (no fixation)
    session[SESSION_KEY] = token
    session.permanent = True  # the cookie expires at the absolute limit
    login_user(user, remember=False)
    g.user_session = record
    set_actor(user)


def end_current_session(reason: str) -> None:
    """Log out this device: its session row ends, so a copy of the cookie is worthless."""
    record = g.get("user_session")
    if record is not None:
        device_sessions.end_session(record, now_utc(), reason)
    logout_user()
    session.clear()


def _expire_ended_session() -> None:
    """The cookie named no live session: end it if it just timed out, record it, forget it."""
    check = g.pop("session_end")
    record = check.record
    if record is not None and record.ended_at is None:
        device_sessions.end_session(record, now_utc(), check.reason)
        db.session.commit()
    # A timeout is routine; a cookie of an ended or unknown session is a replay.
    outcome = "success" if check.reason in ENDED_MESSAGES else "denied"
    user_id = record.user_id if record is not None else None
    audit("session_end", outcome, object_type="users", object_id=user_id, fields=(check.reason,))
    session.clear()
    if check.reason in ENDED_MESSAGES and not wants_json():
        flash(ENDED_MESSAGES[check.reason], "info")
        g.session_end_explained = True


# Answered without looking at the cookie: no user, no session, no query.
NO_SESSION_ENDPOINTS = {"static", "main.healthz", "main.readyz"}


def check_live_session():
    """before_request: load the user, end timed-out sessions, note activity, demand 2FA setup."""
    if request.endpoint in NO_SESSION_ENDPOINTS:
        return None
    authenticated = current_user.is_authenticated
    if "session_end" in g:
        _expire_ended_session()
    set_actor(current_user if authenticated else None)
    if not authenticated:
        return None
    if device_sessions.touch(g.user_session, now_utc()):
        db.session.commit()
    if second_factor.required(current_user) and request.endpoint not in TWO_FACTOR_SETUP_ENDPOINTS:
        return redirect(url_for("two_factor.setup"))
    return None


def _api_caller() -> bool:
    # Not wants_json(): a browser following a download link (export.json) after a
    # timeout should land on the login page, not on a bare JSON error.
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.path.startswith("/api/") or best == "application/json"


def unauthorized():
    """Not logged in: API callers get 401, browsers the login page."""
    if _api_caller():
        return {"error": "Please log in."}, 401
    if not g.get("session_end_explained"):
        flash("Please log in to see that page.", "info")
    target = request.path if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target))


class MaxAgeSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session whose lifetime is sent as Max-Age.

    Expires is a date on the server's clock: a phone whose own clock is wrong by more
    than the lifetime would throw the cookie away on arrival and never stay logged in.
    Max-Age counts from arrival and takes precedence (RFC 6265, 5.3). The idle and
    absolute limits are kept on the server, in the UserSession row.
    """

    def save_session(self, app: Flask, session, response: Response) -> None:
        if not (session and session.permanent and self.should_set_cookie(app, session)):
            super().save_session(app, session, response)
            return
        response.set_cookie(
            self.get_cookie_name(app),
            self.get_signing_serializer(app).dumps(dict(session)),
            max_age=app.permanent_session_lifetime,
            httponly=self.get_cookie_httponly(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            partitioned=self.get_cookie_partitioned(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")


def configure_login(app: Flask, manager: LoginManager) -> None:
    """Bind Flask-Login with the portal's loader, login page and session checks."""
    app.session_interface = MaxAgeSessionInterface()
    manager.init_app(app)
    manager.user_loader(load_user)
    manager.unauthorized_handler(unauthorized)
    manager.login_view = "auth.login"
    manager.session_protection = "basic"
    app.before_request(check_live_session)
