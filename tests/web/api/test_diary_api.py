"""The JSON API: listing patients, reading a diary with placements, posting entries."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from portal.diary.models import Alert, DiaryEntry
from tests import factories as make
from tests.factories import PASSWORD


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def setup_family():
    clinic = make.clinic(phone="0161 496 0777")
    patient = make.patient(clinic, name="Maya Okafor", patient_ref="JDM-0042")
    make.course(patient, today() - timedelta(days=7), days=5, status="given")
    make.course(patient, today() + timedelta(days=30), days=5, status="planned")
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    return clinic, patient, guardian


def body(**answers) -> dict:
    return {"client_id": str(uuid.uuid4()), "date": today().isoformat(), **answers}


def test_anonymous_callers_get_401_json_not_a_redirect(client):
    patient = make.patient()
    for response in (
        client.get("/api/v1/patients"),
        client.get(f"/api/v1/patients/{patient.id}/diary"),
        client.post(f"/api/v1/patients/{patient.id}/diary", json=body()),
    ):
        assert response.status_code == 401
        assert response.is_json
        assert "Location" not in response.headers


def test_patients_lists_only_the_children_a_user_may_see(client, login):
    clinic, patient, guardian = setup_family()
    make.patient(clinic, name="Someone Else")
    login(guardian)
    response = client.get("/api/v1/patients")
    assert response.json == {
        "patients": [{"id": patient.id, "name": "Maya Okafor", "patient_ref": "JDM-0042"}]
    }


def test_clinicians_list_their_clinics_patients(client, login):
    clinic, patient, _ = setup_family()
    make.patient(make.clinic(), name="Other Clinic Child")
    login(make.user(Role.CLINICIAN, clinic=clinic))
    names = [p["name"] for p in client.get("/api/v1/patients").json["patients"]]
    assert names == ["Maya Okafor"]


def test_posting_an_entry_returns_201_with_entry_placement_and_no_alert(client, login):
    _, patient, guardian = setup_family()
    login(guardian)
    payload = body(strength=1, rash=1, rash_change=1, mood=4, headache=1, walk_28ft_seconds=6.5)
    response = client.post_json(f"/api/v1/patients/{patient.id}/diary", payload)
    assert response.status_code == 201
    data = response.json
    assert data["entry"]["client_id"] == payload["client_id"]
    assert data["entry"]["strength"] == 1 and data["entry"]["headache"] == 1
    assert data["entry"]["author"] == {"role": "guardian", "name": guardian.name}
    assert data["placement"]["label"] == "day 3 after course 1 (2 g/kg over 5 days)"
    assert data["placement"]["days_before_next"] == 30
    assert data["alert"] is None


def test_a_fever_posted_returns_the_alert_with_advice_and_the_clinic_phone(client, login):
    _, patient, guardian = setup_family()
    login(guardian)
    response = client.post_json(f"/api/v1/patients/{patient.id}/diary", body(temperature_c=38.6))
    alert = response.json["alert"]
    assert response.status_code == 201
    assert alert["reasons"] == ["fever"]
    assert alert["acknowledged"] is False
    assert alert["clinic_phone"] == "0161 496 0777"
    assert "0161 496 0777" in alert["advice"] and "999" in alert["advice"]
    assert count(Alert) == 1


def test_the_same_client_id_again_returns_the_first_entry_with_200(client, login):
    _, patient, guardian = setup_family()
    login(guardian)
    payload = body(temperature_c=39.2)
    first = client.post_json(f"/api/v1/patients/{patient.id}/diary", payload)
    again = client.post_json(f"/api/v1/patients/{patient.id}/diary", {**payload, "mood": 1})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["entry"]["id"] == first.json["entry"]["id"]
    assert again.json["entry"]["mood"] is None  # the first entry, not the second body
    assert again.json["alert"]["id"] == first.json["alert"]["id"]
    assert (count(DiaryEntry), count(Alert)) == (1, 1)


def test_ten_copies_posted_at_once_make_one_entry(app, client):
    _, patient, guardian = setup_family()
    payload = body(temperature_c=38.9)
    url = f"/api/v1/patients/{patient.id}/diary"
    clients = []
    for _ in range(10):
        other = app.test_client()
        other.post_form("/login", {"email": guardian.email, "password": PASSWORD})
        clients.append((other, other.csrf_token()))
    start = threading.Barrier(10)
    results: list[tuple[int, int]] = []

    def post(test_client, token):
        with app.app_context():
            start.wait()
            response = test_client.post(url, json=payload, headers={"X-CSRFToken": token})
            results.append((response.status_code, response.json["entry"]["id"]))

    threads = [threading.Thread(target=post, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 9 + [201]
    assert len({entry_id for _, entry_id in results}) == 1
    assert (count(DiaryEntry), count(Alert)) == (1, 1)


def test_bad_fields_return_400_naming_each_and_nothing_is_saved(client, login):
    _, patient, guardian = setup_family()
    login(guardian)
    payload = body(
        date=(today() + timedelta(days=1)).isoformat(),
        temperature_c=33.0,
        nausea=4,
        warning_signs=["dark_urine", "glowing"],
        note="x" * 2001,
        favourite_colour="blue",
    )
    response = client.post_json(f"/api/v1/patients/{patient.id}/diary", payload)
    assert response.status_code == 400
    assert set(response.json["errors"]) == {
        "date",
        "temperature_c",
        "nausea",
        "warning_signs",
        "note",
        "favourite_colour",
    }
    assert response.json["errors"]["favourite_colour"] == "Unknown field."
    assert count(DiaryEntry) == 0


def test_a_body_that_is_not_a_json_object_is_refused(client, login):
    _, patient, guardian = setup_family()
    login(guardian)
    response = client.post_json(f"/api/v1/patients/{patient.id}/diary", [1, 2, 3])
    assert response.status_code == 400
    assert "body" in response.json["errors"]


def test_a_write_without_the_csrf_header_is_refused(client, login):
    _, patient, guardian = setup_family()
    login(guardian)
    response = client.post(f"/api/v1/patients/{patient.id}/diary", json=body())
    assert response.status_code == 400
    assert count(DiaryEntry) == 0


def test_a_child_may_post_mood_and_strength_but_nothing_clinical(client, login):
    _, patient, _ = setup_family()
    login(make.user(Role.CHILD, patients=[patient]))
    url = f"/api/v1/patients/{patient.id}/diary"
    refused = client.post_json(url, body(mood=5, temperature_c=38.5))
    assert refused.status_code == 400
    assert list(refused.json["errors"]) == ["temperature_c"]
    accepted = client.post_json(url, body(mood=5, strength=1))
    assert accepted.status_code == 201
    assert accepted.json["entry"]["author"] == {"role": "child", "name": "Maya's own report"}


def test_reading_a_diary_gives_entries_with_placements_between_dates(client, login):
    _, patient, guardian = setup_family()
    for days_ago in (6, 3, 1):
        make.entry(patient, guardian, today() - timedelta(days=days_ago), mood=3)
    login(guardian)
    start, end = today() - timedelta(days=4), today() - timedelta(days=2)
    response = client.get(f"/api/v1/patients/{patient.id}/diary?from={start}&to={end}")
    entries = response.json["entries"]
    assert [e["date"] for e in entries] == [(today() - timedelta(days=3)).isoformat()]
    assert entries[0]["placement"]["label"] == "during course 1 (day 5 of 5)"
    everything = client.get(f"/api/v1/patients/{patient.id}/diary").json["entries"]
    assert [e["placement"]["label"] for e in everything] == [
        "day 2 after course 1 (2 g/kg over 5 days)",
        "during course 1 (day 5 of 5)",
        "during course 1 (day 2 of 5)",
    ]


def test_bad_date_filters_are_named(client, login):
    _, patient, guardian = setup_family()
    login(guardian)
    response = client.get(f"/api/v1/patients/{patient.id}/diary?from=yesterday&to=2025-01-01")
    assert response.status_code == 400
    assert list(response.json["errors"]) == ["from"]
    backwards = client.get(f"/api/v1/patients/{patient.id}/diary?from=2025-02-01&to=2025-01-01")
    assert list(backwards.json["errors"]) == ["to"]


def test_deleted_entries_are_not_listed(client, login):
    _, patient, guardian = setup_family()
    kept = make.entry(patient, guardian, today())
    gone = make.entry(patient, guardian, today() - timedelta(days=1))
    login(guardian)
    client.post_form(f"/family/{patient.id}/diary/{gone.id}/delete")
    ids = [e["id"] for e in client.get(f"/api/v1/patients/{patient.id}/diary").json["entries"]]
    assert ids == [kept.id]


def test_staff_of_the_clinic_may_read_but_not_write(client, login):
    clinic, patient, guardian = setup_family()
    make.entry(patient, guardian, today(), note="<script>x</script>")
    login(make.user(Role.CLINICIAN, clinic=clinic))
    read = client.get(f"/api/v1/patients/{patient.id}/diary")
    assert read.status_code == 200
    assert read.json["entries"][0]["note"] == "<script>x</script>"  # data, stored as typed
    write = client.post_json(f"/api/v1/patients/{patient.id}/diary", body())
    assert write.status_code == 404
    assert write.is_json
