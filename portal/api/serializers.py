"""JSON shapes of patients, diary entries, placements and alerts."""

from __future__ import annotations

from typing import Any

from portal.diary.entries import SavedEntry, entry_payload
from portal.diary.models import Alert, DiaryEntry
from portal.diary.presenters import author_label, family_advice, urgency_label
from portal.infusions.placement import Placement
from portal.patients.models import Patient


def patient_json(patient: Patient) -> dict[str, Any]:
    """The fields of a patient the API lists."""
    return {"id": patient.id, "name": patient.name, "patient_ref": patient.patient_ref}


def entry_json(entry: DiaryEntry, placement: Placement) -> dict[str, Any]:
    """An entry in the names it was posted with, plus who wrote it and where it sits."""
    return {
        "id": entry.id,
        "client_id": entry.client_id,
        "patient_id": entry.patient_id,
        **entry_payload(entry),
        "author": {"role": entry.author_role, "name": author_label(entry)},
        "created_at": entry.created_at.isoformat(),
        "updated_at": entry.updated_at.isoformat(),
        # A retried post of an entry deleted since answers with it, marked as deleted.
        "deleted": entry.deleted_at is not None,
        "placement": placement.to_dict(),
    }


def alert_json(alert: Alert | None, patient: Patient) -> dict[str, Any] | None:
    """An alert with the advice the family is shown, or None."""
    if alert is None:
        return None
    advice = family_advice(alert, patient)
    return {
        "id": alert.id,
        "reasons": list(alert.reasons),
        "reason_labels": advice.reasons,
        "urgency": alert.urgency,
        "urgency_label": urgency_label(alert.urgency),
        "created_at": alert.created_at.isoformat(),
        "acknowledged": alert.acknowledged_at is not None,
        "advice": advice.as_text(patient.first_name),
        "clinic_phone": advice.phone,
    }


def saved_json(saved: SavedEntry, patient: Patient) -> dict[str, Any]:
    """The answer to a post: the entry, its placement and any alert."""
    return {
        "entry": entry_json(saved.entry, saved.placement),
        "placement": saved.placement.to_dict(),
        "alert": alert_json(saved.alert, patient),
    }
