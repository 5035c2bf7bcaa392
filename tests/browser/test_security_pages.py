"""The privacy and second-factor pages work one-handed on a 360px phone; searches keep
children's names out of the address bar."""

from __future__ import annotations

import pyotp
from playwright.sync_api import expect

from portal.auth import recovery_codes
from portal.auth.models import Role
from portal.core.database import now_utc
from portal.core.extensions import db
from tests import factories as make
from tests.browser.conftest import horizontal_overflow, log_in, small_tap_targets
from tests.factories import PASSWORD


def test_a_guardian_finds_the_download_and_closes_the_account_on_a_small_phone(
    live_url, narrow_phone
):
    page = narrow_phone
    patient = make.patient(name="Nell Phone")
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    log_in(page, live_url, guardian.email, PASSWORD)
    page.get_by_role("link", name="Nell's data").click()
    expect(page.get_by_role("link", name="Download as CSV (for a spreadsheet)")).to_be_visible()
    assert horizontal_overflow(page) == 0 and small_tap_targets(page) == []

    page.get_by_role("link", name="close your account").click()
    page.get_by_role("button", name="Close my account").click()
    expect(page.get_by_text("Tick the box to confirm").first).to_be_visible()
    page.get_by_label("I understand").check()
    page.get_by_label("Your password").fill(PASSWORD)
    assert horizontal_overflow(page) == 0 and small_tap_targets(page) == []
    page.get_by_role("button", name="Close my account").click()
    expect(page.get_by_text("Your account is closed")).to_be_visible()
    assert page.errors == []


def test_an_administrator_sets_up_the_second_factor_on_a_small_phone(live_url, narrow_phone):
    page = narrow_phone
    admin = make.user(Role.ADMIN, totp=False)
    log_in(page, live_url, admin.email, PASSWORD)
    page.wait_for_url("**/account/two-factor/")
    key = page.locator(".secret-key").inner_text().replace(" ", "")
    assert horizontal_overflow(page) == 0 and small_tap_targets(page) == []
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    page.get_by_label("6-digit code your app shows now").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator(".recovery-codes code").count() == 10
    assert horizontal_overflow(page) == 0 and small_tap_targets(page) == []
    page.get_by_role("link", name="I have kept them safe").click()
    page.wait_for_url("**/admin/")
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    assert page.errors == []


def test_a_clinician_who_lost_the_phone_logs_in_with_a_recovery_code(live_url, narrow_phone):
    page = narrow_phone
    clinician = make.user(Role.CLINICIAN, totp=True)
    codes = recovery_codes.replace(clinician, now_utc())
    db.session.commit()
    log_in(page, live_url, clinician.email, PASSWORD)
    page.wait_for_url("**/login/code*")
    page.get_by_text("Lost your phone? Use a recovery code").click()
    page.get_by_label("Recovery code").fill(codes[0].lower())
    assert horizontal_overflow(page) == 0 and small_tap_targets(page) == []
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/clinic/dashboard")
    assert page.errors == []


def test_a_clinician_searches_the_dashboard_without_the_name_reaching_the_address(
    live_url, desktop
):
    page = desktop
    clinician = make.user(Role.CLINICIAN)
    make.patient(clinician.clinic, name="Nora Found", patient_ref="NF-77")
    make.patient(clinician.clinic, name="Olly Other")
    log_in(page, live_url, clinician.email, PASSWORD)
    page.goto(f"{live_url}/clinic/dashboard")
    page.get_by_label("Find a patient by name or reference").fill("nora")
    page.get_by_role("button", name="Find").click()
    page.wait_for_load_state()
    patients = page.locator("#patients-heading").locator("xpath=..")
    expect(patients.get_by_role("link", name="Nora Found", exact=True)).to_be_visible()
    assert patients.get_by_role("link", name="Olly Other", exact=True).count() == 0
    assert "nora" not in page.url.lower() and "?" not in page.url
    assert page.errors == []
