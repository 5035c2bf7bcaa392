"""Script-injection payloads in every free-text field stay inert on every page and export."""

from __future__ import annotations

import uuid
from datetime import date
from urllib.parse import quote

from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from portal.infusions.models import CourseLot
from tests.security.walk import walk

FIELDS = (
    "clinic_name",
    "clinic_phone",
    "patient_name",
    "patient_ref",
    "display_name",
    "email",
    "product",
    "notes",
    "lot",
    "diary_note",
    "reply",
    "assessment_notes",
    "medication_notes",
    "query",
)


def payload(field: str) -> str:
    """A payload that would run script if shown raw, tagged with where it was stored."""
    return f'"><script>alert("{field}")</script><img src=x onerror=alert("{field}")>'


def _store_payloads(world) -> None:
    """Put a payload in every free-text column the portal stores, past any form check."""
    patient, course = world.patient_a, world.course_a
    patient.clinic.name = payload("clinic_name")[:120]
    patient.clinic.phone = "<svg/onload=alert(1)>"
    patient.name = payload("patient_name")
    patient.patient_ref = payload("patient_ref")[:40]
    course.product = payload("product")[:80]
    course.notes = payload("notes")
    course.lots.append(CourseLot(lot_number=payload("lot")[:40]))
    for role, user in world.users.items():
        user.display_name = payload("display_name")
        user.email = f'{role}"><script>alert(1)</script>@x.test'
    db.session.add(
        DiaryEntry(
            patient=patient,
            client_id=str(uuid.uuid4()),
            entry_date=date(2025, 1, 1),
            author_role="guardian",
            note=payload("diary_note"),
        )
    )
    records = world.records
    records.entry.note = payload("diary_note")
    records.reply.text = payload("reply")
    records.reply.read_at = None  # so the family's pages list it as new
    records.assessment.notes = payload("assessment_notes")
    records.medication.notes = payload("medication_notes")
    db.session.commit()


def _raw_markup(body: str) -> list[str]:
    return [bad for bad in ("<script>alert(", "<img src=x onerror", "<svg/onload") if bad in body]


def test_payloads_in_every_free_text_field_are_shown_escaped_on_every_page(
    app, world, actor_clients
):
    _store_payloads(world)
    shown_escaped = set()
    problems = []
    for actor, client in actor_clients.items():
        for rule, method, response in walk(app, client, world.url_values()):
            if response.mimetype != "text/html":
                continue  # downloads (CSV, JSON, PDF, zip) are checked below
            body = response.get_data(as_text=True)
            problems += [f"{actor} {method} {rule.rule}: {bad}" for bad in _raw_markup(body)]
            shown_escaped |= {f for f in FIELDS if f"alert(&#34;{f}&#34;)" in body}
    assert not problems, "\n".join(problems)
    # The walk really displayed the stored payloads (escaped), not just skipped them.
    assert {"clinic_name", "patient_name", "product", "lot", "display_name"} <= shown_escaped
    assert {"diary_note", "reply", "assessment_notes", "medication_notes"} <= shown_escaped


def test_payloads_typed_into_search_and_filter_boxes_come_back_escaped(world, actor_clients):
    typed = payload("query")
    clinician, admin = actor_clients["clinician_1"], actor_clients["admin"]
    answers = [
        clinician.post_form("/clinic/", {"q": typed}),  # by POST: names stay out of URLs
        clinician.post_form("/clinic/dashboard", {"q": typed}),
        admin.get(f"/audit?user={quote(typed)}"),
    ]
    for response in answers:
        body = response.get_data(as_text=True)
        assert _raw_markup(body) == []
        assert "alert(&#34;query&#34;)" in body


def test_exports_with_payloads_are_downloads_the_browser_will_not_render(world, actor_clients):
    _store_payloads(world)
    for fmt, mimetype in (("json", "application/json"), ("csv", "text/csv")):
        response = actor_clients["guardian_a"].get(f"/family/{world.patient_a.id}/export.{fmt}")
        assert response.status_code == 200
        assert response.mimetype == mimetype
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_cohort_report_downloads_with_payloads_are_not_rendered_as_pages(world, actor_clients):
    _store_payloads(world)
    client = actor_clients["clinician_1"]
    csv_file = client.get("/clinic/reports/course-response.csv")
    assert csv_file.mimetype == "text/csv"
    assert csv_file.headers["Content-Disposition"].startswith("attachment;")
    as_json = client.get("/clinic/reports/course-response.json")
    assert as_json.mimetype == "application/json"
    for response in (csv_file, as_json):
        # Never sniffed as HTML, and no script would run under the policy anyway.
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
