"""A clinician works through a patient's reports with the keyboard alone: acknowledge,
reply and mark reviewed each come back to the same place with focus on the next report."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from portal.auth.models import Role
from portal.core.clock import today
from tests import factories as make
from tests.browser.conftest import horizontal_overflow, log_in
from tests.factories import PASSWORD

MAX_TABS = 60


def tab_to(page, accessible_text: str) -> None:
    """Press Tab until the focused element's text (or label) contains the words."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        text = page.evaluate(
            """() => { const el = document.activeElement;
                       return (el.innerText || el.getAttribute('aria-label') || el.value || '')
                              .replace(/\\s+/g, ' '); }"""
        )
        if accessible_text in text:
            return
    raise AssertionError(f"no focusable element with {accessible_text!r} in {MAX_TABS} tabs")


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement.id")


def review_patient():
    clinic = make.clinic("Riverside Children's")
    patient = make.patient(clinic, name="Maya Okafor")
    make.course(patient, today() - timedelta(days=8), days=5)
    fever = make.diary_row(patient, today(), temperature_c=38.7)
    make.alert(fever)
    headache = make.diary_row(patient, today() - timedelta(days=1), headache=2)
    ordinary = [
        make.diary_row(patient, today() - timedelta(days=n), strength=0, mood=4) for n in (2, 3)
    ]
    make.user(Role.CLINICIAN, clinic=clinic, email="dr.shah@example.test")
    return patient, fever, headache, ordinary


def test_keyboard_only_acknowledge_reply_and_mark_all_keep_the_place(live_url, desktop):
    patient, fever, headache, ordinary = review_patient()
    log_in(desktop, live_url, "dr.shah@example.test", PASSWORD)
    desktop.wait_for_url("**/clinic/dashboard")
    desktop.goto(f"{live_url}/clinic/patients/{patient.id}/review")
    assert horizontal_overflow(desktop) == 0
    assert desktop.locator(".entry-compact").count() == 2  # the two ordinary days, one line each

    tab_to(desktop, "Acknowledge alert")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(f"**/review#entry-{headache.id}")
    expect(desktop.get_by_text("alert for Maya Okafor acknowledged", exact=False)).to_be_visible()
    expect(desktop.locator(f"#entry-{headache.id}")).to_be_focused()
    desktop.keyboard.press("Tab")  # straight into the next report: its tick box
    assert desktop.evaluate("() => document.activeElement.value") == str(headache.id)

    tab_to(desktop, "Reply to the family")
    desktop.keyboard.press("Enter")  # opens the reply box
    desktop.keyboard.press("Tab")
    desktop.keyboard.type("Please give paracetamol as usual and call if it gets worse.")
    desktop.keyboard.press("Tab")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(f"**/review#entry-{ordinary[0].id}")
    expect(desktop.get_by_text("Reply sent to the family.")).to_be_visible()
    expect(desktop.locator(f"#entry-{ordinary[0].id}")).to_be_focused()

    desktop.keyboard.press("Shift+Tab")  # back up to the page's controls by keyboard too
    desktop.goto(f"{live_url}/clinic/patients/{patient.id}/review")
    tab_to(desktop, "Select all shown")
    desktop.keyboard.press("Space")
    ticks = desktop.locator('input[name="entry_ids"]')
    assert ticks.count() == 3  # the reply marked the headache reviewed
    for n in range(ticks.count()):
        expect(ticks.nth(n)).to_be_checked()
    expect(desktop.get_by_role("button", name="Clear the ticks")).to_have_attribute(
        "aria-pressed", "true"
    )
    tab_to(desktop, "Mark ticked reports reviewed")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url("**/review#review-end")
    expect(desktop.get_by_text("3 reports marked reviewed.")).to_be_visible()
    expect(desktop.locator("#review-end")).to_be_focused()
    assert desktop.locator('input[name="entry_ids"]').count() == 0


def test_without_javascript_mark_all_shown_still_works(live_url, browser):
    patient, *_ = review_patient()
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        log_in(page, live_url, "dr.shah@example.test", PASSWORD)
        page.goto(f"{live_url}/clinic/patients/{patient.id}/review")
        assert page.get_by_role("button", name="Select all shown").count() == 0  # hidden
        page.get_by_role("button", name="Mark all 4 shown reviewed").click()
        page.wait_for_url("**/review#review-end")
        expect(page.get_by_text("4 reports marked reviewed.")).to_be_visible()
    finally:
        context.close()
