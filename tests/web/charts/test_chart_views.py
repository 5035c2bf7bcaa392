"""Chart pages and their JSON: who may see them, what they hold without JavaScript, size."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from tests import factories as make

CHART_SCRIPT = "/static/gen/charts."


def two_years_of_entries(patient) -> None:
    db.session.add_all(
        DiaryEntry(
            patient_id=patient.id,
            client_id=f"2y-{patient.id}-{n}",
            entry_date=today() - timedelta(days=n),
            author_role="guardian",
            strength=n % 5 - 2,
            mood=n % 5 + 1,
            rash=n % 4,
            headache=n % 4,
            nausea=(n // 2) % 4,
            tiredness=n % 3,
            temperature_c=36.5 + (n % 20) / 10,
        )
        for n in range(731)
    )
    db.session.commit()
    for n in range(12):
        make.course(patient, today() - timedelta(days=60 * n + 5))


def test_parent_chart_page_holds_summary_and_table_and_loads_chart_code(client, login_as):
    patient = make.patient()
    login_as(Role.GUARDIAN, patients=[patient])
    make.course(patient, today() - timedelta(days=20))
    make.diary_row(patient, today() - timedelta(days=13), strength=1, mood=4, headache=2)
    make.diary_row(patient, today() - timedelta(days=70), strength=-2)  # before the 8 weeks

    page = client.get(f"/family/{patient.id}/chart").get_data(as_text=True)
    assert CHART_SCRIPT in page
    assert f'data-chart-src="/api/patients/{patient.id}/charts/diary?start=' in page
    assert "1 day with a diary entry." in page
    assert "<td>Headache: moderate</td>" in page
    assert page.count('<tr><th scope="row">') == 1
    assert "<script>" not in page  # nothing inline: the CSP allows none


def test_parent_chart_json_matches_the_page_and_its_range(client, login_as):
    patient = make.patient()
    login_as(Role.GUARDIAN, patients=[patient])
    make.diary_row(patient, today() - timedelta(days=3), strength=2)
    start = (today() - timedelta(days=6)).isoformat()
    answer = client.get(f"/api/patients/{patient.id}/charts/diary?start={start}").json
    spec = answer["charts"]["diary"]
    assert spec["from"] == start and spec["to"] == today().isoformat()
    strength = next(s for s in spec["series"] if s["id"] == "strength")
    assert strength["points"] == [[(today() - timedelta(days=3)).isoformat(), 2]]


def test_chosen_range_is_checked_and_named_on_error(client, login_as):
    patient = make.patient()
    login_as(Role.GUARDIAN, patients=[patient])
    backwards = client.get(f"/family/{patient.id}/chart?start=2025-05-01&end=2025-04-01")
    assert "The start must be before the end." in backwards.get_data(as_text=True)
    too_long = client.get(f"/family/{patient.id}/chart?start=2020-01-01&end=2025-01-01")
    assert "Choose at most two years." in too_long.get_data(as_text=True)


def test_child_sees_their_own_progress_page_in_words(client, login_as):
    patient = make.patient(name="Kit Kid")
    login_as(Role.CHILD, patients=[patient])
    make.diary_row(patient, today(), mood=5, strength=1)
    page = client.get(f"/family/{patient.id}/progress").get_data(as_text=True)
    assert "How are you doing, Kit?" in page
    assert 'alt="Today: very happy face"' in page
    assert CHART_SCRIPT in page
    assert client.get(f"/api/patients/{patient.id}/charts/progress").json["charts"]["weeks"]


def two_years_of_clinic_measures(patient) -> None:
    """25 assessments (a before and an after for each of the 11 given courses, 3 more) and a
    prednisolone taper, beside the diary of two_years_of_entries."""
    given = sorted((c for c in patient.courses if c.status == "given"), key=lambda c: c.start_date)
    days = [today() - timedelta(days=725 - n) for n in range(3)]
    for course in given[:11]:
        days += [course.start_date - timedelta(days=1), course.end_date + timedelta(days=9)]
    for n, day in enumerate(days):
        make.assessment(patient, day, myometry=30.0 + n / 2, ck=1500.0 - 50 * n if n % 2 else None)
    for n in range(10):
        make.prednisolone(patient, today() - timedelta(days=720 - 70 * n), 30.0 - 2.5 * n)


def test_clinician_chart_page_and_json_for_two_years_are_small(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic)
    two_years_of_entries(patient)
    two_years_of_clinic_measures(patient)
    start = (today() - timedelta(days=730)).isoformat()

    page = client.get(f"/clinic/patients/{patient.id}/chart?start={start}")
    assert page.status_code == 200
    assert CHART_SCRIPT in page.get_data(as_text=True)
    clinic_json = client.get(f"/api/patients/{patient.id}/charts/clinic?start={start}")
    charts = clinic_json.json["charts"]
    assert set(charts) == {"timeline", "myometry_slope", "home_slope"}
    points = {s["id"]: len(s["points"]) for s in charts["timeline"]["series"]}
    assert points["mean_myometry"] == 25 and points["ck"] == 12
    assert points["prednisolone"] == 11  # ten doses and the last carried to the end
    assert points["home_strength"] == 731
    assert len(charts["myometry_slope"]["pairs"]) == 11
    assert len(clinic_json.data) < 150_000


def test_clinician_chart_shows_measures_courses_and_pairs_without_javascript(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    patient = make.patient(clinician.clinic, weight_kg=20.0)
    first = make.course(patient, today() - timedelta(days=80), days=3)
    make.course(patient, today() - timedelta(days=30), indication="relapse")
    make.assessment(patient, first.start_date - timedelta(days=1), myometry=30.0, ck=1800.0)
    make.assessment(patient, first.end_date + timedelta(days=8), myometry=34.5)
    make.prednisolone(patient, today() - timedelta(days=100), 20.0)

    page = client.get(f"/clinic/patients/{patient.id}/chart").get_data(as_text=True)
    measures = page.split('id="timeline-chart-summary"')[1].split("</figure>")[0]
    before = first.start_date - timedelta(days=1)
    row = f'<th scope="row">{before.day} {before:%b %Y}</th><td>30</td><td>–</td><td>1800</td>'
    assert f"<tr>{row}</tr>" in measures
    assert "Given for a relapse: course 2" in measures
    assert "<td>Relapse</td>" in measures
    slope = page.split('data-chart-table="myometry-slope"')[1].split("</table>")[0]
    assert '<tr><th scope="row">Course 1</th><td>30</td><td>34.5</td><td>Better</td></tr>' in slope
    assert "1 of 1 assessed courses improved." in page


def test_parent_chart_json_for_two_years_is_under_150_kb(client, login_as):
    patient = make.patient()
    login_as(Role.GUARDIAN, patients=[patient])
    two_years_of_entries(patient)
    start = (today() - timedelta(days=730)).isoformat()
    answer = client.get(f"/api/patients/{patient.id}/charts/diary?start={start}")
    points = next(s for s in answer.json["charts"]["diary"]["series"] if s["id"] == "strength")
    assert len(points["points"]) == 731
    assert len(answer.data) < 150_000


@pytest.mark.parametrize(
    "path",
    [
        "/clinic/dashboard",
        "/clinic/patients/{id}/review",
        "/clinic/patients/{id}/chart",
        "/api/patients/{id}/charts/clinic",
    ],
)
def test_family_never_reaches_clinic_pages(client, login, path):
    patient = make.patient()
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    child = make.user(Role.CHILD, patients=[patient])
    for user in (guardian, child):
        login(user)
        assert client.get(path.format(id=patient.id)).status_code == 404
        client.post_form("/logout")


def test_a_childs_login_sees_its_progress_but_not_the_chart_of_guardian_reports(client, login_as):
    patient = make.patient()
    login_as(Role.CHILD, patients=[patient])
    assert client.get(f"/family/{patient.id}/progress").status_code == 200
    assert client.get(f"/api/patients/{patient.id}/charts/progress").status_code == 200
    # As in the API, a child's login reads back no guardian's diary entries.
    assert client.get(f"/family/{patient.id}/chart").status_code == 404
    assert client.get(f"/api/patients/{patient.id}/charts/diary").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/family/{id}/chart",
        "/family/{id}/progress",
        "/api/patients/{id}/charts/diary",
        "/api/patients/{id}/charts/progress",
    ],
)
def test_guardian_never_reaches_another_childs_charts(client, login_as, path):
    mine, theirs = make.patient(), make.patient()
    make.diary_row(theirs, strength=2)
    login_as(Role.GUARDIAN, patients=[mine])
    assert client.get(path.format(id=mine.id)).status_code == 200
    response = client.get(path.format(id=theirs.id))
    assert response.status_code == 404
    assert "strength" not in response.get_data(as_text=True).lower()


def test_clinician_of_another_clinic_gets_404_for_chart_and_data(client, login_as):
    login_as(Role.CLINICIAN)
    patient = make.patient(make.clinic())
    assert client.get(f"/clinic/patients/{patient.id}/chart").status_code == 404
    assert client.get(f"/api/patients/{patient.id}/charts/clinic").status_code == 404
    assert client.get(f"/api/patients/{patient.id}/charts/diary").status_code == 404


def test_pages_without_charts_load_no_chart_code(client, login, login_as):
    assert CHART_SCRIPT not in client.get("/login").get_data(as_text=True)
    patient = make.patient()
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    login(guardian)
    for path in (f"/family/{patient.id}", f"/family/{patient.id}/calendar",
                 f"/family/{patient.id}/messages", "/account/password"):  # fmt: skip
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert CHART_SCRIPT not in page and "chart.umd" not in page, path
    client.post_form("/logout")
    clinician = make.user(Role.CLINICIAN, clinic=patient.clinic)
    login(clinician)
    for path in ("/clinic/dashboard", f"/clinic/patients/{patient.id}/review"):
        assert CHART_SCRIPT not in client.get(path).get_data(as_text=True), path
