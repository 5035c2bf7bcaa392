"""The clinic records courses; the family reads them on the infusion calendar."""

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.auth.decorators import clinician_required, family_required
from portal.auth.forms import EmptyForm
from portal.auth.models import User
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.forms import Saved, save_form
from portal.core.versions import history_rows
from portal.infusions import calendar
from portal.infusions.courses import (
    course_snapshot,
    delete_course,
    gap_note,
    record_course,
    update_course,
)
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
    history = _history(course) if course else []
    return render_template(
        "infusions/course_form.html",
        form=form,
        patient=patient,
        course=course,
        daily=daily,
        history=history,
    )


def _flash_gap(course: InfusionCourse) -> None:
    note = gap_note(course)
    if note:
        flash(note, "warning")


HISTORY_LABELS = {
    "start_date": "Start date",
    "days": "Days",
    "total_dose_g_per_kg": "Total dose (g/kg)",
    "product": "Product",
    "indication": "Indication",
    "status": "Status",
    "notes": "Notes",
    "lots": "Lots",
}


def _history(course: InfusionCourse):
    current = None if course.deleted_at else course_snapshot(course)
    return history_rows(course.versions, current, HISTORY_LABELS)


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

    def save() -> InfusionCourse:
        return update_course(course, form.course_data(), current_user)

    if _save(form, save, course.start_date):
        flash(f"Course of {course.start_date:%d %b %Y} updated.", "success")
        _flash_gap(course)
        return redirect(url_for("clinic.patient", patient_id=course.patient_id))
    return _render_form(form, course.patient, course)


@bp.route("/clinic/courses/<int:course_id>/delete", methods=["GET", "POST"])
@clinician_required
def delete_course_page(course_id: int):
    """Confirm, then take a course recorded in error off the calendar (kept in its history)."""
    course = get_patient_object_or_404(InfusionCourse, course_id, current_user, manage=True)
    form = EmptyForm()
    if not form.validate_on_submit():
        return render_template("infusions/delete.html", course=course, form=form)
    patient_id, start = course.patient_id, course.start_date
    delete_course(course, current_user, now_utc())
    db.session.commit()
    flash(f"Course of {start:%d %b %Y} deleted; its history keeps what it held.", "info")
    return redirect(url_for("clinic.patient", patient_id=patient_id))


@bp.get("/clinic/courses/<int:course_id>/history")
@clinician_required
def course_history(course_id: int):
    """Every edit and the deletion of a course, with what each replaced."""
    course = get_patient_object_or_404(
        InfusionCourse, course_id, current_user, manage=True, include_deleted=True
    )
    deleted_by = db.session.get(User, course.deleted_by_id) if course.deleted_by_id else None
    return render_template(
        "records/history.html",
        patient=course.patient,
        record=course,
        rows=_history(course),
        title=course.history_title,
        what="course",
        tab=None,
        deleted_by=deleted_by,
        edit_url=url_for("infusions.edit_course", course_id=course.id),
    )
