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


ADMIN_PATIENT_LABEL = "Patient number"
ADMIN_USER_LABEL = "Account (a staff email, or an account number)"


def _is_admin() -> bool:
    return current_user.role_enum is Role.ADMIN


def _patient_id(form: AuditFilterForm) -> int | None:
    """The patient the filter names: by number; clinicians may also type a reference.

    Administrators see no patient's identity, so a reference is never looked up for
    them: whatever they type that is not a number gets the same answer.
    """
    text = (form.patient.data or "").strip()
    if not text or form.patient.errors:
        return None
    if text.isascii() and text.isdigit():
        return parse_id(text) or -1  # a number no patient can have finds nothing
    if _is_admin():
        form.patient.errors.append("Type the patient's number (administrators see no references).")
        return -1
    query = select(Patient.id).where(func.upper(Patient.patient_ref) == text.upper())
    query = query.where(
        Patient.id.in_(visible_patients(current_user).with_only_columns(Patient.id))
    )
    found = db.session.scalar(query)
    if found is None:
        form.patient.errors.append("No patient of yours has that number or reference.")
        return -1
    return found


def _user_id(form: AuditFilterForm) -> int | None:
    """The account the filter names, or -1 for none: never a word on whether one exists.

    An account number finds its events; an email or username finds an account only
    where the viewer may know it (administrators: staff accounts). Anything else
    simply finds no events, exactly as an account with none would.
    """
    text = (form.user.data or "").strip()
    if not text or form.user.errors:
        return None
    if text.isascii() and text.isdigit():
        return parse_id(text) or -1
    user = find_user(text)
    if user is None or (_is_admin() and not user.role_enum.is_staff):
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


def _linked_to_clinic(user: User, clinic_id: int | None) -> bool:
    return any(p.clinic_id == clinic_id for p in user.patients)


def _account_labels(events) -> dict[int, str]:
    """How each acting account is shown: staff by email; a family's login only to the
    clinic of that family's child, and to everyone else by its number."""
    user_ids = {e.user_id for e in events if e.user_id}
    users = db.session.scalars(select(User).where(User.id.in_(user_ids)))
    labels = {}
    for user in users:
        role = user.role_enum
        known = role.is_staff or (
            not _is_admin() and _linked_to_clinic(user, current_user.clinic_id)
        )
        labels[user.id] = user.email if known else f"{role.value.capitalize()} account {user.id}"
    return labels


def _patients_shown(events) -> dict[int, Patient]:
    """Names and references of the viewer's own clinic's patients; administrators: none."""
    if _is_admin():
        return {}
    patient_ids = {e.patient_id for e in events if e.patient_id}
    query = visible_patients(current_user).where(Patient.id.in_(patient_ids))
    return {p.id: p for p in db.session.scalars(query)}


@bp.get("/audit")
@staff_required
def index():
    """The audit trail in the viewer's scope, newest first, filtered and paged."""
    form = AuditFilterForm(request.args)
    if _is_admin():
        form.patient.label.text, form.user.label.text = ADMIN_PATIENT_LABEL, ADMIN_USER_LABEL
    filters = _filters(form)
    page = _page()
    query = filter_events(visible_events(current_user), filters, local_zone())
    rows = db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    events, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    users, patients = _account_labels(events), _patients_shown(events)
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
