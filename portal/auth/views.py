"""Login (with a second step for staff who use a code), logout and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user

from portal.audit.trail import audit
from portal.auth import device_cookie, reauth, recovery_codes, second_factor, throttle
from portal.auth.accounts import authenticate, change_password, find_user, log_out_everywhere
from portal.auth.forms import ChangePasswordForm, EmptyForm, LoginCodeForm, LoginForm
from portal.auth.login import end_current_session, start_session
from portal.auth.models import TrustedDevice, User
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.forms import save_form
from portal.core.ids import parse_id

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "That email or username and password do not match an account."
CODE_REFUSED = "That code is not right, or was already used. Try the next one."
PENDING_KEY = "pending_login"
# How long the second step waits for its code after a correct password.
PENDING_SECONDS = 300


def safe_next(target: str | None) -> str | None:
    """The `next` target only when it is a path on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    # A browser drops tabs and line breaks from a URL: "/\t/evil.example" would become
    # "//evil.example", another site. No control character is ever part of a local path.
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    return target


def _after_login(user: User, device: TrustedDevice | None):
    """Where a completed login goes; this browser becomes (or stays) a trusted device."""
    response = redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    device_cookie.remember(response, user, device)
    db.session.commit()
    return response


def _begin_code_step(user: User):
    """Password right; the login completes only with a code from the authenticator app."""
    session.clear()
    session[PENDING_KEY] = {
        "user": user.id,
        "version": user.session_version,
        "at": now_utc().timestamp(),
    }
    audit("login", "success", object_type="users", object_id=user.id, fields=("password",))
    return redirect(url_for("auth.login_code", next=safe_next(request.args.get("next"))))


def _login_tries(login_name: str, device: TrustedDevice | None) -> throttle.Tries:
    """Count this try before the password is checked: against the address, and against
    the account, or against this browser alone when it is one of the account's devices."""
    own = throttle.device_budget(device.id) if device else throttle.login_budget(login_name)
    return throttle.take(throttle.address_budget(), own)


@bp.route("/login", methods=["GET", "POST"])
@throttle.limit_form_posts
def login():
    """The login page; one generic message for any failure.

    Only a well-formed try (a valid CSRF token, a login and a password) counts against
    an account, so a bare POST from another site, or an empty form, locks nobody out.
    """
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        device = device_cookie.recognised(find_user(form.email.data))
        tries = _login_tries(form.email.data, device)
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            audit("login", "failure", object_type="users", object_id=_known_id(form.email.data))
            flash(LOGIN_FAILED, "error")
        else:
            tries.succeeded()
            if user.has_totp:
                db.session.commit()
                return _begin_code_step(user)
            start_session(user)
            audit("login", "success", object_type="users", object_id=user.id)
            return _after_login(user, device)
    return render_template("auth/login.html", form=form)


def _known_id(login: str) -> int | None:
    user = find_user(login)
    return user.id if user else None


def _pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    age = now_utc().timestamp() - float(pending.get("at", 0))
    user = db.session.get(User, parse_id(pending.get("user")) or 0)
    if age > PENDING_SECONDS or user is None or not user.active or not user.has_totp:
        return None
    return user if user.session_version == pending.get("version") else None


def _second_factor_right(user: User, code: str) -> str | None:
    """'totp' or 'recovery_code' when the code is right (and now used up), else None."""
    if second_factor.looks_like_code(code):
        return "totp" if second_factor.verify(user, code, now_utc()) else None
    return "recovery_code" if recovery_codes.use(user, code, now_utc()) else None


@bp.route("/login/code", methods=["GET", "POST"])
@throttle.limit_form_posts
def login_code():
    """Second step for accounts with an authenticator app (or a recovery code)."""
    user = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash("Please log in again.", "info")
        return redirect(url_for("auth.login"))
    form = LoginCodeForm()
    if form.validate_on_submit():
        device = device_cookie.recognised(user)
        own = throttle.device_budget(device.id) if device else throttle.user_budget(user.id)
        tries = throttle.take(throttle.address_budget(), own)
        used = _second_factor_right(user, form.typed_code())
        if used:
            tries.succeeded()
            start_session(user)
            audit("login_code", "success", object_type="users", object_id=user.id, fields=(used,))
            return _after_login(user, device)
        db.session.rollback()
        form.code.errors.append(CODE_REFUSED)
        audit("login_code", "failure", object_type="users", object_id=user.id)
    return render_template("auth/login_code.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """End this session; the account's other devices stay logged in."""
    form = EmptyForm()
    if form.validate_on_submit():
        audit("logout", "success", object_type="users", object_id=current_user.id)
        end_current_session("logout")
        db.session.commit()
        flash("You have logged out.", "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; other sessions and trusted devices of the account end."""
    form = ChangePasswordForm()

    def current_password_right() -> bool:
        # Said even when the new password is also wrong, so one try shows every problem.
        return reauth.password_right(
            form, form.current_password, "That is not your current password."
        )

    def save() -> User:
        user = current_user._get_current_object()
        change_password(user, form.password.data, now_utc(), g.user_session)
        login_user(user)  # this device carries on with the new session version
        return user

    saved = save_form(form, save, check=current_password_right)
    if saved:
        audit("password", "success", object_type="users", object_id=saved.value.id)
        flash("Your password has been changed.", "success")
        response = redirect(url_for("main.index"))
        device_cookie.remember(response, saved.value, None)  # this browser is trusted again
        db.session.commit()
        return response
    return render_template("auth/password.html", form=form, everywhere_form=EmptyForm())


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of the account, this one too, and forget its trusted devices."""
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.password"))
    user_id = current_user.id
    log_out_everywhere(current_user._get_current_object(), now_utc())
    end_current_session("everywhere")
    db.session.commit()
    audit("logout", "success", object_type="users", object_id=user_id, fields=("everywhere",))
    flash("You have logged out on every device.", "info")
    return device_cookie.forget(redirect(url_for("auth.login")))
