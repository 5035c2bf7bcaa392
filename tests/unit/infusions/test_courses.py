"""Infusion courses: the daily dose is derived, lots are several, edits replace them."""

from datetime import date

import pytest

from portal.infusions.courses import CourseData, record_course, update_course
from portal.infusions.forms import parse_lots
from portal.infusions.models import daily_dose_mg_per_kg
from tests import factories as make


@pytest.mark.parametrize(
    ("total", "days", "daily"),
    [(2, 5, 400.0), (2, 3, 666.7), (2, 2, 1000.0), (0.4, 1, 400.0), (1, 3, 333.3), (3, 5, 600.0)],
)
def test_daily_dose_is_the_total_spread_over_the_days(total, days, daily):
    assert daily_dose_mg_per_kg(total, days) == daily


def test_recorded_course_keeps_every_lot_and_shows_its_regimen():
    patient = make.patient()
    course = record_course(
        patient,
        CourseData(date(2025, 3, 3), 5, 2, "Privigen", ("A123", "B456", "C789"), "relapse"),
        by=None,
    )
    assert course.lot_numbers == ["A123", "B456", "C789"]
    assert course.regimen == "2 g/kg over 5 days"
    assert course.daily_mg_per_kg == 400.0
    assert course.end_date == date(2025, 3, 7)


def test_updating_a_course_replaces_its_lots_and_status():
    patient = make.patient()
    course = record_course(patient, CourseData(date(2025, 3, 3), 3, 2, lots=("A1",)), by=None)
    update_course(course, CourseData(date(2025, 3, 3), 3, 2, lots=("A1", "B2"), status="given"))
    assert course.lot_numbers == ["A1", "B2"]
    assert course.status == "given"
    assert course.regimen == "2 g/kg over 3 days"


@pytest.mark.parametrize(
    ("typed", "lots"),
    [
        ("A123", ["A123"]),
        ("A123, B456;C789", ["A123", "B456", "C789"]),
        ("A123\nB456\n\n A123 ", ["A123", "B456"]),
        ("", []),
        (None, []),
    ],
)
def test_lot_numbers_may_be_typed_one_per_line_or_comma_separated(typed, lots):
    assert parse_lots(typed) == lots
