"""The infusion calendar: course numbers, past and coming courses, next and last."""

from datetime import date, timedelta

from portal.infusions.calendar import calendar_courses, family_summary, number_courses
from tests import factories as make

DAY = date(2025, 6, 16)


def test_courses_are_numbered_in_date_order_and_cancelled_ones_are_not_counted():
    patient = make.patient()
    later = make.course(patient, DAY + timedelta(days=40), status="planned")
    first = make.course(patient, DAY - timedelta(days=80))
    cancelled = make.course(patient, DAY - timedelta(days=40), status="cancelled")
    second = make.course(patient, DAY - timedelta(days=20))
    numbers = number_courses(patient.courses)
    assert numbers == {first.id: 1, second.id: 2, later.id: 3}
    assert cancelled.id not in numbers


def test_each_course_is_past_current_or_upcoming_relative_to_the_day():
    patient = make.patient()
    past = make.course(patient, DAY - timedelta(days=5), days=5)  # ended yesterday
    current = make.course(patient, DAY, days=3, status="planned")  # started today
    upcoming = make.course(patient, DAY + timedelta(days=3), status="planned")
    when = {entry.course.id: entry.when for entry in calendar_courses(patient.courses, DAY)}
    assert when == {past.id: "past", current.id: "current", upcoming.id: "upcoming"}


def test_summary_gives_next_planned_and_last_given_course():
    patient = make.patient()
    make.course(patient, DAY - timedelta(days=60))
    last = make.course(patient, DAY - timedelta(days=14), days=5)
    make.course(patient, DAY + timedelta(days=3), status="cancelled")
    nxt = make.course(patient, DAY + timedelta(days=28), status="planned")
    make.course(patient, DAY + timedelta(days=70), status="planned")
    summary = family_summary(patient.courses, DAY)
    assert summary.next_course.course.id == nxt.id
    assert summary.days_until_next == 28
    assert summary.last_course.course.id == last.id
    assert summary.days_since_last == 10  # ended on day 5 of 5, i.e. 10 days ago


def test_summary_is_empty_without_courses():
    summary = family_summary([], DAY)
    assert summary.next_course is None and summary.last_course is None
    assert summary.days_until_next is None and summary.days_since_last is None
