"""A clinician records an assessment on a phone-sized screen and reads the course response."""

from datetime import timedelta

from playwright.sync_api import expect

from portal.auth.models import Role
from portal.core.clock import today
from tests import factories as make
from tests.browser.conftest import horizontal_overflow, log_in, small_tap_targets
from tests.factories import PASSWORD


def test_clinician_records_an_assessment_and_sees_the_course_response(live_url, phone):
    clinic = make.clinic("Measure Clinic")
    patient = make.patient(clinic, name="Grace Hopper")
    start = today() - timedelta(days=20)
    course = make.course(patient, start, days=3)
    make.assessment(patient, start - timedelta(days=1), myometry=20.0)
    clinician = make.user(Role.CLINICIAN, clinic=clinic)

    log_in(phone, live_url, clinician.email, PASSWORD)
    phone.goto(f"{live_url}/clinic/patients/{patient.id}/assessments/new")
    assert horizontal_overflow(phone) == 0
    phone.get_by_label("Date of assessment").fill((course.end_date + timedelta(days=4)).isoformat())
    for label in ("Neck flexors", "Knee extension, right", "Knee extension, left"):
        phone.get_by_label(label).fill("24")
    phone.get_by_text("Score the 20 functions of the motor ability score").click()
    for number in range(1, 21):
        phone.get_by_label(f"Function {number}", exact=True).select_option("2")
    assert phone.locator("[data-motor-total]").inner_text() == "40"
    assert small_tap_targets(phone) == []
    phone.get_by_role("button", name="Save assessment").click()
    phone.wait_for_url(f"**/clinic/patients/{patient.id}/assessments")
    expect(phone.get_by_text("saved")).to_be_visible()

    phone.get_by_role("link", name="Course response").click()
    phone.wait_for_url(f"**/clinic/patients/{patient.id}/course-response")
    card = phone.locator("article.course-card").first
    assert "Formally assessed" in card.inner_text()
    assert "Improved" in card.inner_text()
    assert horizontal_overflow(phone) == 0

    phone.get_by_role("link", name="Reports").click()
    phone.wait_for_url("**/clinic/reports/course-response")
    assert "+4" in phone.locator(".stat-grid").first.inner_text()
    assert horizontal_overflow(phone) == 0
    assert phone.errors == []
