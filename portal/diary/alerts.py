"""Safety alerts: which diary entries put a patient on the clinic's triage list.

An alert routes a human to look; it never diagnoses and never advises a dose.
The rules (docs/clinical-rules.md, "Alerts"), with each clinic's own thresholds:
- a temperature at or above the clinic's fever threshold (38.0 °C by default);
- a severe headache on an infusion day or within the clinic's headache window
  (7 days by default) after a given course;
- any warning sign;
- a headache (of the clinic's least grade, mild by default) with a temperature at or
  above the fever threshold on an infusion day or within the clinic's window after one
  (72 h by default), or a headache with a stiff neck or dislike of light on any day:
  the picture in which aseptic meningitis, a known reaction to IVIG, presents. Urgent,
  with both findings named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from portal.auth.models import User
from portal.clinic.models import Clinic
from portal.core.extensions import db
from portal.diary.models import GRADES, WARNING_SIGNS, Alert, DiaryEntry
from portal.infusions.placement import Placement
from portal.patients.models import Patient

SEVERE = 3
FEVER = "fever"
SEVERE_HEADACHE = "severe_headache_after_course"
WARNING_PREFIX = "warning:"
HEADACHE_WITH_FEVER = "headache_with_fever_after_infusion"
HEADACHE_WITH_STIFF_NECK = "headache_with_stiff_neck"
MENINGISM_REASONS = (HEADACHE_WITH_FEVER, HEADACHE_WITH_STIFF_NECK)

# Urgency orders the triage list; the family is told to call at once whatever it is.
REVIEW_TODAY, URGENT, EMERGENCY = 1, 2, 3
URGENCY_LABELS = {REVIEW_TODAY: "Review today", URGENT: "Urgent", EMERGENCY: "Emergency signs"}
WARNING_URGENCY = dict.fromkeys(WARNING_SIGNS, URGENT) | {"chest_pain": EMERGENCY}


@dataclass(frozen=True)
class AlertAssessment:
    """Why an entry alerts (machine-readable reasons) and how urgently."""

    reasons: tuple[str, ...] = ()
    urgency: int = 0

    @property
    def triggered(self) -> bool:
        return bool(self.reasons)

    @property
    def needs_emergency_services(self) -> bool:
        """Chest pain or breathlessness: the family is sent to 999 / A&E first."""
        return f"{WARNING_PREFIX}chest_pain" in self.reasons


def ctcae_fever_grade(temperature_c: float | None) -> int:
    """CTCAE fever grade: 38.0–39.0 → 1, >39.0–40.0 → 2, >40.0 → 3, else 0."""
    if temperature_c is None or temperature_c < 38.0:
        return 0
    if temperature_c <= 39.0:
        return 1
    if temperature_c <= 40.0:
        return 2
    return 3


def _headache_counts(placement: Placement, window_days: int) -> bool:
    if placement.phase == "during":
        return True
    return placement.phase == "after" and placement.days_after <= window_days


def within_hours_of_infusion(placement: Placement, window_hours: int) -> bool:
    """On an infusion day, or on a day at most `window_hours` after the last one.

    Entries carry a date, not a time: day n after the last infusion day is n × 24 h.
    """
    if placement.phase == "during":
        return True
    return placement.phase == "after" and placement.days_after * 24 <= window_hours


def _meningism(entry: DiaryEntry, clinic: Clinic, placement: Placement, fever: bool):
    """Headache with fever soon after an infusion, or headache with a stiff neck."""
    if (entry.headache or 0) < clinic.meningism_headache_grade:
        return []
    found = []
    if fever and within_hours_of_infusion(placement, clinic.meningism_window_hours):
        found.append((HEADACHE_WITH_FEVER, URGENT))
    if entry.warn_stiff_neck:
        found.append((HEADACHE_WITH_STIFF_NECK, URGENT))
    return found


def assess(entry: DiaryEntry, clinic: Clinic, placement: Placement) -> AlertAssessment:
    """Apply the clinic's alert rules to one entry placed on the calendar."""
    temperature = entry.temperature_c
    fever = temperature is not None and temperature >= clinic.fever_threshold_c
    # The combined findings come first: they say most about what the clinic should ask.
    found: list[tuple[str, int]] = _meningism(entry, clinic, placement, fever)
    if fever:
        found.append((FEVER, max(REVIEW_TODAY, ctcae_fever_grade(temperature))))
    if entry.headache == SEVERE and _headache_counts(placement, clinic.headache_alert_days):
        found.append((SEVERE_HEADACHE, URGENT))
    for name in entry.warning_signs:
        found.append((f"{WARNING_PREFIX}{name}", WARNING_URGENCY[name]))
    if not found:
        return AlertAssessment()
    return AlertAssessment(tuple(r for r, _ in found), max(u for _, u in found))


def record_alert(entry: DiaryEntry, assessment: AlertAssessment) -> Alert | None:
    """Put the patient on the triage list for reasons not already raised for this entry.

    An edit that adds a reason joins the open alert (or opens a new one once the
    earlier alert was acknowledged); reasons already seen are not raised twice.
    """
    if not assessment.triggered:
        return None
    seen = {reason for alert in entry.alerts for reason in alert.reasons}
    open_alert = next((a for a in entry.alerts if a.acknowledged_at is None), None)
    new = [r for r in assessment.reasons if r not in seen]
    if open_alert is not None:
        if new:
            open_alert.reasons = [*open_alert.reasons, *new]
            open_alert.urgency = max(open_alert.urgency, assessment.urgency)
        db.session.flush()
        return open_alert
    if not new:
        return None
    alert = Alert(patient_id=entry.patient_id, entry=entry, reasons=new, urgency=assessment.urgency)
    db.session.add(alert)
    db.session.flush()
    return alert


def acknowledge(alert: Alert, by: User, now: datetime) -> bool:
    """Take an alert off the triage list; False when someone already had."""
    if alert.acknowledged_at is not None:
        return False
    alert.acknowledged_at = now
    alert.acknowledged_by_id = by.id
    db.session.flush()
    return True


def open_alerts(clinic_id: int) -> Select[tuple[Alert]]:
    """Unacknowledged alerts of a clinic's patients, most urgent and then oldest first."""
    return (
        select(Alert)
        .join(Patient, Alert.patient_id == Patient.id)
        .where(Patient.clinic_id == clinic_id, Alert.acknowledged_at.is_(None))
        .order_by(Alert.urgency.desc(), Alert.created_at, Alert.id)
    )


def recently_acknowledged(clinic_id: int, since: datetime) -> Select[tuple[Alert]]:
    """Alerts of a clinic acknowledged since a moment, newest first."""
    return (
        select(Alert)
        .join(Patient, Alert.patient_id == Patient.id)
        .where(Patient.clinic_id == clinic_id, Alert.acknowledged_at >= since)
        .order_by(Alert.acknowledged_at.desc(), Alert.id.desc())
    )


def reason_label(reason: str, entry: DiaryEntry | None = None) -> str:
    """A reason in plain words, e.g. 'Temperature 38.6 °C'."""
    if reason == FEVER:
        if entry is not None and entry.temperature_c is not None:
            return f"Temperature {entry.temperature_c:g} °C"
        return "High temperature"
    if reason == SEVERE_HEADACHE:
        return "Severe headache after an infusion"
    if reason in MENINGISM_REASONS:
        return _meningism_label(reason, entry)
    if reason.startswith(WARNING_PREFIX):
        sign = WARNING_SIGNS.get(reason.removeprefix(WARNING_PREFIX))
        return sign[1] if sign else "Warning sign"
    return "Needs a look"


def _meningism_label(reason: str, entry: DiaryEntry | None) -> str:
    headache = "Headache"
    if entry is not None and entry.headache:
        headache = f"Headache ({GRADES[entry.headache]})"
    if reason == HEADACHE_WITH_STIFF_NECK:
        return f"{headache} with a stiff neck or dislike of bright light"
    if entry is not None and entry.temperature_c is not None:
        fever = f"a temperature of {entry.temperature_c:g} °C"
    else:
        fever = "a high temperature"
    return f"{headache} with {fever}, soon after an infusion"


def clinic_note(reason: str) -> str:
    """What the clinic should know about a reason beyond its name ('' for most)."""
    if reason in MENINGISM_REASONS:
        return (
            "Headache with fever or a stiff neck within days of IVIG is how aseptic "
            "meningitis presents: ask about neck stiffness, light sensitivity and vomiting."
        )
    return ""
