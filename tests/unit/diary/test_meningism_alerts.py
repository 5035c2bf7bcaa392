"""Headache with fever soon after an infusion, or with a stiff neck: the aseptic meningitis
picture is urgent, names both findings, and follows the clinic's window and grade."""

from datetime import timedelta

import pytest

from portal.diary.alerts import (
    EMERGENCY,
    HEADACHE_WITH_FEVER,
    HEADACHE_WITH_STIFF_NECK,
    REVIEW_TODAY,
    URGENT,
    clinic_note,
    reason_label,
)
from tests.unit.diary.test_alerts import COURSE_START, assess_on, clinic, days_after, entry


def settings(window_hours: int = 72, grade: int = 1, fever: float = 38.0):
    made = clinic(fever=fever)
    made.meningism_window_hours, made.meningism_headache_grade = window_hours, grade
    return made


@pytest.mark.parametrize("grade", [1, 2, 3])
def test_fever_with_a_headache_of_any_grade_within_72_hours_is_urgent(grade):
    result = assess_on(days_after(2), entry(temperature_c=38.2, headache=grade), settings())
    assert result.reasons[:2] == (HEADACHE_WITH_FEVER, "fever")
    assert result.urgency == URGENT


def test_on_an_infusion_day_fever_with_headache_counts():
    day = COURSE_START + timedelta(days=2)
    result = assess_on(day, entry(temperature_c=38.0, headache=1), settings())
    assert HEADACHE_WITH_FEVER in result.reasons


def test_day_three_after_the_last_infusion_is_inside_72_hours_and_day_four_outside():
    inside = assess_on(days_after(3), entry(temperature_c=38.4, headache=1), settings())
    outside = assess_on(days_after(4), entry(temperature_c=38.4, headache=1), settings())
    assert HEADACHE_WITH_FEVER in inside.reasons and inside.urgency == URGENT
    assert outside.reasons == ("fever",) and outside.urgency == REVIEW_TODAY


def test_fever_alone_after_an_infusion_stays_a_fever_alert():
    result = assess_on(days_after(1), entry(temperature_c=38.4), settings())
    assert result.reasons == ("fever",)
    assert result.urgency == REVIEW_TODAY


def test_headache_without_fever_after_an_infusion_does_not_alert():
    assert not assess_on(days_after(1), entry(temperature_c=37.4, headache=2), settings()).triggered


def test_fever_below_the_clinics_threshold_does_not_make_the_combination():
    result = assess_on(days_after(1), entry(temperature_c=38.2, headache=2), settings(fever=38.5))
    assert not result.triggered


def test_a_course_only_planned_has_no_after_window():
    result = assess_on(
        days_after(1), entry(temperature_c=38.4, headache=1), settings(), status="planned"
    )
    assert HEADACHE_WITH_FEVER not in result.reasons


def test_a_headache_with_a_stiff_neck_is_urgent_on_any_day_with_both_named():
    result = assess_on(days_after(40), entry(headache=1, warn_stiff_neck=True), settings())
    assert result.reasons == (HEADACHE_WITH_STIFF_NECK, "warning:stiff_neck")
    assert result.urgency == URGENT


def test_a_stiff_neck_without_a_headache_is_the_warning_sign_alone():
    result = assess_on(days_after(1), entry(warn_stiff_neck=True), settings())
    assert result.reasons == ("warning:stiff_neck",)


def test_fever_headache_and_stiff_neck_together_name_every_finding():
    result = assess_on(
        days_after(1), entry(temperature_c=38.6, headache=2, warn_stiff_neck=True), settings()
    )
    assert result.reasons == (
        HEADACHE_WITH_FEVER,
        HEADACHE_WITH_STIFF_NECK,
        "fever",
        "warning:stiff_neck",
    )
    assert result.urgency == URGENT


def test_a_very_high_fever_keeps_its_higher_urgency():
    result = assess_on(days_after(1), entry(temperature_c=40.5, headache=1), settings())
    assert HEADACHE_WITH_FEVER in result.reasons
    assert result.urgency == EMERGENCY


def test_the_window_is_the_clinics_setting_in_hours():
    short = settings(window_hours=24)
    long = settings(window_hours=120)
    answers = {"temperature_c": 38.4, "headache": 1}
    assert HEADACHE_WITH_FEVER in assess_on(days_after(1), entry(**answers), short).reasons
    assert HEADACHE_WITH_FEVER not in assess_on(days_after(2), entry(**answers), short).reasons
    assert HEADACHE_WITH_FEVER in assess_on(days_after(5), entry(**answers), long).reasons


def test_the_least_headache_grade_is_the_clinics_setting():
    moderate_only = settings(grade=2)
    mild = assess_on(days_after(1), entry(temperature_c=38.4, headache=1), moderate_only)
    moderate = assess_on(days_after(1), entry(temperature_c=38.4, headache=2), moderate_only)
    neck = assess_on(days_after(9), entry(headache=1, warn_stiff_neck=True), moderate_only)
    assert HEADACHE_WITH_FEVER not in mild.reasons
    assert HEADACHE_WITH_FEVER in moderate.reasons
    assert HEADACHE_WITH_STIFF_NECK not in neck.reasons


def test_the_labels_name_the_headache_and_the_fever_or_the_neck():
    fever_entry = entry(temperature_c=38.4, headache=2)
    neck_entry = entry(headache=1, warn_stiff_neck=True)
    assert reason_label(HEADACHE_WITH_FEVER, fever_entry) == (
        "Headache (moderate) with a temperature of 38.4 °C, soon after an infusion"
    )
    assert reason_label(HEADACHE_WITH_STIFF_NECK, neck_entry) == (
        "Headache (mild) with a stiff neck or dislike of bright light"
    )
    assert "aseptic meningitis" in clinic_note(HEADACHE_WITH_FEVER)
    assert clinic_note("fever") == ""
