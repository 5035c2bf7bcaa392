"""The clinic's triage list: alerts wait there until a clinician acknowledges them."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.diary.models import Alert
from tests import factories as make


def alerting_patient(clinic, name: str, **answers):
    patient = make.patient(clinic, name=name)
    make.course(patient, today() - timedelta(days=6), status="given")
    entry = make.entry(patient, day=today(), **answers)
    return patient, entry


def test_triage_lists_most_urgent_first_then_oldest(client, login):
    clinic = make.clinic()
    _, mild = alerting_patient(clinic, "Ada Mild", temperature_c=38.2)
    _, later_mild = alerting_patient(clinic, "Ben Later", temperature_c=38.1)
    _, chest = alerting_patient(clinic, "Cal Chest", warning_signs=["chest_pain"])
    # make the first fever the older one, whatever the clock did between saves
    mild.alerts[0].created_at = now_utc() - timedelta(hours=2)
    db.session.commit()
    login(make.user(Role.CLINICIAN, clinic=clinic))
    page = client.get("/clinic/triage").get_data(as_text=True)
    order = [page.index(name) for name in ("Cal Chest", "Ada Mild", "Ben Later")]
    assert order == sorted(order)
    assert "Emergency signs" in page
    assert "Temperature 38.2 °C" in page
    assert "3 alerts" in page


def test_triage_shows_only_the_clinics_own_patients(client, login):
    clinic = make.clinic()
    alerting_patient(clinic, "Own Patient", temperature_c=38.5)
    alerting_patient(make.clinic(), "Elsewhere Patient", temperature_c=38.5)
    login(make.user(Role.CLINICIAN, clinic=clinic))
    page = client.get("/clinic/triage").get_data(as_text=True)
    assert "Own Patient" in page
    assert "Elsewhere Patient" not in page


def test_acknowledging_records_who_and_when_and_takes_it_off_the_list(client, login):
    clinic = make.clinic()
    _, entry = alerting_patient(clinic, "Dana Fever", temperature_c=39.4)
    alert = entry.alerts[0]
    clinician = make.user(Role.CLINICIAN, clinic=clinic)
    clinician.display_name = "Dr Shah"
    db.session.commit()
    login(clinician)
    response = client.post_form(
        f"/clinic/alerts/{alert.id}/acknowledge", {"next": "/clinic/triage"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/clinic/triage"  # back to the list it came from
    alert = db.session.get(Alert, alert.id)
    assert alert.acknowledged_by_id == clinician.id
    assert alert.acknowledged_at is not None
    page = client.get("/clinic/triage").get_data(as_text=True)
    assert "Nothing is waiting" in page
    assert "Acknowledged in the last 7 days" in page and "by Dr Shah" in page


def test_acknowledge_needs_the_form_token(client, login):
    clinic = make.clinic()
    _, entry = alerting_patient(clinic, "Eve Token", temperature_c=38.5)
    login(make.user(Role.CLINICIAN, clinic=clinic))
    assert client.post(f"/clinic/alerts/{entry.alerts[0].id}/acknowledge").status_code == 400
    assert db.session.get(Alert, entry.alerts[0].id).acknowledged_at is None


def test_staff_of_another_clinic_cannot_acknowledge(client, login):
    _, entry = alerting_patient(make.clinic(), "Finn Other", temperature_c=38.5)
    login(make.user(Role.CLINICIAN, clinic=make.clinic()))
    assert client.post_form(f"/clinic/alerts/{entry.alerts[0].id}/acknowledge").status_code == 404
    assert db.session.get(Alert, entry.alerts[0].id).acknowledged_at is None


def test_families_and_admins_do_not_see_triage(client, login_as):
    login_as(Role.GUARDIAN)
    assert client.get("/clinic/triage").status_code == 404


def test_a_note_with_a_script_tag_is_text_on_the_clinics_pages(client, login):
    clinic = make.clinic()
    patient, _ = alerting_patient(
        clinic, "Gus Note", temperature_c=38.5, note="<script>alert('x')</script>"
    )
    login(make.user(Role.CLINICIAN, clinic=clinic))
    for url in ("/clinic/triage", f"/clinic/patients/{patient.id}/diary"):
        page = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
        assert "<script>alert" not in page


def test_clinicians_find_triage_in_their_navigation(client, login_as):
    login_as(Role.CLINICIAN)
    page = client.get("/clinic/").get_data(as_text=True)
    assert '<a href="/clinic/triage">Triage</a>' in page


def test_the_clinics_diary_page_shows_placement_and_author(client, login):
    clinic = make.clinic()
    patient, _ = alerting_patient(clinic, "Hana Diary", mood=4)
    child = make.user(Role.CHILD, patients=[patient])
    make.entry(patient, child, today() - timedelta(days=1), mood=5)
    login(make.user(Role.CLINICIAN, clinic=clinic))
    page = client.get(f"/clinic/patients/{patient.id}/diary").get_data(as_text=True)
    assert "day 1 after course 1 (2 g/kg over 5 days)" in page
    assert "Hana&#39;s own report" in page
