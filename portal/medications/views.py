"""Clinic pages for a patient's medication history and weights."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.auth.decorators import clinician_required
from portal.auth.forms import EmptyForm
from portal.auth.models import User
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.forms import Saved, save_form
from portal.core.versions import history_rows
from portal.medications.forms import AgentForm, PrednisoloneForm, WeightForm
from portal.medications.models import Agent, MedicationRecord
from portal.medications.records import (
    delete_medication,
    deleted_medications,
    medication_snapshot,
    patient_medications,
    patient_steroid_sparing,
    patient_weights,
    prednisolone_doses,
    record_medication,
    record_weight,
    update_medication,
)
from portal.patients.models import Patient
from portal.patients.permissions import get_patient_object_or_404, get_patient_or_404

bp = Blueprint("medications", __name__, url_prefix="/clinic")


def _save(form, patient: Patient, save) -> Saved[None]:
    """Save through `save`; the dates are checked against today and the date of birth."""
    return save_form(form, save, check=lambda: form.check_dates(today(), patient.date_of_birth))


def _to_index(patient_id: int):
    return redirect(url_for("medications.index", patient_id=patient_id))


@bp.get("/patients/<int:patient_id>/medications")
@clinician_required
def index(patient_id: int):
    """Prednisolone over time in mg/day and mg/kg/day, other agents, and weights."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    records = patient_medications(patient)
    weights = patient_weights(patient)
    return render_template(
        "medications/index.html",
        patient=patient,
        prednisolone=prednisolone_doses(records, weights, patient.weight_kg),
        others=[r for r in records if r.agent != Agent.PREDNISOLONE],
        weights=weights,
        sparing=patient_steroid_sparing(patient, records, weights),
        deleted=deleted_medications(patient),
        today=today(),
    )


def _save_prednisolone(patient: Patient, form: PrednisoloneForm, record=None) -> None:
    data = form.medication_data()
    if form.weight_kg.data is not None:
        record_weight(patient, form.start_date.data, form.weight_kg.data, current_user)
    if record is None:
        record_medication(patient, data, current_user)
    else:
        update_medication(record, data, current_user)


@bp.route("/patients/<int:patient_id>/medications/prednisolone/new", methods=["GET", "POST"])
@clinician_required
def new_prednisolone(patient_id: int):
    """Record a prednisolone dose taking effect on a date."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form = PrednisoloneForm()
    if _save(form, patient, lambda: _save_prednisolone(patient, form)):
        flash("Prednisolone dose saved.", "success")
        return _to_index(patient.id)
    return render_template(
        "medications/prednisolone_form.html", form=form, patient=patient, record=None
    )


@bp.route("/patients/<int:patient_id>/medications/other/new", methods=["GET", "POST"])
@clinician_required
def new_agent(patient_id: int):
    """Record another agent (azathioprine, ciclosporin …) with start, stop and dose."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form = AgentForm()

    def save() -> None:
        record_medication(patient, form.medication_data(form.agent.data), current_user)

    if _save(form, patient, save):
        flash("Medicine saved.", "success")
        return _to_index(patient.id)
    return render_template("medications/agent_form.html", form=form, patient=patient, record=None)


@bp.route("/medications/<int:record_id>/edit", methods=["GET", "POST"])
@clinician_required
def edit(record_id: int):
    """Correct a record, or give an agent its stop date."""
    record = get_patient_object_or_404(MedicationRecord, record_id, current_user, manage=True)
    patient = record.patient
    if record.agent == Agent.PREDNISOLONE:
        form = PrednisoloneForm(obj=record)
        template = "medications/prednisolone_form.html"
    else:
        form = AgentForm(obj=record)
        del form.agent  # the medicine itself is fixed once recorded
        template = "medications/agent_form.html"

    def save() -> None:
        if isinstance(form, PrednisoloneForm):
            _save_prednisolone(patient, form, record)
        else:
            update_medication(record, form.medication_data(record.agent), current_user)

    if _save(form, patient, save):
        flash("Medication record updated.", "success")
        return _to_index(patient.id)
    return render_template(
        template, form=form, patient=patient, record=record, history=_history(record)
    )


@bp.route("/medications/<int:record_id>/delete", methods=["GET", "POST"])
@clinician_required
def delete(record_id: int):
    """Confirm, then remove a record entered in error."""
    record = get_patient_object_or_404(MedicationRecord, record_id, current_user, manage=True)
    form = EmptyForm()
    if not form.validate_on_submit():
        return render_template("medications/delete.html", record=record, form=form)
    patient_id = record.patient_id
    delete_medication(record, current_user, now_utc())
    db.session.commit()
    flash("Medication record deleted.", "info")
    return _to_index(patient_id)


@bp.route("/patients/<int:patient_id>/weights/new", methods=["GET", "POST"])
@clinician_required
def new_weight(patient_id: int):
    """Record a weight on a date; doses in mg/kg use the latest weight on or before their date."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form = WeightForm()
    if not form.is_submitted():
        form.measured_on.data = today()

    def save() -> None:
        record_weight(patient, form.measured_on.data, form.weight_kg.data, current_user)

    if _save(form, patient, save):
        flash("Weight saved.", "success")
        return _to_index(patient.id)
    return render_template("medications/weight_form.html", form=form, patient=patient)


HISTORY_LABELS = {
    "agent": "Medicine",
    "other_name": "Name",
    "start_date": "From",
    "stop_date": "Stopped",
    "dose": "Dose",
    "dose_unit": "Unit",
    "notes": "Notes",
}


def _history(record: MedicationRecord):
    current = None if record.deleted_at else medication_snapshot(record)
    return history_rows(record.versions, current, HISTORY_LABELS)


@bp.get("/medications/<int:record_id>/history")
@clinician_required
def history(record_id: int):
    """Every edit and the deletion of a medication record, with what each replaced."""
    record = get_patient_object_or_404(
        MedicationRecord, record_id, current_user, manage=True, include_deleted=True
    )
    deleted_by = db.session.get(User, record.deleted_by_id) if record.deleted_by_id else None
    return render_template(
        "records/history.html",
        patient=record.patient,
        record=record,
        rows=_history(record),
        title=record.history_title,
        what="record",
        tab="medications.index",
        deleted_by=deleted_by,
        edit_url=url_for("medications.edit", record_id=record.id),
    )
