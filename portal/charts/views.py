"""Chart pages and the JSON they draw from; each page is complete without JavaScript."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_login import current_user

from portal.auth.decorators import clinician_required, family_required, guardian_required
from portal.charts import patient_charts, sources
from portal.charts.child_progress import WEEKS_SHOWN, child_progress
from portal.charts.forms import RangeForm
from portal.core.clock import today
from portal.core.extensions import db
from portal.infusions.calendar import number_courses
from portal.infusions.placement import CoursePlacer
from portal.patients.models import Patient
from portal.patients.permissions import get_patient_or_404, visible_patients

bp = Blueprint("charts", __name__)

PARENT_DAYS = 56  # eight weeks
CLINIC_DAYS = 365


def _range(default_days: int) -> tuple[RangeForm, date, date]:
    form = RangeForm(request.args)
    start, end = form.dates(today(), default_days)
    return form, start, end


def _parent_chart(patient: Patient, start: date, end: date) -> patient_charts.Chart:
    reports = sources.diary_reports(patient.id, start, end)
    spans = sources.course_spans(patient.courses)
    placer = CoursePlacer(patient.courses)
    fever = patient.clinic.fever_threshold_c
    return patient_charts.parent_chart(reports, spans, start, end, placer, fever_c=fever)


def _clinic_charts(patient: Patient, start: date, end: date) -> dict[str, patient_charts.Chart]:
    courses = sources.course_spans(patient.courses)
    reports = sources.diary_reports(patient.id, start, end)
    measures = sources.clinic_measures(patient.id, start, end)
    # The slope charts look at every given course, not only those in the chosen range.
    responses = sources.course_responses_of(patient.id)
    numbers = number_courses(patient.courses)
    return {
        "timeline": patient_charts.clinician_chart(reports, courses, measures, start, end),
        "myometry_slope": patient_charts.myometry_slope(
            sources.paired_myometry(responses, numbers)
        ),
        "home_slope": patient_charts.home_slope(sources.paired_home_strength(responses, numbers)),
    }


def _progress(patient: Patient):
    day = today()
    # A week before the first week shown reaches back to before the last course.
    start = day - timedelta(weeks=WEEKS_SHOWN + 3)
    # Strength and mood only, from every report: the rule of what a child reads (SECURITY.md).
    reports = sources.strength_and_mood(patient.id, start, day)
    return child_progress(reports, sources.course_spans(patient.courses), day)


@bp.get("/family/<int:patient_id>/chart")
@guardian_required  # the guardians' reports; the child has /progress
def parent(patient_id: int):
    """The family's diary around the infusions: eight weeks, or the dates chosen."""
    patient = get_patient_or_404(patient_id, current_user)
    form, start, end = _range(PARENT_DAYS)
    src = url_for("charts.parent_data", patient_id=patient.id, start=start, end=end)
    return render_template(
        "charts/parent.html", patient=patient, form=form, chart=_parent_chart(patient, start, end),
        src=src, siblings=db.session.scalars(visible_patients(current_user)).all(),
    )  # fmt: skip


@bp.get("/api/patients/<int:patient_id>/charts/diary")
@guardian_required
def parent_data(patient_id: int):
    """The parent chart's spec as JSON."""
    patient = get_patient_or_404(patient_id, current_user)
    _, start, end = _range(PARENT_DAYS)
    return jsonify(charts={"diary": _parent_chart(patient, start, end).spec})


@bp.get("/family/<int:patient_id>/progress")
@family_required
def progress(patient_id: int):
    """The child's own page: how they are doing, in words and pictures."""
    patient = get_patient_or_404(patient_id, current_user)
    src = url_for("charts.progress_data", patient_id=patient.id)
    return render_template(
        "charts/progress.html", patient=patient, progress=_progress(patient), src=src,
        siblings=db.session.scalars(visible_patients(current_user)).all(),
    )  # fmt: skip


@bp.get("/api/patients/<int:patient_id>/charts/progress")
@family_required
def progress_data(patient_id: int):
    """The child's weekly chart spec as JSON."""
    patient = get_patient_or_404(patient_id, current_user)
    return jsonify(charts={"weeks": _progress(patient).chart.spec})


@bp.get("/clinic/patients/<int:patient_id>/chart")
@clinician_required
def clinic(patient_id: int):
    """Clinic measures, home strength and courses on one time axis, and slope patient_charts."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form, start, end = _range(CLINIC_DAYS)
    src = url_for("charts.clinic_data", patient_id=patient.id, start=start, end=end)
    return render_template(
        "charts/clinic.html", patient=patient, form=form, src=src,
        charts=_clinic_charts(patient, start, end),
    )  # fmt: skip


@bp.get("/api/patients/<int:patient_id>/charts/clinic")
@clinician_required
def clinic_data(patient_id: int):
    """The clinician's chart specs as JSON."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    _, start, end = _range(CLINIC_DAYS)
    specs = {key: chart.spec for key, chart in _clinic_charts(patient, start, end).items()}
    return jsonify(charts=specs)
