"""On a phone: a guardian logs a fever and is told to call; the clinic's triage list shows it."""

from datetime import timedelta

from playwright.sync_api import expect

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from tests import factories as make
from tests.browser.conftest import horizontal_overflow, log_in, small_tap_targets
from tests.factories import PASSWORD


def family_with_recent_course(clinic_phone: str = "0161 496 0555"):
    clinic = make.clinic("Riverside Children's", phone=clinic_phone)
    patient = make.patient(clinic, name="Maya Okafor")
    make.course(patient, today() - timedelta(days=6), days=5, status="given")
    guardian = make.user(Role.GUARDIAN, patients=[patient], email="grace@example.test")
    guardian.display_name = "Grace Okafor"
    db.session.commit()
    return clinic, patient, guardian


def fits_a_phone(page) -> None:
    assert horizontal_overflow(page) == 0
    assert small_tap_targets(page) == []


def test_guardian_logs_a_fever_sees_urgent_advice_and_clinic_triage_shows_it(live_url, phone):
    clinic, patient, _ = family_with_recent_course()
    make.user(Role.CLINICIAN, clinic=clinic, email="dr.shah@example.test")

    log_in(phone, live_url, "grace@example.test", PASSWORD)
    phone.wait_for_url(f"**/family/{patient.id}")
    phone.get_by_role("link", name="Maya's diary").click()
    phone.wait_for_url(f"**/family/{patient.id}/diary")
    expect(phone.get_by_text("Today is day 2 after course 1")).to_be_visible()
    fits_a_phone(phone)
    phone.get_by_role("link", name="Add today's entry").click()
    phone.wait_for_url(f"**/family/{patient.id}/diary/new")
    fits_a_phone(phone)
    phone.get_by_label("Temperature (°C)").fill("38.6")
    phone.get_by_role("group", name="Tiredness").get_by_role("radio", name="Moderate").click()
    phone.get_by_role("button", name="Save entry").click()

    advice = phone.get_by_role("alert")
    expect(advice.get_by_role("heading", name="Call the clinic now")).to_be_visible()
    expect(advice).to_contain_text("Temperature 38.6 °C")
    call = advice.get_by_role("link", name="Call Riverside Children's: 0161 496 0555")
    assert call.get_attribute("href") == "tel:01614960555"
    assert "999" in advice.inner_text()
    fits_a_phone(phone)

    phone.get_by_role("button", name="Log out").click()
    log_in(phone, live_url, "dr.shah@example.test", PASSWORD)
    phone.wait_for_url("**/clinic/dashboard")
    phone.get_by_role("link", name="Triage").click()
    card = phone.locator(".triage-card").filter(has_text="Maya Okafor")
    expect(card.get_by_text("Temperature 38.6 °C").first).to_be_visible()
    expect(card.get_by_text("Tiredness: moderate")).to_be_visible()
    fits_a_phone(phone)
    card.get_by_role("button", name="Acknowledge").click()
    expect(phone.get_by_text("Nothing is waiting")).to_be_visible()
    assert phone.errors == []


def test_an_all_fine_day_is_four_taps_from_the_childs_page(live_url, phone):
    _, patient, _ = family_with_recent_course()
    log_in(phone, live_url, "grace@example.test", PASSWORD)
    phone.wait_for_url(f"**/family/{patient.id}")
    taps = 0
    for name in ("Maya's diary", "Add today's entry"):
        phone.get_by_role("link", name=name).click()
        taps += 1
    phone.get_by_role("group", name="Mood").get_by_role("radio", name="Happy", exact=True).click()
    phone.get_by_role("button", name="Save entry").click()
    taps += 2
    expect(phone.get_by_role("status").get_by_text("Entry saved.")).to_be_visible()
    expect(phone.get_by_text("Day 2 after course 1 (2 g/kg over 5 days)")).to_be_visible()
    expect(phone.get_by_role("alert")).to_have_count(0)
    assert taps == 4  # open the diary, start today's entry, a face, save
    assert phone.errors == []
