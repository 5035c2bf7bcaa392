"""axe-core runs on every page the journeys visit: the collector itself, and the pages that
once broke a rule (issue 9) checked for that rule at every impact."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from portal.core.clock import today
from tests import factories as make
from tests.browser.axe import FIXED_MODERATE, AxeCollector, report
from tests.browser.conftest import DESKTOP, NARROW_PHONE, horizontal_overflow, log_in
from tests.factories import PASSWORD


def html(title: str, body: str) -> str:
    """A small page that passes axe but for what `body` brings."""
    return (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head>'
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    )


UNLABELLED = html(
    "Form",
    '<input type="text" name="nameless"><p id="pale" style="color:#bbb">Pale text</p>'
    '<p><a href="/two">On</a></p>',
)
PLAIN = html("Plain", "<p>Nothing wrong here.</p>")


@pytest.fixture
def bare_page(browser) -> Iterator[object]:
    """A page with a collector of its own, left out of the end-of-test assertion."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.axe = AxeCollector(page)
    yield page
    page.unroute_all(behavior="ignoreErrors")
    context.close()


def test_the_collector_reports_an_unlabelled_field_and_pale_text(bare_page):
    bare_page.set_content(UNLABELLED)
    bare_page.axe.check()
    severe = {(v.rule, v.impact, v.targets) for v in bare_page.axe.severe()}
    assert ("label", "critical", ("input",)) in severe
    assert ("color-contrast", "serious", ("#pale",)) in severe
    message = report(bare_page.axe.severe())
    assert "about:blank" in message and "label (critical)" in message and "      input" in message


def test_a_page_left_before_it_has_loaded_is_checked_before_the_next_one_shows(bare_page):
    one, two = "http://site.test/one", "http://site.test/two"
    pages = {one: UNLABELLED.replace("</main>", '<img src="/slow.png" alt=""></main>'), two: PLAIN}

    def serve(route):
        if route.request.url.endswith("/slow.png"):
            bare_page.wait_for_timeout(300)  # the first page's load event waits for it
            route.fulfill(body=b"", content_type="image/png")
        else:
            route.fulfill(body=pages[route.request.url], content_type="text/html")

    bare_page.context.route("http://site.test/**", serve)
    checked_when_shown = {}
    bare_page.on(
        "framenavigated", lambda f: checked_when_shown.setdefault(f.url, bare_page.axe.pages[:])
    )
    bare_page.goto(one, wait_until="commit")
    bare_page.goto(two)  # before the first page has loaded, so before axe could start there
    assert checked_when_shown[two] == [one]
    assert {(v.url, v.rule) for v in bare_page.axe.severe()} == {
        (one, "label"),
        (one, "color-contrast"),
    }
    bare_page.axe.check()
    assert bare_page.axe.pages[-1] == two


def family_with_two_fevers():
    """A child after a course with two fever entries, the guardian who wrote them, a clinician."""
    clinic = make.clinic("Landmark Clinic")
    patient = make.patient(clinic, name="Ida Axe")
    make.course(patient, today() - timedelta(days=6), days=5, status="given")
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    fevers = [
        make.entry(patient, guardian, today() - timedelta(days=days_ago), temperature_c=38.6)
        for days_ago in (1, 2)
    ]
    return patient, guardian, make.user(Role.CLINICIAN, clinic=clinic), fevers


def test_diary_review_and_report_pages_break_none_of_the_rules_they_once_broke(
    live_url, desktop, phone
):
    patient, guardian, clinician, fevers = family_with_two_fevers()
    log_in(desktop, live_url, clinician.email, PASSWORD)
    desktop.goto(f"{live_url}/clinic/patients/{patient.id}/review")
    for n, reply in enumerate(("Give paracetamol and call us.", "Thank you for the update.")):
        box = desktop.locator("details.reply-box").nth(n)
        box.locator("summary").click()
        box.get_by_label("Message to the family").fill(reply)
        box.get_by_role("button", name="Send reply").click()
        desktop.wait_for_load_state()
    desktop.goto(f"{live_url}/clinic/entries/{fevers[0].id}/reply")  # the entry under an h1
    desktop.goto(f"{live_url}/clinic/patients/{patient.id}/diary")
    desktop.goto(f"{live_url}/clinic/reports/course-response")
    for summary in desktop.locator("details.chart-table > summary").all():
        summary.click()  # the charts' own tables scroll too
    desktop.set_viewport_size(NARROW_PHONE)  # the side-effects table scrolls on a phone
    desktop.axe.check()

    log_in(phone, live_url, guardian.email, PASSWORD)
    phone.goto(f"{live_url}/family/{patient.id}/diary")
    phone.locator(".waiting-list a").first.click()  # the combined notice names each entry
    phone.wait_for_url(f"**/family/{patient.id}/diary/*")
    phone.goto(f"{live_url}/family/{patient.id}/messages")
    phone.axe.check()

    assert f"{live_url}/clinic/patients/{patient.id}/review" in desktop.axe.pages
    assert f"{live_url}/family/{patient.id}/diary" in phone.axe.pages
    found = desktop.axe.of_rules(FIXED_MODERATE) + phone.axe.of_rules(FIXED_MODERATE)
    assert found == [], report(found)


def test_a_guardian_who_logged_today_is_offered_to_change_that_entry_on_a_phone(live_url, phone):
    patient = make.patient(make.clinic("Today Clinic"), name="Tia Today")
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    entry = make.entry(patient, guardian, today(), temperature_c=37.1)
    log_in(phone, live_url, guardian.email, PASSWORD)
    phone.goto(f"{live_url}/family/{patient.id}/diary")
    phone.get_by_role("link", name="Change today's entry").first.click()
    phone.wait_for_url(f"**/family/{patient.id}/diary/{entry.id}/edit")
    phone.goto(f"{live_url}/family/{patient.id}/diary/new")  # Back, or a bookmark
    expect(phone.get_by_role("heading", name="You already logged today")).to_be_visible()
    assert horizontal_overflow(phone) == 0
    phone.get_by_role("link", name="Add another for today").click()
    expect(phone.get_by_role("textbox", name="Temperature (°C)")).to_be_visible()
    expect(phone.get_by_role("checkbox", name="This is another entry for the")).to_be_checked()
    phone.axe.check()
    assert f"{live_url}/family/{patient.id}/diary/new" in phone.axe.pages
