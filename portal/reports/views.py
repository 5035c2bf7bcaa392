"""Course response per patient (clinicians) and across the cohort (clinicians and admins)."""

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.assessments import measures
from portal.audit.trail import audit
from portal.auth.decorators import clinician_required, staff_required
from portal.auth.models import Role
from portal.charts.cohort_charts import cohort_charts
from portal.clinic.models import Clinic
from portal.core.clock import today
from portal.core.extensions import db
from portal.infusions import calendar
from portal.outcomes import diary_windows
from portal.outcomes.cohort_data import load_records, scope_filter
from portal.outcomes.course_response import cohort_report, course_responses
from portal.outcomes.steroid_sparing import steroid_over_time
from portal.patients.permissions import get_patient_or_404
from portal.reports.cohort_csv import cohort_csv
from portal.reports.export import RULES, cohort_json, report_cells
from portal.reports.permissions import parse_clinic_id, report_clinic

bp = Blueprint("reports", __name__, url_prefix="/clinic")
# The page lists the latest courses; the CSV and JSON carry every one.
PAGE_COURSES = 200
REPORT = "course_response_report"  # the audit trail's name for the cohort report


def _cohort(action: str, fmt: str):
    """The clinic asked for and its report; audited (a read of the page, or an export)."""
    clinic = report_clinic(current_user, parse_clinic_id(request.args.get("clinic")))
    report = cohort_report(load_records(scope_filter(clinic=clinic)), today=today())
    audit(action, object_type=REPORT, object_id=clinic.id if clinic else None, fields=(fmt,))
    return clinic, report


def _patient_rows() -> bool:
    """Clinicians see each patient's courses; administrators the aggregates only."""
    return current_user.role_enum is not Role.ADMIN


@bp.get("/patients/<int:patient_id>/course-response")
@clinician_required
def patient_response(patient_id: int):
    """Every given course of a patient with its before/after pair and the family's view."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    records = load_records(scope_filter(patient=patient))
    responses = course_responses(records[0]) if records else []
    return render_template(
        "reports/patient.html",
        patient=patient,
        steroids=steroid_over_time(records[0], today()) if records else None,
        responses=list(reversed(responses)),
        numbers=calendar.number_courses(patient.courses),
        rules=RULES,
    )


@bp.get("/reports/course-response")
@staff_required
def cohort():
    """The cohort report: the source study's analysis for the clinic's patients."""
    clinic, report = _cohort("read", "html")
    clinics = []
    if current_user.role_enum is Role.ADMIN:
        clinics = db.session.scalars(select(Clinic).order_by(Clinic.name)).all()
    # Motor ability and walking time are named by the paper; others appear once paired.
    always = {"mean_myometry", "motor_ability_score", "walk_28ft_seconds"}
    hidden = [
        m.label
        for m in measures.REPORTED
        if m.name not in always and not report.measures[m.name].courses
    ]
    args = {"clinic": clinic.id} if clinic and current_user.role_enum is Role.ADMIN else {}
    cells = report_cells(report, rows=_patient_rows())
    return render_template(
        "reports/cohort.html",
        clinic=clinic,
        clinics=clinics,
        report=report,
        cells=cells,
        charts=cohort_charts(report, cells, identify=_patient_rows()),
        charts_src=url_for("reports.cohort_charts_view", **args),
        latest=sorted(report.courses, key=lambda c: (c.course.start, c.course.id), reverse=True)[
            :PAGE_COURSES
        ],
        measures=measures.REPORTED,
        always_shown=always,
        hidden_measures=hidden,
        symptoms=diary_windows.SYMPTOMS,
        rules=RULES,
        is_admin=current_user.role_enum is Role.ADMIN,
        steroid_rows={row.patient_ref: row for row in report.steroids},
        patient_rows=_patient_rows(),
    )


@bp.get("/reports/course-response.json")
@staff_required
def cohort_json_view():
    """The cohort report as JSON (?clinic=<id> for administrators)."""
    clinic, report = _cohort("export", "json")
    return jsonify(cohort_json(report, clinic, today(), rows=_patient_rows()))


@bp.get("/reports/course-response/charts.json")
@staff_required
def cohort_charts_view():
    """The cohort page's chart specs, drawn from the same report (?clinic=<id> for admins)."""
    _, report = _cohort("read", "charts")
    cells = report_cells(report, rows=_patient_rows())
    charts = cohort_charts(report, cells, identify=_patient_rows())
    return jsonify(charts={key: chart.spec for key, chart in charts.items()})


@bp.get("/reports/course-response.csv")
@staff_required
def cohort_csv_view():
    """The cohort report as a CSV download."""
    clinic, report = _cohort("export", "csv")
    scope = f"clinic-{clinic.id}" if clinic else "all-clinics"
    filename = f"course-response-{scope}-{today().isoformat()}.csv"
    return Response(
        cohort_csv(cohort_json(report, clinic, today(), rows=_patient_rows())),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
