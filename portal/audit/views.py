"""/audit: clinicians read the trail of their clinic's patients, administrators all of it."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from portal.audit.events import ACTIONS, OUTCOMES, AuditFilters, filter_events, visible_events
from portal.audit.forms import AuditFilterForm
from portal.audit.trail import audit
from portal.auth.accounts import find_user
from portal.auth.decorators import staff_required
from portal.auth.models import Role, User
from portal.core.clock import local_time, local_zone
from portal.core.extensions import db
from portal.core.ids import page_number, parse_id
from portal.patients.models import Patient
from portal.patients.permissions import visible_patients

bp = Blueprint("audit", __name__)

PAGE_SIZE = 50


def _patient_id(form: AuditFilterForm) -> int | None:
    """The patient the filter names, looked up by number or by reference."""
    text = (form.patient.data or "").strip()
    if not text or form.patient.errors:
        return None
    if text.isascii() and text.isdigit():
        return parse_id(text) or -1  # a number no patient can have finds nothing
    query = select(Patient.id).where(func.upper(Patient.patient_ref) == text.upper())
    if current_user.role_enum is Role.CLINICIAN:
        query = query.where(
            Patient.id.in_(visible_patients(current_user).with_only_columns(Patient.id))
        )
    found = db.session.scalar(query)
    if found is None:
        form.patient.errors.append("No patient of yours has that number or reference.")
        return -1
    return found


def _user_id(form: AuditFilterForm) -> int | None:
    text = (form.user.data or "").strip()
    if not text or form.user.errors:
        return None
    user = find_user(text)
    if user is None:
        form.user.errors.append("No account has that email or username.")
        return -1
    return user.id


def _filters(form: AuditFilterForm) -> AuditFilters:
    """The filters asked for; every problem is reported on its field and nothing shown."""
    valid = form.validate() & form.check_dates()
    patient_id, user_id = _patient_id(form), _user_id(form)
    if not valid or form.errors:
        return AuditFilters(patient_id=-1)
    return AuditFilters(
        patient_id=patient_id,
        user_id=user_id,
        action=form.action.data or "",
        outcome=form.outcome.data or "",
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )


def _page() -> int:
    return page_number(request.args.get("page"))


def _lookups(events) -> tuple[dict, dict]:
    user_ids = {e.user_id for e in events if e.user_id}
    patient_ids = {e.patient_id for e in events if e.patient_id}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    patients = {}
    if current_user.role_enum is Role.CLINICIAN:
        query = visible_patients(current_user).where(Patient.id.in_(patient_ids))
        patients = {p.id: p for p in db.session.scalars(query)}
    return users, patients


@bp.get("/audit")
@staff_required
def index():
    """The audit trail in the viewer's scope, newest first, filtered and paged."""
    form = AuditFilterForm(request.args)
    filters = _filters(form)
    page = _page()
    query = filter_events(visible_events(current_user), filters, local_zone())
    rows = db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    events, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    users, patients = _lookups(events)
    audit("read", object_type="audit_events", fields=(f"page={page}",))
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "audit/index.html",
        form=form,
        events=events,
        users=users,
        patients=patients,
        page=page,
        more=more,
        args=args,
        actions=ACTIONS,
        outcomes=OUTCOMES,
    )


@bp.app_template_filter("local_time")
def local_time_filter(moment) -> str:
    """'3 Mar 2025 14:05' in the clinic's time zone."""
    if moment is None:
        return ""
    local = local_time(moment)
    return f"{local.day} {local:%b %Y %H:%M:%S}"
