"""Interval and response: weeks since the previous course against the change in myometry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from scipy import stats

from portal.outcomes.course_outcomes import course_outcomes, intervals
from portal.outcomes.intervals import interval_response
from tests.unit.outcomes.records import Patient

D0 = date(2024, 1, 8)


def test_the_interval_runs_from_the_previous_given_course_start_to_this_start():
    ada = Patient("ADA")
    first = ada.course(D0)
    second = ada.course(D0 + timedelta(days=42))
    third = ada.course(D0 + timedelta(days=70), days=3)
    assert intervals(ada.record.courses) == {first.id: None, second.id: 42, third.id: 28}


def test_each_assessed_course_after_another_is_a_point_with_spearmans_rho():
    ada, ben = Patient("ADA"), Patient("BEN")
    ada.course(D0, change=(20, 30))  # a first course: assessed, but no interval
    ada.course(D0 + timedelta(weeks=4), change=(30, 34))
    ada.course(D0 + timedelta(weeks=10), change=(34, 35))
    ben.course(D0, change=(40, 41))
    ben.course(D0 + timedelta(weeks=5), change=(41, 44))
    ben.course(D0 + timedelta(weeks=13), change=(44, 43))
    ben.course(D0 + timedelta(weeks=20))  # not assessed: no point
    report = interval_response(course_outcomes([ada.record, ben.record]))
    assert [(p.patient_ref, p.weeks, p.change) for p in report.points] == [
        ("ADA", 4.0, 4.0),
        ("BEN", 5.0, 3.0),
        ("ADA", 6.0, 1.0),
        ("BEN", 8.0, -1.0),
    ]
    assert (report.courses, report.with_interval, report.assessed_first_courses) == (7, 5, 2)
    assert report.correlation.n == 4
    assert report.correlation.rho == pytest.approx(-1.0)
    expected = stats.spearmanr([4, 5, 6, 8], [4, 3, 1, -1])
    assert report.correlation.p_value == pytest.approx(expected.pvalue)


def test_too_few_points_give_no_correlation():
    ada = Patient("ADA")
    ada.course(D0, change=(20, 30))
    ada.course(D0 + timedelta(weeks=6), change=(30, 31))
    report = interval_response(course_outcomes([ada.record]))
    assert len(report.points) == 1 and report.correlation.rho is None
