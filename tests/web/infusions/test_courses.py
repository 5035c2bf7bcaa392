"""Clinicians record infusion courses; bad values are named and nothing is saved."""

import html
import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.core.clock import today, years_from
from portal.core.extensions import db
from portal.infusions.models import InfusionCourse
from tests import factories as make


@pytest.fixture
def patient(login_as):
    clinician = login_as(Role.CLINICIAN)
    return make.patient(clinician.clinic, name="Ada Lovelace", weight_kg=30)


def course_form(**overrides) -> dict:
    form = {
        "start_date": (today() + timedelta(days=14)).isoformat(),
        "days": "5",
        "total_dose_g_per_kg": "2",
        "product": "Privigen",
        "lots": "P100234\nP100871",
        "indication": "weakness",
        "status": "planned",
        "notes": "Pre-medicate with paracetamol.",
    }
    form.update(overrides)
    return form


def course_count() -> int:
    return db.session.scalar(select(func.count()).select_from(InfusionCourse))


def test_clinician_records_a_course_with_several_lots_and_sees_the_daily_dose(client, patient):
    response = client.post_form(f"/clinic/patients/{patient.id}/courses/new", course_form())
    assert response.status_code == 302
    course = db.session.scalars(select(InfusionCourse)).one()
    assert course.patient_id == patient.id
    assert (course.days, course.total_dose_g_per_kg, course.status) == (5, 2.0, "planned")
    assert course.lot_numbers == ["P100234", "P100871"]
    assert course.indication == "weakness" and course.product == "Privigen"

    record = client.get(f"/clinic/patients/{patient.id}").get_data(as_text=True)
    assert "2 g/kg over 5 days" in record
    assert "400 mg/kg/day" in record
    assert "P100234, P100871" in record
    assert "saved: 2 g/kg over 5 days, 400 mg/kg a day" in html.unescape(record)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("days", "0", "Number of days: A course runs over 1 to 5 days."),
        ("days", "6", "Number of days: A course runs over 1 to 5 days."),
        ("days", "", "Number of days: Enter the number of days."),
        ("days", "three", "Number of days: Not a valid integer value."),
        ("total_dose_g_per_kg", "0.09", "Total dose (g/kg): The total dose must be between"),
        ("total_dose_g_per_kg", "3.01", "Total dose (g/kg): The total dose must be between"),
        ("total_dose_g_per_kg", "", "Total dose (g/kg): Enter the total dose in g/kg."),
        ("start_date", "", "Start date: Enter the start date."),
        ("start_date", "31/02/2025", "Start date: Not a valid date value."),
    ],
)
def test_bad_value_is_named_nothing_is_saved_and_what_was_typed_is_kept(
    client, patient, field, value, message
):
    form = course_form(**{field: value})
    response = client.post_form(f"/clinic/patients/{patient.id}/courses/new", form)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert message in page
    assert course_count() == 0
    assert f'value="{value}"' in page if value else True
    assert 'value="Privigen"' in page
    assert "P100234\nP100871" in page
    assert "Pre-medicate with paracetamol." in page
    assert '<option selected value="weakness">' in page


@pytest.mark.parametrize("years", [2, -2])
def test_start_date_more_than_two_years_away_is_refused(client, patient, years):
    limit = years_from(today(), years)
    beyond = limit + timedelta(days=1 if years > 0 else -1)
    form = course_form(start_date=beyond.isoformat(), status="planned" if years > 0 else "given")
    page = client.post_form(f"/clinic/patients/{patient.id}/courses/new", form)
    text = html.unescape(page.get_data(as_text=True))
    assert "Start date: The start date must be within 2 years of today" in text
    assert f'value="{beyond.isoformat()}"' in text
    assert course_count() == 0


@pytest.mark.parametrize(
    ("days", "dose", "years", "status"),
    [("1", "0.1", 2, "planned"), ("5", "3", -2, "given"), ("3", "2.00", 0, "given")],
)
def test_values_at_the_limits_are_accepted(client, patient, days, dose, years, status):
    start = years_from(today(), years)
    form = course_form(days=days, total_dose_g_per_kg=dose, start_date=start.isoformat())
    form["status"] = status
    response = client.post_form(f"/clinic/patients/{patient.id}/courses/new", form)
    assert response.status_code == 302
    assert db.session.scalars(select(InfusionCourse)).one().start_date == start


def test_a_course_starting_after_today_cannot_be_marked_given(client, patient):
    form = course_form(status="given")
    page = client.post_form(f"/clinic/patients/{patient.id}/courses/new", form)
    assert "Status: A course starting after today cannot be given yet" in page.get_data(
        as_text=True
    )
    assert course_count() == 0


def test_every_message_is_shown_at_once(client, patient):
    form = course_form(days="9", total_dose_g_per_kg="7", start_date="2001-01-01")
    page = client.post_form(f"/clinic/patients/{patient.id}/courses/new", form).get_data(
        as_text=True
    )
    for label in ("Start date:", "Number of days:", "Total dose (g/kg):"):
        assert label in page


def test_form_shows_the_daily_dose_for_what_was_typed(client, patient):
    page = client.post_form(
        f"/clinic/patients/{patient.id}/courses/new",
        course_form(days="3", total_dose_g_per_kg="2", start_date=""),
    ).get_data(as_text=True)
    assert "Daily dose: 666.7 mg/kg/day (about 20 g a day at 30 kg)." in page
    assert "course-form" in page  # the script that keeps it current while typing


def test_clinician_marks_a_course_given_and_changes_its_lots(client, patient):
    course = make.course(patient, today() - timedelta(days=3), days=3, status="planned")
    page = client.get(f"/clinic/courses/{course.id}/edit").get_data(as_text=True)
    assert "LOT-1" in page and "Daily dose: 666.7 mg/kg/day" in page
    form = course_form(
        start_date=course.start_date.isoformat(), days="3", status="given", lots="LOT-1, LOT-2"
    )
    response = client.post_form(f"/clinic/courses/{course.id}/edit", form)
    assert response.status_code == 302
    db.session.refresh(course)
    assert course.status == "given" and course.lot_numbers == ["LOT-1", "LOT-2"]


def test_an_old_course_can_be_corrected_without_moving_its_date(client, patient):
    old = make.course(patient, years_from(today(), -3), status="given")
    form = course_form(start_date=old.start_date.isoformat(), status="given", notes="Late note")
    response = client.post_form(f"/clinic/courses/{old.id}/edit", form)
    assert response.status_code == 302
    db.session.refresh(old)
    assert old.notes == "Late note"


def test_course_form_with_a_missing_or_stale_csrf_token_keeps_what_was_typed(client, patient, app):
    stale = app.test_client().csrf_token()
    for token in ("", stale):
        data = course_form(csrf_token=token)
        response = client.post(f"/clinic/patients/{patient.id}/courses/new", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Your form was not sent" in page
        assert "apart from passwords" not in page
        assert f'value="{data["start_date"]}"' in page and 'value="Privigen"' in page
        assert "P100234\nP100871" in page and "Pre-medicate with paracetamol." in page
        assert course_count() == 0
    # the re-rendered form carries a fresh token: sending it again works
    client.post_form(f"/clinic/patients/{patient.id}/courses/new", course_form())
    assert course_count() == 1


def test_csrf_token_still_works_after_the_form_was_left_open_for_hours(
    client, patient, monkeypatch
):
    token = client.csrf_token()
    later = time.time() + 6 * 3600  # Flask-WTF's default limit would be one hour
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(later))
    data = course_form(csrf_token=token)
    response = client.post(f"/clinic/patients/{patient.id}/courses/new", data=data)
    assert response.status_code == 302
    assert course_count() == 1


def test_a_course_overlapping_another_is_refused_naming_it_and_nothing_is_saved(client, patient):
    first = make.course(patient, today() + timedelta(days=10), status="planned")
    response = client.post_form(
        f"/clinic/patients/{patient.id}/courses/new",
        course_form(start_date=(today() + timedelta(days=12)).isoformat(), product="Octagam"),
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "These dates overlap course 1 (2 g/kg over 5 days, planned," in page
    assert f"{first.start_date.day} {first.start_date:%b %Y} to" in page
    assert 'value="Octagam"' in page  # what was typed is kept
    assert course_count() == 1


def test_moving_a_course_onto_another_is_refused_but_a_cancelled_one_overlaps_nothing(
    client, patient
):
    make.course(patient, today() - timedelta(days=40))
    second = make.course(patient, today() + timedelta(days=5), status="planned")
    onto_first = course_form(start_date=(today() - timedelta(days=38)).isoformat())
    page = client.post_form(f"/clinic/courses/{second.id}/edit", onto_first).get_data(as_text=True)
    assert "These dates overlap course 1" in html.unescape(page)
    db.session.expire_all()
    assert db.session.get(InfusionCourse, second.id).start_date == today() + timedelta(days=5)

    cancelled = course_form(start_date=(today() - timedelta(days=38)).isoformat())
    cancelled["status"] = "cancelled"
    assert client.post_form(f"/clinic/courses/{second.id}/edit", cancelled).status_code == 302
    new_on_cancelled = course_form(start_date=(today() - timedelta(days=38)).isoformat())
    new_on_cancelled["status"] = "given"
    response = client.post_form(f"/clinic/patients/{patient.id}/courses/new", new_on_cancelled)
    assert response.status_code == 200  # still overlaps the first, given course
    later = course_form(start_date=(today() + timedelta(days=5)).isoformat())
    response = client.post_form(f"/clinic/patients/{patient.id}/courses/new", later)
    assert response.status_code == 302  # the cancelled course's days are free


def test_a_course_more_than_ten_weeks_after_the_last_is_saved_with_a_note(client, patient):
    make.course(patient, today() - timedelta(weeks=9))
    within = course_form(start_date=(today() + timedelta(weeks=1)).isoformat())
    page = client.post_form(
        f"/clinic/patients/{patient.id}/courses/new", within, follow_redirects=True
    ).get_data(as_text=True)
    assert "weeks after the one before" not in page
    far = course_form(start_date=(today() + timedelta(weeks=13)).isoformat())
    page = client.post_form(
        f"/clinic/patients/{patient.id}/courses/new", far, follow_redirects=True
    ).get_data(as_text=True)
    assert "This course starts 12 weeks after the one before" in page
    assert "usually 4 to 10 weeks apart" in page
    assert course_count() == 3
