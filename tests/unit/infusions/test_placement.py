"""Placing diary dates on the infusion calendar: course boundaries, planned and cancelled
courses, courses close together, and dates before the first course."""

from datetime import date, timedelta

from portal.infusions.models import InfusionCourse
from portal.infusions.placement import place, place_many

_ids = iter(range(1, 10_000))


def course(start: date, status: str = "given", *, days: int = 5, dose: float = 2.0):
    """A course that is never saved: placement needs no database."""
    return InfusionCourse(
        id=next(_ids), start_date=start, days=days, total_dose_g_per_kg=dose, status=status
    )


JAN = date(2025, 1, 1)


def test_third_day_after_a_five_day_course_names_course_number_and_regimen():
    courses = [course(date(2024, 10, 1)), course(date(2024, 11, 12)), course(date(2024, 12, 1))]
    courses.append(course(JAN))  # the fourth course: 1–5 January
    placement = place(date(2025, 1, 8), courses)
    assert placement.phase == "after"
    assert placement.days_after == 3
    assert placement.course.number == 4
    assert placement.label == "day 3 after course 4 (2 g/kg over 5 days)"


def test_first_and_last_infusion_days_are_during_the_course_and_next_day_is_day_one_after():
    courses = [course(JAN, days=5)]
    assert place(JAN, courses).label == "during course 1 (day 1 of 5)"
    assert place(date(2025, 1, 2), courses).label == "during course 1 (day 2 of 5)"
    assert place(date(2025, 1, 5), courses).label == "during course 1 (day 5 of 5)"
    day_after = place(date(2025, 1, 6), courses)
    assert (day_after.phase, day_after.days_after) == ("after", 1)
    assert day_after.label == "day 1 after course 1 (2 g/kg over 5 days)"


def test_the_day_before_a_course_is_one_day_before_the_next_course():
    courses = [course(JAN - timedelta(days=40)), course(JAN, status="planned")]
    placement = place(JAN - timedelta(days=1), courses)
    assert placement.days_before_next == 1
    assert placement.label == "1 day before the next course"
    assert placement.detail.startswith("day 35 after course 1")


def test_after_window_is_fourteen_days_then_the_nearer_next_course_names_the_entry():
    given = course(JAN, days=5)
    planned = course(date(2025, 2, 12), status="planned")
    day14 = place(date(2025, 1, 19), [given, planned])
    assert day14.within_after_window
    assert day14.label == "day 14 after course 1 (2 g/kg over 5 days)"
    assert day14.detail == "24 days before the next course"
    six_before = place(date(2025, 2, 6), [given, planned])
    assert not six_before.within_after_window
    assert six_before.label == "6 days before the next course"
    assert six_before.detail == "day 32 after course 1 (2 g/kg over 5 days)"


def test_a_planned_course_whose_dates_passed_is_not_counted_as_given():
    given = course(JAN, days=5)
    never_given = course(date(2025, 2, 1), status="planned")
    placement = place(date(2025, 2, 10), [given, never_given])
    assert placement.phase == "after"
    assert placement.course.id == given.id
    assert placement.days_after == 36
    assert placement.next_course is None


def test_cancelled_courses_are_neither_during_nor_after_nor_next_nor_numbered():
    first = course(JAN, days=5)
    cancelled = course(date(2025, 1, 20), status="cancelled")
    second = course(date(2025, 2, 12), days=3)
    inside_cancelled = place(date(2025, 1, 22), [first, cancelled, second])
    assert inside_cancelled.phase == "after"
    assert inside_cancelled.course.id == first.id
    assert inside_cancelled.next_course.id == second.id
    assert inside_cancelled.next_course.number == 2
    after_second = place(date(2025, 2, 16), [first, cancelled, second])
    assert after_second.label == "day 2 after course 2 (2 g/kg over 3 days)"


def test_two_courses_close_together_each_place_their_own_days():
    first = course(JAN, days=3, dose=1.0)  # 1–3 January
    second = course(date(2025, 1, 8), days=3, dose=1.0)  # 8–10 January
    courses = [first, second]
    between = place(date(2025, 1, 5), courses)
    assert between.label == "day 2 after course 1 (1 g/kg over 3 days)"
    assert between.detail == "3 days before the next course"
    assert place(date(2025, 1, 9), courses).label == "during course 2 (day 2 of 3)"
    assert place(date(2025, 1, 11), courses).label == "day 1 after course 2 (1 g/kg over 3 days)"


def test_entries_before_the_first_course_count_down_to_it():
    courses = [course(date(2025, 3, 1), status="planned"), course(date(2025, 4, 12), "planned")]
    placement = place(date(2025, 2, 20), courses)
    assert placement.phase == "before_first"
    assert placement.label == "9 days before the first course"
    assert placement.course is None


def test_a_date_with_no_course_at_all_says_so():
    placement = place(JAN, [])
    assert placement.phase == "none"
    assert placement.label == "no infusion course yet"
    assert placement.to_dict()["course"] is None


def test_days_of_a_course_still_marked_planned_are_during_it_and_say_so():
    under_way = course(JAN, days=5, status="planned")
    placement = place(date(2025, 1, 2), [under_way])
    assert placement.label == "during course 1 (day 2 of 5)"
    assert placement.detail == "not yet marked as given by the clinic"


def test_batch_placement_agrees_with_one_by_one_placement():
    courses = [
        course(JAN, days=3),
        course(date(2025, 1, 20), status="cancelled"),
        course(date(2025, 2, 10), days=5),
        course(date(2025, 3, 24), status="planned"),
    ]
    days = [JAN + timedelta(days=n) for n in range(-10, 100)]
    batch = place_many(days, courses)
    assert batch == {day: place(day, courses) for day in days}


def test_placement_as_json_names_both_sides():
    courses = [course(JAN, days=5), course(date(2025, 2, 12), status="planned")]
    data = place(date(2025, 1, 8), courses).to_dict()
    assert data["phase"] == "after"
    assert data["days_after"] == 3
    assert data["days_before_next"] == 35
    assert data["course"]["number"] == 1
    assert data["course"]["regimen"] == "2 g/kg over 5 days"
    assert data["next_course"]["status"] == "planned"
    assert data["label"] == "day 3 after course 1 (2 g/kg over 5 days)"
