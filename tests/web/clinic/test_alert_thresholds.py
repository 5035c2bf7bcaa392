"""An administrator sets a clinic's alert thresholds; the diary's alerts follow them."""

import uuid

from portal.auth.models import Role
from portal.clinic.models import Clinic
from portal.core.clock import today
from portal.core.extensions import db
from tests import factories as make


def test_a_new_clinic_starts_with_the_default_thresholds(client, login_as):
    login_as(Role.ADMIN)
    page = client.get("/admin/clinics/new").get_data(as_text=True)
    assert 'value="38.0"' in page and 'value="7"' in page


def test_an_admin_lowers_the_fever_threshold_and_a_lower_temperature_alerts(client, login):
    clinic = make.clinic()
    login(make.user(Role.ADMIN))
    response = client.post_form(
        f"/admin/clinics/{clinic.id}/edit",
        {
            "name": clinic.name,
            "phone": "0161 496 0999",
            "fever_threshold_c": "37.8",
            "headache_alert_days": "5",
        },
    )
    assert response.status_code == 302
    clinic = db.session.get(Clinic, clinic.id)
    assert (clinic.fever_threshold_c, clinic.headache_alert_days) == (37.8, 5)

    patient = make.patient(clinic)
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    client.post_form("/logout")
    login(guardian)
    payload = {"client_id": str(uuid.uuid4()), "date": today().isoformat(), "temperature_c": 37.9}
    answer = client.post_json(f"/api/v1/patients/{patient.id}/diary", payload)
    assert answer.json["alert"]["reasons"] == ["fever"]


def test_thresholds_outside_the_safe_range_are_refused(client, login):
    clinic = make.clinic()
    login(make.user(Role.ADMIN))
    response = client.post_form(
        f"/admin/clinics/{clinic.id}/edit",
        {"name": clinic.name, "fever_threshold_c": "39.5", "headache_alert_days": "30"},
    )
    page = response.get_data(as_text=True)
    assert "Choose between 37.5 and 38.5 °C." in page
    assert "Choose between 1 and 14 days." in page
    assert db.session.get(Clinic, clinic.id).fever_threshold_c == 38.0
