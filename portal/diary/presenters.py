"""How diary entries and alerts read on the family's and the clinic's pages and in the API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from portal.core.clock import local_time
from portal.diary.alerts import (
    EMERGENCY,
    URGENCY_LABELS,
    WARNING_PREFIX,
    clinic_note,
    reason_label,
)
from portal.diary.models import (
    GRADES,
    MOOD,
    RASH,
    RASH_CHANGE,
    STRENGTH,
    SYMPTOMS,
    WARNING_SIGNS,
    Alert,
    DiaryEntry,
)
from portal.main.filters import number
from portal.patients.models import Patient

EMERGENCY_SIGN = f"{WARNING_PREFIX}chest_pain"
RASH_CHANGE_WORDS = {-1: "worse than before", 0: "same as before", 1: "better than before"}
FIELD_LABELS = {
    "date": "the date",
    "strength": "strength",
    "rash": "rash",
    "rash_change": "rash change",
    "mood": "mood",
    **{name: label.lower() for name, label in SYMPTOMS.items()},
    "temperature_c": "temperature",
    "warning_signs": "warning signs",
    "walk_28ft_seconds": "walking time",
    "note": "note",
}


def field_label(name: str) -> str:
    """An entry field's name in words, for the list of changes."""
    return FIELD_LABELS.get(name, name.replace("_", " "))


def when(moment: datetime | None) -> str:
    """A stored UTC time in the clinic's zone: '3 Mar 2025, 14:05'."""
    if moment is None:
        return ""
    local = local_time(moment)
    return f"{local.day} {local:%b %Y, %H:%M}"


def author_label(entry: DiaryEntry) -> str:
    """Who wrote an entry: the guardian's name, or "Maya's own report"."""
    if entry.author_role == "child":
        return f"{entry.patient.first_name}'s own report"
    return entry.author.name if entry.author is not None else "A guardian"


def new_clinic_replies(entry: DiaryEntry) -> list:
    """The clinic's replies on this entry that the family has not marked read."""
    return [r for r in entry.replies if r.read_at is None and not r.from_family]


def clinic_answered(alert: Alert) -> bool:
    """Whether the clinic has replied on the alert's entry since the alert was raised."""
    return any(not r.from_family and r.created_at >= alert.created_at for r in alert.entry.replies)


def tel_href(phone: str | None) -> str:
    """A tel: link target with only what a dialler reads (digits and a leading +)."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    return f"tel:{digits}" if digits else ""


def entry_facts(entry: DiaryEntry) -> list[str]:
    """The answers of an entry in short plain words, the notable ones first."""
    facts: list[str] = []
    if entry.temperature_c is not None:
        facts.append(f"Temperature {number(entry.temperature_c)} °C")
    facts += [reason_label(f"{WARNING_PREFIX}{name}") for name in entry.warning_signs]
    facts += [
        f"{label}: {GRADES[getattr(entry, name)]}"
        for name, label in SYMPTOMS.items()
        if getattr(entry, name)
    ]
    if entry.strength is not None:
        facts.append(f"Strength: {STRENGTH[entry.strength].lower()}")
    if entry.rash is not None:
        facts.append(f"Rash: {RASH[entry.rash].lower()}{_rash_change(entry)}")
    if entry.mood is not None:
        facts.append(f"Mood: {MOOD[entry.mood].lower()}")
    if entry.walk_28ft_seconds is not None:
        facts.append(f"Walk 28 ft: {number(entry.walk_28ft_seconds)} s")
    return facts


def _rash_change(entry: DiaryEntry) -> str:
    if entry.rash_change is None:
        return ""
    return f", {RASH_CHANGE[entry.rash_change].lower()}"


def no_symptoms(entry: DiaryEntry) -> bool:
    """True when every symptom is graded none."""
    return not any(getattr(entry, name) for name in SYMPTOMS)


@dataclass(frozen=True)
class FamilyAdvice:
    """What the family is told at once about an alerting entry. Never a dose, never a diagnosis."""

    reasons: list[str]
    emergency_first: bool  # chest pain or breathlessness: 999 / A&E before the clinic
    clinic_name: str
    phone: str
    tel: str

    def as_text(self, child_name: str) -> str:
        """The advice in one paragraph, for the API."""
        call = f"Call {self.clinic_name} now" + (f" on {self.phone}." if self.phone else ".")
        urgent = (
            f"If {child_name} has chest pain or is struggling to breathe, "
            "call 999 or go to A&E now."
        )
        return f"{urgent} {call}" if self.emergency_first else f"{call} {urgent}"


def family_advice(alert: Alert, patient: Patient) -> FamilyAdvice:
    """The advice shown with an alert, with the clinic's phone number."""
    clinic = patient.clinic
    return FamilyAdvice(
        reasons=[reason_label(r, alert.entry) for r in alert.reasons],
        emergency_first=EMERGENCY_SIGN in alert.reasons,
        clinic_name=clinic.name,
        phone=clinic.phone or "",
        tel=tel_href(clinic.phone),
    )


def urgency_label(urgency: int) -> str:
    """'Emergency signs', 'Urgent' or 'Review today'."""
    return URGENCY_LABELS.get(min(urgency, EMERGENCY), "Review today")


TEMPLATE_FILTERS = {"field_label": field_label, "clinic_note": clinic_note}
TEMPLATE_GLOBALS = {
    "GRADES": GRADES,
    "MOOD": MOOD,
    "RASH": RASH,
    "RASH_CHANGE": RASH_CHANGE,
    "RASH_CHANGE_WORDS": RASH_CHANGE_WORDS,
    "STRENGTH": STRENGTH,
    "SYMPTOMS": SYMPTOMS,
    "WARNING_SIGNS": WARNING_SIGNS,
    "when": when,
    "author_label": author_label,
    "entry_facts": entry_facts,
    "no_symptoms": no_symptoms,
    "family_advice": family_advice,
    "reason_label": reason_label,
    "clinic_note": clinic_note,
    "tel_href": tel_href,
    "new_clinic_replies": new_clinic_replies,
    "clinic_answered": clinic_answered,
    "urgency_label": urgency_label,
}
