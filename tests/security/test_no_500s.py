"""The 500s found in issue 11, each now a 400 or 404 with a message and nothing stored."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from portal.medications.records import MedicationData, record_medication
from tests import factories as make
from tests.security.conftest import log_in


@pytest.fixture
def family(app):
    patient = make.patient()
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    return patient, log_in(app, guardian), guardian


def _post_raw(client, path: str, body: str):
    headers = {"X-CSRFToken": client.csrf_token(), "Content-Type": "application/json"}
    return client.post(path, data=body, headers=headers)


def _entries() -> int:
    return db.session.scalar(select(func.count()).select_from(DiaryEntry))


def _entry(**fields) -> str:
    """An entry's JSON; the date is filled in when the test runs (the clock is frozen then)."""
    payload = {"client_id": str(uuid.uuid4()), "date": "TODAY", **fields}
    return json.dumps(payload)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("[" * 50_000 + "]" * 50_000, "body"),
        ('{"mood": ' + "[" * 40 + "]" * 40 + "}", "body"),  # deeper than any entry nests
        (_entry(temperature_c=int("9" * 401)), "temperature_c"),
        (_entry(walk_28ft_seconds=-int("9" * 401)), "walk_28ft_seconds"),
        (_entry(note="\ud800"), "note"),
        (_entry(note="fine \udfff then"), "note"),
    ],
    ids=["nested-50000", "nested-40", "401-digits", "minus-401-digits", "surrogate", "low-half"],
)
def test_hostile_json_bodies_get_a_400_naming_the_field_and_store_nothing(family, body, field):
    patient, client, _ = family
    body = body.replace('"TODAY"', f'"{today().isoformat()}"')
    response = _post_raw(client, f"/api/v1/patients/{patient.id}/diary", body)
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert field in errors and errors[field]
    assert _entries() == 0


def test_a_form_field_refuses_control_characters_as_the_api_refuses_surrogates(family):
    patient, client, _ = family
    # A form post is percent-encoded UTF-8: a surrogate can only arrive broken, as U+FFFD,
    # which is stored like any character. JSON is the way one arrives whole (see above);
    # the same text rule refuses both.
    day = (today() - timedelta(days=1)).isoformat()
    response = client.post_form(
        f"/family/{patient.id}/diary/new",
        {"date": day, "strength": "0", "mood": "3", "note": "a\x07b"},
    )
    assert response.status_code == 200
    assert "control characters" in response.get_data(as_text=True)
    assert _entries() == 0


def test_huge_page_numbers_and_edge_dates_are_pages_not_errors(app, family):
    patient, client, _ = family
    clinician = log_in(app, make.user(Role.CLINICIAN, clinic=patient.clinic))
    admin = log_in(app, make.user(Role.ADMIN))
    assert client.get(f"/family/{patient.id}/diary?page=1e21").status_code == 200
    assert clinician.get(f"/clinic/patients/{patient.id}/diary?page=1e21").status_code == 200
    assert clinician.get(f"/clinic/patients/{patient.id}/review?end=0001-01-01").status_code == 200
    assert clinician.get(f"/clinic/patients/{patient.id}/review?end=9999-12-31").status_code == 200
    refused = admin.get("/clinic/reports/course-response?clinic=1e23")
    assert refused.status_code == 404
    assert "There is nothing here" in refused.get_data(as_text=True)


@pytest.mark.parametrize("query", ["end=0001-01-01", "start=0001-01-01", "end=9999-12-31"])
def test_charts_at_the_ends_of_the_calendar_are_pages_with_a_message(app, family, query):
    # Found by the route fuzzer (test_route_fuzzing.py): a range stepped back from year 1.
    patient, client, _ = family
    clinician = log_in(app, make.user(Role.CLINICIAN, clinic=patient.clinic))
    for who, path in (
        (client, f"/family/{patient.id}/chart"),
        (client, f"/api/patients/{patient.id}/charts/diary"),
        (clinician, f"/clinic/patients/{patient.id}/chart"),
        (clinician, f"/api/patients/{patient.id}/charts/clinic"),
    ):
        response = who.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)
    page = client.get(f"/family/{patient.id}/chart?{query}").get_data(as_text=True)
    if query.startswith(("end=0001", "start=0001")):
        assert "Choose a date from 1900 on." in page


@pytest.mark.parametrize("agent", ["azathioprine", "ciclosporin", "methotrexate", "other"])
def test_the_edit_page_of_every_medicine_opens_and_saves(app, agent):
    patient = make.patient()
    clinician = make.user(Role.CLINICIAN, clinic=patient.clinic)
    day = today() - timedelta(days=5)
    record = record_medication(
        patient,
        MedicationData(
            agent=agent, start_date=day, dose=50, dose_unit="mg/day", other_name="Hydroxy"
        ),
        clinician,
    )
    db.session.commit()
    client = log_in(app, clinician)
    page = client.get(f"/clinic/medications/{record.id}/edit")
    assert page.status_code == 200
    assert "Edit" in page.get_data(as_text=True)
    form = {
        "start_date": day.isoformat(),
        "stop_date": today().isoformat(),
        "dose": "75",
        "dose_unit": "mg/day",
        "other_name": "Hydroxy",
        "notes": "",
    }
    saved = client.post_form(f"/clinic/medications/{record.id}/edit", form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    db.session.refresh(record)
    assert record.dose == 75 and record.stop_date == today()


@pytest.mark.parametrize("value", ["/%0d%0aX-Evil:%201", "/diary%0aSet-Cookie:x=1", "%0d%0a"])
def test_a_line_break_in_next_never_reaches_a_header(app, family, value):
    _, _, guardian = family
    client = log_in(app, None)
    shown = client.get(f"/login?next={value}")
    assert shown.status_code == 302 and shown.headers["Location"] == "/login"
    posted = client.post_form(
        f"/login?next={value}", {"email": guardian.email, "password": make.PASSWORD}
    )
    assert posted.status_code == 400
    assert "X-Evil" not in str(posted.headers) and "Set-Cookie: x" not in str(posted.headers)
    assert "check the form and try again" in posted.get_data(as_text=True)


@pytest.mark.parametrize("path", ["//evil.example/login", "/%2F%2Fevil.example/login", "/\\evil"])
def test_dropping_a_damaged_next_never_sends_anyone_off_the_site(app, path):
    client = log_in(app, None)
    response = client.get(f"{path}?next=%0d%0a")
    location = response.headers.get("Location", "/")
    assert response.status_code in (302, 404)
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
