"""The import page: a clinician brings a spreadsheet into their own clinic."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.decorators import clinician_required
from portal.auth.throttle import limit_requests
from portal.core.clock import today
from portal.core.extensions import db
from portal.imports.forms import KIND_LABELS, MAX_BYTES, ImportForm
from portal.imports.importer import KINDS, ImportScope, import_file

bp = Blueprint("imports", __name__, url_prefix="/clinic")
SHOWN_PROBLEMS = 200


@bp.route("/import", methods=["GET", "POST"])
@limit_requests("IMPORT_LIMIT")
@clinician_required
def upload():
    """Upload a CSV file or workbook; every row is checked, nothing saved unless all are good."""
    # Refuse an oversized upload before it is read, whatever the app-wide limit.
    request.max_content_length = MAX_BYTES + 64 * 1024
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        scope = ImportScope(today=today(), clinic=current_user.clinic, by=current_user)
        upload = form.file.data
        report = import_file(form.kind.data, upload.read(), scope, upload.filename or "")
        if report.accepted:
            db.session.commit()
            flash(report.summary(), "success")
            # Back to an empty page, so reloading it cannot send the file twice.
            return redirect(url_for("imports.upload"))
        db.session.rollback()
        form.file.errors = [*form.file.errors, report.summary()]
    return render_template(
        "imports/upload.html",
        form=form,
        report=report,
        columns={kind: spec.columns for kind, spec in KINDS.items()},
        required={kind: spec.required or spec.columns for kind, spec in KINDS.items()},
        labels=KIND_LABELS,
        shown=SHOWN_PROBLEMS,
    )
