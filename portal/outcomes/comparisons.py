"""Two groups of courses compared: Fisher's exact test, Mann–Whitney, van Elteren, Spearman.

Fisher's exact test, the Mann–Whitney U test and Spearman's rho come from scipy;
the van Elteren test (a Wilcoxon rank-sum test stratified by site) is written here
from its definition, with scipy's ranks and normal distribution, because scipy has
none. Each result carries the n it was computed from.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats

# Fewer values than this on either side: no rank test to speak of.
MIN_PER_GROUP = 2
MIN_PAIRS_FOR_CORRELATION = 3


@dataclass(frozen=True)
class FisherResult:
    """A 2×2 table (with / without, in group A and in group B) and its exact test."""

    a_with: int
    a_total: int
    b_with: int
    b_total: int
    p_value: float | None
    odds_ratio: float | None  # None when it is infinite or undefined


def fisher_exact(a_with: int, a_total: int, b_with: int, b_total: int) -> FisherResult:
    """Two-sided Fisher's exact test of a share in group A against group B."""
    if a_total <= 0 or b_total <= 0:
        return FisherResult(a_with, a_total, b_with, b_total, None, None)
    table = [[a_with, a_total - a_with], [b_with, b_total - b_with]]
    result = stats.fisher_exact(table, alternative="two-sided")
    ratio = float(result.statistic)
    return FisherResult(
        a_with,
        a_total,
        b_with,
        b_total,
        min(1.0, float(result.pvalue)),
        ratio if math.isfinite(ratio) else None,
    )


@dataclass(frozen=True)
class RankSumResult:
    """The Mann–Whitney comparison of two groups' changes."""

    a_n: int
    b_n: int
    u_statistic: float | None  # U of group A
    p_value: float | None
    method: str | None  # 'exact' or 'asymptotic'


def mann_whitney(a: Sequence[float], b: Sequence[float]) -> RankSumResult:
    """Two-sided Mann–Whitney U (Wilcoxon rank-sum) test of A against B."""
    if len(a) < MIN_PER_GROUP or len(b) < MIN_PER_GROUP:
        return RankSumResult(len(a), len(b), None, None, None)
    # Exact only without ties and for small groups (scipy's own rule); otherwise the
    # normal approximation with the tie correction and a continuity correction.
    tied = len(set(a) | set(b)) < len(a) + len(b)
    method = "exact" if not tied and max(len(a), len(b)) <= 8 else "asymptotic"
    result = stats.mannwhitneyu(a, b, alternative="two-sided", method=method)
    return RankSumResult(len(a), len(b), float(result.statistic), float(result.pvalue), method)


@dataclass(frozen=True)
class VanElterenResult:
    """The van Elteren test: Wilcoxon rank sums within each stratum, weighted 1/(n+1)."""

    a_n: int
    b_n: int
    strata: int  # strata holding both groups (the others carry no information)
    statistic: float | None  # the weighted sum of (rank sum − its expectation)
    z: float | None
    p_value: float | None


def _stratum(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """A stratum's weighted deviation of A's rank sum and its variance, both with 1/(N+1)."""
    n_a, n_b = len(a), len(b)
    total = n_a + n_b
    ranks = stats.rankdata([*a, *b])
    deviation = float(ranks[:n_a].sum()) - n_a * (total + 1) / 2
    ties = sum(t**3 - t for t in Counter([*a, *b]).values())
    variance = n_a * n_b / 12 * ((total + 1) - ties / (total * (total - 1)))
    weight = 1 / (total + 1)
    return weight * deviation, weight**2 * variance


def van_elteren(strata: Sequence[tuple[Sequence[float], Sequence[float]]]) -> VanElterenResult:
    """Two-sided van Elteren test of A against B, stratified (one stratum per site)."""
    a_n = sum(len(a) for a, _ in strata)
    b_n = sum(len(b) for _, b in strata)
    both = [(a, b) for a, b in strata if a and b]
    if a_n < MIN_PER_GROUP or b_n < MIN_PER_GROUP or not both:
        return VanElterenResult(a_n, b_n, len(both), None, None, None)
    parts = [_stratum(a, b) for a, b in both]
    statistic = sum(d for d, _ in parts)
    variance = sum(v for _, v in parts)
    if variance <= 0:  # every value tied within every stratum: nothing to rank
        return VanElterenResult(a_n, b_n, len(both), statistic, None, None)
    z = statistic / math.sqrt(variance)
    p_value = float(2 * stats.norm.sf(abs(z)))
    return VanElterenResult(a_n, b_n, len(both), statistic, z, min(1.0, p_value))


@dataclass(frozen=True)
class Correlation:
    n: int
    rho: float | None
    p_value: float | None


def spearman(pairs: Sequence[tuple[float, float]]) -> Correlation:
    """Spearman's rho of (x, y) pairs; none from fewer than three or a constant series."""
    xs = [x for x, _ in pairs]
    ys = [y for _, y in pairs]
    if len(pairs) < MIN_PAIRS_FOR_CORRELATION or len(set(xs)) < 2 or len(set(ys)) < 2:
        return Correlation(len(pairs), None, None)
    result = stats.spearmanr(xs, ys)
    return Correlation(len(pairs), float(result.statistic), float(result.pvalue))
