"""Forgot password: ask for a link on /login/forgot, use it on /login/reset/<token>."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.audit.trail import audit
from portal.auth import password_reset, throttle
from portal.auth.forms import ForgotPasswordForm, ResetPasswordForm
from portal.auth.tasks import send_reset_link
from portal.core.database import now_utc
from portal.core.extensions import db, limiter
from portal.core.forms import save_form

bp = Blueprint("auth_reset", __name__)


def _address_limit() -> str:
    return current_app.config["PASSWORD_RESET_LIMIT_ADDRESS"]


@bp.route("/login/forgot", methods=["GET", "POST"])
@throttle.limit_form_posts
@limiter.limit(
    _address_limit,
    key_func=lambda: f"addr:{throttle.address()}",
    methods=["POST"],
    scope="password-reset-address",
    error_message=throttle.REQUESTS_MESSAGE,
)
def forgot_password():
    """The same answer for every address: the job alone finds out whether it is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        send_reset_link(form.email.data.strip())
        audit("password_reset", "requested")
        return render_template("auth/reset_sent.html")
    return render_template("auth/forgot.html", form=form)


@bp.route("/login/reset/<token>", methods=["GET", "POST"])
@throttle.limit_form_posts
def reset_password(token: str):
    if current_user.is_authenticated:
        abort(404)
    if password_reset.live_link(token, now_utc()) is None:
        audit("password_reset", "denied")
        return render_template("auth/reset_invalid.html"), 410
    form = ResetPasswordForm()

    def save():
        return password_reset.redeem(token, form.password.data, now_utc())

    try:
        saved = save_form(form, save)
    except password_reset.LinkNotValid:
        db.session.rollback()
        audit("password_reset", "denied")
        return render_template("auth/reset_invalid.html"), 410
    if saved:
        audit("password_reset", "success", object_type="users", object_id=saved.value.id)
        flash("Your password has been changed. Log in with the new one.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)
