"""The clinic's further questions in chromium, and the hub of several clinics."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import expect

from portal.auth.models import Role
from tests import factories as make
from tests.browser.conftest import (
    horizontal_overflow,
    log_in,
    small_tap_targets,
    unlabelled_fields,
)
from tests.factories import PASSWORD
from tests.web.research.sites import add_courses, public_key, site_database, write_summary

NARROW = {"width": 360, "height": 740}
FIRST = date(2025, 2, 3)


def clinic_with_courses():
    """Three children, four courses each: 3-day ones with headaches, then 5-day ones."""
    clinic = make.clinic("Questions Clinic")
    for n in range(3):
        patient = make.patient(clinic, patient_ref=f"QC-{n}")
        for c in range(4):
            start = FIRST + timedelta(weeks=(5 + n) * c)
            days = 3 if c < 2 else 5
            course = make.course(patient, start, days=days, lots=(f"LOT-{c % 3}",))
            make.assessment(patient, start - timedelta(days=1), myometry=30.0 + c)
            make.assessment(patient, course.end_date + timedelta(days=8), myometry=31.0 + c + n)
            make.diary_row(
                patient, course.end_date + timedelta(days=2), headache=2 if days == 3 else 0
            )
    return clinic


def check_fits(page, name: str) -> None:
    """The page fits, every target is 44 px, every field labelled (screenshot if asked)."""
    page.wait_for_load_state("load")
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(folder) / f"{width}-{name}.png"), full_page=True)
    assert horizontal_overflow(page) == 0, name
    assert small_tap_targets(page) == [], name
    assert unlabelled_fields(page) == [], name


def test_a_clinician_asks_about_lots_regimens_and_intervals_on_a_phone(live_url, narrow_phone):
    page = narrow_phone
    clinician = make.user(Role.CLINICIAN, clinic=clinic_with_courses())
    log_in(page, live_url, clinician.email, PASSWORD)
    page.goto(f"{live_url}/clinic/reports/course-response")
    page.get_by_role("navigation", name="Reports").get_by_role("link", name="By lot").click()
    expect(page.get_by_role("heading", name="Response by lot: Questions Clinic")).to_be_visible()
    expect(page.get_by_text("This is a description, not proof")).to_be_visible()
    page.get_by_text("LOT-0 (Privigen): 6 courses").click()
    check_fits(page, "lots")
    page.get_by_role("link", name="QC-0").first.click()  # the child's own course response
    expect(
        page.get_by_role("heading", name="Prednisolone at each course and after the first")
    ).to_be_visible()
    check_fits(page, "patient")
    page.go_back()

    page.get_by_role("link", name="Regimens compared").click()
    expect(page.get_by_role("caption").filter(has_text="Fisher's exact test")).to_be_visible()
    page.get_by_label("Group courses by").select_option("interval")
    page.get_by_role("button", name="Group").click()
    expect(
        page.get_by_role("heading", name="Courses by weeks since the previous course")
    ).to_be_visible()
    page.get_by_label("First group").select_option(label="First course")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("caption").filter(has_text="after First course")).to_be_visible()
    check_fits(page, "regimens")

    page.get_by_role("link", name="Interval and response").click()
    page.wait_for_selector("#interval-chart[data-chart-drawn='true']")
    drawn = page.evaluate(
        "() => document.getElementById('interval-chart').chart.data.datasets"
        ".reduce((n, d) => n + d.data.length, 0)"
    )
    assert drawn == 9  # three children, three courses after a first each
    page.get_by_text("Show the data as a table").click()
    assert page.locator("table[data-chart-table='interval-chart'] tbody tr").count() == 9
    check_fits(page, "interval")
    assert page.errors == []


def test_an_administrator_registers_a_site_loads_its_summary_and_reads_the_hub(
    live_url, desktop, tmp_path
):
    with site_database(tmp_path, "north") as site:
        with site.app_context():
            clinic = make.clinic("North")
            add_courses(clinic, 3, [1, 2, 3, 4, 5, 6, -1], headaches=7)
            add_courses(clinic, 5, [1, 0.5, 2, 1, -1, 3])
        summary = tmp_path / "north.json"
        write_summary(site, summary)
        key = public_key(site)
    admin = make.user(Role.ADMIN)
    log_in(desktop, live_url, admin.email, PASSWORD)
    desktop.get_by_label("6-digit code").fill(make.totp_code(admin))
    desktop.get_by_role("button", name="Continue").click()
    desktop.wait_for_url("**/admin/")

    desktop.goto(f"{live_url}/clinic/reports/course-response")
    expect(desktop.get_by_text("Aggregates only.")).to_be_visible()
    desktop.get_by_role("link", name="Several clinics").click()
    desktop.get_by_role("link", name="Register a site").click()
    desktop.get_by_label("Site code").fill("north")
    desktop.get_by_label("Name shown at the hub").fill("North Children's")
    desktop.get_by_label("Public key").fill(key)
    desktop.get_by_role("button", name="Register the site").click()
    expect(desktop.get_by_text("North Children's is registered")).to_be_visible()
    desktop.get_by_role("link", name="Load a summary").click()
    desktop.get_by_label("Site summary file").set_input_files(str(summary))
    desktop.get_by_role("button", name="Check and load").click()
    expect(desktop.get_by_text("is loaded")).to_be_visible()
    table = desktop.locator("table", has=desktop.get_by_text("every site together"))
    expect(table).to_contain_text("2 g/kg over 3 days")
    expect(table).to_contain_text("suppressed")
    desktop.set_viewport_size(NARROW)
    check_fits(desktop, "hub")
    assert desktop.errors == []
