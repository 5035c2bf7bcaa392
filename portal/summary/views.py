"""The clinic summary: a page to choose the dates, and the PDF made on the server."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from portal.audit.trail import audit
from portal.auth.decorators import clinician_required
from portal.core.clock import today
from portal.core.errors import FieldError
from portal.core.forms import show_field_errors
from portal.infusions.models import INDICATIONS
from portal.patients.permissions import get_patient_or_404
from portal.summary.clinic_summary import check_range, clinic_summary
from portal.summary.forms import SummaryForm

bp = Blueprint("summary", __name__, url_prefix="/clinic")

DEFAULT_MONTHS_DAYS = 183


def _no_fetching() -> URLFetcher:
    """The PDF is made from our own HTML alone: no file and no address is ever fetched."""
    return URLFetcher(allowed_protocols={"data"}, timeout=1)


def _form(defaults: bool) -> SummaryForm:
    form = SummaryForm(request.args)
    if defaults and not request.args:
        form.end.data = today()
        form.start.data = today() - timedelta(days=DEFAULT_MONTHS_DAYS)
    return form


def _dates(form: SummaryForm):
    if not form.validate():
        return None
    try:
        return check_range(form.start.data, form.end.data, today())
    except FieldError as error:
        show_field_errors(form, error)
        return None


@bp.get("/patients/<int:patient_id>/summary")
@clinician_required
def choose(patient_id: int):
    """Choose the dates of a patient's clinic summary."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form = _form(defaults=True)
    if request.args:
        _dates(form)
    return render_template("summary/choose.html", patient=patient, form=form)


@bp.get("/patients/<int:patient_id>/summary.pdf")
@clinician_required
def pdf(patient_id: int):
    """The clinic summary as a PDF download, audited as an export."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form = _form(defaults=False)
    dates = _dates(form)
    if dates is None:
        return render_template("summary/choose.html", patient=patient, form=form), 400
    summary = clinic_summary(patient, *dates)
    html = render_template(
        "summary/clinic_summary.html", s=summary, made_on=today(), indications=INDICATIONS
    )
    body = HTML(string=html, url_fetcher=_no_fetching()).write_pdf()
    audit("export", object_type="patients", object_id=patient.id, patient_id=patient.id,
          fields=("clinic_summary_pdf",))  # fmt: skip
    # A neutral file name: the child's name stays out of download folders and logs.
    filename = f"clinic-summary-{patient.id}-{dates[0].isoformat()}-{dates[1].isoformat()}.pdf"
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
