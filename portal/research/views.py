"""The hub's pages: registered sites, loading a summary, and the combined report.

Administrators only. Nothing here shows a site's own course; every count under 5,
and any that would reveal one, is suppressed (research.hub).
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from portal.audit.trail import audit
from portal.auth.decorators import admin_required
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.forms import choose_pair, save_form
from portal.main.filters import short_date
from portal.outcomes.disclosure import THRESHOLD
from portal.research import signing
from portal.research.export import hub_csv, hub_json
from portal.research.forms import MAX_BYTES, HubChoiceForm, SiteForm, SummaryUploadForm
from portal.research.hub import ALL, default_pair, hub_groups, hub_report
from portal.research.loading import load_summary, register_site
from portal.research.records import current_summaries, registered_sites

bp = Blueprint("research", __name__, url_prefix="/admin/research")
REPORT = "hub_report"  # the audit trail's name for the combined report


def _report(action: str, fmt: str):
    sites, courses = current_summaries()
    form = HubChoiceForm(request.args)
    groups = hub_groups(courses)
    choices = [(g.key, g.label) for g in groups]
    pair = choose_pair(form.a, form.b, choices, default_pair(groups))
    report = hub_report(sites, courses, pair)
    audit(action, object_type=REPORT, fields=(fmt,))
    return form, report


@bp.get("/")
@admin_required
def hub():
    """The sites of the network and what their summaries add up to."""
    form, report = _report("read", "html")
    registered = registered_sites()
    loaded = {s.code: s for s in report.sites}
    return render_template(
        "research/hub.html",
        form=form,
        report=report,
        registered=registered,
        loaded=loaded,
        fingerprint=signing.fingerprint,
        threshold=THRESHOLD,
        ALL=ALL,
    )


@bp.get("/report.<any(csv, json):fmt>")
@admin_required
def report_download(fmt: str):
    """The combined report as CSV or JSON (?a= and ?b= name the regimens compared)."""
    _, report = _report("export", fmt)
    data = hub_json(report, today())
    if fmt == "json":
        return jsonify(data)
    filename = f"network-report-{today().isoformat()}.csv"
    return Response(
        hub_csv(data),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/sites/new", methods=["GET", "POST"])
@admin_required
def new_site():
    """Register a site by its code and public key."""
    form = SiteForm()
    saved = save_form(
        form,
        lambda: register_site(
            form.code.data or "", form.name.data or "", form.public_key.data or "", current_user
        ),
    )
    if saved:
        site = saved.value
        audit("create", object_type="research_site", object_id=site.id)
        flash(f"{site.name} is registered; its summaries can be loaded now.", "success")
        return redirect(url_for("research.hub"))
    return render_template("research/site_form.html", form=form)


@bp.route("/summaries/new", methods=["GET", "POST"])
@admin_required
def upload():
    """Load a site's signed summary; it replaces that site's earlier one."""
    request.max_content_length = MAX_BYTES + 64 * 1024
    form = SummaryUploadForm()
    saved = save_form(
        form, lambda: load_summary(form.file.data.read(), by=current_user, now=now_utc())
    )
    if saved:
        summary = saved.value
        audit("create", object_type="site_summary", object_id=summary.id)
        flash(
            f"The summary of {summary.site.name} written on {short_date(summary.generated_on)} "
            "is loaded.",
            "success",
        )
        return redirect(url_for("research.hub"))
    return render_template("research/upload.html", form=form)
