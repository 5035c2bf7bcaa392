"""Every foundation page fits a 360 px and a 390 px phone, with big enough targets and labels.

Set PORTAL_SCREENSHOTS=/some/dir to keep a full-page screenshot of each page.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from portal.core.clock import today
from portal.diary.validation import NOTE_MAX
from tests import factories as make
from tests.browser.conftest import (
    horizontal_overflow,
    log_in,
    small_tap_targets,
    unlabelled_fields,
)
from tests.factories import PASSWORD


@pytest.fixture(params=["narrow_phone", "phone"])
def any_phone(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def family_and_clinic():
    clinic = make.clinic("Royal Manchester Children's Hospital", phone="0161 701 0000")
    elder = make.patient(clinic, name="Maya Okafor-Whitfield", weight_kg=31.5)
    younger = make.patient(clinic, name="Leo Okafor-Whitfield")
    for weeks_ago in (18, 12, 6):
        make.course(elder, today() - timedelta(weeks=weeks_ago), days=3, lots=("P100234", "B2"))
    make.course(elder, today() + timedelta(days=12), status="planned")
    make.course(elder, today() + timedelta(days=54), status="cancelled")
    return {
        "elder": elder,
        "guardian": make.user(Role.GUARDIAN, patients=[elder, younger]),
        "clinician": make.user(Role.CLINICIAN, clinic=clinic),
    }


def check(page, name: str) -> None:
    """The page fits the phone, every target is at least 44 px, every field is labelled."""
    page.wait_for_load_state("load")
    width = page.viewport_size["width"]
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{width}-{name}.png"), full_page=True)
    assert horizontal_overflow(page) == 0, name
    assert small_tap_targets(page) == [], name
    assert unlabelled_fields(page) == [], name
    assert page.errors == [], name


def test_login_and_enrolment_pages_fit_a_phone(live_url, any_phone):
    page = any_phone
    page.goto(f"{live_url}/login")
    check(page, "login")
    page.goto(f"{live_url}/enrol")
    check(page, "enrol")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "enrol-errors")


def test_family_pages_fit_a_phone(live_url, any_phone, family_and_clinic):
    page, elder = any_phone, family_and_clinic["elder"]
    log_in(page, live_url, family_and_clinic["guardian"].email, PASSWORD)
    page.wait_for_url("**/family")
    check(page, "family-choose")
    page.goto(f"{live_url}/family/{elder.id}")
    check(page, "family-home")
    page.get_by_role("link", name="Infusion calendar").click()
    page.wait_for_url(f"**/family/{elder.id}/calendar")
    check(page, "calendar")
    page.goto(f"{live_url}/family/{elder.id}/child-login")
    check(page, "child-login")


def test_clinic_pages_fit_a_phone(live_url, any_phone, family_and_clinic):
    page = any_phone
    log_in(page, live_url, family_and_clinic["clinician"].email, PASSWORD)
    page.wait_for_url("**/clinic/dashboard")
    check(page, "clinic-dashboard")
    page.goto(f"{live_url}/clinic/")
    check(page, "clinic-patients")
    page.get_by_role("link", name="Maya Okafor-Whitfield").click()
    page.get_by_role("button", name="Create an enrolment code").click()
    page.get_by_role("link", name="Done").click()
    check(page, "clinic-patient")
    page.get_by_role("link", name="Record a course").click()
    check(page, "course-form")
    page.get_by_label("Number of days").fill("9")
    page.get_by_role("button", name="Save course").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "course-form-errors")
    page.goto(f"{live_url}/clinic/patients/new")
    check(page, "patient-form")


def test_course_form_shows_the_daily_dose_while_typing(live_url, desktop, family_and_clinic):
    page, elder = desktop, family_and_clinic["elder"]
    log_in(page, live_url, family_and_clinic["clinician"].email, PASSWORD)
    page.goto(f"{live_url}/clinic/patients/{elder.id}/courses/new")
    dose = page.locator("#daily-dose")
    assert dose.inner_text() == ""
    page.get_by_label("Number of days").fill("5")
    page.get_by_label("Total dose (g/kg)").fill("2")
    assert dose.inner_text() == "Daily dose: 400 mg/kg/day (about 12.6 g a day at 31.5 kg)."
    page.get_by_label("Number of days").fill("3")
    assert dose.inner_text().startswith("Daily dose: 666.7 mg/kg/day")
    page.get_by_label("Number of days").fill("7")
    assert dose.inner_text() == ""
    assert page.errors == []


def test_the_note_says_how_many_characters_are_left_while_typing(
    live_url, phone, family_and_clinic
):
    elder = family_and_clinic["elder"]
    log_in(phone, live_url, family_and_clinic["guardian"].email, PASSWORD)
    phone.goto(f"{live_url}/family/{elder.id}/diary/new")
    count = phone.locator("#note-count")
    expect(count).to_have_text(f"{NOTE_MAX} characters left")
    note = phone.get_by_label("Note")
    note.fill("Tired after school 😴")  # the sleepy face is one character, as the server counts
    expect(count).to_have_text(f"{NOTE_MAX - 20} characters left")
    note.fill("x" * (NOTE_MAX - 1))
    expect(count).to_have_text("1 character left")
    note.fill("x" * (NOTE_MAX + 3))
    expect(count).to_have_text("3 characters too many")
    assert phone.errors == []
