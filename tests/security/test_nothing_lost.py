"""A clinic's record never loses what it held: assessments, medication records and courses
keep every earlier version, a delete is soft and recorded, and a deleted record leaves
every page, chart, report and import comparison."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.assessments.models import Assessment, AssessmentVersion
from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from portal.core.versions import INCLUDE_DELETED
from portal.imports import assessments as assessment_import
from portal.infusions.models import CourseVersion, InfusionCourse
from portal.medications.models import MedicationRecord, MedicationRecordVersion, WeightRecord
from tests import factories as make
from tests.nine_cases import upload
from tests.security.audit_rows import audit_events
from tests.security.conftest import log_in


def _every(model, **where):
    query = select(model).filter_by(**where).execution_options(**{INCLUDE_DELETED: True})
    return db.session.scalars(query).all()


@pytest.fixture
def clinic_world(app):
    clinic = make.clinic("Keep Clinic")
    patient = make.patient(clinic, name="Kit Keeper", weight_kg=30.0)
    clinician = make.user(Role.CLINICIAN, clinic=clinic)
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    return patient, clinician, log_in(app, clinician), log_in(app, guardian)


def _assessment_form(day, cmas: str, notes: str = "") -> dict:
    return {"assessed_on": day.isoformat(), "cmas": cmas, "notes": notes}


def test_editing_an_assessment_keeps_what_it_held_and_its_page_shows_the_history(clinic_world):
    patient, clinician, clinic, _ = clinic_world
    day = today() - timedelta(days=20)
    assessment = make.assessment(patient, day, cmas=31, notes="first look")
    edited = clinic.post_form(
        f"/clinic/assessments/{assessment.id}/edit", _assessment_form(day, "44", "second look")
    )
    assert edited.status_code == 302
    again = clinic.post_form(
        f"/clinic/assessments/{assessment.id}/edit", _assessment_form(day, "46", "second look")
    )
    assert again.status_code == 302

    versions = db.session.scalars(select(AssessmentVersion)).all()
    assert [v.previous["cmas"] for v in versions] == [31, 44]
    assert versions[0].previous["notes"] == "first look"
    assert versions[0].changed_fields == ["cmas", "notes"] and versions[1].changed_fields == [
        "cmas"
    ]
    assert all(v.changed_by_id == clinician.id for v in versions)
    page = clinic.get(f"/clinic/assessments/{assessment.id}/edit").get_data(as_text=True)
    history = page[page.index("History of this assessment") :]
    assert "31" in history and "44" in history and "46" in history
    assert "first look" in history and clinician.name in history
    # Newest change first: CMAS 44 -> 46, then 31 -> 44 (read from the rows, not from times).
    cmas_rows = re.findall(r"<th scope=\"row\">CMAS[^<]*</th><td>(\d+)</td><td>(\d+)</td>", history)
    assert cmas_rows == [("44", "46"), ("31", "44")]
    updates = audit_events(action="update", object_type="assessments")
    assert len(updates) == 2 and "versions" in updates[0].fields


def test_deleting_an_assessment_is_soft_recorded_and_it_leaves_every_page(clinic_world):
    patient, clinician, clinic, _ = clinic_world
    course = make.course(patient, today() - timedelta(days=30), days=5)
    before = make.assessment(patient, course.start_date - timedelta(days=2), cmas=20, ck=777)
    after = make.assessment(patient, course.end_date + timedelta(days=5), cmas=47, ck=4321)
    report = clinic.get(f"/api/patients/{patient.id}/charts/clinic").get_data(as_text=True)
    assert "4321" in report or "47" in report  # on the chart before the delete

    assert clinic.post_form(f"/clinic/assessments/{after.id}/delete").status_code == 302

    kept = _every(Assessment, id=after.id)[0]
    assert kept.cmas == 47 and kept.deleted_by_id == clinician.id and kept.deleted_at
    (version,) = _every(AssessmentVersion, assessment_id=after.id)
    assert version.action == "delete" and version.previous["ck"] == 4321.0
    assert "deleted_at" in audit_events(action="update", object_type="assessments")[-1].fields
    pages = [
        f"/clinic/patients/{patient.id}/assessments",
        f"/clinic/patients/{patient.id}/review",
        f"/clinic/patients/{patient.id}/chart",
        f"/api/patients/{patient.id}/charts/clinic",
        f"/clinic/patients/{patient.id}/course-response",
        "/clinic/reports/course-response",
        "/clinic/reports/course-response.json",
        "/clinic/reports/course-response.csv",
    ]
    for path in pages:
        response = clinic.get(path)
        assert response.status_code == 200, path
        assert "4321" not in response.get_data(as_text=True), path
    assert clinic.get(f"/clinic/assessments/{after.id}/edit").status_code == 404
    history = clinic.get(f"/clinic/assessments/{after.id}/history").get_data(as_text=True)
    assert "was deleted" in history and "4321" in history and clinician.name in history
    listing = clinic.get(f"/clinic/patients/{patient.id}/assessments").get_data(as_text=True)
    assert "Deleted assessments (1)" in listing
    assert before.id  # the other assessment stays
    assert clinic.get(f"/clinic/assessments/{before.id}/edit").status_code == 200


def test_a_deleted_assessment_frees_its_date_and_leaves_the_import_comparison(clinic_world):
    patient, _, clinic, _ = clinic_world
    day = today() - timedelta(days=9)
    gone = make.assessment(patient, day, cmas=12)
    clinic.post_form(f"/clinic/assessments/{gone.id}/delete")
    cells = dict.fromkeys(assessment_import.COLUMNS, "")
    cells.update(patient_ref=patient.patient_ref, date=day.isoformat(), cmas="40")
    sheet = ",".join(assessment_import.COLUMNS) + "\n" + ",".join(cells.values()) + "\n"
    page = upload(clinic, "assessments", sheet.encode()).get_data(as_text=True)
    assert "Imported 1 assessments row(s) of 1." in page  # not "recorded with a different cmas"
    live = db.session.scalars(select(Assessment)).all()
    assert [(a.assessed_on, a.cmas) for a in live] == [(day, 40)]
    assert len(_every(Assessment, patient_id=patient.id)) == 2
    again = clinic.post_form(
        f"/clinic/patients/{patient.id}/assessments/new", _assessment_form(day, "41")
    )
    assert "already recorded" in again.get_data(as_text=True)  # one live assessment a day


def test_editing_and_deleting_a_medication_record_keeps_every_value(clinic_world):
    patient, clinician, clinic, _ = clinic_world
    course = make.course(patient, today() - timedelta(days=60))
    start = course.start_date - timedelta(days=10)
    record = make.prednisolone(patient, start, 17.5)
    form = {"start_date": start.isoformat(), "dose": "12.5", "notes": "tapering"}
    assert clinic.post_form(f"/clinic/medications/{record.id}/edit", form).status_code == 302
    page = clinic.get(f"/clinic/medications/{record.id}/edit").get_data(as_text=True)
    history = page[page.index("History of this record") :]
    assert "17.5" in history and "12.5" in history and "tapering" in history

    assert clinic.post_form(f"/clinic/medications/{record.id}/delete").status_code == 302
    versions = _every(MedicationRecordVersion, record_id=record.id)
    assert [(v.action, v.previous["dose"]) for v in versions] == [("edit", 17.5), ("delete", 12.5)]
    assert _every(MedicationRecord, id=record.id)[0].deleted_by_id == clinician.id
    medications = clinic.get(f"/clinic/patients/{patient.id}/medications").get_data(as_text=True)
    assert "12.5" not in medications.split("Deleted medication records")[0]
    assert "Deleted medication records (1)" in medications
    cohort = clinic.get("/clinic/reports/course-response.json").get_json()
    assert "12.5" not in str(cohort) and "0.42" not in str(cohort)  # 12.5 mg ÷ 30 kg
    assert clinic.get(f"/clinic/medications/{record.id}/edit").status_code == 404
    assert clinic.get(f"/clinic/medications/{record.id}/history").status_code == 200


def _course_form(course, **changes) -> dict:
    form = {
        "start_date": course.start_date.isoformat(),
        "days": str(course.days),
        "total_dose_g_per_kg": f"{course.total_dose_g_per_kg:g}",
        "product": course.product,
        "lots": "\n".join(course.lot_numbers),
        "indication": course.indication,
        "status": course.status,
        "notes": course.notes,
    }
    form.update(changes)
    return form


def test_editing_a_course_keeps_its_earlier_lots_and_dose(clinic_world):
    patient, clinician, clinic, _ = clinic_world
    course = make.course(patient, today() - timedelta(days=30), lots=("LOT-FIRST-11",))
    response = clinic.post_form(
        f"/clinic/courses/{course.id}/edit",
        _course_form(course, lots="LOT-SECOND-22", total_dose_g_per_kg="1.6"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    (version,) = db.session.scalars(select(CourseVersion)).all()
    assert version.previous["lots"] == ["LOT-FIRST-11"]
    assert version.previous["total_dose_g_per_kg"] == 2.0
    assert set(version.changed_fields) == {"total_dose_g_per_kg", "lots"}
    page = clinic.get(f"/clinic/courses/{course.id}/edit").get_data(as_text=True)
    assert "LOT-FIRST-11" in page[page.index("History of this course") :]
    assert version.changed_by_id == clinician.id


def test_deleting_a_course_takes_it_off_the_calendar_placement_and_reports(clinic_world):
    patient, clinician, clinic, family = clinic_world
    course = make.course(patient, today() - timedelta(days=12), days=5, lots=("LOT-GONE-77",))
    day = course.end_date + timedelta(days=2)
    make.entry(patient, None, day, strength=1)
    placed = family.get(f"/api/v1/patients/{patient.id}/diary").get_json()["entries"][0]
    assert placed["placement"]["course"]["id"] == course.id  # placed after it, before

    confirm = clinic.get(f"/clinic/courses/{course.id}/delete").get_data(as_text=True)
    assert "Delete the course of" in confirm and "cancelled" in confirm
    assert clinic.post_form(f"/clinic/courses/{course.id}/delete").status_code == 302

    kept = _every(InfusionCourse, id=course.id)[0]
    assert kept.deleted_by_id == clinician.id and kept.lot_numbers == ["LOT-GONE-77"]
    assert _every(CourseVersion, course_id=course.id)[0].action == "delete"
    for client, path in (
        (family, f"/family/{patient.id}/calendar"),
        (family, f"/family/{patient.id}/diary"),
        (family, f"/api/v1/patients/{patient.id}/diary"),
        (family, f"/family/{patient.id}/chart"),
        (clinic, f"/clinic/patients/{patient.id}"),
        (clinic, f"/clinic/patients/{patient.id}/review"),
        (clinic, f"/clinic/patients/{patient.id}/course-response"),
        (clinic, "/clinic/reports/course-response.json"),
        (clinic, "/clinic/reports/course-response.csv"),
        (clinic, "/clinic/dashboard"),
    ):
        text = client.get(path).get_data(as_text=True)
        assert "LOT-GONE-77" not in text.split("Deleted courses")[0], path
        assert "after course 1" not in text.lower() and "during course 1" not in text.lower(), path
    entry = family.get(f"/api/v1/patients/{patient.id}/diary").get_json()["entries"][0]
    assert entry["placement"]["course"] is None  # placed as if the course never was
    history = clinic.get(f"/clinic/courses/{course.id}/history").get_data(as_text=True)
    assert "LOT-GONE-77" in history and "was deleted" in history
    assert clinic.get(f"/clinic/courses/{course.id}/edit").status_code == 404
    assert "Deleted courses (1)" in clinic.get(f"/clinic/patients/{patient.id}").get_data(
        as_text=True
    )


def test_a_deleted_course_is_imported_again_as_new(clinic_world):
    patient, _, clinic, _ = clinic_world
    course = make.course(patient, today() - timedelta(days=40), lots=("L1",))
    clinic.post_form(f"/clinic/courses/{course.id}/delete")
    header = "patient_ref,start_date,days,total_dose_g_per_kg,product,lots,status\n"
    row = f"{patient.patient_ref},{course.start_date},3,1,Privigen,L9,given\n"
    page = upload(clinic, "courses", (header + row).encode()).get_data(as_text=True)
    assert "Imported 1 courses row(s) of 1." in page  # no "recorded with a different days"
    assert [c.days for c in db.session.scalars(select(InfusionCourse))] == [3]


def test_a_second_weighing_on_a_day_keeps_the_first(clinic_world):
    patient, clinician, clinic, _ = clinic_world
    day = today() - timedelta(days=3)
    make.weight(patient, day, 31.4)
    form = {"measured_on": day.isoformat(), "weight_kg": "32.9"}
    assert clinic.post_form(f"/clinic/patients/{patient.id}/weights/new", form).status_code == 302
    (weight,) = db.session.scalars(select(WeightRecord)).all()
    assert weight.weight_kg == 32.9
    assert [(v.previous["weight_kg"], v.changed_by_id) for v in weight.versions] == [
        (31.4, clinician.id)
    ]
