"""Before/after pairing of assessments with courses, and the family's subjective response."""

from dataclasses import dataclass
from datetime import date, timedelta

from portal.outcomes.diary_windows import CourseDiary
from portal.outcomes.pairing import CourseSpan, pair_courses, subjective_response

START = date(2024, 3, 10)


@dataclass(frozen=True)
class Point:
    day: date


def course(start=START, days=5, course_id=1):
    return CourseSpan.of(course_id, start, days)


def days_from(day: date, offset: int) -> Point:
    return Point(day + timedelta(days=offset))


def test_assessment_seven_days_before_is_the_before_but_eight_days_is_not():
    seven = days_from(START, -7)
    assert pair_courses([course()], [seven])[1].before == seven
    assert pair_courses([course()], [days_from(START, -8)])[1].before is None


def test_assessment_on_the_first_infusion_day_counts_as_before():
    same_day = Point(START)
    assert pair_courses([course()], [same_day])[1].before == same_day


def test_latest_of_several_before_assessments_is_taken():
    early, late = days_from(START, -6), days_from(START, -1)
    assert pair_courses([course()], [late, early])[1].before == late


def test_after_window_counts_from_the_last_infusion_day_not_the_first():
    span = course(days=5)  # last infusion day START + 4
    fourteen_after_last = days_from(span.end, 14)
    assert pair_courses([span], [fourteen_after_last])[1].after == fourteen_after_last
    assert pair_courses([span], [days_from(span.end, 15)])[1].after is None


def test_first_of_several_after_assessments_is_taken():
    span = course()
    first, later = days_from(span.end, 3), days_from(span.end, 12)
    assert pair_courses([span], [later, first])[1].after == first


def test_assessment_during_a_course_is_neither_before_nor_after():
    pair = pair_courses([course(days=5)], [days_from(START, 2)])[1]
    assert pair.before is None and pair.after is None


def test_assessment_between_two_courses_goes_with_the_nearer_one():
    first = course(START, days=3, course_id=1)  # ends START + 2
    second = course(START + timedelta(days=10), days=3, course_id=2)
    near_second = days_from(START, 8)  # 6 days after the first, 2 before the second
    pairs = pair_courses([first, second], [near_second])
    assert pairs[1].after is None
    assert pairs[2].before == near_second

    near_first = days_from(START, 4)  # 2 days after the first, 6 before the second
    pairs = pair_courses([first, second], [near_first])
    assert pairs[1].after == near_first
    assert pairs[2].before is None


def test_an_assessment_equally_near_two_courses_is_the_before_of_the_later():
    first = course(START, days=1, course_id=1)
    second = course(START + timedelta(days=8), days=1, course_id=2)
    middle = days_from(START, 4)  # 4 days after the first, 4 before the second
    pairs = pair_courses([first, second], [middle])
    assert pairs[2].before == middle
    assert pairs[1].after is None


def test_a_course_without_a_before_has_an_incomplete_pair():
    span = course()
    pair = pair_courses([span], [days_from(span.end, 5)])[1]
    assert pair.after is not None and not pair.complete


def test_subjective_response_compares_the_mean_strength_after_with_before():
    diary = CourseDiary(before_strength=-0.5, before_entries=2, after_strength=1.5, after_entries=3)
    response = subjective_response(diary)
    assert response.change == 2.0
    assert response.improved
    assert (response.before_entries, response.after_entries) == (2, 3)


def test_subjective_response_needs_reports_on_both_sides():
    assert subjective_response(CourseDiary(after_strength=2.0, after_entries=1)) is None
    assert subjective_response(CourseDiary(before_strength=0.0, before_entries=1)) is None
    assert subjective_response(None) is None


def test_unchanged_perceived_strength_is_not_an_improvement():
    diary = CourseDiary(before_strength=1.0, before_entries=1, after_strength=1.0, after_entries=1)
    assert not subjective_response(diary).improved
