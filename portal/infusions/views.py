"""The clinic records courses; the family reads them on the infusion calendar."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.auth.decorators import clinician_required, family_required
from portal.extensions import db
from portal.infusions.forms import CourseForm, parse_lots
from portal.infusions.models import InfusionCourse
from portal.patients.permissions import get_patient_object_or_404, get_patient_or_404
from portal.services import calendar
from portal.services.clock import today
from portal.services.courses import CourseData, record_course, update_course

bp = Blueprint("infusions", __name__)


@bp.get("/family/<int:patient_id>/calendar")
@family_required
def family_calendar(patient_id: int):
    """Past and coming courses for one child."""
    patient = get_patient_or_404(patient_id, current_user)
    day = today()
    entries = calendar.calendar_courses(patient.courses, day)
    summary = calendar.family_summary(patient.courses, day)
    return render_template(
        "infusions/calendar.html", patient=patient, entries=entries, summary=summary, today=day
    )


def _course_data(form: CourseForm) -> CourseData:
    return CourseData(
        start_date=form.start_date.data,
        days=form.days.data,
        total_dose_g_per_kg=form.total_dose_g_per_kg.data,
        product=form.product.data or "",
        lots=tuple(parse_lots(form.lots.data)),
        indication=form.indication.data or "",
        status=form.status.data,
        notes=form.notes.data or "",
    )


def _valid(form: CourseForm) -> bool:
    valid = form.validate_on_submit()
    years = current_app.config["MAX_COURSE_START_YEARS"]
    return form.check_start_date(today(), years) and valid


@bp.route("/clinic/patients/<int:patient_id>/courses/new", methods=["GET", "POST"])
@clinician_required
def new_course(patient_id: int):
    """Record a planned or given course."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form = CourseForm()
    if _valid(form):
        course = record_course(patient, _course_data(form), current_user)
        db.session.commit()
        flash(f"Course on {course.start_date:%d %b %Y} saved ({course.regimen}).", "success")
        return redirect(url_for("clinic.patient", patient_id=patient.id))
    return render_template("infusions/course_form.html", form=form, patient=patient, course=None)


@bp.route("/clinic/courses/<int:course_id>/edit", methods=["GET", "POST"])
@clinician_required
def edit_course(course_id: int):
    """Change a course: mark it given, add lots, cancel it."""
    course = get_patient_object_or_404(InfusionCourse, course_id, current_user, manage=True)
    form = CourseForm(obj=course)
    if not form.is_submitted():
        form.lots.data = "\n".join(course.lot_numbers)
    if _valid(form):
        update_course(course, _course_data(form))
        db.session.commit()
        flash("Course updated.", "success")
        return redirect(url_for("clinic.patient", patient_id=course.patient_id))
    return render_template(
        "infusions/course_form.html", form=form, patient=course.patient, course=course
    )
