"""Prednisolone in mg/kg/day from the weight in force, and steroid sparing per patient."""

from datetime import date

from portal.medications.steroids import (
    DoseRecord,
    Weight,
    dose_on,
    mg_per_day_on,
    steroid_sparing,
    weight_in_force,
)

WEIGHTS = [Weight(date(2024, 1, 1), 30.0), Weight(date(2024, 6, 1), 40.0)]
DOSES = [DoseRecord(date(2024, 1, 10), 30.0), DoseRecord(date(2024, 7, 1), 10.0)]


def test_weight_in_force_is_the_latest_on_or_before_the_date():
    assert weight_in_force(WEIGHTS, date(2024, 5, 31)).kg == 30.0
    assert weight_in_force(WEIGHTS, date(2024, 6, 1)).kg == 40.0


def test_without_an_earlier_weighing_the_current_weight_is_used_and_marked():
    weight = weight_in_force(WEIGHTS, date(2023, 12, 1), current_kg=28.0)
    assert weight.kg == 28.0 and weight.measured_on is None
    assert weight_in_force([], date(2024, 1, 1)) is None


def test_dose_in_force_follows_the_latest_record_and_a_stop_date():
    assert mg_per_day_on(DOSES, date(2024, 1, 9)) is None
    assert mg_per_day_on(DOSES, date(2024, 3, 1)) == 30.0
    assert mg_per_day_on(DOSES, date(2024, 8, 1)) == 10.0
    stopped = [DoseRecord(date(2024, 1, 10), 5.0, stop=date(2024, 2, 1))]
    assert mg_per_day_on(stopped, date(2024, 1, 31)) == 5.0
    assert mg_per_day_on(stopped, date(2024, 2, 1)) == 0.0


def test_mg_per_kg_per_day_uses_the_weight_of_that_date():
    assert dose_on(DOSES, WEIGHTS, date(2024, 3, 1)).mg_per_kg_per_day == 1.0
    assert dose_on(DOSES, WEIGHTS, date(2024, 7, 1)).mg_per_kg_per_day == 0.25


def test_steroid_sparing_compares_the_first_course_with_the_latest_record():
    sparing = steroid_sparing(DOSES, WEIGHTS, first_course=date(2024, 2, 1))
    assert sparing.at_first_course.mg_per_kg_per_day == 1.0
    assert sparing.latest.day == date(2024, 7, 1)
    assert sparing.latest.mg_per_kg_per_day == 0.25
    assert sparing.change_mg_per_kg_per_day == -0.75


def test_a_stop_is_the_latest_record_and_means_no_prednisolone():
    doses = [DoseRecord(date(2024, 1, 10), 20.0, stop=date(2024, 9, 1))]
    sparing = steroid_sparing(doses, WEIGHTS, first_course=date(2024, 2, 1))
    assert sparing.latest.day == date(2024, 9, 1)
    assert sparing.latest.mg_per_day == 0.0


def test_no_sparing_row_without_a_course_or_a_dose():
    assert steroid_sparing(DOSES, WEIGHTS, first_course=None) is None
    assert steroid_sparing([], WEIGHTS, first_course=date(2024, 2, 1)) is None


def test_a_course_before_any_dose_record_has_no_dose_at_first_course():
    sparing = steroid_sparing(DOSES, WEIGHTS, first_course=date(2023, 12, 1))
    assert sparing.at_first_course is None
    assert sparing.change_mg_per_kg_per_day is None
