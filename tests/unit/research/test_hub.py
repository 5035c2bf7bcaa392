"""The hub's report: sites combined, van Elteren by site, nothing under 5 shown or derivable."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.outcomes.comparisons import van_elteren
from portal.outcomes.disclosure import THRESHOLD
from portal.research.hub import ALL, HubCourse, HubSite, hub_cells, hub_groups, hub_report
from tests.disclosure_check import exposed_cells

OUTCOMES = ("headache", "severe_headache", "any_symptom", "any_severe", "nausea", "fever")


def site(code: str, salt: str = "s1") -> HubSite:
    return HubSite(code, code.title(), "0000 0000 0000 0000", date(2026, 11, 30),
                   datetime(2026, 12, 1, tzinfo=UTC), salt)  # fmt: skip


def courses(code: str, days: int, changes, headaches: int = 0, diary: bool = True):
    """Courses of one regimen at one site; the first `headaches` had one."""
    return [
        HubCourse(code, 2.0, days, change, diary,
                  frozenset({"headache", "any_symptom"}) if n < headaches else frozenset())
        for n, change in enumerate(changes)
    ]  # fmt: skip


def three_sites():
    north = courses("north", 3, [4, 3, 5, 2, 6, -1], 6) + courses(
        "north", 5, [1, 2, -1, 0.5, 3, -2]
    )
    south = courses("south", 3, [2, 5, 1, 7, -2], 4) + courses(
        "south", 5, [1, -1, 2, 0.5, 1.5, -0.5, 2], 1
    )
    west = courses("west", 3, [3, 4], 2) + courses("west", 5, [1, -1, 2], diary=False)
    return [site("north"), site("south"), site("west")], north + south + west


def test_sites_are_pooled_by_regimen_with_the_mean_and_median_change():
    sites, found = three_sites()
    report = hub_report(sites, found)
    three, five = report.groups
    assert (three.label, five.label) == ("2 g/kg over 3 days", "2 g/kg over 5 days")
    assert (report.count("courses", ALL, three.key), report.count("courses", ALL, five.key)) == (
        13,
        16,
    )
    assert report.count("courses") == 29 and report.count("assessed") == 29
    assert three.mean_change == pytest.approx(39 / 13) and three.median_change == 3
    assert five.mean_change == pytest.approx(11 / 16) and five.median_change == pytest.approx(1.0)
    assert (
        report.count("with_diary", ALL, five.key) == 13
    )  # west wrote no diary after 5-day courses


def test_small_counts_and_those_that_would_reveal_them_are_suppressed():
    sites, found = three_sites()
    report = hub_report(sites, found)
    three = report.groups[0].key
    assert report.count("courses", "west") == 5  # five courses: shown
    assert report.count("improved", "west") is None  # 4 improved: under 5
    assert report.count("improved", "north") is None  # 5 of 6: the one that did not would show
    assert report.count("improved", ALL, three) is None  # 11 of 13 improved: 2 did not
    # 12 of 13 with a diary had a headache after a 3-day course: 1 did not.
    assert report.count("headache", ALL, three) is None
    shown = report.cells.displayed
    assert all(value >= THRESHOLD for value in shown.values())
    cells = hub_cells(found, [s.code for s in sites], [g.key for g in report.groups])
    assert exposed_cells(report.cells, cells.relations, cells.complements) == set()


def test_two_regimens_are_compared_with_van_elteren_stratified_by_site():
    sites, found = three_sites()
    comparison = hub_report(sites, found).comparison
    assert (comparison.a.label, comparison.b.label) == ("2 g/kg over 3 days", "2 g/kg over 5 days")
    by_site = [
        ([c.myometry_change for c in found if c.site == s.code and c.days == 3],
         [c.myometry_change for c in found if c.site == s.code and c.days == 5])
        for s in sites
    ]  # fmt: skip
    expected = van_elteren(by_site)
    assert comparison.shown
    assert comparison.test.p_value == pytest.approx(expected.p_value)
    assert (comparison.test.a_n, comparison.test.b_n, comparison.test.strata) == (13, 16, 3)


def test_a_comparison_resting_on_a_suppressed_n_is_not_shown():
    sites = [site("north"), site("south")]
    found = courses("north", 3, [1, 2, 3, 4, 5, 6]) + courses("south", 5, [1, 2, 3])
    report = hub_report(sites, found)
    assert report.comparison is not None and report.comparison.shown is False


def test_sites_that_hashed_lots_with_different_salts_are_flagged():
    assert hub_report([site("a", "x"), site("b", "y")], []).salts_agree is False
    assert hub_report([site("a", "x"), site("b", "x")], []).salts_agree is True


@st.composite
def networks(draw):
    """One to four sites, one to three regimens, a few to a few dozen courses."""
    codes = [f"site{i}" for i in range(draw(st.integers(1, 4)))]
    course = st.builds(
        HubCourse,
        site=st.sampled_from(codes),
        total_dose_g_per_kg=st.just(2.0),
        days=st.sampled_from([3, 5, 1]),
        myometry_change=st.one_of(
            st.none(), st.floats(-10, 10, allow_nan=False).map(lambda v: round(v, 1))
        ),
        diary_reported=st.booleans(),
        side_effects=st.frozensets(st.sampled_from(OUTCOMES), max_size=3),
    )
    return [site(c) for c in codes], draw(st.lists(course, max_size=45))


@settings(max_examples=300, deadline=None)
@given(networks())
def test_no_displayed_cell_is_under_five_and_none_can_be_derived_by_subtraction(network):
    sites, found = network
    report = hub_report(sites, found)
    assert all(value >= THRESHOLD for value in report.cells.displayed.values())
    groups = [g.key for g in hub_groups(found)]
    cells = hub_cells(found, [s.code for s in sites], groups)
    assert exposed_cells(report.cells, cells.relations, cells.complements) == set()
    # Never a single site's count under 5, of any kind.
    for (family, code, group), value in report.cells.displayed.items():
        if code != ALL:
            assert value >= THRESHOLD, (family, code, group)
