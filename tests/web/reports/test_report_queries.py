"""The cohort report reads the database in a fixed number of queries, whatever the clinic size."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, insert

from portal.assessments.models import Assessment
from portal.auth.models import Role
from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from portal.infusions.models import CourseLot, InfusionCourse
from portal.medications.models import MedicationRecord, WeightRecord
from portal.patients.models import Patient
from tests import factories as make

FIRST_COURSE = date(2023, 1, 9)


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def add_patients(clinic, number: int, courses: int = 3) -> None:
    """Patients with given courses, paired assessments, diary entries and prednisolone."""
    for n in range(number):
        patient = Patient(
            clinic_id=clinic.id, patient_ref=f"Q{clinic.id}-{n:04d}", name=f"Q {n}",
            date_of_birth=date(2015, 1, 1), sex="female", weight_kg=30.0,
        )  # fmt: skip
        db.session.add(patient)
        db.session.flush()
        for c in range(courses):
            start = FIRST_COURSE + timedelta(days=42 * c + n % 5)
            course = InfusionCourse(
                patient_id=patient.id,
                start_date=start,
                days=5 if c % 2 else 3,
                total_dose_g_per_kg=2.0,
                product="Privigen",
                status="given",
            )
            course.lots = [CourseLot(lot_number=f"L{c}"), CourseLot(lot_number=f"M{n % 4}")]
            db.session.add(course)
            for offset, value in ((-1, 20.0 + c), (12, 22.0 + c + n % 3)):
                db.session.add(
                    Assessment(
                        patient_id=patient.id,
                        assessed_on=start + timedelta(days=offset),
                        myometry_neck_flexors=value,
                    )
                )
            entries = [
                {
                    "patient_id": patient.id,
                    "client_id": f"{patient.id}-{c}-{d}",
                    "entry_date": start + timedelta(days=d),
                    "author_role": "guardian",
                    "strength": (d > 4) - (n % 2),
                    "headache": d % 4,
                }
                for d in (-3, 2, 8)
            ]
            db.session.execute(insert(DiaryEntry), entries)
        db.session.add(
            MedicationRecord(
                patient_id=patient.id,
                agent="prednisolone",
                start_date=FIRST_COURSE,
                dose=20.0,
                dose_unit="mg/day",
            )
        )
        db.session.add(
            WeightRecord(patient_id=patient.id, measured_on=FIRST_COURSE, weight_kg=31.0)
        )
    db.session.commit()


def report_queries(client, patients: int) -> tuple[int, dict]:
    with counted_queries() as statements:
        response = client.get("/clinic/reports/course-response.json")
    assert response.status_code == 200
    return len(statements), response.json


def test_query_count_is_the_same_for_5_and_for_50_patients(client, login_as):
    small, large = make.clinic(), make.clinic()
    add_patients(small, 5)
    add_patients(large, 50)

    login_as(Role.CLINICIAN, clinic=small)
    small_count, small_report = report_queries(client, 5)
    client.post_form("/logout")
    login_as(Role.CLINICIAN, clinic=large)
    large_count, large_report = report_queries(client, 50)

    assert small_report["patients"] == 5 and large_report["patients"] == 50
    assert large_report["objective"]["courses"] == 150  # every course was paired and read
    assert large_report["subjective"]["courses"] == 0
    assert large_report["agreement"]["courses"] == 150  # the diary was read for every course
    assert len(large_report["steroid_sparing"]) == 50
    assert small_count == large_count
    assert large_count <= 13  # login and audit, plus the nine of outcomes.cohort_data


PAGES = [
    "/clinic/reports/course-response",
    "/clinic/reports/course-response/charts.json",
    "/clinic/reports/course-response.csv",
    "/clinic/reports/lots",
    "/clinic/reports/lots.json",
    "/clinic/reports/regimens",
    "/clinic/reports/regimens.csv",
    "/clinic/reports/interval",
    "/clinic/reports/interval/charts.json",
    "/clinic/reports/interval.json",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_report_page_reads_as_many_queries_for_few_courses_as_for_many(client, login_as, url):
    few, many = make.clinic(), make.clinic()
    add_patients(few, 3, courses=2)
    add_patients(many, 30, courses=8)
    counts = []
    for clinic in (few, many):
        login_as(Role.CLINICIAN, clinic=clinic)
        with counted_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
        client.post_form("/logout")
    assert counts[0] == counts[1]
    assert counts[1] <= 14


def test_the_aggregates_an_administrator_reads_take_as_many_queries_for_few_as_many(
    client, login_as
):
    few, many = make.clinic(), make.clinic()
    add_patients(few, 3, courses=2)
    add_patients(many, 30, courses=8)
    login_as(Role.ADMIN)
    counts = []
    for clinic in (few, many):
        with counted_queries() as statements:
            assert (
                client.get(f"/clinic/reports/course-response?clinic={clinic.id}").status_code == 200
            )
        counts.append(len(statements))
    assert counts[0] == counts[1]
