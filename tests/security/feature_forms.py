"""The diary, review, measurement, import and chart forms, for the hostile-input tests.

Each names the world's objects of child A and valid values for every field; the
hostile tests replace them one at a time or at random.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from portal.assessments.measures import RECORDED
from portal.core.clock import today
from portal.core.extensions import db
from portal.research import signing
from portal.research.models import ResearchSite
from portal.research.site_summary import build_summary, signed_file
from tests.security.form_spec import FormSpec


def _day(days_ago: int) -> str:
    return (today() - timedelta(days=days_ago)).isoformat()


def _diary(w) -> dict[str, str]:
    """A guardian's entry as the form posts it (without its client id)."""
    return {
        "date": _day(1),
        "strength": "1",
        "rash": "1",
        "rash_change": "0",
        "mood": "4",
        "headache": "0",
        "nausea": "1",
        "vomiting": "0",
        "diarrhoea": "0",
        "tiredness": "1",
        "muscle_pain": "0",
        "temperature_c": "37.2",
        "warning_signs": "dark_urine",
        "walk_28ft_seconds": "9.5",
        "note": "A quiet day after the infusion.",
    }


def _api_entry(w) -> dict[str, object]:
    """A guardian's entry as a phone sends it to the API: numbers as numbers."""
    return {
        "client_id": str(uuid.uuid4()),
        "date": _day(1),
        "strength": 1,
        "rash": 0,
        "rash_change": 0,
        "mood": 4,
        "headache": 2,
        "temperature_c": 37.4,
        "warning_signs": [],
        "walk_28ft_seconds": 9.5,
        "note": "Sent from the phone.",
    }


def _assessment(day: str) -> dict[str, str]:
    values = {m.name: f"{(m.minimum + m.maximum) / 4:g}" for m in RECORDED}
    return {"assessed_on": day, **values, "notes": "Seen in clinic, well."}


def _course_csv(w) -> str:
    ref = w.patient_a.patient_ref
    return (
        "patient_ref,start_date,days,total_dose_g_per_kg,product,lots,status\n"
        f"{ref},{_day(300)},5,2,Privigen,IMP-1;IMP-2,given\n"
    )


def _a(w) -> int:
    return w.patient_a.id


def _site_key() -> str:
    key = signing.signing_key(current_app.config, current_app.instance_path)
    return signing.public_key_text(key)


def _summary_file(w) -> str:
    """A site summary the hub accepts: from a site registered (once) with the app's own key."""
    if db.session.scalar(select(ResearchSite.id).where(ResearchSite.code == "fuzz-site")) is None:
        db.session.add(ResearchSite(code="fuzz-site", name="Fuzz site", public_key=_site_key()))
        db.session.commit()
    config, instance = current_app.config, current_app.instance_path
    payload = build_summary(
        [], site="fuzz-site", generated_on=today(), salt=signing.lot_salt(config, instance)
    )
    return signed_file(payload, signing.signing_key(config, instance)).decode()


FEATURE_FORMS = [
    FormSpec(
        "diary_new",
        "guardian_a",
        lambda w, a: f"/family/{_a(w)}/diary/new",
        lambda w: {"client_id": str(uuid.uuid4()), **_diary(w)},
    ),
    FormSpec(
        "diary_edit",
        "guardian_a",
        lambda w, a: f"/family/{_a(w)}/diary/{w.records.entry.id}/edit",
        _diary,
    ),
    FormSpec(
        "child_day",
        "child_a",
        lambda w, a: f"/family/{_a(w)}/my-day",
        lambda w: {"client_id": str(uuid.uuid4()), "mood": "4", "strength": "1"},
    ),
    FormSpec(
        "api_diary_entry",
        "guardian_a",
        lambda w, a: f"/api/v1/patients/{_a(w)}/diary",
        _api_entry,
        method="JSON",
    ),  # fmt: skip
    FormSpec(
        "mark_reviewed",
        "clinician_1",
        lambda w, a: f"/clinic/patients/{_a(w)}/review",
        lambda w: {"entry_ids": str(w.records.entry.id)},
        # Tick boxes on each report card: the error sits by the form's own hint.
        grouped=("entry_ids",),
    ),
    FormSpec(
        "reply",
        "clinician_1",
        lambda w, a: f"/clinic/entries/{w.records.entry.id}/reply",
        lambda w: {"text": "Thank you. Please call us if the fever stays."},
    ),
    FormSpec(
        "mark_messages_read",
        "guardian_a",
        lambda w, a: f"/family/{_a(w)}/messages/read",
        lambda w: {"reply_ids": str(w.records.reply.id)},
        # Tick boxes on each new message: the error sits by the form's own hint.
        grouped=("reply_ids",),
    ),
    FormSpec(
        "new_assessment",
        "clinician_1",
        lambda w, a: f"/clinic/patients/{_a(w)}/assessments/new",
        lambda w: _assessment(_day(40)),
    ),
    FormSpec(
        "edit_assessment",
        "clinician_1",
        lambda w, a: f"/clinic/assessments/{w.records.assessment.id}/edit",
        lambda w: _assessment(w.records.assessment.assessed_on.isoformat()),
    ),
    FormSpec(
        "new_prednisolone",
        "clinician_1",
        lambda w, a: f"/clinic/patients/{_a(w)}/medications/prednisolone/new",
        lambda w: {"start_date": _day(30), "dose": "7.5", "weight_kg": "31.5", "notes": "Less."},
    ),
    FormSpec(
        "new_agent",
        "clinician_1",
        lambda w, a: f"/clinic/patients/{_a(w)}/medications/other/new",
        lambda w: {
            "agent": "azathioprine",
            "other_name": "",
            "start_date": _day(60),
            "stop_date": _day(5),
            "dose": "50",
            "dose_unit": "mg/day",
            "notes": "Stopped for a rash.",
        },
    ),
    FormSpec(
        "edit_medication",
        "clinician_1",
        lambda w, a: f"/clinic/medications/{w.records.medication.id}/edit",
        lambda w: {"start_date": _day(2), "dose": "10", "weight_kg": "", "notes": "Corrected."},
    ),
    FormSpec(
        "new_weight",
        "clinician_1",
        lambda w, a: f"/clinic/patients/{_a(w)}/weights/new",
        lambda w: {"measured_on": _day(3), "weight_kg": "31.5"},
    ),
    FormSpec(
        "import",
        "clinician_1",
        lambda w, a: "/clinic/import",
        lambda w: {"kind": "courses", "file": _course_csv(w)},
        files=("file",),
    ),
    FormSpec(
        "research_site",
        "admin",
        lambda w, a: "/admin/research/sites/new",
        lambda w: {"code": "north-site", "name": "North", "public_key": _site_key()},
    ),
    FormSpec(
        "research_summary",
        "admin",
        lambda w, a: "/admin/research/summaries/new",
        lambda w: {"file": _summary_file(w)},
        files=("file",),
    ),
    FormSpec(
        "regimens_choice",
        "clinician_1",
        lambda w, a: "/clinic/reports/regimens",
        lambda w: {"by": "regimen", "a": "2g5d", "b": "2g3d"},
        method="GET",
    ),
    FormSpec(
        "hub_choice",
        "admin",
        lambda w, a: "/admin/research/",
        lambda w: {"a": "2g3d", "b": "2g5d"},
        method="GET",
    ),
    FormSpec(
        "dashboard_search",
        "clinician_1",
        lambda w, a: "/clinic/dashboard",
        lambda w: {"q": "Alice"},
        search=True,
    ),
    FormSpec(
        "family_chart_range",
        "guardian_a",
        lambda w, a: f"/family/{_a(w)}/chart",
        lambda w: {"start": _day(60), "end": _day(0)},
        method="GET",
    ),
    FormSpec(
        "clinic_chart_range",
        "clinician_1",
        lambda w, a: f"/clinic/patients/{_a(w)}/chart",
        lambda w: {"start": _day(300), "end": _day(0)},
        method="GET",
    ),
]

# Button-only actions of these features (a CSRF token and nothing else to type).
FEATURE_BUTTONS = {
    "/clinic/alerts/<int:alert_id>/acknowledge",
    "/family/<int:patient_id>/diary/<int:entry_id>/delete",
    "/clinic/assessments/<int:assessment_id>/delete",
    "/clinic/medications/<int:record_id>/delete",
    "/clinic/courses/<int:course_id>/delete",
}
