"""Login (with a second step for staff who use a code), logout and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user

from portal.audit.trail import audit
from portal.auth import second_factor
from portal.auth.accounts import authenticate, change_password, find_user
from portal.auth.forms import ChangePasswordForm, EmptyForm, LoginCodeForm, LoginForm
from portal.auth.login import end_current_session, start_session
from portal.auth.models import User
from portal.auth.passwords import verify_password
from portal.auth.throttle import form_login_key, limit_failures, note_failure
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.forms import save_form

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "That email or username and password do not match an account."
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
    if "\\" in target:
        return None
    return target


def _after_login():
    return redirect(safe_next(request.args.get("next")) or url_for("main.index"))


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


@bp.route("/login", methods=["GET", "POST"])
@limit_failures(form_login_key)
def login():
    """The login page; one generic message for any failure."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            note_failure()
            audit("login", "failure", object_type="users", object_id=_known_id(form.email.data))
            flash(LOGIN_FAILED, "error")
        elif user.has_totp:
            db.session.commit()
            return _begin_code_step(user)
        else:
            start_session(user)
            db.session.commit()
            audit("login", "success", object_type="users", object_id=user.id)
            return _after_login()
    elif form.is_submitted():
        note_failure()
    return render_template("auth/login.html", form=form)


def _known_id(login: str) -> int | None:
    user = find_user(login)
    return user.id if user else None


def _pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    age = now_utc().timestamp() - float(pending.get("at", 0))
    user = db.session.get(User, int(pending.get("user", 0)))
    if age > PENDING_SECONDS or user is None or not user.active or not user.has_totp:
        return None
    return user if user.session_version == pending.get("version") else None


def _pending_key() -> str:
    pending = session.get(PENDING_KEY)
    user_id = pending.get("user") if isinstance(pending, dict) else None
    return f"user:{user_id}"


@bp.route("/login/code", methods=["GET", "POST"])
@limit_failures(_pending_key)
def login_code():
    """Second step for accounts with an authenticator app."""
    user = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash("Please log in again.", "info")
        return redirect(url_for("auth.login"))
    form = LoginCodeForm()
    if form.validate_on_submit():
        if second_factor.verify(user, form.code.data, now_utc()):
            start_session(user)
            db.session.commit()
            audit("login_code", "success", object_type="users", object_id=user.id)
            return _after_login()
        db.session.rollback()
        form.code.errors.append("That code is not right, or was already used. Try the next one.")
    if form.is_submitted():
        note_failure()
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
    """Change one's own password; other sessions of the account end."""
    form = ChangePasswordForm()

    def current_password_right() -> bool:
        typed = form.current_password.data
        # Said even when the new password is also wrong, so one try shows every problem.
        if typed and not verify_password(current_user.password_hash, typed):
            form.current_password.errors.append("That is not your current password.")
            return False
        return True

    def save() -> User:
        user = current_user._get_current_object()
        change_password(user, form.password.data, now_utc(), g.user_session)
        login_user(user)  # this device carries on with the new session version
        return user

    saved = save_form(form, save, check=current_password_right)
    if saved:
        audit("password", "success", object_type="users", object_id=saved.value.id)
        flash("Your password has been changed.", "success")
        return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)
