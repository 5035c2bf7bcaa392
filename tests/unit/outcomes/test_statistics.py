"""Paired summaries (Wilcoxon signed-rank via scipy) and subjective/objective agreement."""

import pytest

from portal.outcomes.statistics import agreement, summarise_changes

# Table 2 of the nine-case paper: (before, after) mean myometry of the 20 paired courses.
TABLE_2 = [
    (39.4, 49.3), (54.8, 55.1), (38.4, 41.6), (37.4, 44.8), (29.3, 24.8), (24.8, 36.8),
    (55.4, 67.2), (34.7, 36.5), (14.2, 17.2), (17.2, 17.9), (18.8, 19.4), (42.7, 44.1),
    (35.5, 34.8), (55.9, 38.6), (48.5, 55.1), (7.2, 8.4), (7.0, 7.5), (62.1, 75.0),
    (99.9, 111.4), (73.1, 67.8),
]  # fmt: skip


def test_table_2_changes_reproduce_the_papers_analysis():
    summary = summarise_changes([after - before for before, after in TABLE_2])
    assert summary.courses == 20
    assert summary.improved == 16
    assert summary.mean_change == pytest.approx(2.85)
    assert summary.median_change == pytest.approx(1.6)
    assert summary.wilcoxon_p == pytest.approx(0.0328, abs=5e-5)
    assert summary.wilcoxon_method == "exact"


def test_equal_changes_tie_whatever_float_noise_the_subtraction_leaves():
    # +0.7 (17.2 → 17.9) and −0.7 (35.5 → 34.8) are equal in size: they share ranks
    # 4 and 5, so the smaller rank sum is 47.5, not the 48 that float noise would give.
    raw = [after - before for before, after in TABLE_2]
    assert abs(raw[9]) != abs(raw[12])  # the noise is really there
    assert summarise_changes(raw).wilcoxon_statistic == 47.5


def test_a_single_paired_course_gives_a_summary_without_a_p_value():
    summary = summarise_changes([3.2])
    assert (summary.courses, summary.improved, summary.mean_change) == (1, 1, 3.2)
    assert summary.wilcoxon_p is None and summary.wilcoxon_statistic is None


def test_no_paired_course_gives_an_empty_summary():
    summary = summarise_changes([])
    assert summary.courses == 0 and summary.mean_change is None and summary.wilcoxon_p is None


def test_zero_changes_count_as_not_improved_and_are_left_out_of_the_test():
    summary = summarise_changes([0.0, 0.0, 1.0, 2.0, 3.0])
    assert summary.improved == 3
    assert summary.wilcoxon_statistic == 0.0
    assert summary.wilcoxon_p == pytest.approx(0.25)  # exact, n = 3 non-zero, all positive


def test_for_walking_time_a_shorter_time_is_the_improvement():
    summary = summarise_changes([-1.0, -2.0, 0.5], higher_is_better=False)
    assert summary.improved == 2


def test_more_than_fifty_pairs_use_the_normal_approximation():
    changes = [((i % 7) - 2) + i / 100 for i in range(60)]
    assert summarise_changes(changes).wilcoxon_method == "approx"


def test_agreement_counts_and_spearman_correlation():
    pairs = [(3.0, 1.0), (1.0, 0.5), (-2.0, -1.0), (0.5, -0.5), (5.0, 2.0)]
    result = agreement(pairs)
    assert (result.courses, result.both_improved, result.neither_improved, result.disagree) == (
        5, 3, 1, 1,
    )  # fmt: skip
    assert result.spearman_rho == pytest.approx(1.0)


def test_agreement_without_variation_gives_no_correlation_rather_than_a_warning():
    result = agreement([(1.0, 1.0), (2.0, 1.0), (3.0, 1.0)])
    assert result.courses == 3 and result.spearman_rho is None


def test_agreement_needs_three_courses_for_a_correlation():
    assert agreement([(1.0, 1.0), (2.0, 2.0)]).spearman_rho is None
