"""Charts in chromium: a parent and a child on phones, a clinician at a desk."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from portal.auth.models import Role
from portal.core.clock import today
from tests import factories as make
from tests.browser.conftest import horizontal_overflow, log_in, small_tap_targets
from tests.factories import PASSWORD

NARROW = {"width": 360, "height": 740}


def diary_around_a_course(patient, days: int = 70) -> list[date]:
    """Daily entries (every third day skipped) around a course 20 days ago; their dates."""
    make.course(patient, today() - timedelta(days=24), days=3)
    made = []
    for n in range(days):
        if n % 3 == 2:
            continue
        made.append(today() - timedelta(days=n))
        make.diary_row(
            patient,
            today() - timedelta(days=n),
            strength=1 if n < 20 else -1,
            mood=4 if n < 20 else 2,
            rash=1,
            headache=3 if n == 21 else 0,
        )
    return made


def wait_for_chart(page, canvas_id: str) -> None:
    page.wait_for_selector(f"#{canvas_id}[data-chart-drawn='true']")
    box = page.locator(f"#{canvas_id}").bounding_box()
    assert box["width"] > 200 and box["height"] > 150


def table_rows(page, canvas_id: str) -> int:
    return page.locator(f"table[data-chart-table='{canvas_id}'] tbody tr").count()


def test_parent_sees_eight_weeks_then_a_chosen_range_on_a_phone(live_url, phone):
    patient = make.patient(name="Ada Chart")
    diary_around_a_course(patient)
    guardian = make.user(Role.GUARDIAN, patients=[patient])

    log_in(phone, live_url, guardian.email, PASSWORD)
    phone.goto(f"{live_url}/family/{patient.id}")
    phone.get_by_role("link", name="Diary chart").click()
    wait_for_chart(phone, "diary-chart")
    in_eight_weeks = sum(1 for n in range(56) if n % 3 != 2)
    phone.get_by_text("Show the data as a table").click()
    assert table_rows(phone, "diary-chart") == in_eight_weeks
    cell = phone.locator("table[data-chart-table='diary-chart'] td", has_text="Headache: severe")
    expect(cell).to_be_visible()
    assert horizontal_overflow(phone) == 0

    phone.get_by_label("From", exact=True).fill((today() - timedelta(days=9)).isoformat())
    phone.get_by_label("To", exact=True).fill(today().isoformat())
    phone.get_by_role("button", name="Show these dates").click()
    wait_for_chart(phone, "diary-chart")
    assert table_rows(phone, "diary-chart") == sum(1 for n in range(10) if n % 3 != 2)
    assert horizontal_overflow(phone) == 0
    phone.set_viewport_size(NARROW)  # the smallest phones the portal supports
    assert horizontal_overflow(phone) == 0
    assert small_tap_targets(phone) == []
    assert phone.errors == []


def test_child_sees_words_pictures_and_a_weekly_chart_on_a_phone(live_url, phone):
    patient = make.patient(name="Kit Strong")
    diary_around_a_course(patient)
    child = make.user(Role.CHILD, patients=[patient])

    log_in(phone, live_url, child.email, PASSWORD)
    phone.get_by_role("link", name="How am I doing?").click()
    phone.wait_for_url(f"**/family/{patient.id}/progress")
    expect(phone.get_by_text("You are stronger than before your last treatment!")).to_be_visible()
    expect(phone.get_by_role("img", name="Today: happy face")).to_be_visible()
    wait_for_chart(phone, "weeks-chart")
    phone.get_by_text("Show the data as a table").click()
    assert table_rows(phone, "weeks-chart") == 6
    assert horizontal_overflow(phone) == 0
    phone.set_viewport_size(NARROW)
    assert horizontal_overflow(phone) == 0
    assert phone.errors == []


def measured_around_courses(patient) -> None:
    """Formal assessments around an earlier course and the diary's course, and a taper."""
    earlier = make.course(patient, today() - timedelta(days=80), days=5)
    latest = next(c for c in patient.courses if c.start_date == today() - timedelta(days=24))
    make.assessment(patient, earlier.start_date - timedelta(days=1), myometry=28.0, ck=1600.0)
    make.assessment(patient, earlier.end_date + timedelta(days=8), myometry=31.5)
    make.assessment(patient, latest.start_date - timedelta(days=1), myometry=30.0, ck=900.0)
    make.assessment(patient, latest.end_date + timedelta(days=9), myometry=29.0)
    make.prednisolone(patient, today() - timedelta(days=90), 20.0)
    make.prednisolone(patient, today() - timedelta(days=40), 15.0)


def drawn_series(page, canvas_id: str) -> dict[str, int]:
    """Label → number of drawn points of each dataset of a chart on the page."""
    return page.evaluate(
        """id => Object.fromEntries(document.getElementById(id).chart.data.datasets
              .map(d => [d.label, d.data.filter(p => p !== null && p.y !== null).length]))""",
        canvas_id,
    )


def captioned_rows(page, canvas_id: str, caption: str) -> int:
    table = page.locator(f"table[data-chart-table='{canvas_id}']", has_text=caption)
    return table.locator("tbody tr").count()


def test_clinician_works_through_reports_and_reads_the_chart_at_a_desk(live_url, desktop):
    clinic = make.clinic("Chart Clinic")
    patient = make.patient(clinic, name="Noor Review")
    diary_days = diary_around_a_course(patient, days=30)
    measured_around_courses(patient)
    fever = make.diary_row(patient, today(), temperature_c=38.9, note="Hot and sleepy")
    make.alert(fever, ("fever",), urgency=2)
    clinician = make.user(Role.CLINICIAN, clinic=clinic)

    log_in(desktop, live_url, clinician.email, PASSWORD)
    desktop.wait_for_url("**/clinic/dashboard")
    expect(desktop.get_by_text("Triage: alerts to acknowledge")).to_be_visible()
    desktop.get_by_role("button", name="Acknowledge alert for Noor Review").click()
    expect(desktop.get_by_text("No alerts waiting.")).to_be_visible()

    desktop.get_by_role("link", name="Noor Review").first.click()
    desktop.goto(f"{live_url}/clinic/patients/{patient.id}/review")
    label = f"Select the report of {today():%a} {today().day} {today():%b %Y}"
    for box in desktop.get_by_label(label).all():  # the fever report and the usual one
        box.check()
    desktop.get_by_role("button", name="Mark ticked reports reviewed").click()
    expect(desktop.get_by_text("2 reports marked reviewed.")).to_be_visible()
    expect(desktop.locator(".assessment-card")).to_have_count(4)  # all within the twelve weeks

    desktop.get_by_role("link", name="Chart").click()
    wait_for_chart(desktop, "timeline-chart")
    wait_for_chart(desktop, "myometry-slope")
    wait_for_chart(desktop, "home-slope")
    drawn = drawn_series(desktop, "timeline-chart")
    assert drawn["Mean myometry"] == 4 and drawn["CK"] == 2
    assert drawn["Prednisolone"] == 3  # 20 mg, 15 mg, carried to today
    assert drawn_series(desktop, "myometry-slope") == {"Course 1": 2, "Course 2": 2}
    desktop.get_by_text("Show the data as a table: clinic measurements").click()
    assert captioned_rows(desktop, "timeline-chart", "Clinic measurements") == 6
    desktop.get_by_text("Show the data as a table: home-reported strength by week").click()
    weeks = {day - timedelta(days=day.weekday()) for day in diary_days}  # their Mondays
    assert captioned_rows(desktop, "timeline-chart", "Home-reported strength by week") == len(weeks)
    desktop.get_by_text("Show the data as a table: mean myometry around each course").click()
    assert table_rows(desktop, "myometry-slope") == 2
    assert desktop.errors == []


def test_clinician_reads_the_cohort_charts_at_a_desk(live_url, desktop):
    clinic = make.clinic("Cohort Clinic")
    helped = make.patient(clinic, name="Ola Up", patient_ref="COH-2")
    not_helped = make.patient(clinic, name="Ben Down", patient_ref="COH-1")
    for patient, after in ((helped, 34.0), (not_helped, 27.5)):
        diary_around_a_course(patient, days=30)  # a 3-day course, severe headache after it
        course = patient.courses[0]
        make.assessment(patient, course.start_date - timedelta(days=1), myometry=30.0)
        make.assessment(patient, course.end_date + timedelta(days=9), myometry=after)
    clinician = make.user(Role.CLINICIAN, clinic=clinic)

    log_in(desktop, live_url, clinician.email, PASSWORD)
    desktop.goto(f"{live_url}/clinic/reports/course-response")
    wait_for_chart(desktop, "paired-courses-chart")
    wait_for_chart(desktop, "side-effects-chart")
    assert drawn_series(desktop, "paired-courses-chart") == {
        "Improved": 2, "Not improved": 2, "Mean of all courses": 2,
    }  # fmt: skip
    assert drawn_series(desktop, "side-effects-chart") == {"2 g/kg over 3 days": 8}
    desktop.get_by_text("Show the data as a table: mean myometry before and after").click()
    assert table_rows(desktop, "paired-courses-chart") == 2
    cells = desktop.locator("table[data-chart-table='paired-courses-chart'] tbody tr")
    assert "COH-1" in cells.nth(0).inner_text()  # by patient reference, as in the paper
    assert "Not improved" in cells.nth(0).inner_text() and "−2.50" in cells.nth(0).inner_text()
    desktop.get_by_text("Show the data as a table: share of courses").click()
    headache = desktop.locator("table[data-chart-table='side-effects-chart'] tbody tr").first
    assert "100% (2 of 2); severe 100%" in headache.inner_text()
    desktop.set_viewport_size(NARROW)  # a clinician on a phone: the charts still fit
    assert horizontal_overflow(desktop) == 0
    assert desktop.errors == []
