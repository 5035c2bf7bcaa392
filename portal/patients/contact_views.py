"""A guardian's contact details: the settings page, and the clinic's view of them.

The clinic reads guardians' phone numbers and emails on the patient record, the triage
list and the dashboard; each showing is audited as a read of that child's contacts.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.audit.trail import audit
from portal.auth.decorators import guardian_required
from portal.core.extensions import db
from portal.core.forms import save_form
from portal.patients.contact import (
    GuardianContact,
    display_phone,
    guardian_contacts,
    set_guardian_phone,
)
from portal.patients.forms import ContactForm
from portal.patients.models import Patient

bp = Blueprint("contact", __name__)


def phone_region() -> str:
    return current_app.config.get("PHONE_REGION", "GB")


def contacts_shown(patients: Iterable[Patient]) -> dict[int, list[GuardianContact]]:
    """Patient id → guardians' contacts, each showing of any audited as a read."""
    region = phone_region()
    patients = list(patients)
    _load_accounts(patients)
    shown = {}
    for patient in patients:
        if patient.id in shown:
            continue
        shown[patient.id] = guardian_contacts(patient, region)
        if not shown[patient.id]:
            continue  # nothing of the family's was shown
        audit(
            "read",
            object_type="guardian_contacts",
            object_id=patient.id,
            patient_id=patient.id,
            fields=(f"count={len(shown[patient.id])}",),
        )
    return shown


def _load_accounts(patients: list[Patient]) -> None:
    """Every listed patient's accounts in one query (a triage list of 50 costs 2, not 50)."""
    ids = {p.id for p in patients}
    if ids:
        query = select(Patient).where(Patient.id.in_(ids)).options(selectinload(Patient.accounts))
        db.session.scalars(query).all()


@bp.route("/family/contact", methods=["GET", "POST"])
@guardian_required
def settings():
    """The guardian's phone number (and email, shown): what the clinic uses to call."""
    region = phone_region()
    # Shown as the guardian would write it ("07911 123456"), not the stored E.164 form.
    form = ContactForm(phone=display_phone(current_user.phone or "", region))
    saved = save_form(form, lambda: set_guardian_phone(current_user, form.phone.data, region))
    if saved:
        audit("update", object_type="users", object_id=current_user.id, fields=("phone",))
        flash("Your phone number is saved." if saved.value else "Your phone number is removed.",
              "success")  # fmt: skip
        return redirect(url_for("contact.settings"))
    return render_template("patients/contact.html", form=form, children=current_user.patients)
