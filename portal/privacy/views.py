"""A guardian downloads all data held about their child, or closes their account."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.audit.trail import audit
from portal.auth import reauth
from portal.auth.accounts import close_family_account
from portal.auth.decorators import guardian_required
from portal.auth.forms import CloseAccountForm
from portal.auth.login import end_current_session
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.patients.permissions import get_patient_or_404
from portal.privacy.export import patient_record, record_csv, record_json
from portal.privacy.zip_views import family_zip

bp = Blueprint("privacy", __name__)

FORMATS = {
    "json": ("application/json", record_json),
    "csv": ("text/csv; charset=utf-8", record_csv),
}


@bp.get("/family/<int:patient_id>/data")
@guardian_required
def your_data(patient_id: int):
    """What the portal holds about the child, and the ways to download or leave."""
    patient = get_patient_or_404(patient_id, current_user)
    return render_template("privacy/data.html", patient=patient)


@bp.get("/family/<int:patient_id>/export.<fmt>")
@guardian_required
def export(patient_id: int, fmt: str):
    """Everything held about the child, as a JSON or CSV download."""
    if fmt not in FORMATS:
        return render_template("errors/error.html", code=404, title="Page not found"), 404
    patient = get_patient_or_404(patient_id, current_user)
    mimetype, render = FORMATS[fmt]
    body = render(patient_record(patient, now_utc()))
    audit(
        "export", object_type="patients", object_id=patient.id, patient_id=patient.id, fields=(fmt,)
    )
    # A neutral file name: the child's name stays out of download folders and logs.
    filename = f"ivig-diary-record-{patient.id}.{fmt}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/family/<int:patient_id>/download.zip")
@guardian_required
def download_zip(patient_id: int):
    """A zip a parent can read: summary (HTML and PDF), one CSV per kind, FHIR and JSON."""
    patient = get_patient_or_404(patient_id, current_user)
    body = family_zip(patient)
    audit(
        "export", object_type="patients", object_id=patient.id, patient_id=patient.id,
        fields=("zip",),
    )  # fmt: skip
    return Response(
        body,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="ivig-diary-{patient.id}.zip"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/account/close", methods=["GET", "POST"])
@guardian_required
def close_account():
    """Close the guardian's login; the clinic keeps its record of the child."""
    form = CloseAccountForm()
    if form.validate_on_submit():
        if not reauth.password_right(form, form.password, "That is not your password."):
            pass  # the message is on the field; the try stays counted
        else:
            user_id = current_user.id
            close_family_account(current_user, now_utc())
            end_current_session("closed")
            db.session.commit()
            audit("account", object_type="users", object_id=user_id, fields=("closed",))
            flash("Your account is closed. Thank you for using the diary.", "info")
            return redirect(url_for("main.index"))
    children = list(current_user.patients)
    return render_template("privacy/close.html", form=form, children=children)
