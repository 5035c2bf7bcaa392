"""Paired-change summaries and agreement, as the nine-case paper computed them.

The Wilcoxon signed-rank test and Spearman's correlation come from scipy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, median

from scipy import stats

# scipy's own limit for its exact null distribution; above it, the normal approximation.
EXACT_MAX_PAIRS = 50
# With a single non-zero difference there is no test to speak of.
MIN_PAIRS_FOR_TEST = 2
MIN_PAIRS_FOR_CORRELATION = 3
# Readings carry one decimal; rounding the differences first makes equal changes
# tie exactly, whatever float noise the subtraction left.
DIFFERENCE_PLACES = 6


@dataclass(frozen=True)
class PairedSummary:
    """Before/after changes in one measure over a set of courses."""

    courses: int
    improved: int
    mean_change: float | None
    median_change: float | None
    wilcoxon_statistic: float | None
    wilcoxon_p: float | None
    wilcoxon_method: str | None  # 'exact' or 'approx'; None when no test was possible


@dataclass(frozen=True)
class Agreement:
    """How the family's perceived change matched the measured one, course by course."""

    courses: int
    both_improved: int
    neither_improved: int
    disagree: int
    spearman_rho: float | None
    spearman_p: float | None


def _wilcoxon(changes: Sequence[float]) -> tuple[float | None, float | None, str | None]:
    # Zero differences are dropped first (Wilcoxon's own convention, scipy's default),
    # so the choice between the exact and the approximate p-value sees the real n.
    nonzero = [c for c in changes if c != 0]
    if len(nonzero) < MIN_PAIRS_FOR_TEST:
        return None, None, None
    method = "exact" if len(nonzero) <= EXACT_MAX_PAIRS else "approx"
    # Ties get mid-ranks; the exact p-value is then the textbook one that the
    # paper's p = 0.033 reproduces (scipy's 'auto' would switch to the
    # normal approximation as soon as two changes are equal).
    result = stats.wilcoxon(nonzero, method="exact" if method == "exact" else "asymptotic")
    return float(result.statistic), float(result.pvalue), method


def summarise_changes(changes: Sequence[float], *, higher_is_better: bool = True) -> PairedSummary:
    """Number of courses, how many improved, mean and median change, Wilcoxon test."""
    rounded = [round(float(c), DIFFERENCE_PLACES) for c in changes]
    if not rounded:
        return PairedSummary(0, 0, None, None, None, None, None)
    improved = sum(1 for c in rounded if (c > 0 if higher_is_better else c < 0))
    statistic, p_value, method = _wilcoxon(rounded)
    return PairedSummary(
        courses=len(rounded),
        improved=improved,
        mean_change=round(fmean(rounded), DIFFERENCE_PLACES),
        median_change=round(median(rounded), DIFFERENCE_PLACES),
        wilcoxon_statistic=statistic,
        wilcoxon_p=p_value,
        wilcoxon_method=method,
    )


def _spearman(pairs: Sequence[tuple[float, float]]) -> tuple[float | None, float | None]:
    objective = [o for o, _ in pairs]
    subjective = [s for _, s in pairs]
    # A constant series has no ranks to correlate; scipy would warn and return nan.
    if (
        len(pairs) < MIN_PAIRS_FOR_CORRELATION
        or len(set(objective)) < 2
        or len(set(subjective)) < 2
    ):
        return None, None
    result = stats.spearmanr(objective, subjective)
    return float(result.statistic), float(result.pvalue)


def agreement(pairs: Sequence[tuple[float, float]], *, higher_is_better: bool = True) -> Agreement:
    """Counts and Spearman correlation of (objective change, subjective change) pairs."""
    both = neither = 0
    for objective, subjective in pairs:
        measured = objective > 0 if higher_is_better else objective < 0
        felt = subjective > 0
        if measured and felt:
            both += 1
        elif not measured and not felt:
            neither += 1
    rho, p_value = _spearman(pairs)
    return Agreement(
        courses=len(pairs),
        both_improved=both,
        neither_improved=neither,
        disagree=len(pairs) - both - neither,
        spearman_rho=rho,
        spearman_p=p_value,
    )
