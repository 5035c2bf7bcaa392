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
from portal.infusions import calendar
from portal.patients.enrolment import issue_code, revoke
from portal.patients.models import EnrolmentCode, Patient
from portal.patients.permissions import (
    get_patient_object_or_404,
    get_patient_or_404,
    list_visible_patients,
    visible_patients,
)
from portal.patients.records import PatientData, PatientError, enrol_patient, update_patient

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


def _patient_data(form: PatientForm) -> PatientData:
    return PatientData(
        patient_ref=form.patient_ref.data,
        name=form.name.data,
        date_of_birth=form.date_of_birth.data,
        sex=form.sex.data,
        onset_date=form.onset_date.data,
        subtype=form.subtype.data or "",
        weight_kg=form.weight_kg.data,
    )


def _save_patient(form: PatientForm, save) -> Patient | None:
    if not form.is_submitted():
        return None
    valid = form.validate()
    if not (form.check_dates(today()) and valid):
        return None
    try:
        patient = save(_patient_data(form))
    except PatientError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(error.message)
        return None
    db.session.commit()
    return patient


@bp.route("/patients/new", methods=["GET", "POST"])
@clinician_required
def new_patient():
    """Enrol a child; the next step is a code for the guardian."""
    form = PatientForm()
    patient = _save_patient(form, lambda data: enrol_patient(current_user.clinic, data))
    if patient is not None:
        flash(f"{patient.name} is enrolled. Give the family an enrolment code.", "success")
        return redirect(url_for("clinic.patient", patient_id=patient.id))
    return render_template("clinic/patient_form.html", form=form, patient=None)


@bp.route("/patients/<int:patient_id>/edit", methods=["GET", "POST"])
@clinician_required
def edit_patient(patient_id: int):
    """Correct a patient's details (weight changes, subtype recorded later)."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form = PatientForm(obj=patient)
    if _save_patient(form, lambda data: update_patient(patient, data)) is not None:
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
