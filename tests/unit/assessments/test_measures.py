"""The derived mean myometry score and the range of each recorded measure."""

import pytest

from portal.assessments import measures
from portal.assessments.measures import mean_myometry


def test_mean_myometry_counts_knee_extension_once_as_the_mean_of_both_sides():
    values = {
        "myometry_neck_flexors": 10.0,
        "myometry_knee_extension_right": 30.0,
        "myometry_knee_extension_left": 50.0,
        "myometry_shoulder_abduction": 20.0,
        "myometry_hip_flexion": 20.0,
        "myometry_hip_abduction": 20.0,
    }
    # groups: neck 10, knee 40, shoulder 20, hip flexion 20, hip abduction 20 → 110 / 5
    assert mean_myometry(values) == 22.0


def test_mean_myometry_averages_only_the_groups_present():
    assert mean_myometry({"myometry_neck_flexors": 12.0, "myometry_hip_flexion": 18.0}) == 15.0


def test_one_knee_side_alone_stands_for_knee_extension():
    values = {"myometry_knee_extension_left": 40.0, "myometry_neck_flexors": 20.0}
    assert mean_myometry(values) == 30.0


def test_no_myometry_gives_no_mean():
    assert mean_myometry({"ck": 300.0}) is None
    assert mean_myometry({}) is None


def test_every_group_at_a_paper_value_gives_exactly_that_value_back():
    for value in (39.4, 17.9, 34.8, 7.0, 111.4):
        assert mean_myometry({m.name: value for m in measures.MYOMETRY}) == value


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("cmas", 53, "CMAS must be between 0 and 52."),
        ("mmt8", 40.5, "MMT8 must be a whole number."),
        ("chaq", 3.5, "CHAQ disability index must be between 0 and 3."),
        ("walk_28ft_seconds", 0, "Walking time for 28 ft must be between 0.5 and 600 s."),
        ("ck", -1, "CK must be between 0 and 200,000 U/L."),
    ],
)
def test_out_of_range_values_are_refused_with_the_measure_named(name, value, expected):
    assert measures.BY_NAME[name].problem(value) == expected


def test_in_range_values_are_accepted():
    assert measures.BY_NAME["cmas"].problem(52) is None
    assert measures.BY_NAME["physician_global"].problem(0) is None


def test_walking_time_improves_when_shorter_and_cmas_when_higher():
    assert measures.BY_NAME["walk_28ft_seconds"].improved(-1.5)
    assert not measures.BY_NAME["walk_28ft_seconds"].improved(1.5)
    assert measures.BY_NAME["cmas"].improved(3)
