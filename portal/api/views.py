"""JSON endpoints: the patients a user may see, and their diaries.

Login is the session's; an anonymous caller gets 401 JSON (see create_app's API
hook) and anything not allowed is a JSON 404, as on the pages.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request
from flask_login import current_user

from portal.api.serializers import entry_json, patient_json, saved_json
from portal.auth.decorators import family_required, role_required
from portal.auth.models import Role
from portal.auth.throttle import limit_requests
from portal.core.clock import today
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.diary import entries
from portal.diary.models import DiaryEntry
from portal.infusions.placement import place_many
from portal.patients.permissions import get_patient_or_404, list_visible_patients

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Every write through the API (POST /api/v1/…), per account and per address.
limit_requests("API_WRITE_LIMIT")(bp)

readers_required = role_required(Role.GUARDIAN, Role.CHILD, Role.CLINICIAN)


@bp.get("/patients")
@readers_required
def patients():
    """The patients this user may see."""
    return {"patients": [patient_json(p) for p in list_visible_patients(current_user)]}


def _date_arg(name: str, errors: dict[str, str]) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = "Use a date like 2025-03-14 (YYYY-MM-DD)."
        return None


@bp.get("/patients/<int:patient_id>/diary")
@readers_required
def diary_entries(patient_id: int):
    """Entries between `from` and `to` (inclusive, both optional), newest first, placed."""
    patient = get_patient_or_404(patient_id, current_user)
    errors: dict[str, str] = {}
    start, end = _date_arg("from", errors), _date_arg("to", errors)
    if start and end and start > end:
        errors["to"] = "`to` must not be before `from`."
    if errors:
        return {"errors": errors}, 400
    query = entries.patient_entries(patient, start=start, end=end)
    if current_user.role_enum is Role.CHILD:
        # A child's login reads back only the child's own reports, as on its page.
        query = query.where(DiaryEntry.author_role == "child")
    rows = db.session.scalars(query).all()
    placements = place_many([e.entry_date for e in rows], patient.courses)
    return {
        "patient": patient_json(patient),
        "entries": [entry_json(e, placements[e.entry_date]) for e in rows],
    }


@bp.post("/patients/<int:patient_id>/diary")
@family_required
def add_entry(patient_id: int):
    """Store an entry: 201 when new, 200 with the first one when the client_id was seen."""
    patient = get_patient_or_404(patient_id, current_user)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return {"errors": {"body": "Send the entry as a JSON object."}}, 400
    try:
        saved = entries.save_entry(patient, current_user, payload, today=today())
    except FieldError as error:
        db.session.rollback()
        return {"errors": error.errors}, 400
    db.session.commit()
    return saved_json(saved, patient), 201 if saved.created else 200
