"""Response by lot: lots built to give known answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.outcomes.course_outcomes import course_outcomes
from portal.outcomes.lots import MIN_RANKED, response_by_lot
from tests.unit.outcomes.records import Patient, diary

D0 = date(2024, 1, 8)


def weeks(n: int) -> date:
    return D0 + timedelta(weeks=n)


def clinic() -> list:
    ada, ben, cal = Patient("ADA"), Patient("BEN"), Patient("CAL")
    # Lot A1: three assessed courses (+4, +2, −1), one of them mixed with B7.
    ada.course(weeks(0), lots=("A1",), change=(20, 24), effects=diary(headache=3))
    ada.course(weeks(6), lots=("a1 ", "B7"), change=(22, 24), effects=diary())
    ben.course(weeks(1), lots=("A1",), change=(30, 29))
    # Lot B7: the mixed course (+2) and three more (+5, +6, none assessed).
    ben.course(weeks(7), lots=("B7",), change=(29, 34), effects=diary(nausea=1))
    cal.course(weeks(2), lots=("B7",), change=(40, 46))
    cal.course(weeks(8), lots=("B7",))
    # C3: two courses only; and the same number under another product is another lot.
    cal.course(weeks(14), lots=("C3",), change=(41, 50))
    ada.course(weeks(12), lots=("C3",), change=(24, 23))
    ben.course(weeks(13), product="Octagam", lots=("C3",), change=(34, 35))
    ben.course(weeks(19), lots=())  # no lot recorded
    return course_outcomes([ada.record, ben.record, cal.record])


def by_name(report):
    return {(lot.product, lot.lot_number): lot for lot in report.lots}


def test_each_lot_gets_its_courses_changes_and_improvements():
    report = response_by_lot(clinic())
    lots = by_name(report)
    a1 = lots[("Privigen", "A1")]
    assert (a1.course_count, a1.assessed, a1.improved) == (3, 3, 2)
    assert a1.mean_change == pytest.approx(5 / 3)
    assert a1.median_change == 2
    b7 = lots[("Privigen", "B7")]
    assert (b7.course_count, b7.assessed, b7.improved) == (4, 3, 3)
    assert b7.mean_change == pytest.approx(13 / 3)
    assert report.courses == 10 and report.without_lot == 1


def test_a_mixed_lot_course_counts_under_each_lot_and_is_marked():
    report = response_by_lot(clinic())
    lots = by_name(report)
    assert lots[("Privigen", "A1")].mixed == 1 and lots[("Privigen", "B7")].mixed == 1
    assert report.mixed_courses == 1
    shared = [c for c in lots[("Privigen", "A1")].courses if c.mixed]
    assert [c.outcome.course.lots for c in shared] == [("a1 ", "B7")]


def test_lots_with_fewer_than_three_assessed_courses_are_listed_but_not_ranked():
    report = response_by_lot(clinic())
    ranked = [(lot.lot_number, lot.rank) for lot in report.lots if lot.rank]
    assert ranked == [("B7", 1), ("A1", 2)]  # best mean change first
    unranked = [(lot.product, lot.lot_number) for lot in report.lots if lot.rank is None]
    assert unranked == [("Privigen", "C3"), ("Octagam", "C3")]  # most courses first
    assert all(lot.assessed < MIN_RANKED for lot in report.lots if lot.rank is None)
    assert [lot.rank for lot in report.lots][:2] == [1, 2]  # ranked lots come first


def test_side_effects_within_seven_days_are_counted_per_lot():
    lots = by_name(response_by_lot(clinic()))
    a1 = lots[("Privigen", "A1")].effects
    assert (a1.courses, a1.courses_with_diary) == (3, 2)
    assert a1.symptoms["headache"].count == 1 and a1.severe_symptoms["headache"].count == 1
    assert a1.any_symptom.share == 0.5
    b7 = lots[("Privigen", "B7")].effects
    assert (b7.courses_with_diary, b7.symptoms["nausea"].count) == (2, 1)
    assert b7.any_severe.count == 0
