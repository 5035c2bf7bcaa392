"""The clinic's side of the diary: the triage list of alerts and a patient's entries."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.auth.decorators import clinician_required
from portal.auth.forms import EmptyForm
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.ids import page_number
from portal.diary import alerts, entries
from portal.diary.models import Alert, DiaryEntry
from portal.infusions.placement import Placement, place_many
from portal.patients.contact_views import contacts_shown
from portal.patients.models import Patient
from portal.patients.permissions import get_patient_or_404

bp = Blueprint("clinic_diary", __name__, url_prefix="/clinic")

ACKNOWLEDGED_SHOWN_DAYS = 7
PER_PAGE = 50


def _with_context():
    """Load options for triage cards: patient and courses, entry and author, acknowledger."""
    # Built when asked: Patient.courses is a backref, there once every model is mapped.
    return (
        selectinload(Alert.patient).selectinload(Patient.courses),
        selectinload(Alert.patient).selectinload(Patient.accounts),
        selectinload(Alert.entry).selectinload(DiaryEntry.author),
        selectinload(Alert.acknowledged_by),
    )


def _placements(rows: list[Alert]) -> dict[int, Placement]:
    """Entry id → placement, placing each patient's entries in one pass over their courses."""
    by_patient: dict[int, list[Alert]] = {}
    for alert in rows:
        by_patient.setdefault(alert.patient_id, []).append(alert)
    placed: dict[int, Placement] = {}
    for group in by_patient.values():
        days = place_many([a.entry.entry_date for a in group], group[0].patient.courses)
        placed.update({a.entry_id: days[a.entry.entry_date] for a in group})
    return placed


@bp.get("/triage")
@clinician_required
def triage():
    """Unacknowledged alerts of this clinic's patients, most urgent and oldest first."""
    clinic_id = current_user.clinic_id or -1
    waiting = db.session.scalars(alerts.open_alerts(clinic_id).options(*_with_context())).all()
    since = now_utc() - timedelta(days=ACKNOWLEDGED_SHOWN_DAYS)
    done = db.session.scalars(
        alerts.recently_acknowledged(clinic_id, since).options(*_with_context())
    ).all()
    return render_template(
        "diary/triage.html",
        waiting=waiting,
        done=done,
        placements=_placements([*waiting, *done]),
        contacts=contacts_shown(alert.patient for alert in waiting),
        form=EmptyForm(),
        shown_days=ACKNOWLEDGED_SHOWN_DAYS,
    )


@bp.get("/patients/<int:patient_id>/diary")
@clinician_required
def patient_diary(patient_id: int):
    """A patient's home diary as the clinic reads it, newest first."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    page = db.paginate(
        entries.patient_entries(patient),
        page=page_number(request.args.get("page")),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "diary/clinic_diary.html",
        patient=patient,
        page=page,
        placements=place_many([e.entry_date for e in page.items], patient.courses),
    )
