"""Nobody reaches a diary they are not linked to: every refusal is a 404."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from tests import factories as make


@pytest.fixture
def maya():
    """A child of one clinic with a guardian, a course and one entry."""
    clinic = make.clinic()
    patient = make.patient(clinic, name="Maya Okafor")
    make.course(patient, today() - timedelta(days=5), status="given")
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    entry = make.entry(patient, guardian, today(), temperature_c=38.7)
    return patient, entry


def family_urls(patient, entry) -> list[str]:
    base = f"/family/{patient.id}/diary"
    return [base, f"{base}/new", f"{base}/{entry.id}", f"{base}/{entry.id}/edit"]


def entry_count() -> int:
    return db.session.scalar(select(func.count()).select_from(DiaryEntry))


def api_post(client, patient) -> int:
    payload = {"client_id": str(uuid.uuid4()), "date": today().isoformat(), "mood": 3}
    return client.post_json(f"/api/v1/patients/{patient.id}/diary", payload).status_code


def test_a_guardian_of_another_child_gets_404_everywhere(client, login, maya):
    patient, entry = maya
    login(make.user(Role.GUARDIAN, patients=[make.patient()]))
    for url in [*family_urls(patient, entry), f"/family/{patient.id}/diary/{entry.id}/delete"]:
        assert client.get(url).status_code == 404, url
    assert client.post_form(f"/family/{patient.id}/diary/{entry.id}/delete").status_code == 404
    assert client.get(f"/api/v1/patients/{patient.id}/diary").status_code == 404
    assert api_post(client, patient) == 404
    assert entry_count() == 1
    assert db.session.get(DiaryEntry, entry.id).deleted_at is None


def test_a_child_account_of_another_child_gets_404(client, login, maya):
    patient, entry = maya
    login(make.user(Role.CHILD, patients=[make.patient()]))
    assert client.get(f"/family/{patient.id}/my-day").status_code == 404
    assert client.get(f"/api/v1/patients/{patient.id}/diary").status_code == 404
    assert api_post(client, patient) == 404


def test_the_childs_own_account_cannot_edit_or_delete_entries(client, login, maya):
    patient, entry = maya
    login(make.user(Role.CHILD, patients=[patient]))
    for url in family_urls(patient, entry):
        assert client.get(url).status_code == 404, url
    assert client.post_form(f"/family/{patient.id}/diary/{entry.id}/delete").status_code == 404
    # …and reads back only its own reports through the API
    assert client.get(f"/api/v1/patients/{patient.id}/diary").json["entries"] == []


def test_staff_of_another_clinic_get_404(client, login, maya):
    patient, entry = maya
    login(make.user(Role.CLINICIAN, clinic=make.clinic()))
    assert client.get(f"/clinic/patients/{patient.id}/diary").status_code == 404
    assert client.get(f"/api/v1/patients/{patient.id}/diary").status_code == 404
    assert client.post_form(f"/clinic/alerts/{entry.alerts[0].id}/acknowledge").status_code == 404


def test_clinicians_do_not_use_the_family_pages_and_cannot_write(client, login, maya):
    patient, entry = maya
    login(make.user(Role.CLINICIAN, clinic=patient.clinic))
    for url in family_urls(patient, entry):
        assert client.get(url).status_code == 404, url
    assert api_post(client, patient) == 404
    assert entry_count() == 1


def test_admins_see_no_diary_and_no_triage(client, login, maya):
    patient, _ = maya
    login(make.user(Role.ADMIN))
    assert client.get("/clinic/triage").status_code == 404
    assert client.get(f"/clinic/patients/{patient.id}/diary").status_code == 404
    assert client.get(f"/api/v1/patients/{patient.id}/diary").status_code == 404
    assert client.get("/api/v1/patients").status_code == 404


def test_an_entry_id_from_another_child_is_404_under_this_child(client, login, maya):
    patient, entry = maya
    sibling = make.patient()
    guardian = make.user(Role.GUARDIAN, patients=[patient, sibling])
    login(guardian)
    assert client.get(f"/family/{sibling.id}/diary/{entry.id}").status_code == 404
    assert client.get(f"/family/{patient.id}/diary/{entry.id}").status_code == 200


def test_a_client_id_used_for_one_child_cannot_fetch_it_through_another(client, login, maya):
    patient, entry = maya
    sibling = make.patient()
    login(make.user(Role.GUARDIAN, patients=[patient, sibling]))
    payload = {"client_id": entry.client_id, "date": today().isoformat()}
    response = client.post_json(f"/api/v1/patients/{sibling.id}/diary", payload)
    assert response.status_code == 400
    assert list(response.json["errors"]) == ["client_id"]
    assert "entry" not in response.json
