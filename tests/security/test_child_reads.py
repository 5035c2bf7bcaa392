"""What a child's own login reads: one rule, tested on every page and endpoint it can open.

The rule (SECURITY.md): a child's progress page and its JSON show strength and mood
trends from every report, the guardians' too (that is what the page is for), but a
child's login never reads a guardian's notes, symptoms, temperatures, warning signs
or the clinic's messages. Reading never changes anything: replies are marked read by
a guardian's POST, never by opening a page.
"""

from __future__ import annotations

import re
from datetime import timedelta

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.review.actions import reply_to_entry
from portal.review.models import Reply
from tests import factories as make
from tests.security.access_matrix import MATRIX
from tests.security.conftest import log_in
from tests.security.walk import url_for_rule

NOTE = "Zebra-note-7341 sore at bedtime"
REPLY = "Quokka-reply-5512 please call us"
# Words only a guardian's entry, its alert or a clinic message would bring onto a page.
FORBIDDEN = (
    NOTE,
    REPLY,
    "Zebra",
    "Quokka",
    "38.9",
    "°C",
    "emperature",
    "eadache",
    "ausea",
    "omiting",
    "iarrh",
    "uscle pain",
    "fever",
    "Fever",
    "urine",
    "arning",
    "message",
)


def _family_with_a_guardians_bad_day():
    patient = make.patient(name="Robin Childreads")
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    child = make.user(Role.CHILD, patients=[patient])
    clinician = make.user(Role.CLINICIAN, clinic=patient.clinic)
    make.course(patient, today() - timedelta(days=12))
    day = today() - timedelta(days=1)
    entry = make.entry(
        patient,
        guardian,
        day,
        strength=-2,
        mood=1,
        headache=3,
        nausea=2,
        temperature_c=38.9,
        warning_signs=["dark_urine"],
        note=NOTE,
    )
    reply_to_entry(entry, clinician, REPLY, now_utc())
    db.session.commit()
    return patient, guardian, child


# The same for everyone and about no one: health probes, and the FHIR definitions the
# portal publishes (the diary's questions and the clinic's codes, not any child's answers).
PUBLIC_PAGES = (
    "/healthz",
    "/readyz",
    "/fhir/R4/Questionnaire/home-diary",
    "/fhir/R4/CodeSystem/jdm-measures",
)


def _child_routes():
    """Every (path, method) of the access matrix a child's login may GET (answers 200)."""
    return sorted(
        path for (path, method), row in MATRIX.items() if method == "GET" and row["child_a"] == 200
    )


def _visible_text(page: str) -> str:
    """What the page says: its text and attribute values, without the script and style names."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'\b(?:class|id|href|src|for|aria-describedby|name)="[^"]*"', " ", page)
    return page


def test_every_page_and_endpoint_a_child_opens_shows_no_guardian_detail_or_message(app):
    patient, _, child = _family_with_a_guardians_bad_day()
    client = log_in(app, child)
    values = {"patient_id": patient.id, "filename": "css/portal.css"}
    routes = [r for r in app.url_map.iter_rules() if r.rule in _child_routes()]
    assert {r.rule for r in routes} >= {
        "/family/<int:patient_id>",
        "/family/<int:patient_id>/progress",
        "/api/patients/<int:patient_id>/charts/progress",
        "/family/<int:patient_id>/my-day",
        "/api/v1/patients/<int:patient_id>/diary",
    }
    checked = []
    for rule in routes:
        if rule.rule.startswith("/static/") or rule.rule in PUBLIC_PAGES:
            continue
        url = url_for_rule(app, rule, values)
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        text = _visible_text(response.get_data(as_text=True))
        found = [word for word in FORBIDDEN if word in text]
        assert found == [], f"{url} shows {found}"
        checked.append(rule.rule)
    assert len(checked) >= 7


def test_a_childs_progress_shows_strength_and_mood_from_every_report_the_guardians_too(app):
    patient, _, child = _family_with_a_guardians_bad_day()
    client = log_in(app, child)
    page = client.get(f"/family/{patient.id}/progress").get_data(as_text=True)
    yesterday = today() - timedelta(days=1)
    assert f"{yesterday:%A}: very sad face" in page  # the guardian's report, as a face
    spec = client.get(f"/api/patients/{patient.id}/charts/progress").get_json()["charts"]["weeks"]
    assert any(value == 1.0 for value in spec["series"][0]["values"])  # "much weaker"
    assert set(spec) == {"kind", "title", "labels", "axis", "series"}


def test_a_childs_login_cannot_open_the_clinics_messages_and_sees_no_marker(app):
    patient, _, child = _family_with_a_guardians_bad_day()
    client = log_in(app, child)
    assert client.get(f"/family/{patient.id}/messages").status_code == 404
    home = client.get(f"/family/{patient.id}").get_data(as_text=True)
    assert "new message" not in home and "/messages" not in home
    assert db.session.query(Reply).one().read_at is None


def test_opening_the_messages_or_the_entry_marks_nothing_read(app):
    patient, guardian, _ = _family_with_a_guardians_bad_day()
    client = log_in(app, guardian)
    reply = db.session.query(Reply).one()
    page = client.get(f"/family/{patient.id}/messages").get_data(as_text=True)
    assert REPLY in page and ">New<" in page
    client.get(f"/family/{patient.id}/diary/{reply.entry_id}")
    db.session.refresh(reply)
    assert reply.read_at is None
    assert "1 new message from the clinic" in client.get(f"/family/{patient.id}").get_data(
        as_text=True
    )


def test_a_guardian_marks_ticked_replies_read_by_a_post_for_every_guardian(app):
    patient, guardian, _ = _family_with_a_guardians_bad_day()
    other_guardian = make.user(Role.GUARDIAN, patients=[patient])
    other_family_reply = make.patient()
    reply = db.session.query(Reply).one()
    client = log_in(app, guardian)
    page = client.get(f"/family/{patient.id}/messages").get_data(as_text=True)
    assert f'name="reply_ids" value="{reply.id}" form="read-form" checked' in page
    nothing = client.post_form(f"/family/{patient.id}/messages/read", {})
    assert "Tick at least one message." in nothing.get_data(as_text=True)
    assert (
        client.post_form(
            f"/family/{other_family_reply.id}/messages/read", {"reply_ids": str(reply.id)}
        ).status_code
        == 404
    )
    done = client.post_form(f"/family/{patient.id}/messages/read", {"reply_ids": str(reply.id)})
    assert done.status_code == 302
    db.session.refresh(reply)
    assert reply.read_by_id == guardian.id and reply.read_at is not None
    other = log_in(app, other_guardian)
    assert "new message" not in other.get(f"/family/{patient.id}").get_data(as_text=True)
