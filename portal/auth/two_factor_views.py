"""Staff set up (and clinicians may turn off) a second factor: a code from an authenticator app.

At set-up the page shows a QR code and the key as text (for screen readers and typing
by hand); the secret waits on the account, sealed, until the first code confirms it.
Turning the factor on shows ten recovery codes once; new ones can be made later.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SubmitField

from portal.audit.trail import audit
from portal.auth import reauth, recovery_codes, second_factor
from portal.auth.decorators import staff_required
from portal.auth.forms import TwoFactorSetupForm, current_password_field
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.forms import PortalForm, save_form

bp = Blueprint("two_factor", __name__, url_prefix="/account/two-factor")

NOT_YOURS = "That is not your password."


class TwoFactorOffForm(PortalForm):
    password = current_password_field("Your password")
    submit = SubmitField("Turn off the second factor")


class NewRecoveryCodesForm(PortalForm):
    password = current_password_field("Your password")
    submit = SubmitField("Make new recovery codes")


def _enabled_page(off_form=None, codes_form=None, status: int = 200):
    page = render_template(
        "auth/two_factor.html",
        enabled=True,
        off_form=off_form or TwoFactorOffForm(formdata=None),
        codes_form=codes_form or NewRecoveryCodesForm(formdata=None),
        remaining=recovery_codes.remaining(current_user),
    )
    return page, status


def _show_codes(codes: list[str], first_time: bool):
    """The recovery codes, on this answer only (never stored, never in a cookie)."""
    audit("recovery_codes", "success", object_type="users", object_id=current_user.id,
          fields=("generated",))  # fmt: skip
    return render_template("auth/recovery_codes.html", codes=codes, first_time=first_time)


@bp.route("/", methods=["GET", "POST"])
@staff_required
def setup():
    """Show the key for the authenticator app and turn the factor on with a first code."""
    if current_user.has_totp:
        return _enabled_page()
    secret = second_factor.pending_secret(current_user, now_utc())
    db.session.commit()
    form = TwoFactorSetupForm()
    saved = save_form(form, lambda: second_factor.enable(current_user, form.code.data, now_utc()))
    if saved:
        audit("two_factor", "success", object_type="users", object_id=current_user.id)
        flash("Your second factor is on. You will be asked for a code at each login.", "success")
        return _show_codes(saved.value, first_time=True)
    uri = second_factor.provisioning_uri(
        secret, current_user.email, current_app.config["TOTP_ISSUER"]
    )
    return render_template(
        "auth/two_factor.html",
        enabled=False,
        form=form,
        key=second_factor.grouped(secret),
        uri=uri,
        qr=second_factor.qr_svg(uri),
        required=second_factor.required(current_user),
    )


@bp.post("/off")
@staff_required
def turn_off():
    """A clinician turns the second factor off (administrators cannot)."""
    if not current_user.has_totp:
        return redirect(url_for("two_factor.setup"))
    form = TwoFactorOffForm()

    def password_right() -> bool:
        return reauth.password_right(form, form.password, NOT_YOURS)

    if save_form(form, lambda: second_factor.disable(current_user), check=password_right):
        audit("two_factor", "success", object_type="users", object_id=current_user.id)
        flash("Your second factor is off.", "info")
        return redirect(url_for("two_factor.setup"))
    return _enabled_page(off_form=form)


@bp.post("/recovery-codes")
@staff_required
def new_recovery_codes():
    """A new set of ten recovery codes (the old ones stop working), after the password."""
    if not current_user.has_totp:
        return redirect(url_for("two_factor.setup"))
    form = NewRecoveryCodesForm()

    def password_right() -> bool:
        return reauth.password_right(form, form.password, NOT_YOURS)

    saved = save_form(
        form, lambda: recovery_codes.replace(current_user, now_utc()), check=password_right
    )
    if saved:
        return _show_codes(saved.value, first_time=False)
    return _enabled_page(codes_form=form)
