"""The cohort report's charts: the page, its chart JSON, and who may read them."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.models import Role
from portal.core.clock import today
from tests import factories as make
from tests.nine_cases import import_nine_cases

PAGE = "/clinic/reports/course-response"
CHARTS = "/clinic/reports/course-response/charts.json"
CHART_SCRIPT = "/static/gen/charts."


def paired_course(clinic, before: float, after: float, ref: str | None = None):
    patient = make.patient(clinic, **({"patient_ref": ref} if ref else {}))
    course = make.course(patient, today() - timedelta(days=30))
    make.assessment(patient, course.start_date - timedelta(days=1), myometry=before)
    make.assessment(patient, course.end_date + timedelta(days=7), myometry=after)
    return patient


def test_nine_case_table_2_is_drawn_as_a_slope_chart_with_its_figures(client, login_as):
    login_as(Role.CLINICIAN, clinic=make.clinic("Nine Cases Clinic"))
    import_nine_cases(client)

    spec = client.get(CHARTS).json["charts"]["paired_courses"]
    assert len(spec["pairs"]) == 20
    assert sum(1 for p in spec["pairs"] if p["improved"]) == 16
    assert spec["pairs"][0] == {
        "label": "JDM01, 21 Jan 2022", "before": 39.4, "after": 49.3, "improved": True,
    }  # fmt: skip
    # The same courses as the report's own JSON: one computation behind both.
    report = client.get("/clinic/reports/course-response.json").json
    objective = {(c["patient_ref"], c["before"], c["after"]) for c in report["courses"]
                 if c["basis"] == "objective"}  # fmt: skip
    drawn = {(p["label"].split(",")[0], p["before"], p["after"]) for p in spec["pairs"]}
    assert drawn == objective


def test_cohort_page_holds_both_charts_with_summaries_and_tables(client, login_as):
    login_as(Role.CLINICIAN, clinic=make.clinic("Nine Cases Clinic"))
    import_nine_cases(client)
    page = client.get(PAGE).get_data(as_text=True)
    assert CHART_SCRIPT in page
    assert f'data-chart-src="{CHARTS}" data-chart-key="paired_courses"' in page
    assert f'data-chart-src="{CHARTS}" data-chart-key="side_effects"' in page
    assert "<li>20 courses in 9 patients were assessed before and after: 16 improved.</li>" in page
    assert "<li>Mean change +2.85, median change +1.60.</li>" in page
    assert "p = 0.033 (two-sided, exact)" in page
    slope_table = page.split('data-chart-table="paired-courses-chart"')[1].split("</table>")[0]
    assert slope_table.count('<tr><th scope="row">') == 20
    assert '<th scope="row">JDM01, 21 Jan 2022</th><td>39.4</td><td>49.3</td>' in slope_table
    assert "<script>" not in page


def test_side_effect_bars_come_from_the_diary_after_each_regimen(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    three_day = make.course(patient, today() - timedelta(days=60), days=3)
    five_day = make.course(patient, today() - timedelta(days=20), days=5)
    make.diary_row(patient, three_day.start_date + timedelta(days=1), headache=3)
    make.diary_row(patient, five_day.start_date + timedelta(days=2), tiredness=1)
    spec = client.get(CHARTS).json["charts"]["side_effects"]
    series = {s["label"]: s["values"] for s in spec["series"]}
    assert series == {
        "2 g/kg over 3 days": [100, 0, 0, 0, 0, 0, 0, 100],
        "2 g/kg over 5 days": [0, 0, 0, 0, 100, 0, 0, 0],
    }
    page = client.get(PAGE).get_data(as_text=True)
    assert "<td>100% (1 of 1); severe 100%</td>" in page


def test_clinicians_see_only_their_clinic_and_admins_read_aggregates_only(client, login, login_as):
    north, south = make.clinic("North"), make.clinic("South")
    paired_course(north, 30.0, 34.0, ref="NORTH-1")
    for n in range(6):
        paired_course(south, 50.0 + n, 45.0 + 2 * n, ref=f"SOUTH-{n}")
    login(make.user(Role.CLINICIAN, clinic=north))
    labels = [p["label"] for p in client.get(CHARTS).json["charts"]["paired_courses"]["pairs"]]
    assert [label.split(",")[0] for label in labels] == ["NORTH-1"]
    client.post_form("/logout")

    login_as(Role.ADMIN)
    # Administrators never get a course's own values: the mean of all courses, if 5 or more.
    charts = client.get(f"{CHARTS}?clinic={south.id}").json["charts"]
    assert charts["paired_courses"]["pairs"] == []
    assert charts["paired_courses"]["mean"] == {
        "label": "Mean of all courses", "before": 52.5, "after": 50.0,
    }  # fmt: skip
    north_only = client.get(f"{CHARTS}?clinic={north.id}").json["charts"]["paired_courses"]
    assert north_only == {**north_only, "pairs": [], "mean": None}  # one course: nothing drawn
    page = client.get(f"{PAGE}?clinic={north.id}").get_data(as_text=True)
    assert "NORTH-1" not in page and "34" not in page.split("<main")[1].split("Side effects")[0]
    page = client.get(f"{PAGE}?clinic={south.id}").get_data(as_text=True)
    assert "SOUTH-" not in page
    assert f'data-chart-src="{CHARTS}?clinic={south.id}"' in page


def test_families_never_reach_the_cohort_charts(client, login):
    patient = paired_course(make.clinic(), 30.0, 34.0)
    for role in (Role.GUARDIAN, Role.CHILD):
        login(make.user(role, patients=[patient]))
        assert client.get(CHARTS).status_code == 404
        assert client.get(PAGE).status_code == 404
        client.post_form("/logout")
