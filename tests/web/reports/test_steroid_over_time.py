"""Prednisolone at each course and 3, 6 and 12 months after the first: patient page and cohort."""

from __future__ import annotations

from datetime import date

from portal.auth.models import Role
from tests import factories as make

FIRST = date(2025, 1, 15)


def tapering_patient(clinic, ref: str):
    patient = make.patient(clinic, patient_ref=ref, weight_kg=20.0)
    make.course(patient, FIRST)
    make.course(patient, date(2025, 3, 1))
    make.prednisolone(patient, date(2024, 12, 1), 20.0)  # 1 mg/kg/day
    make.prednisolone(patient, date(2025, 4, 1), 10.0)
    make.prednisolone(patient, date(2025, 9, 1), 5.0, stop=date(2025, 12, 1))
    return patient


def test_the_patients_page_lists_the_dose_at_each_course_and_after_the_first(client, login_as):
    clinic = make.clinic()
    patient = tapering_patient(clinic, "TAPER-1")
    login_as(Role.CLINICIAN, clinic=clinic)
    page = client.get(f"/clinic/patients/{patient.id}/course-response").get_data(as_text=True)
    section = page.split('id="steroid-heading"')[1].split("</section>")[0]
    rows = [row.split("</tr>")[0] for row in section.split("<tr>")[2:]]
    assert [r.split("</th>")[0].split(">")[-1] for r in rows] == [
        "Course 1",
        "Course 2",
        "3 months after the first course",
        "6 months after the first course",
        "12 months after the first course",
    ]
    assert "15 Apr 2025" in rows[2] and ">0.5<" in rows[2] and "−0.5" in rows[2]
    assert ">10<" in rows[3] and ">0.5<" in rows[3]  # 15 Jul 2025: still 10 mg (5 mg from Sep)
    assert ">0<" in rows[4]  # stopped on 1 Dec 2025


def test_the_cohort_json_and_page_carry_prednisolone_over_time(client, login_as):
    clinic = make.clinic()
    for n in range(3):
        tapering_patient(clinic, f"TAPER-{n}")
    login_as(Role.CLINICIAN, clinic=clinic)
    data = client.get("/clinic/reports/course-response.json").json
    summary = {p["months_after_first_course"]: p for p in data["steroid_summary"]}
    assert summary[0]["patients"] == 3 and summary[0]["median_mg_per_kg_per_day"] == 1.0
    assert (summary[12]["lower_than_at_first_course"], summary[12]["stopped"]) == (3, 3)
    row = data["steroid_over_time"][0]
    assert [p["label"] for p in row["at_courses"]] == ["Course 1", "Course 2"]
    assert [p["mg_per_kg_per_day"] for p in row["after_first_course"]] == [0.5, 0.5, 0.0]
    page = client.get("/clinic/reports/course-response").get_data(as_text=True)
    assert "Prednisolone over time" in page and "12 months after the first course" in page
    csv_text = client.get("/clinic/reports/course-response.csv").get_data(as_text=True)
    assert "TAPER-0,6 months after the first course,2025-07-15,10.0,0.5,-0.5" in csv_text


def test_administrators_read_the_cohort_counts_over_time_suppressed_under_five(client, login_as):
    clinic = make.clinic()
    for n in range(3):
        tapering_patient(clinic, f"TAPER-{n}")
    login_as(Role.ADMIN)
    data = client.get(f"/clinic/reports/course-response.json?clinic={clinic.id}").json
    assert "steroid_over_time" not in data
    first = data["steroid_summary"][0]
    assert first["patients"] is None and first["median_mg_per_kg_per_day"] is None
