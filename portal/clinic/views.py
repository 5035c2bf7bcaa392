"""Clinic pages: the patient list, enrolment, the patient record and its codes."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from portal.auth.decorators import clinician_required
from portal.auth.forms import EmptyForm
from portal.auth.models import Role
from portal.clinic.forms import PatientForm, SearchForm
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.forms import Saved, save_form
from portal.infusions import calendar
from portal.infusions.courses import deleted_courses
from portal.patients.contact_views import contacts_shown
from portal.patients.enrolment import issue_code, revoke
from portal.patients.models import EnrolmentCode, Patient
from portal.patients.permissions import (
    get_patient_object_or_404,
    get_patient_or_404,
    list_visible_patients,
    visible_patients,
)
from portal.patients.records import enrol_patient, update_patient

bp = Blueprint("clinic", __name__, url_prefix="/clinic")


@bp.route("/", methods=["GET", "POST"])
@clinician_required
def patients():
    """The clinic's patients, searchable by name or reference."""
    form = SearchForm()
    query = visible_patients(current_user)
    term = (form.q.data or "").strip() if form.validate_on_submit() else ""
    if term:
        like = f"%{term.lower()}%"
        query = query.where(
            or_(func.lower(Patient.name).like(like), func.lower(Patient.patient_ref).like(like))
        )
    rows = list_visible_patients(current_user, query)
    return render_template("clinic/patients.html", patients=rows, form=form, term=term)


def _save_patient(form: PatientForm, save) -> Saved[Patient]:
    return save_form(
        form, lambda: save(form.patient_data()), check=lambda: form.check_dates(today())
    )


@bp.route("/patients/new", methods=["GET", "POST"])
@clinician_required
def new_patient():
    """Enrol a child; the next step is a code for the guardian."""
    form = PatientForm()
    saved = _save_patient(form, lambda data: enrol_patient(current_user.clinic, data))
    if saved:
        flash(f"{saved.value.name} is enrolled. Give the family an enrolment code.", "success")
        return redirect(url_for("clinic.patient", patient_id=saved.value.id))
    return render_template("clinic/patient_form.html", form=form, patient=None)


@bp.route("/patients/<int:patient_id>/edit", methods=["GET", "POST"])
@clinician_required
def edit_patient(patient_id: int):
    """Correct a patient's details (weight changes, subtype recorded later)."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form = PatientForm(obj=patient)
    if _save_patient(form, lambda data: update_patient(patient, data)):
        flash("Patient details saved.", "success")
        return redirect(url_for("clinic.patient", patient_id=patient.id))
    return render_template("clinic/patient_form.html", form=form, patient=patient)


@bp.get("/patients/<int:patient_id>")
@clinician_required
def patient(patient_id: int):
    """The patient record: details, courses, family accounts and enrolment codes."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    codes = db.session.scalars(
        select(EnrolmentCode)
        .where(EnrolmentCode.patient_id == patient.id)
        .order_by(EnrolmentCode.created_at.desc())
    ).all()
    day = today()
    return render_template(
        "clinic/patient.html",
        patient=patient,
        entries=list(reversed(calendar.calendar_courses(patient.courses, day))),
        contacts=contacts_shown([patient])[patient.id],
        deleted_courses=deleted_courses(patient),
        guardians=[a for a in patient.accounts if a.role == Role.GUARDIAN.value],
        children=[a for a in patient.accounts if a.role == Role.CHILD.value],
        codes=codes,
        now=now_utc(),
        today=day,
        action_form=EmptyForm(),
    )


@bp.post("/patients/<int:patient_id>/codes")
@clinician_required
def new_code(patient_id: int):
    """Issue a one-time enrolment code; it is shown on this page once and never again."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    days = current_app.config["ENROLMENT_CODE_DAYS"]
    issued = issue_code(patient, current_user, now_utc(), days)
    db.session.commit()
    return render_template("clinic/code_issued.html", patient=patient, issued=issued, days=days)


@bp.post("/patients/<int:patient_id>/codes/<int:code_id>/revoke")
@clinician_required
def revoke_code(patient_id: int, code_id: int):
    """Withdraw a code that has not been used."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    record = get_patient_object_or_404(
        EnrolmentCode, code_id, current_user, manage=True,
        check=lambda code: code.patient_id == patient.id,
    )  # fmt: skip
    if not EmptyForm().validate_on_submit():
        abort(400)
    revoke(record, now_utc())
    db.session.commit()
    flash(f"Code ending {record.hint} withdrawn.", "info")
    return redirect(url_for("clinic.patient", patient_id=patient.id))
