"""Imports at scale: a flat number of queries, every text cell checked, all or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, insert, select

from portal.assessments.models import Assessment
from portal.audit.models import AuditEvent
from portal.core.clock import today
from portal.core.extensions import db
from portal.imports import assessments as assessment_import
from portal.imports import base, patients
from portal.infusions.models import CourseLot, InfusionCourse
from portal.patients.models import Patient
from tests import factories as make
from tests.nine_cases import upload
from tests.querycount import counted_queries

PATIENT_HEADER = "patient_ref,name,date_of_birth,sex,onset_date,clinic,weight_kg"
COURSE_HEADER = "patient_ref,start_date,days,total_dose_g_per_kg,product,lots,status"


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def patients_file(refs) -> bytes:
    lines = [PATIENT_HEADER] + [f"{ref},Child {ref},2015-02-03,f,,,30" for ref in refs]
    return ("\n".join(lines) + "\n").encode()


def courses_file(refs, start) -> bytes:
    lines = [COURSE_HEADER] + [f"{ref},{start},5,2,Privigen,L1;L2,given" for ref in refs]
    return ("\n".join(lines) + "\n").encode()


def assessments_file(refs, day) -> bytes:
    header = ",".join(assessment_import.COLUMNS)
    lines = [header]
    for ref in refs:
        cells = dict.fromkeys(assessment_import.COLUMNS, "")
        cells.update(patient_ref=ref, date=str(day), cmas="33")
        lines.append(",".join(cells[c] for c in assessment_import.COLUMNS))
    return ("\n".join(lines) + "\n").encode()


def _statements(client, kind: str, data: bytes) -> int:
    with counted_queries() as statements:
        page = upload(client, kind, data).get_data(as_text=True)
    assert "Imported" in page, page[page.find("Nothing") :][:300]
    return len(statements)


def test_an_import_runs_the_same_few_queries_for_20_rows_as_for_400(client, login_as):
    clinician = login_as("clinician")
    make.patient(clinician.clinic, patient_ref="OLD1")
    small = [f"S{n:03d}" for n in range(20)]
    large = [f"L{n:03d}" for n in range(400)]
    start, day = today() - timedelta(days=40), today() - timedelta(days=30)
    counts = {}
    for kind, build in (
        ("patients", patients_file),
        ("courses", lambda refs: courses_file(refs, start)),
        ("assessments", lambda refs: assessments_file(refs, day)),
    ):
        counts[kind] = (
            _statements(client, kind, build(small)),
            _statements(client, kind, build(large)),
        )
    assert all(few == many for few, many in counts.values()), counts
    assert all(few < 40 for few, _ in counts.values()), counts
    assert count(Patient) == 421 and count(InfusionCourse) == 420 and count(CourseLot) == 840
    assert count(Assessment) == 420


def test_every_row_written_in_bulk_is_audited_as_created_by_the_clinician(client, login_as):
    clinician = login_as("clinician")
    upload(client, "patients", patients_file(["A1", "A2", "A3"]))
    upload(client, "courses", courses_file(["A1", "A2", "A3"], today() - timedelta(days=20)))
    created = db.session.execute(
        select(AuditEvent.object_type, AuditEvent.object_id, AuditEvent.patient_id).where(
            AuditEvent.action == "create", AuditEvent.user_id == clinician.id
        )
    ).all()
    patient_ids = set(db.session.scalars(select(Patient.id)))
    course_rows = set(db.session.execute(select(InfusionCourse.id, InfusionCourse.patient_id)))
    assert {(o, p) for t, o, p in created if t == "patients"} == {(i, i) for i in patient_ids}
    assert {(o, p) for t, o, p in created if t == "infusion_courses"} == course_rows


TEXT_CELLS = {
    "patients": (PATIENT_HEADER, "R1,Ann Example,2015-02-03,f,,,30", ("name", "sex", "clinic")),
    "courses": (COURSE_HEADER, "R1,{start},5,2,Privigen,L1;L2,given", ("product", "lots")),
}


@pytest.mark.parametrize(
    "character", ["\x00", "\x07", "\x1b", "\x7f"], ids=["NUL", "BEL", "ESC", "DEL"]
)
@pytest.mark.parametrize(
    ("kind", "column"),
    [(kind, column) for kind, (_, _, columns) in TEXT_CELLS.items() for column in columns],
)
def test_a_control_character_in_any_text_cell_refuses_the_row_by_line_and_column(
    client, login_as, kind, column, character
):
    clinician = login_as("clinician")
    make.patient(clinician.clinic, patient_ref="R1")
    header, good, _ = TEXT_CELLS[kind]
    good = good.format(start=today() - timedelta(days=20))
    names = header.split(",")
    cells = dict(zip(names, good.split(","), strict=True))
    cells[column] = cells[column][:2] + character + cells[column][2:]
    if kind == "patients":
        cells["patient_ref"] = "R2"
    bad = ",".join(cells[n] for n in names)
    data = f"{header}\n{good.replace('R1', 'R3') if kind == 'patients' else good}\n{bad}\n"
    before = (count(Patient), count(InfusionCourse))
    page = upload(client, kind, data.encode()).get_data(as_text=True)
    assert f"<strong>Line 3</strong>: {column}: has an invisible control character" in page
    assert character not in page
    assert (count(Patient), count(InfusionCourse)) == before  # the good line 2 is not written


def test_a_file_refused_at_the_last_moment_leaves_nothing_behind(client, login_as, monkeypatch):
    clinician = login_as("clinician")
    make.patient(clinician.clinic, patient_ref="R1")
    real_insert = base.bulk_insert

    def lots_fail(model, rows):
        real_insert(model, rows)
        if model is CourseLot:  # the courses are in, their lots too: then the database says no
            raise base.ImportCollision("course_lots")

    monkeypatch.setattr(base, "bulk_insert", lots_fail)
    monkeypatch.setattr("portal.imports.courses.bulk_insert", lots_fail)
    page = upload(client, "courses", courses_file(["R1"], today() - timedelta(days=20)))
    assert "records changed while the file was being checked" in page.get_data(as_text=True)
    assert count(InfusionCourse) == 0 and count(CourseLot) == 0
    created = count(AuditEvent, AuditEvent.action == "create")
    assert created == 1  # the patient made by the factory; no course, no lot


def test_a_reference_enrolled_meanwhile_refuses_the_whole_file(app, client, login_as, monkeypatch):
    clinician = login_as("clinician")
    real_plan = patients.plan
    url = app.config["SQLALCHEMY_DATABASE_URI"]

    def plan_then_someone_enrols(rows, scope):
        plan = real_plan(rows, scope)
        other = create_engine(url)  # another worker, its own connection, commits at once
        with other.begin() as connection:
            connection.execute(
                insert(Patient.__table__),
                [
                    {
                        "clinic_id": clinician.clinic_id,
                        "patient_ref": "B2",
                        "name": "Quick Enrolment",
                        "date_of_birth": today() - timedelta(days=3000),
                        "sex": "male",
                        "subtype": "",
                    }
                ],
            )
        other.dispose()
        return plan

    monkeypatch.setattr(
        "portal.imports.importer.KINDS", dict(patients_kind(plan_then_someone_enrols))
    )
    page = upload(client, "patients", patients_file(["A1", "B2", "C3"])).get_data(as_text=True)
    assert "Nothing was imported" in page and "changed while the file was being checked" in page
    assert set(db.session.scalars(select(Patient.patient_ref))) == {"B2"}


def patients_kind(planner):
    from portal.imports.importer import KINDS, Kind

    kinds = dict(KINDS)
    kinds["patients"] = Kind(patients.COLUMNS, planner, patients.write)
    return kinds


def test_the_command_line_asks_for_a_clinic_when_a_reference_is_in_two(app, tmp_path):
    york, leeds = make.clinic("York"), make.clinic("Leeds")
    make.patient(york, patient_ref="TWIN1")
    make.patient(leeds, patient_ref="TWIN1")
    sheet = tmp_path / "courses.csv"
    sheet.write_bytes(courses_file(["TWIN1"], today() - timedelta(days=20)))
    runner = app.test_cli_runner()
    unsure = runner.invoke(args=["import", "courses", str(sheet)])
    assert unsure.exit_code == 1
    assert "more than one clinic has a patient TWIN1; import with --clinic NAME" in unsure.output
    sure = runner.invoke(args=["import", "courses", str(sheet), "--clinic", "leeds"])
    assert sure.exit_code == 0, sure.output
    db.session.expire_all()
    course = db.session.scalars(select(InfusionCourse)).one()
    assert course.patient.clinic.name == "Leeds"
