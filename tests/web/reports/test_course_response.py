"""The per-course and cohort response reports, checked against the nine-case paper."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.core.extensions import db
from portal.patients.models import Patient
from tests import factories as make
from tests.nine_cases import import_nine_cases

REPORT = "/clinic/reports/course-response.json"


def add_family_reports(unassessed: list[dict], improved: int) -> None:
    """Diary strength around each course: better afterwards for the first `improved`."""
    for number, course in enumerate(unassessed):
        patient = db.session.scalar(
            select(Patient).where(Patient.patient_ref == course["patient_ref"])
        )
        start, end = (
            date.fromisoformat(course["start_date"]),
            date.fromisoformat(course["end_date"]),
        )
        make.diary_row(patient, start - timedelta(days=2), strength=0)
        make.diary_row(patient, end + timedelta(days=4), strength=1 if number < improved else 0)


def test_nine_case_table_2_imported_gives_the_papers_figures(client, login_as):
    login_as(Role.CLINICIAN, clinic=make.clinic("Nine Cases Clinic"))
    import_nine_cases(client)
    report = client.get(REPORT).json

    objective = report["objective"]
    assert objective["courses"] == 20
    assert objective["improved"] == 16
    assert objective["mean_change"] == pytest.approx(2.85)
    assert objective["median_change"] == pytest.approx(1.6)
    assert objective["wilcoxon_p"] == pytest.approx(0.0328, abs=5e-5)  # the paper: 0.033
    # 17.2 → 17.9 and 35.5 → 34.8 tie at |0.7|, so the smaller rank sum is 47.5.
    assert objective["wilcoxon_statistic"] == 47.5
    assert len(report["courses"]) == 33  # the cancelled course is left out
    paired = [c for c in report["courses"] if c["basis"] == "objective"]
    assert paired[0] == {
        **paired[0],
        "patient_ref": "JDM01",
        "before": 39.4,
        "after": 49.3,
        "change": pytest.approx(9.9),
        "improved": True,
    }

    # "Of the 13 courses not objectively measured there was a subjective improvement in 10."
    unassessed = [c for c in report["courses"] if c["basis"] is None]
    assert len(unassessed) == 13
    add_family_reports(unassessed, improved=10)
    report = client.get(REPORT).json
    assert report["subjective"] == {"courses": 13, "improved": 10}
    assert report["objective"]["courses"] == 20


def test_json_has_the_promised_keys_for_every_course(client, login_as):
    clinic = make.clinic()
    login_as(Role.CLINICIAN, clinic=clinic)
    make.course(make.patient(clinic), date(2024, 2, 1))
    report = client.get(REPORT).json
    assert set(report["objective"]) >= {
        "courses", "improved", "mean_change", "median_change", "wilcoxon_statistic", "wilcoxon_p",
    }  # fmt: skip
    assert set(report["subjective"]) == {"courses", "improved"}
    course = report["courses"][0]
    assert set(course) >= {
        "patient_ref",
        "start_date",
        "basis",
        "before",
        "after",
        "change",
        "improved",
    }
    assert course["basis"] is None and course["before"] is None


def test_single_paired_course_reports_without_a_p_value(client, login_as):
    clinic = make.clinic()
    login_as(Role.CLINICIAN, clinic=clinic)
    patient = make.patient(clinic)
    course = make.course(patient, date(2024, 2, 10), days=3)
    make.assessment(patient, date(2024, 2, 9), myometry=20.0)
    make.assessment(patient, course.end_date + timedelta(days=5), myometry=23.5)
    response = client.get(REPORT)
    assert response.status_code == 200
    objective = response.json["objective"]
    assert (objective["courses"], objective["improved"], objective["mean_change"]) == (1, 1, 3.5)
    assert objective["wilcoxon_p"] is None and objective["wilcoxon_statistic"] is None


def test_pairing_edges_through_the_report(client, login_as):
    clinic = make.clinic()
    login_as(Role.CLINICIAN, clinic=clinic)
    patient = make.patient(clinic)
    first = make.course(patient, date(2024, 3, 1), days=1)
    second = make.course(patient, date(2024, 3, 9), days=1)
    make.course(patient, date(2024, 3, 20), days=1, status="planned")
    make.assessment(patient, date(2024, 2, 22), myometry=10.0)  # 8 days before the first
    make.assessment(patient, date(2024, 3, 7), myometry=12.0)  # 6 after first, 2 before second
    make.assessment(patient, date(2024, 3, 12), myometry=15.0)  # 3 after the second
    courses = {c["start_date"]: c for c in client.get(REPORT).json["courses"]}
    assert set(courses) == {"2024-03-01", "2024-03-09"}  # the planned course is not reported
    assert courses["2024-03-01"]["basis"] is None
    assert courses["2024-03-01"]["before_date"] is None
    assert courses["2024-03-09"]["before_date"] == "2024-03-07"
    assert courses["2024-03-09"]["change"] == 3.0
    assert (first.status, second.status) == ("given", "given")


def test_course_without_a_before_falls_back_to_the_diary(client, login_as):
    clinic = make.clinic()
    login_as(Role.CLINICIAN, clinic=clinic)
    patient = make.patient(clinic)
    course = make.course(patient, date(2024, 4, 1), days=5)
    make.assessment(patient, course.end_date + timedelta(days=3), myometry=30.0)
    make.diary_row(patient, date(2024, 3, 28), strength=-1)
    make.diary_row(patient, course.end_date + timedelta(days=6), strength=1)
    deleted = make.diary_row(patient, course.end_date + timedelta(days=7), strength=-2)
    deleted.deleted_at = deleted.created_at
    db.session.commit()
    row = client.get(REPORT).json["courses"][0]
    assert row["basis"] == "subjective"
    assert row["improved"] is True
    assert row["subjective_change"] == 2.0  # the deleted entry is ignored
    assert row["change"] is None


def test_agreement_side_effects_and_steroid_sparing_in_the_json(client, login_as):
    clinic = make.clinic()
    login_as(Role.CLINICIAN, clinic=clinic)
    patient = make.patient(clinic, patient_ref="SPARE1", weight_kg=30.0)
    starts = [date(2024, 1, 10), date(2024, 2, 20), date(2024, 4, 1)]
    for number, start in enumerate(starts):
        course = make.course(patient, start, days=3)
        make.assessment(patient, start - timedelta(days=1), myometry=20.0)
        make.assessment(
            patient, course.end_date + timedelta(days=7), myometry=20.0 + number * 2 - 1
        )
        make.diary_row(patient, start - timedelta(days=3), strength=0)
        make.diary_row(
            patient,
            course.end_date + timedelta(days=2),
            strength=number - 1,
            headache=3 if number == 0 else 1,
        )
    client.post_form(
        f"/clinic/patients/{patient.id}/medications/prednisolone/new",
        {"start_date": "2024-01-01", "dose": "30", "weight_kg": "30"},
    )
    client.post_form(
        f"/clinic/patients/{patient.id}/medications/prednisolone/new",
        {"start_date": "2024-05-01", "dose": "10", "weight_kg": "40"},
    )
    report = client.get(REPORT).json
    assert report["agreement"]["courses"] == 3
    assert report["agreement"]["both_improved"] == 1  # the third course
    assert report["agreement"]["spearman_rho"] == pytest.approx(1.0)
    regimen = report["side_effects"][0]
    assert (regimen["regimen"], regimen["courses"], regimen["courses_with_diary"]) == (
        "2 g/kg over 3 days",
        3,
        3,
    )
    assert regimen["symptoms"]["headache"]["share"] == 1.0
    assert regimen["severe"]["headache"]["share"] == pytest.approx(0.3333)
    sparing = report["steroid_sparing"][0]
    assert sparing["patient_ref"] == "SPARE1"
    assert sparing["at_first_course"]["mg_per_kg_per_day"] == 1.0
    assert sparing["latest"] == {
        "date": "2024-05-01",
        "mg_per_day": 10.0,
        "mg_per_kg_per_day": 0.25,
    }


def test_clinicians_see_their_own_clinic_only(client, login_as):
    mine, theirs = make.clinic(), make.clinic()
    make.course(make.patient(mine, patient_ref="MINE1"), date(2024, 1, 1))
    make.course(make.patient(theirs, patient_ref="THEIRS1"), date(2024, 1, 1))
    login_as(Role.CLINICIAN, clinic=mine)
    refs = {c["patient_ref"] for c in client.get(REPORT).json["courses"]}
    assert refs == {"MINE1"}
    assert client.get(f"{REPORT}?clinic={theirs.id}").status_code == 404
    assert client.get(f"{REPORT}?clinic={mine.id}").status_code == 200


def test_administrators_see_aggregates_of_all_clinics_or_one_but_no_patient_rows(client, login_as):
    first, second = make.clinic("North"), make.clinic("South")
    make.course(make.patient(first, patient_ref="N1", name="Nina Secret"), date(2024, 1, 1))
    make.course(make.patient(second, patient_ref="S1"), date(2024, 1, 1))
    login_as(Role.ADMIN)
    everything = client.get(REPORT).json
    # Two patients is a count under 5: suppressed, as every such count is for administrators.
    assert everything["patients"] is None and "patients" in everything["suppressed"]
    assert everything["clinic"] is None
    assert everything["aggregates_only"] is True
    assert "courses" not in everything and "steroid_sparing" not in everything
    assert "steroid_over_time" not in everything
    south = client.get(f"{REPORT}?clinic={second.id}").json
    assert south["patients"] is None
    assert south["clinic"]["name"] == "South"
    assert client.get(f"{REPORT}?clinic=999999").status_code == 404
    assert client.get(f"{REPORT}?clinic=south").status_code == 404
    page = client.get("/clinic/reports/course-response").get_data(as_text=True)
    assert "Per-patient rows are shown to each clinic" in page
    csv_text = client.get("/clinic/reports/course-response.csv").get_data(as_text=True)
    for text in (page, csv_text, str(everything)):
        assert "N1" not in text and "S1" not in text and "Nina" not in text
    assert "Side effects by regimen" in csv_text and "Steroid sparing" not in csv_text


def test_families_cannot_read_any_report(client, login_as):
    clinic = make.clinic()
    patient = make.patient(clinic)
    login_as(Role.GUARDIAN, patients=[patient])
    assert client.get(REPORT).status_code == 404
    assert client.get("/clinic/reports/course-response").status_code == 404
    assert client.get(f"/clinic/patients/{patient.id}/course-response").status_code == 404


def test_cohort_csv_download_has_each_section(client, login_as):
    login_as(Role.CLINICIAN, clinic=make.clinic("Nine Cases Clinic"))
    import_nine_cases(client)
    response = client.get("/clinic/reports/course-response.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert "mean_myometry,20,16,2.85,1.6,47.5,0.032768,exact" in text
    for title in (
        "Courses assessed only subjectively",
        "Side effects by regimen",
        "Steroid sparing",
        "Courses",
    ):
        assert title in text
    assert "JDM01,2022-01-21" in text


def test_cohort_page_shows_the_summary_and_rows(client, login_as):
    login_as(Role.CLINICIAN, clinic=make.clinic("Nine Cases Clinic"))
    import_nine_cases(client)
    page = client.get("/clinic/reports/course-response").get_data(as_text=True)
    assert "W = 47.5, p = 0.033" in page
    assert "16 of 20" in page
    assert "+2.85" in page
    assert "2 g/kg over 3 days" in page and "2 g/kg over 5 days" in page


def test_patient_page_lists_courses_with_pair_and_changes(client, login_as):
    clinic = make.clinic()
    login_as(Role.CLINICIAN, clinic=clinic)
    patient = make.patient(clinic)
    course = make.course(patient, date(2024, 2, 10), days=3)
    make.assessment(patient, date(2024, 2, 9), myometry=20.0, walk_28ft_seconds=9.0, cmas=30)
    make.assessment(
        patient, course.end_date + timedelta(days=5), myometry=18.0, walk_28ft_seconds=7.5, cmas=34
    )
    make.course(patient, date(2024, 5, 1), days=5)
    page = client.get(f"/clinic/patients/{patient.id}/course-response").get_data(as_text=True)
    assert "Course 1 · 2 g/kg over 3 days" in page
    assert "Course 2 · 2 g/kg over 5 days" in page
    assert "Not assessed" in page
    assert "Mean myometry score" in page and "−2" in page
    assert "Walking time for 28 ft (s)" in page and "−1.5" in page
    assert page.count("verdict-better") == 2 and page.count("verdict-worse") == 2


def test_patient_page_of_another_clinic_is_not_found(client, login_as):
    login_as(Role.CLINICIAN, clinic=make.clinic())
    other = make.patient(make.clinic())
    assert client.get(f"/clinic/patients/{other.id}/course-response").status_code == 404


def test_administrators_do_not_open_a_patients_course_page(client, login):
    patient = make.patient(make.clinic())
    login(make.user(Role.ADMIN))
    assert client.get(f"/clinic/patients/{patient.id}/course-response").status_code == 404


def test_cohort_page_lists_the_latest_courses_and_points_to_the_csv(client, login_as, monkeypatch):
    monkeypatch.setattr("portal.reports.views.PAGE_COURSES", 2)
    clinic = make.clinic()
    login_as(Role.CLINICIAN, clinic=clinic)
    patient = make.patient(clinic, patient_ref="MANY1")
    for month in (1, 3, 5):
        make.course(patient, date(2024, month, 1))
    page = client.get("/clinic/reports/course-response").get_data(as_text=True)
    assert "The latest 2 of 3 given courses (the CSV has them all)" in page
    assert "1 May 2024" in page and "1 Mar 2024" in page and "1 Jan 2024" not in page
