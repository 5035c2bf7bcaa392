"""Printing: no navigation and no controls, charts kept, tables whole, and the review page of
32 reports fits on a few A4 sheets."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.models import Role
from portal.core.clock import today
from tests import factories as make
from tests.browser.conftest import log_in
from tests.browser.test_tables_fit import TABLE_PROBLEMS, a_busy_patient
from tests.factories import PASSWORD

A4_WIDTH = {"width": 794, "height": 1123}  # A4 at 96 dpi
SHOWN_CONTROLS = """() => Array.from(document.querySelectorAll(
    'nav, form, button, .button, input, select, textarea, summary'))
  .filter(el => el.getClientRects().length > 0)
  .map(el => el.outerHTML.slice(0, 70))"""

PAGES = [
    "/clinic/dashboard",
    "/clinic/patients/{id}",
    "/clinic/patients/{id}/review",
    "/clinic/patients/{id}/assessments",
    "/clinic/patients/{id}/medications",
    "/clinic/patients/{id}/chart",
    "/clinic/patients/{id}/course-response",
    "/clinic/triage",
    "/clinic/reports/course-response",
]


def test_printed_pages_show_no_navigation_or_controls_and_whole_tables(live_url, browser):
    patient = a_busy_patient()
    context = browser.new_context(viewport=A4_WIDTH)
    page = context.new_page()
    try:
        log_in(page, live_url, "dr.shah@example.test", PASSWORD)
        page.wait_for_url("**/clinic/dashboard")
        page.emulate_media(media="print")
        problems = []
        for path in PAGES:
            page.goto(live_url + path.format(id=patient.id))
            page.wait_for_load_state("networkidle")
            problems += [f"{path}: shows {c}" for c in page.evaluate(SHOWN_CONTROLS)]
            cut = page.evaluate(
                """() => Array.from(document.querySelectorAll('main table'))
                     .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)
                     .map(t => (t.caption ? t.caption.textContent : 'table').slice(0, 50))"""
            )
            problems += [f"{path}: table cut: {c}" for c in cut]
        assert problems == [], "\n".join(problems)

        page.goto(f"{live_url}/clinic/patients/{patient.id}/chart")
        page.wait_for_load_state("networkidle")
        canvases = page.evaluate(
            "() => Array.from(document.querySelectorAll('canvas'))"
            ".filter(c => c.getBoundingClientRect().height > 50).length"
        )
        assert canvases >= 1  # the chart prints
        assert page.evaluate(TABLE_PROBLEMS) == []
    finally:
        context.close()


def test_the_review_page_of_32_reports_prints_on_a_few_sheets(live_url, browser):
    clinic = make.clinic()
    patient = make.patient(clinic, name="Maya Okafor")
    make.course(patient, today() - timedelta(days=40), days=5)
    for n in range(32):
        fields = {"strength": 0, "mood": 4}
        if n % 8 == 0:
            fields = {"headache": 2, "note": "Tired after school"}
        make.diary_row(patient, today() - timedelta(days=n), **fields)
    make.user(Role.CLINICIAN, clinic=clinic, email="dr.print@example.test")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live_url, "dr.print@example.test", PASSWORD)
        page.goto(f"{live_url}/clinic/patients/{patient.id}/review")
        pdf = page.pdf(format="A4", print_background=False)
        sheets = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
        assert 1 <= sheets <= 6, sheets
    finally:
        context.close()


def test_the_familys_printed_pages_show_no_navigation_or_controls(live_url, browser):
    patient = a_busy_patient()
    make.user(Role.GUARDIAN, patients=[patient], email="grace@example.test")
    context = browser.new_context(viewport=A4_WIDTH)
    page = context.new_page()
    try:
        log_in(page, live_url, "grace@example.test", PASSWORD)
        page.wait_for_url(f"**/family/{patient.id}")
        page.emulate_media(media="print")
        problems = []
        for path in ("/family/{id}", "/family/{id}/diary", "/family/{id}/chart",
                     "/family/{id}/calendar", "/family/contact"):  # fmt: skip
            page.goto(live_url + path.format(id=patient.id))
            page.wait_for_load_state("networkidle")
            problems += [f"{path}: shows {c}" for c in page.evaluate(SHOWN_CONTROLS)]
        assert problems == [], "\n".join(problems)
    finally:
        context.close()
