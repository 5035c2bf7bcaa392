"""Login, logout and password change."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth.forms import ChangePasswordForm, EmptyForm, LoginForm
from portal.extensions import db
from portal.services.accounts import authenticate, change_password
from portal.services.passwords import verify_password

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "That email or username and password do not match an account."


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


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login page; one generic message for any failure."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            flash(LOGIN_FAILED, "error")
        else:
            db.session.commit()
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """End this session."""
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        flash("You have logged out.", "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; other sessions of the account end."""
    form = ChangePasswordForm()
    if form.is_submitted():
        valid = form.validate()
        typed = form.current_password.data
        # Said even when the new password is also wrong, so one try shows every problem.
        if typed and not verify_password(current_user.password_hash, typed):
            form.current_password.errors.append("That is not your current password.")
        elif valid:
            user = current_user._get_current_object()
            change_password(user, form.password.data)
            db.session.commit()
            login_user(user)  # keep this session on the new version
            flash("Your password has been changed.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)
