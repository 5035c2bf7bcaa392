"""Two-group tests, each checked against a hand calculation rather than against scipy itself."""

from __future__ import annotations

import math
from itertools import product

import pytest

from portal.outcomes.comparisons import fisher_exact, mann_whitney, spearman, van_elteren


def hypergeometric(a_with: int, a_total: int, b_with: int, b_total: int) -> float:
    """Two-sided Fisher p: every table with these margins no likelier than the one seen."""
    with_total, n = a_with + b_with, a_total + b_total

    def chance(k: int) -> float:
        return math.comb(a_total, k) * math.comb(b_total, with_total - k) / math.comb(n, with_total)

    seen = chance(a_with)
    low, high = max(0, with_total - b_total), min(a_total, with_total)
    return sum(chance(k) for k in range(low, high + 1) if chance(k) <= seen * (1 + 1e-7))


@pytest.mark.parametrize("table", [(12, 17, 0, 16), (4, 17, 0, 16), (2, 17, 0, 16), (3, 9, 5, 8)])
def test_fishers_exact_test_matches_the_hypergeometric_sum(table):
    result = fisher_exact(*table)
    assert result.p_value == pytest.approx(hypergeometric(*table), rel=1e-9)
    assert (result.a_with, result.a_total, result.b_with, result.b_total) == table


def test_fisher_without_courses_on_one_side_has_no_p_value():
    assert fisher_exact(0, 0, 3, 8).p_value is None


def test_mann_whitney_u_counts_the_pairs_where_a_is_larger():
    a, b = [1.5, 3.0, 3.0, 7.0, 9.5], [0.5, 3.0, 4.0, 4.5, -2.0, 6.0]
    result = mann_whitney(a, b)
    u = sum(1.0 if x > y else 0.5 if x == y else 0.0 for x, y in product(a, b))
    assert result.u_statistic == u
    # Ties: the normal approximation with the tie correction and a continuity correction.
    n1, n2 = len(a), len(b)
    n = n1 + n2
    ties = sum(t**3 - t for t in (3,))  # three values of 3.0
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
    z = (abs(u - n1 * n2 / 2) - 0.5) / sigma
    assert result.method == "asymptotic"
    assert result.p_value == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-9)
    assert (result.a_n, result.b_n) == (5, 6)


def test_mann_whitney_is_exact_for_small_groups_without_ties():
    result = mann_whitney([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
    assert result.method == "exact"
    assert result.u_statistic == 0
    assert result.p_value == pytest.approx(2 / math.comb(6, 3))  # the two extreme orderings


def test_mann_whitney_needs_two_values_a_side():
    result = mann_whitney([1.0], [2.0, 3.0])
    assert result.p_value is None and (result.a_n, result.b_n) == (1, 2)


def test_van_elteren_weights_each_strata_rank_sum_by_one_over_n_plus_one():
    # Stratum 1: A ranks 1 and 3 of 5 (W = 4, expected 6, variance 3), weight 1/6.
    # Stratum 2: A ranks 2, 3, 4 of 4 (W = 9, expected 7.5, variance 1.25), weight 1/5.
    result = van_elteren([([1.0, 3.0], [2.0, 4.0, 5.0]), ([10.0, 20.0, 30.0], [5.0])])
    statistic = -2 / 6 + 1.5 / 5
    variance = 3 / 36 + 1.25 / 25
    assert result.statistic == pytest.approx(statistic)
    assert result.z == pytest.approx(statistic / math.sqrt(variance))
    assert result.p_value == pytest.approx(math.erfc(abs(result.z) / math.sqrt(2)))
    assert (result.a_n, result.b_n, result.strata) == (5, 4, 2)


def test_van_elteren_of_one_stratum_is_the_rank_sum_test_without_continuity_correction():
    a, b = [2.0, 4.0, 4.0, 9.0, 1.0], [3.0, 5.0, 6.0, 8.0, 7.0, 4.0]
    n1, n2, n = 5, 6, 11
    u = sum(1.0 if x > y else 0.5 if x == y else 0.0 for x, y in product(a, b))
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - (3**3 - 3) / (n * (n - 1))))
    expected = math.erfc(abs(u - n1 * n2 / 2) / sigma / math.sqrt(2))
    assert van_elteren([(a, b)]).p_value == pytest.approx(expected)


def test_van_elteren_compares_within_sites_so_a_difference_between_sites_is_not_a_finding():
    # Site 1 measures low and gives mostly A; site 2 measures high and gives mostly B.
    # Within each site A and B interleave: pooled, A looks worse; stratified, it does not.
    site_1 = ([float(v) for v in range(1, 11)], [3.5, 7.5])
    site_2 = ([13.5, 17.5], [float(v) for v in range(11, 21)])
    pooled = mann_whitney([*site_1[0], *site_2[0]], [*site_1[1], *site_2[1]])
    stratified = van_elteren([site_1, site_2])
    assert pooled.p_value < 0.05
    assert stratified.p_value > 0.5
    assert stratified.strata == 2


def test_a_site_with_only_one_regimen_adds_its_n_but_no_ranks():
    result = van_elteren([([1.0, 2.0], [3.0, 4.0]), ([5.0, 6.0, 7.0], [])])
    assert (result.a_n, result.b_n, result.strata) == (5, 2, 1)
    assert result.p_value == pytest.approx(van_elteren([([1.0, 2.0], [3.0, 4.0])]).p_value)


def test_spearman_needs_three_points_and_two_values_each_way():
    assert spearman([(1, 2), (2, 3)]).rho is None
    assert spearman([(1, 2), (1, 3), (1, 4)]).rho is None
    assert spearman([(1, 2), (2, 4), (3, 9)]).rho == pytest.approx(1.0)
