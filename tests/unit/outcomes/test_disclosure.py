"""Small-number suppression: nothing under 5 shown, nothing under 5 worked out by subtraction."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.outcomes.disclosure import THRESHOLD, Complement, Protected, Relation, protect
from tests.disclosure_check import exposed_cells


def grid(counts: dict[tuple[str, str], int]) -> tuple[dict, list[Relation]]:
    """A table with its row, column and grand totals, as cells and relations."""
    rows = sorted({r for r, _ in counts})
    cols = sorted({c for _, c in counts})
    values = dict(counts)
    relations = []
    for r in rows:
        values[(r, "all")] = sum(counts[(r, c)] for c in cols)
        relations.append(Relation((r, "all"), tuple((r, c) for c in cols)))
    for c in cols:
        values[("all", c)] = sum(counts[(r, c)] for r in rows)
        relations.append(Relation(("all", c), tuple((r, c) for r in rows)))
    values[("all", "all")] = sum(counts.values())
    relations.append(Relation(("all", "all"), tuple(("all", c) for c in cols)))
    relations.append(Relation(("all", "all"), tuple((r, "all") for r in rows)))
    return values, relations


def exposed(protected, relations, complements=()) -> set:
    """Suppressed, small hidden and small complement counts the shown ones give away."""
    return exposed_cells(protected, relations, complements)


def test_a_count_under_five_is_suppressed_with_a_partner_in_its_row_and_column():
    values, relations = grid({("a", "x"): 3, ("a", "y"): 9, ("b", "x"): 8, ("b", "y"): 12})
    protected = protect(values, relations)
    assert protected.shown(("a", "x")) is None
    # Alone, 3 would come back as the row total minus 9: a second cell goes in each line.
    assert protected.shown(("a", "y")) is None and protected.shown(("b", "x")) is None
    assert protected.shown(("b", "y")) is None  # and then the last cell of the square
    assert protected.shown(("all", "all")) == 32
    assert exposed(protected, relations) == set()


def test_zero_is_a_count_under_five_too():
    values, relations = grid({("a", "x"): 0, ("a", "y"): 20, ("b", "x"): 10, ("b", "y"): 10})
    protected = protect(values, relations)
    assert protected.shown(("a", "x")) is None
    assert all(v >= THRESHOLD for v in protected.displayed.values())


def test_a_table_with_every_count_at_five_or_more_is_shown_whole():
    values, relations = grid({("a", "x"): 5, ("a", "y"): 9, ("b", "x"): 8, ("b", "y"): 12})
    assert protect(values, relations).suppressed == frozenset()


def test_a_complement_under_five_suppresses_the_count_it_completes():
    # 18 of 20 improved tells that 2 did not: "not improved" is never shown but is protected.
    values = {"paired": 20, "improved": 18}
    complements = [Complement("paired", "improved")]
    protected = protect(values, [], complements=complements)
    assert protected.shown("improved") is None
    assert protected.shown("paired") == 20
    assert exposed(protected, [], complements) == set()


def test_a_complement_of_five_or_more_leaves_both_shown():
    values = {"paired": 20, "improved": 14}
    protected = protect(values, [], complements=[Complement("paired", "improved")])
    assert protected.displayed == {"paired": 20, "improved": 14}


def test_a_complement_is_protected_across_a_table_of_sites_too():
    # Pooled 30 of 32 improved is suppressed; the sites' own counts must not give it back.
    values = {
        ("all", "paired"): 32, ("a", "paired"): 16, ("b", "paired"): 16,
        ("all", "improved"): 30, ("a", "improved"): 15, ("b", "improved"): 15,
    }  # fmt: skip
    relations = [
        Relation(("all", kind), (("a", kind), ("b", kind))) for kind in ("paired", "improved")
    ]
    complements = [Complement((p, "paired"), (p, "improved")) for p in ("all", "a", "b")]
    protected = protect(values, relations, complements=complements)
    assert protected.shown(("all", "improved")) is None
    assert protected.shown(("a", "improved")) is None and protected.shown(("b", "improved")) is None
    assert exposed(protected, relations, complements) == set()


def test_totals_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError, match="not the sum"):
        protect({"t": 9, "a": 5, "b": 5}, [Relation("t", ("a", "b"))])


def test_a_site_whose_count_is_small_cannot_be_read_off_the_pooled_total():
    # Pooled 23 and site A's 20 shown would give site B's 3.
    values = {"all": 23, "A": 20, "B": 3}
    protected = protect(values, [Relation("all", ("A", "B"))])
    assert protected.shown("B") is None
    assert protected.shown("A") is None or protected.shown("all") is None


@st.composite
def three_way_tables(draw):
    """Sites × regimens: courses assessed and improved, with every margin."""
    sites = [f"s{i}" for i in range(draw(st.integers(1, 3)))]
    groups = [f"g{i}" for i in range(draw(st.integers(1, 3)))]
    count = st.integers(0, 14)
    values, relations, complements = {}, [], []
    for s, g in itertools.product(sites, groups):
        better, worse = draw(count), draw(count)
        values.update({(s, g, "better"): better, (s, g, "paired"): better + worse})
    for kind in ("better", "paired"):
        for s in sites:
            values[(s, "all", kind)] = sum(values[(s, g, kind)] for g in groups)
            relations.append(Relation((s, "all", kind), tuple((s, g, kind) for g in groups)))
        for g in [*groups, "all"]:
            values[("all", g, kind)] = sum(values[(s, g, kind)] for s in sites)
            relations.append(Relation(("all", g, kind), tuple((s, g, kind) for s in sites)))
    for s, g in itertools.product([*sites, "all"], [*groups, "all"]):
        complements.append(Complement((s, g, "paired"), (s, g, "better")))
    # The report shows sites' and regimens' margins; a site's count of one regimen stays
    # hidden, but could be worked out by subtraction.
    hidden = {k for k in values if k[0] != "all" and k[1] != "all"}
    return values, relations, hidden, complements


@settings(max_examples=300, deadline=None)
@given(three_way_tables())
def test_no_shown_count_is_under_five_and_no_suppressed_one_can_be_worked_out(table):
    values, relations, hidden, complements = table
    protected = protect(values, relations, hidden=hidden, complements=complements)
    assert all(v >= THRESHOLD for v in protected.displayed.values())
    assert exposed(protected, relations, complements) == set()
    # Suppression never hides more than it must: a table without small counts shows whole.
    rests = [values[c.whole] - values[c.part] for c in complements]
    if all(v >= THRESHOLD for v in [*values.values(), *rests]):
        assert protected.suppressed == frozenset()


def test_the_independent_check_finds_a_count_left_to_subtraction():
    # Primary suppression alone: 3 comes back as 12 − 9. The check must see it.
    values, relations = grid({("a", "x"): 3, ("a", "y"): 9, ("b", "x"): 8, ("b", "y"): 12})
    naive = Protected(values, frozenset({("a", "x")}), frozenset())
    assert exposed(naive, relations) == {("a", "x")}
    # And a complement: 18 of 20 shown gives the 2 that did not improve.
    shown = Protected({"paired": 20, "improved": 18}, frozenset(), frozenset())
    assert exposed(shown, [], [Complement("paired", "improved")]) == {
        ("rest", "paired", "improved")
    }
