"""Regimens compared, through the page and its JSON: the nine-case paper's side-effect finding."""

from __future__ import annotations

import math
from itertools import product

import pytest

from portal.auth.models import Role
from tests import factories as make
from tests.nine_cases import add_side_effect_diaries, import_nine_cases

PAGE = "/clinic/reports/regimens"
JSON = "/clinic/reports/regimens.json"
# Table 2's changes (after − before), the 3-day courses first: the first course of every
# child and the second of JDM02, JDM04, JDM05 and JDM06; then the later, 5-day ones.
THREE_DAY = [9.9, 0.3, 3.2, 11.8, 1.8, 3.0, 1.4, -0.7, 1.2, 0.5, 12.9, 11.5, -5.3]
FIVE_DAY = [7.4, -4.5, 12.0, 0.7, 0.6, -17.3, 6.6]


def fisher_p(a_with: int, a_total: int, b_with: int, b_total: int) -> float:
    """Two-sided Fisher p, summed over the hypergeometric tables no likelier than this one."""
    with_total, n = a_with + b_with, a_total + b_total

    def chance(k: int) -> float:
        return math.comb(a_total, k) * math.comb(b_total, with_total - k) / math.comb(n, with_total)

    seen = chance(a_with)
    low, high = max(0, with_total - b_total), min(a_total, with_total)
    return sum(chance(k) for k in range(low, high + 1) if chance(k) <= seen * (1 + 1e-7))


@pytest.fixture
def nine_cases(client, login_as):
    login_as(Role.CLINICIAN, clinic=make.clinic("Nine Cases Clinic"))
    import_nine_cases(client)
    assert add_side_effect_diaries() == 66
    return client


def test_nine_case_side_effects_follow_the_3_day_course_and_never_the_5_day_one(nine_cases):
    data = nine_cases.get(JSON).json
    assert data["dimension"] == "regimen"
    groups = {g["label"]: g for g in data["groups"]}
    three, five = groups["2 g/kg over 3 days"], groups["2 g/kg over 5 days"]
    assert (three["courses"], five["courses"]) == (17, 16)
    effects = three["side_effects"]
    assert effects["courses_with_diary"] == 17
    # "Many children complained of a mild headache ... severe in four of the nine ...
    # Two suffered diarrhoea ..., one severe nausea, and one fever."
    assert effects["headache"]["courses"] == 13
    assert effects["severe_headache"]["courses"] == 4
    assert effects["diarrhoea"]["courses"] == 2
    assert effects["severe_nausea"]["courses"] == 1
    assert effects["fever"]["courses"] == 1
    # "... over five days instead of three none of these side effects occurred."
    assert five["side_effects"]["courses_with_diary"] == 16
    assert five["side_effects"]["any_symptom"]["courses"] == 0

    comparison = data["comparison"]
    assert (comparison["a"], comparison["b"]) == ("2g3d", "2g5d")
    rows = {row["outcome"]: row for row in comparison["side_effects"]}
    for outcome, (a_with, b_with) in {
        "headache": (13, 0),
        "severe_headache": (4, 0),
        "diarrhoea": (2, 0),
        "severe_nausea": (1, 0),
        "fever": (1, 0),
        "any_symptom": (14, 0),
    }.items():
        row = rows[outcome]
        assert (row["a_with"], row["a_courses"], row["b_with"], row["b_courses"]) == (
            a_with, 17, b_with, 16,
        )  # fmt: skip
        assert row["fisher_p"] == pytest.approx(fisher_p(a_with, 17, b_with, 16), abs=1e-6)
    # Headache alone is beyond chance; the rarer effects, one child or two each, are not.
    assert rows["headache"]["fisher_p"] < 0.001
    assert rows["severe_headache"]["fisher_p"] == pytest.approx(0.1026, abs=1e-4)


def test_the_changes_of_the_two_regimens_are_compared_by_mann_whitney_with_their_n(nine_cases):
    change = nine_cases.get(JSON).json["comparison"]["change"]
    assert (change["a_n"], change["b_n"]) == (13, 7)
    u = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in product(THREE_DAY, FIVE_DAY))
    assert change["u_statistic"] == u
    # Normal approximation with a continuity correction (no ties between the groups here).
    n1, n2 = len(THREE_DAY), len(FIVE_DAY)
    sigma = math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12)
    z = (abs(u - n1 * n2 / 2) - 0.5) / sigma
    assert change["p"] == pytest.approx(math.erfc(z / math.sqrt(2)), abs=1e-6)
    assert change["method"] == "asymptotic"


def test_the_page_shows_both_regimens_with_each_tests_n(nine_cases):
    page = nine_cases.get(PAGE).get_data(as_text=True)
    assert "2 g/kg over 3 days" in page and "2 g/kg over 5 days" in page
    assert "13 of 17 (76%)" in page and "0 of 16 (0%)" in page
    assert "n = 13 and 7" in page
    assert "not adjusted for the number of side effects tested" in page


def test_courses_group_by_days_dose_per_day_and_weeks_since_the_previous_course(nine_cases):
    by_days = nine_cases.get(f"{JSON}?by=days").json
    assert [g["label"] for g in by_days["groups"]] == ["Over 3 days", "Over 5 days"]
    daily = nine_cases.get(f"{JSON}?by=daily_dose").json
    assert [g["label"] for g in daily["groups"]] == ["400 mg/kg/day", "666.7 mg/kg/day"]
    interval = nine_cases.get(f"{JSON}?by=interval").json
    labels = [g["label"] for g in interval["groups"]]
    assert labels[0] == "First course"
    assert sum(g["courses"] for g in interval["groups"]) == 33


def test_a_choice_that_is_not_a_group_is_refused_at_its_field_and_the_default_shown(nine_cases):
    page = nine_cases.get(f"{PAGE}?by=regimen&a=2g3d&b=nonsense").get_data(as_text=True)
    assert '<p class="error-message" id="b-error">Choose a group from the list.</p>' in page
    assert "Fisher" in page  # the two largest groups are compared instead
    same = nine_cases.get(f"{PAGE}?by=regimen&a=2g3d&b=2g3d").get_data(as_text=True)
    assert "Choose two different groups." in same
    odd = nine_cases.get(f"{PAGE}?by=%00").get_data(as_text=True)
    assert "Choose a group from the list." in odd and "Total dose and days" in odd


def test_the_csv_carries_the_groups_and_the_comparison(nine_cases):
    response = nine_cases.get("/clinic/reports/regimens.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert "2 g/kg over 3 days,17,13," in text
    assert "Side effects compared: 2g3d against 2g5d" in text
    assert "headache,Headache,13,17,0,16," in text


def test_only_clinicians_read_their_own_clinics_regimens(client, login, login_as):
    mine, theirs = make.clinic(), make.clinic()
    make.course(make.patient(mine), days=3)
    make.course(make.patient(theirs), days=5)
    login_as(Role.CLINICIAN, clinic=mine)
    assert [g["label"] for g in client.get(JSON).json["groups"]] == ["2 g/kg over 3 days"]
    client.post_form("/logout")
    login(make.user(Role.ADMIN))
    assert client.get(PAGE).status_code == 404
    client.post_form("/logout")
    login(make.user(Role.GUARDIAN, patients=[make.patient(mine)]))
    assert client.get(JSON).status_code == 404
