"""The clinic's further questions: response by lot, regimens compared, interval and response.

Each is a page, a CSV and a JSON over the clinician's own clinic, computed by
portal/outcomes from the same records as the cohort report (a fixed number of
queries, whatever the number of courses). Reads are audited, downloads as exports.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from flask_login import current_user

from portal.audit.trail import audit
from portal.auth.decorators import clinician_required
from portal.charts.interval_chart import interval_chart
from portal.core.clock import today
from portal.outcomes.cohort_data import load_records, scope_filter
from portal.outcomes.course_outcomes import OUTCOME_LABELS, CourseOutcome, course_outcomes
from portal.outcomes.intervals import interval_response
from portal.outcomes.lots import MIN_RANKED, STATEMENT, response_by_lot
from portal.outcomes.regimens import DIMENSIONS, compare, regimen_groups
from portal.reports import analysis_export as export
from portal.reports.forms import RegimenChoiceForm

bp = Blueprint("analyses", __name__, url_prefix="/clinic/reports")
# Each lot's list of courses on the page is its latest ones; the CSV and JSON carry all.
PAGE_LOT_COURSES = 50


def _outcomes(report: str, action: str, fmt: str) -> list[CourseOutcome]:
    """The clinician's clinic's given courses, with the read or export audited."""
    clinic = current_user.clinic
    if clinic is None:  # a clinician not (or no longer) attached to a clinic
        abort(404)
    audit(action, object_type=report, object_id=clinic.id, fields=(fmt,))
    return course_outcomes(load_records(scope_filter(clinic=clinic)))


def _csv(text: str, name: str) -> Response:
    filename = f"{name}-clinic-{current_user.clinic_id}-{today().isoformat()}.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/lots")
@clinician_required
def lots():
    """Each product lot with its courses, their response and side effects."""
    report = response_by_lot(_outcomes("lot_report", "read", "html"))
    return render_template(
        "reports/lots.html",
        report=report,
        statement=STATEMENT,
        min_ranked=MIN_RANKED,
        shown=PAGE_LOT_COURSES,
    )


@bp.get("/lots.<any(csv, json):fmt>")
@clinician_required
def lots_download(fmt: str):
    """Response by lot as CSV or JSON."""
    report = response_by_lot(_outcomes("lot_report", "export", fmt))
    data = export.lots_json(report, current_user.clinic, today())
    return jsonify(data) if fmt == "json" else _csv(export.lots_csv(data), "response-by-lot")


def _regimens(action: str, fmt: str):
    form = RegimenChoiceForm(request.args)
    dimension = form.dimension()
    groups = regimen_groups(_outcomes("regimen_report", action, fmt), dimension)
    pair = form.pair(groups)
    keyed = {g.key: g for g in groups}
    comparison = compare(keyed[pair[0]], keyed[pair[1]]) if pair else None
    return form, dimension, groups, comparison


@bp.get("/regimens")
@clinician_required
def regimens():
    """Courses grouped by regimen, dose per day, days or interval; two groups compared."""
    form, dimension, groups, comparison = _regimens("read", "html")
    args = {"by": dimension, **({"a": form.a.data, "b": form.b.data} if comparison else {})}
    return render_template(
        "reports/regimens.html",
        form=form,
        dimension=dimension,
        dimension_label=DIMENSIONS[dimension][0],
        groups=groups,
        comparison=comparison,
        outcome_labels=OUTCOME_LABELS,
        args=args,
        p_note=export.P_NOTE,
    )


@bp.get("/regimens.<any(csv, json):fmt>")
@clinician_required
def regimens_download(fmt: str):
    """Regimens compared as CSV or JSON (?by=, ?a=, ?b= as on the page)."""
    _, dimension, groups, comparison = _regimens("export", fmt)
    data = export.regimens_json(dimension, groups, comparison, current_user.clinic, today())
    if fmt == "json":
        return jsonify(data)
    return _csv(export.regimens_csv(data), "regimens-compared")


@bp.get("/interval")
@clinician_required
def interval():
    """Change in mean myometry against weeks since the previous course (Figure 2)."""
    outcomes = _outcomes("interval_report", "read", "html")
    report = interval_response(outcomes)
    return render_template(
        "reports/interval.html",
        report=report,
        chart=interval_chart(report),
        charts_src=url_for("analyses.interval_charts"),
        bands=regimen_groups(outcomes, "interval"),
    )


@bp.get("/interval/charts.json")
@clinician_required
def interval_charts():
    """The interval page's chart spec."""
    report = interval_response(_outcomes("interval_report", "read", "charts"))
    return jsonify(charts={"interval": interval_chart(report).spec})


@bp.get("/interval.<any(csv, json):fmt>")
@clinician_required
def interval_download(fmt: str):
    """Interval and response as CSV or JSON."""
    report = interval_response(_outcomes("interval_report", "export", fmt))
    data = export.interval_json(report, current_user.clinic, today())
    return jsonify(data) if fmt == "json" else _csv(export.interval_csv(data), "interval")
