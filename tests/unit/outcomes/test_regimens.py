"""Regimens compared: grouping by each dimension, Fisher per symptom, Mann–Whitney of changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.outcomes.course_outcomes import course_outcomes
from portal.outcomes.regimens import compare, default_pair, regimen_groups
from tests.unit.outcomes.records import Patient, diary

D0 = date(2024, 1, 8)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def cohort():
    ada, ben = Patient("ADA"), Patient("BEN")
    # 3-day courses: headaches; 5-day courses: quiet. Starts 28, 42 and 70 days apart.
    ada.course(day(0), days=3, change=(20, 25), effects=diary(headache=3))
    ada.course(day(28), days=3, change=(25, 27), effects=diary(headache=1, fever=True))
    ada.course(day(70), days=5, change=(27, 27.5), effects=diary())
    ben.course(day(3), days=3, change=(30, 29), effects=diary(headache=2, diarrhoea=1))
    ben.course(day(45), days=5, change=(29, 30), effects=diary())
    ben.course(day(87), days=5, dose=1.0, effects=diary(nausea=1))
    ben.course(day(129), days=5)  # no diary in the window
    return course_outcomes([ada.record, ben.record])


def keyed(groups):
    return {g.key: g for g in groups}


def test_courses_group_by_total_dose_and_days():
    groups = regimen_groups(cohort(), "regimen")
    assert [(g.key, g.label, g.courses) for g in groups] == [
        ("1g5d", "1 g/kg over 5 days", 1),
        ("2g3d", "2 g/kg over 3 days", 3),
        ("2g5d", "2 g/kg over 5 days", 3),
    ]
    three_day = keyed(groups)["2g3d"]
    assert three_day.response.courses == 3 and three_day.response.improved == 2
    assert three_day.response.mean_change == pytest.approx(2.0)
    assert three_day.effects.symptoms["headache"].count == 3


def test_dose_per_day_days_and_total_dose_are_dimensions_too():
    assert [g.label for g in regimen_groups(cohort(), "daily_dose")] == [
        "200 mg/kg/day",
        "400 mg/kg/day",
        "666.7 mg/kg/day",
    ]
    assert [(g.label, g.courses) for g in regimen_groups(cohort(), "days")] == [
        ("Over 3 days", 3),
        ("Over 5 days", 4),
    ]
    assert [g.label for g in regimen_groups(cohort(), "total_dose")] == [
        "1 g/kg in all",
        "2 g/kg in all",
    ]


def test_weeks_since_the_previous_course_fall_in_bands_with_first_courses_apart():
    groups = regimen_groups(cohort(), "interval")
    assert [(g.label, g.courses) for g in groups] == [
        ("First course", 2),
        ("4 to under 6 weeks", 1),  # 28 days: exactly 4 weeks
        ("6 to under 8 weeks", 4),  # 42 days three times, and 45
    ]


def test_fishers_test_per_symptom_and_mann_whitney_of_changes_between_two_regimens():
    groups = keyed(regimen_groups(cohort(), "days"))
    comparison = compare(groups["3d"], groups["5d"])
    rows = {row.outcome: row.test for row in comparison.symptoms}
    headache = rows["headache"]
    assert (headache.a_with, headache.a_total, headache.b_with, headache.b_total) == (3, 3, 0, 3)
    assert headache.p_value == pytest.approx(0.1)  # 1/20 each way: the two extreme tables
    assert (rows["severe_headache"].a_with, rows["fever"].a_with) == (1, 1)
    assert rows["nausea"].b_with == 1 and rows["any_symptom"].a_with == 3
    change = comparison.change
    assert (change.a_n, change.b_n) == (3, 2)
    assert change.u_statistic == 4.0  # +5, +2, −1 against +0.5, +1


def test_the_default_pair_is_the_two_groups_with_most_courses():
    assert default_pair(regimen_groups(cohort(), "regimen")) == ("2g3d", "2g5d")
    assert default_pair(regimen_groups(cohort(), "total_dose")) == ("1g", "2g")
    only_one = [o for o in cohort() if o.course.days == 3]
    assert default_pair(regimen_groups(only_one, "days")) is None
