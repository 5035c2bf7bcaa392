"""Staff set up (and clinicians may turn off) a second factor: a code from an authenticator app."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user
from wtforms import SubmitField

from portal.audit.trail import audit
from portal.auth import second_factor
from portal.auth.decorators import staff_required
from portal.auth.forms import TwoFactorSetupForm, current_password_field
from portal.auth.passwords import verify_password
from portal.core.database import now_utc
from portal.core.forms import PortalForm, save_form

bp = Blueprint("two_factor", __name__, url_prefix="/account/two-factor")

SETUP_KEY = "totp_setup"


class TwoFactorOffForm(PortalForm):
    password = current_password_field("Your password")
    submit = SubmitField("Turn off the second factor")


def _setup_secret() -> str:
    """The secret being set up, kept in the session until the first code confirms it."""
    secret = session.get(SETUP_KEY)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = second_factor.new_secret()
        session[SETUP_KEY] = secret
    return secret


@bp.route("/", methods=["GET", "POST"])
@staff_required
def setup():
    """Show the key for the authenticator app and turn the factor on with a first code."""
    if current_user.has_totp:
        return render_template(
            "auth/two_factor.html", enabled=True, off_form=TwoFactorOffForm(formdata=None)
        )
    secret = _setup_secret()
    form = TwoFactorSetupForm()
    if save_form(
        form, lambda: second_factor.enable(current_user, secret, form.code.data, now_utc())
    ):
        session.pop(SETUP_KEY, None)
        audit("two_factor", "success", object_type="users", object_id=current_user.id)
        flash("Your second factor is on. You will be asked for a code at each login.", "success")
        return redirect(url_for("main.index"))
    uri = second_factor.provisioning_uri(
        secret, current_user.email, current_app.config["TOTP_ISSUER"]
    )
    return render_template(
        "auth/two_factor.html",
        enabled=False,
        form=form,
        key=second_factor.grouped(secret),
        uri=uri,
        required=second_factor.required(current_user),
    )


@bp.post("/off")
@staff_required
def turn_off():
    """A clinician turns the second factor off (administrators cannot)."""
    form = TwoFactorOffForm()

    def password_right() -> bool:
        if form.password.data and not verify_password(
            current_user.password_hash, form.password.data
        ):
            form.password.errors.append("That is not your password.")
            return False
        return True

    if save_form(form, lambda: second_factor.disable(current_user), check=password_right):
        audit("two_factor", "success", object_type="users", object_id=current_user.id)
        flash("Your second factor is off.", "info")
        return redirect(url_for("two_factor.setup"))
    return render_template("auth/two_factor.html", enabled=True, off_form=form), 200
