"""Interval and response: the nine-case courses drawn against weeks since the previous course."""

from __future__ import annotations

import pytest
from scipy import stats

from portal.auth.models import Role
from tests import factories as make
from tests.nine_cases import import_nine_cases

JSON = "/clinic/reports/interval.json"
CHARTS = "/clinic/reports/interval/charts.json"


@pytest.fixture
def nine_cases(client, login_as):
    login_as(Role.CLINICIAN, clinic=make.clinic("Nine Cases Clinic"))
    import_nine_cases(client)
    return client


def test_each_assessed_course_after_another_is_a_point_with_spearmans_rho(nine_cases):
    data = nine_cases.get(JSON).json
    # 20 assessed courses, of which 9 are a child's first: 11 points.
    assert (data["courses"], data["assessed_first_courses"]) == (33, 9)
    points = data["points"]
    assert len(points) == 11
    jdm02 = [(p["start_date"], p["interval_days"], p["change"]) for p in points
             if p["patient_ref"] == "JDM02"]  # fmt: skip
    assert sorted(jdm02) == [
        ("2022-03-15", 42, pytest.approx(3.2)),
        ("2022-05-03", 49, pytest.approx(7.4)),
        ("2022-06-14", 42, pytest.approx(-4.5)),
        ("2022-08-02", 49, pytest.approx(12.0)),
    ]
    expected = stats.spearmanr(
        [p["interval_days"] / 7 for p in points], [p["change"] for p in points]
    )
    assert data["spearman"]["n"] == 11
    assert data["spearman"]["rho"] == pytest.approx(expected.statistic, abs=1e-4)
    assert data["spearman"]["p"] == pytest.approx(expected.pvalue, abs=1e-6)


def test_the_scatter_chart_and_its_table_say_the_same(nine_cases):
    spec = nine_cases.get(CHARTS).json["charts"]["interval"]
    assert spec["kind"] == "scatter"
    drawn = [p for series in spec["series"] for p in series["points"]]
    assert len(drawn) == 11
    assert {round(p[0], 1) for p in drawn} == {6.0, 7.0}
    page = nine_cases.get("/clinic/reports/interval").get_data(as_text=True)
    assert 'data-chart-table="interval-chart"' in page
    assert page.count("JDM02, ") >= 4  # the table names each course drawn
    assert "Spearman" in page and "n = 11" in page
    assert "First course" in page  # the bands table


def test_the_csv_lists_the_points(nine_cases):
    text = nine_cases.get("/clinic/reports/interval.csv").get_data(as_text=True)
    assert "JDM02,2022-03-15,42,6.0,3.2,True" in text
