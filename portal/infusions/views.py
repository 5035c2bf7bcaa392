"""The clinic records courses; the family reads them on the infusion calendar."""

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.auth.decorators import clinician_required, family_required
from portal.core.clock import today
from portal.core.extensions import db
from portal.core.forms import Saved, save_form
from portal.infusions import calendar
from portal.infusions.courses import gap_note, record_course, update_course
from portal.infusions.forms import CourseForm
from portal.infusions.models import InfusionCourse
from portal.main.filters import number
from portal.patients.models import Patient
from portal.patients.permissions import (
    get_patient_object_or_404,
    get_patient_or_404,
    visible_patients,
)

bp = Blueprint("infusions", __name__)


@bp.get("/family/<int:patient_id>/calendar")
@family_required
def family_calendar(patient_id: int):
    """Past and coming courses for one child."""
    patient = get_patient_or_404(patient_id, current_user)
    day = today()
    return render_template(
        "infusions/calendar.html",
        patient=patient,
        siblings=db.session.scalars(visible_patients(current_user)).all(),
        entries=calendar.calendar_courses(patient.courses, day),
        summary=calendar.family_summary(patient.courses, day),
        today=day,
    )


def _save(form: CourseForm, save, stored_start: date | None = None) -> Saved[InfusionCourse]:
    """Field rules, then the date rules (every message collected), then `save`."""
    years = current_app.config["MAX_COURSE_START_YEARS"]
    return save_form(form, save, check=lambda: form.check_dates(today(), years, stored_start))


def _render_form(form: CourseForm, patient: Patient, course: InfusionCourse | None):
    # The daily dose is shown worked out, and again live by js/course-form.js as it changes.
    daily = form.daily_dose()
    return render_template(
        "infusions/course_form.html", form=form, patient=patient, course=course, daily=daily
    )


def _flash_gap(course: InfusionCourse) -> None:
    note = gap_note(course)
    if note:
        flash(note, "warning")


@bp.route("/clinic/patients/<int:patient_id>/courses/new", methods=["GET", "POST"])
@clinician_required
def new_course(patient_id: int):
    """Record a planned or given course."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form = CourseForm()
    saved = _save(form, lambda: record_course(patient, form.course_data(), current_user))
    if saved:
        course = saved.value
        flash(
            f"Course on {course.start_date:%d %b %Y} saved: {course.regimen}, "
            f"{number(course.daily_mg_per_kg)} mg/kg a day.",
            "success",
        )
        _flash_gap(course)
        return redirect(url_for("clinic.patient", patient_id=patient.id))
    return _render_form(form, patient, None)


@bp.route("/clinic/courses/<int:course_id>/edit", methods=["GET", "POST"])
@clinician_required
def edit_course(course_id: int):
    """Change a course: mark it given, add lots, cancel it."""
    course = get_patient_object_or_404(InfusionCourse, course_id, current_user, manage=True)
    form = CourseForm(obj=course)
    if not form.is_submitted():
        form.lots.data = "\n".join(course.lot_numbers)
    if _save(form, lambda: update_course(course, form.course_data()), course.start_date):
        flash(f"Course of {course.start_date:%d %b %Y} updated.", "success")
        _flash_gap(course)
        return redirect(url_for("clinic.patient", patient_id=course.patient_id))
    return _render_form(form, course.patient, course)
