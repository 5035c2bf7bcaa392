"""Clinic pages to record, correct and list a patient's formal assessments."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.assessments import measures
from portal.assessments.forms import GROUPS, AssessmentForm
from portal.assessments.models import Assessment
from portal.assessments.records import (
    assessment_snapshot,
    delete_assessment,
    deleted_assessments,
    patient_assessments,
    record_assessment,
    update_assessment,
)
from portal.auth.decorators import clinician_required
from portal.auth.forms import EmptyForm
from portal.auth.models import User
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.forms import Saved, save_form
from portal.core.versions import history_rows
from portal.patients.models import Patient
from portal.patients.permissions import get_patient_object_or_404, get_patient_or_404

bp = Blueprint("assessments", __name__, url_prefix="/clinic")


def _save(form: AssessmentForm, patient: Patient, save) -> Saved[Assessment]:
    return save_form(
        form,
        lambda: save(form.assessment_data()),
        check=lambda: form.check(today(), patient.date_of_birth),
        fallback="assessed_on",
    )


def _form_page(form: AssessmentForm, patient: Patient, assessment: Assessment | None):
    page = {"form": form, "patient": patient, "assessment": assessment}
    history = _history(assessment) if assessment else []
    return render_template("assessments/form.html", groups=GROUPS, history=history, **page)


HISTORY_LABELS = {
    "assessed_on": "Date",
    **{m.name: f"{m.label} ({m.unit})" if m.unit else m.label for m in measures.RECORDED},
    "motor_ability_items": "Motor ability, item by item",
    "notes": "Notes",
}


def _history(assessment: Assessment):
    current = None if assessment.deleted_at else assessment_snapshot(assessment)
    return history_rows(assessment.versions, current, HISTORY_LABELS)


@bp.get("/patients/<int:patient_id>/assessments")
@clinician_required
def index(patient_id: int):
    """Every formal assessment of a patient, newest first, with the derived mean myometry."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    return render_template(
        "assessments/index.html",
        patient=patient,
        assessments=patient_assessments(patient),
        deleted=deleted_assessments(patient),
        # The columns a clinician scans first; every other measure is behind a per-row toggle.
        shown=[measures.MEAN_MYOMETRY, measures.BY_NAME["cmas"], measures.BY_NAME["ck"]],
        more=[m for m in measures.RECORDED if m.name not in ("cmas", "ck")],
    )


@bp.route("/patients/<int:patient_id>/assessments/new", methods=["GET", "POST"])
@clinician_required
def new(patient_id: int):
    """Record an assessment: any subset of the measures."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form = AssessmentForm()
    if not form.is_submitted():
        form.assessed_on.data = today()
    saved = _save(form, patient, lambda data: record_assessment(patient, data, current_user))
    if saved:
        flash(f"Assessment of {saved.value.assessed_on:%d %b %Y} saved.", "success")
        return redirect(url_for("assessments.index", patient_id=patient.id))
    return _form_page(form, patient, None)


@bp.route("/assessments/<int:assessment_id>/edit", methods=["GET", "POST"])
@clinician_required
def edit(assessment_id: int):
    """Correct an assessment."""
    assessment = get_patient_object_or_404(Assessment, assessment_id, current_user, manage=True)
    patient = assessment.patient
    form = AssessmentForm(obj=assessment)
    if not form.is_submitted():
        form.fill_items(assessment.motor_ability_items)
    saved = _save(form, patient, lambda data: update_assessment(assessment, data, current_user))
    if saved:
        flash("Assessment updated.", "success")
        return redirect(url_for("assessments.index", patient_id=patient.id))
    return _form_page(form, patient, assessment)


@bp.route("/assessments/<int:assessment_id>/delete", methods=["GET", "POST"])
@clinician_required
def delete(assessment_id: int):
    """Confirm, then remove an assessment entered in error."""
    assessment = get_patient_object_or_404(Assessment, assessment_id, current_user, manage=True)
    form = EmptyForm()
    if not form.validate_on_submit():
        return render_template("assessments/delete.html", assessment=assessment, form=form)
    patient_id = assessment.patient_id
    day = assessment.assessed_on
    delete_assessment(assessment, current_user, now_utc())
    db.session.commit()
    flash(f"Assessment of {day:%d %b %Y} deleted.", "info")
    return redirect(url_for("assessments.index", patient_id=patient_id))


@bp.get("/assessments/<int:assessment_id>/history")
@clinician_required
def history(assessment_id: int):
    """Every edit and the deletion of an assessment, with what each replaced."""
    assessment = get_patient_object_or_404(
        Assessment, assessment_id, current_user, manage=True, include_deleted=True
    )
    return render_template(
        "records/history.html",
        patient=assessment.patient,
        record=assessment,
        rows=_history(assessment),
        title=assessment.history_title,
        what="assessment",
        tab="assessments.index",
        deleted_by=db.session.get(User, assessment.deleted_by_id)
        if assessment.deleted_by_id
        else None,
        edit_url=url_for("assessments.edit", assessment_id=assessment.id),
    )
