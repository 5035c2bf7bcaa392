"""The alert rules: fever against the clinic's threshold, a severe headache after a given
course, warning signs, and how urgent each is."""

from datetime import date, timedelta

import pytest

from portal.clinic.models import Clinic
from portal.diary.alerts import (
    EMERGENCY,
    REVIEW_TODAY,
    URGENT,
    assess,
    ctcae_fever_grade,
)
from portal.diary.models import DiaryEntry
from portal.infusions.models import InfusionCourse
from portal.infusions.placement import place

COURSE_START = date(2025, 1, 1)  # a 5-day course: last infusion day 5 January


def clinic(fever: float = 38.0, headache_days: int = 7) -> Clinic:
    return Clinic(
        name="Test",
        fever_threshold_c=fever,
        headache_alert_days=headache_days,
        meningism_window_hours=72,
        meningism_headache_grade=1,
    )


def entry(**answers) -> DiaryEntry:
    values = dict.fromkeys(
        ["headache", "nausea", "vomiting", "diarrhoea", "tiredness", "muscle_pain"], 0
    )
    values.update(answers)
    return DiaryEntry(**values)


def assess_on(day: date, the_entry: DiaryEntry, the_clinic: Clinic, status: str = "given"):
    courses = [
        InfusionCourse(id=1, start_date=COURSE_START, days=5, total_dose_g_per_kg=2, status=status)
    ]
    the_entry.entry_date = day
    return assess(the_entry, the_clinic, place(day, courses))


def days_after(n: int) -> date:
    return COURSE_START + timedelta(days=4 + n)


@pytest.mark.parametrize(
    ("temperature", "grade"),
    [(37.9, 0), (38.0, 1), (39.0, 1), (39.1, 2), (40.0, 2), (40.1, 3), (42.5, 3), (None, 0)],
)
def test_ctcae_fever_bands(temperature, grade):
    assert ctcae_fever_grade(temperature) == grade


def test_a_temperature_at_the_threshold_alerts_and_just_below_does_not():
    at = assess_on(days_after(20), entry(temperature_c=38.0), clinic())
    below = assess_on(days_after(20), entry(temperature_c=37.9), clinic())
    assert at.reasons == ("fever",)
    assert not below.triggered


def test_a_clinic_with_a_lower_fever_threshold_is_alerted_sooner():
    result = assess_on(days_after(20), entry(temperature_c=37.6), clinic(fever=37.5))
    assert result.reasons == ("fever",)
    assert result.urgency == REVIEW_TODAY


def test_higher_fever_bands_raise_the_urgency():
    mild = assess_on(days_after(2), entry(temperature_c=38.6), clinic())
    high = assess_on(days_after(2), entry(temperature_c=39.5), clinic())
    very_high = assess_on(days_after(2), entry(temperature_c=40.5), clinic())
    assert (mild.urgency, high.urgency, very_high.urgency) == (REVIEW_TODAY, URGENT, EMERGENCY)


def test_a_severe_headache_within_seven_days_after_a_given_course_alerts():
    on_day_7 = assess_on(days_after(7), entry(headache=3), clinic())
    on_day_8 = assess_on(days_after(8), entry(headache=3), clinic())
    assert on_day_7.reasons == ("severe_headache_after_course",)
    assert on_day_7.urgency == URGENT
    assert not on_day_8.triggered


def test_a_severe_headache_on_an_infusion_day_alerts():
    result = assess_on(COURSE_START + timedelta(days=1), entry(headache=3), clinic())
    assert result.reasons == ("severe_headache_after_course",)


def test_a_moderate_headache_after_a_course_does_not_alert():
    assert not assess_on(days_after(1), entry(headache=2), clinic()).triggered


def test_a_severe_headache_after_a_course_never_given_does_not_alert():
    result = assess_on(days_after(2), entry(headache=3), clinic(), status="planned")
    assert not result.triggered


def test_the_headache_window_is_the_clinics_setting():
    short_window = clinic(headache_days=3)
    assert assess_on(days_after(3), entry(headache=3), short_window).triggered
    assert not assess_on(days_after(4), entry(headache=3), short_window).triggered


@pytest.mark.parametrize(
    "column",
    [
        "warn_stiff_neck",
        "warn_dark_urine",
        "warn_yellow_skin",
        "warn_swollen_limb",
        "warn_chest_pain",
        "warn_less_urine",
    ],
)
def test_every_warning_sign_alerts_whatever_the_day(column):
    result = assess_on(days_after(60), entry(**{column: True}), clinic())
    assert result.reasons == (f"warning:{column.removeprefix('warn_')}",)
    assert result.urgency >= URGENT


def test_chest_pain_is_an_emergency_sent_to_999_first():
    result = assess_on(days_after(2), entry(warn_chest_pain=True), clinic())
    assert result.urgency == EMERGENCY
    assert result.needs_emergency_services


def test_several_reasons_are_all_kept_and_the_highest_urgency_wins():
    result = assess_on(
        days_after(1), entry(temperature_c=38.4, headache=3, warn_dark_urine=True), clinic()
    )
    assert result.reasons == (
        "headache_with_fever_after_infusion",
        "fever",
        "severe_headache_after_course",
        "warning:dark_urine",
    )
    assert result.urgency == URGENT


def test_an_all_fine_day_raises_nothing():
    result = assess_on(days_after(2), entry(strength=0, mood=4, temperature_c=36.8), clinic())
    assert not result.triggered
    assert result.urgency == 0
