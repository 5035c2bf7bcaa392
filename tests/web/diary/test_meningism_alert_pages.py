"""Headache with fever after an infusion reaches the family's panel and the clinic's triage
card as one urgent alert naming both findings; the window and grade are clinic settings."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.models import Role
from portal.clinic.models import Clinic
from portal.core.clock import today
from portal.core.extensions import db
from tests import factories as make
from tests.web.diary.test_diary_pages import family


def _panel(page: str) -> str:
    panel = page[page.index('class="urgent-panel"') :]
    return panel[: panel.index("</section>")]


def test_headache_with_fever_two_days_after_a_course_is_urgent_for_family_and_clinic(client, login):
    patient, guardian = family()  # the course ended three days ago: day 3 after is today
    login(guardian)
    page = client.post_form(
        f"/family/{patient.id}/diary/new",
        {
            "client_id": "7f2c0b60-4444-4555-8666-b77788889999",
            "date": (today() - timedelta(days=1)).isoformat(),
            "temperature_c": "38.3",
            "headache": "1",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    panel = _panel(page)
    assert "Call the clinic now" in panel
    assert "Headache (mild) with a temperature of 38.3 °C, soon after an infusion" in panel
    assert "Temperature 38.3 °C" in panel

    client.post_form("/logout")
    login(make.user(Role.CLINICIAN, clinic=patient.clinic))
    triage = client.get("/clinic/triage").get_data(as_text=True)
    card = triage[triage.index('class="card triage-card') :]
    assert card.startswith('class="card triage-card urgency-2"')
    assert "Urgent" in card
    assert "Headache (mild) with a temperature of 38.3 °C, soon after an infusion" in card
    assert "aseptic meningitis" in card
    dashboard = client.get("/clinic/dashboard").get_data(as_text=True)
    assert "Headache (mild) with a temperature of 38.3 °C" in dashboard


def test_headache_with_a_stiff_neck_names_both_on_the_family_panel(client, login):
    patient, guardian = family()
    login(guardian)
    page = client.post_form(
        f"/family/{patient.id}/diary/new",
        {
            "client_id": "8a3d1c71-5555-4666-8777-c88899990000",
            "date": today().isoformat(),
            "headache": "2",
            "warning_signs": ["stiff_neck"],
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    panel = _panel(page)
    assert "Headache (moderate) with a stiff neck or dislike of bright light" in panel


def test_an_admin_sets_the_window_and_grade_and_the_alerts_follow(client, login):
    clinic = make.clinic()
    login(make.user(Role.ADMIN))
    form = {
        "name": clinic.name,
        "fever_threshold_c": "38.0",
        "headache_alert_days": "7",
        "meningism_window_hours": "24",
        "meningism_headache_grade": "2",
    }
    assert client.post_form(f"/admin/clinics/{clinic.id}/edit", form).status_code == 302
    saved = db.session.get(Clinic, clinic.id)
    assert (saved.meningism_window_hours, saved.meningism_headache_grade) == (24, 2)

    patient = make.patient(saved)
    make.course(patient, today() - timedelta(days=6), days=5, status="given")  # ended yesterday
    mild = make.entry(patient, day=today(), temperature_c=38.4, headache=1)
    moderate = make.entry(patient, day=today() - timedelta(days=1), temperature_c=38.4, headache=2)
    assert mild.alerts[0].reasons == ["fever"]
    assert moderate.alerts[0].reasons[0] == "headache_with_fever_after_infusion"


def test_a_window_outside_one_to_seven_days_is_refused_at_its_field(client, login):
    clinic = make.clinic()
    login(make.user(Role.ADMIN))
    page = client.post_form(
        f"/admin/clinics/{clinic.id}/edit",
        {"name": clinic.name, "meningism_window_hours": "400", "meningism_headache_grade": "9"},
    ).get_data(as_text=True)
    assert "Choose between 24 and 168 hours." in page
    assert "Not a valid choice" in page
    assert db.session.get(Clinic, clinic.id).meningism_window_hours == 72
