"""A guardian on a phone redeems a code, logs in and sees the infusion calendar."""

from datetime import timedelta

from playwright.sync_api import expect

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.patients.enrolment import issue_code
from tests import factories as make
from tests.browser.conftest import horizontal_overflow, log_in, small_tap_targets


def test_guardian_redeems_code_and_sees_calendar_on_a_phone(live_url, phone):
    clinic = make.clinic("Northern Children's")
    patient = make.patient(clinic, name="Ada Lovelace")
    make.course(patient, today() - timedelta(days=30), status="given")
    make.course(patient, today() + timedelta(days=12), status="planned")
    clinician = make.user(Role.CLINICIAN, clinic=clinic)
    code = issue_code(patient, clinician, now_utc(), 14).code
    db.session.commit()

    phone.goto(f"{live_url}/enrol")
    assert horizontal_overflow(phone) == 0
    phone.get_by_label("Enrolment code").fill(code.lower())
    phone.get_by_label("Your name").fill("Ada's Mum")
    phone.get_by_label("Email").fill("mum@example.test")
    phone.get_by_label("Password", exact=True).fill("kitchen-table-42")
    phone.get_by_label("Type the password again").fill("kitchen-table-42")
    phone.get_by_role("button", name="Create account").click()
    phone.wait_for_url(f"**/family/{patient.id}")
    assert "Ada" in phone.locator("h1").inner_text()

    phone.get_by_role("button", name="Log out").click()
    log_in(phone, live_url, "mum@example.test", "kitchen-table-42")
    phone.get_by_role("link", name="Infusion calendar").click()
    phone.wait_for_url(f"**/family/{patient.id}/calendar")
    expect(phone.get_by_text("Course 2")).to_be_visible()
    expect(phone.get_by_text("Planned").first).to_be_visible()
    assert horizontal_overflow(phone) == 0
    assert small_tap_targets(phone) == []
    assert phone.errors == []
