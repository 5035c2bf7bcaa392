"""Importing clinic spreadsheets from the page and the command line: all or nothing."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.assessments.models import Assessment
from portal.core.extensions import db
from portal.imports import assessments as assessment_import
from portal.infusions.models import InfusionCourse
from portal.patients.models import Patient
from tests import factories as make
from tests.nine_cases import NINE_CASES, upload

ASSESSMENT_HEADER = ",".join(assessment_import.COLUMNS)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def assessment_row(ref: str, day: str, cmas: str = "", ck: str = "", neck: str = "") -> str:
    cells = dict.fromkeys(assessment_import.COLUMNS, "")
    cells.update(patient_ref=ref, date=day, cmas=cmas, ck=ck, myometry_neck_flexors=neck)
    return ",".join(cells[c] for c in assessment_import.COLUMNS)


def test_import_page_shows_the_columns_each_kind_needs(client, login_as):
    login_as("clinician")
    page = client.get("/clinic/import").get_data(as_text=True)
    # The identifying columns (in bold) are needed; the others may be left out.
    assert (
        "<strong>patient_ref</strong>,<strong>start_date</strong>,days,total_dose_g_per_kg,"
        "product,lots,status"
    ) in page
    assert "<strong>patient_ref</strong>,<strong>date</strong>,myometry_neck_flexors," in page
    assert '<label class="label" for="file">CSV file or Excel workbook' in page


def test_clinician_imports_the_nine_case_spreadsheet_and_again_adds_nothing(client, login_as):
    clinic = make.clinic("Nine Cases Clinic")
    login_as("clinician", clinic=clinic)
    for kind, added in (("patients", 9), ("courses", 34), ("assessments", 40)):
        response = upload(client, kind, (NINE_CASES / f"{kind}.csv").read_bytes())
        assert f"Imported {added} {kind} row(s) of {added}." in response.get_data(as_text=True)
    assert (count(Patient), count(InfusionCourse), count(Assessment)) == (9, 34, 40)

    again = upload(client, "assessments", (NINE_CASES / "assessments.csv").read_bytes())
    assert "Imported 0 assessments row(s) of 40; 40 already recorded." in again.get_data(
        as_text=True
    )
    upload(client, "courses", (NINE_CASES / "courses.csv").read_bytes())
    upload(client, "patients", (NINE_CASES / "patients.csv").read_bytes())
    assert (count(Patient), count(InfusionCourse), count(Assessment)) == (9, 34, 40)


def test_a_bad_row_rejects_the_whole_file_and_each_bad_row_is_listed(client, login_as):
    clinic = make.clinic()
    make.patient(clinic, patient_ref="A1")
    login_as("clinician", clinic=clinic)
    data = "\n".join(
        [
            ASSESSMENT_HEADER,
            assessment_row("A1", "2024-01-02", cmas="40"),
            assessment_row("ZZ9", "2024-01-02", cmas="40"),
            assessment_row("A1", "2024-13-01", cmas="40"),
            assessment_row("A1", "2024-01-05", cmas="60", ck="abc"),
            assessment_row("A1", "2024-01-02", cmas="41"),
            assessment_row("A1", "2024-01-09"),
        ]
    ).encode()
    page = upload(client, "assessments", data).get_data(as_text=True)
    assert "Nothing was imported" in page
    assert "5 of 6 rows need correcting" in page
    assert "<strong>Line 3</strong>: patient_ref: no patient ZZ9 in your clinic" in page
    assert "<strong>Line 4</strong>: date: “2024-13-01” is not a date" in page
    assert (
        "<strong>Line 5</strong>: cmas: 60 is out of range (must be between 0 and 52); "
        "ck: “abc” is not a number" in page
    )
    assert "<strong>Line 6</strong>: date: A1 on 2024-01-02 is also on line 2" in page
    assert "<strong>Line 7</strong>: the row has no measurements" in page
    assert count(Assessment) == 0  # line 2 was good, and still nothing was saved


def test_a_row_clashing_with_a_recorded_value_is_a_duplicate(client, login_as):
    clinic = make.clinic()
    patient = make.patient(clinic, patient_ref="A1")
    login_as("clinician", clinic=clinic)
    upload(
        client,
        "assessments",
        f"{ASSESSMENT_HEADER}\n{assessment_row('A1', '2024-01-02', cmas='40')}\n".encode(),
    )
    page = upload(
        client,
        "assessments",
        f"{ASSESSMENT_HEADER}\n{assessment_row('A1', '2024-01-02', cmas='44')}\n".encode(),
    ).get_data(as_text=True)
    assert "an assessment on 2024-01-02 is recorded with a different cmas" in page
    assert (
        db.session.scalar(select(Assessment.cmas).where(Assessment.patient_id == patient.id)) == 40
    )


def test_another_clinics_patient_is_unknown_to_a_clinicians_import(client, login_as):
    mine, theirs = make.clinic(), make.clinic()
    make.patient(theirs, patient_ref="THEIRS1")
    login_as("clinician", clinic=mine)
    page = upload(
        client,
        "courses",
        b"patient_ref,start_date,days,total_dose_g_per_kg,product,lots,status\nTHEIRS1,2024-01-02,5,2,P,L1,given\n",
    )
    assert "patient_ref: no patient THEIRS1 in your clinic" in page.get_data(as_text=True)
    assert count(InfusionCourse) == 0


def test_patients_import_refuses_another_clinic_and_says_nothing_of_its_references(
    client, login_as
):
    clinic, other = make.clinic("Leeds"), make.clinic("York")
    make.patient(other, patient_ref="TAKEN1")
    login_as("clinician", clinic=clinic)
    data = (
        b"patient_ref,name,date_of_birth,sex,onset_date,clinic,weight_kg\n"
        b"NEW1,Ann Example,2015-02-03,female,,York,30\n"
        b"TAKEN1,Bob Example,2015-02-03,male,,,30\n"
        b"NEW2,Cat Example,2015-02-03,girl,2014-01-01,leeds,500\n"
    )
    page = upload(client, "patients", data).get_data(as_text=True)
    assert "clinic: “York” is not your clinic (Leeds)" in page
    assert "TAKEN1" not in page  # York's reference: nothing to say about it in Leeds
    assert "sex: “girl” must be one of female (f), male (m), other (o)" in page
    assert "onset_date: is before the date of birth" in page
    assert "weight_kg: 500 is out of range" in page
    assert count(Patient) == 1


def test_another_clinics_reference_imports_as_a_new_patient_of_this_clinic(client, login_as):
    theirs = make.patient(make.clinic("York"), patient_ref="OTH-001", name="Zed Other")
    clinic = make.clinic("Leeds")
    login_as("clinician", clinic=clinic)
    header = "patient_ref,name,date_of_birth,sex,onset_date,clinic,weight_kg\n"
    data = (header + "oth-001,Ann Example,2015-02-03,f,,,30\n").encode()
    page = upload(client, "patients", data).get_data(as_text=True)
    assert "Imported 1 patients row(s) of 1." in page
    ours = db.session.scalar(select(Patient).where(Patient.clinic_id == clinic.id))
    assert (ours.patient_ref, ours.name) == ("OTH-001", "Ann Example")
    db.session.refresh(theirs)
    assert theirs.name == "Zed Other" and theirs.clinic.name == "York"


def test_courses_import_checks_overlaps_and_future_given_courses(client, login_as):
    clinic = make.clinic()
    patient = make.patient(clinic, patient_ref="C1")
    make.course(patient, date(2024, 3, 1), days=5)
    login_as("clinician", clinic=clinic)
    header = "patient_ref,start_date,days,total_dose_g_per_kg,product,lots,status\n"
    data = (
        header + "C1,2024-03-03,3,2,Privigen,A;B,given\n"
        "C1,2024-05-01,5,2,Privigen,,given\n"
        "C1,2024-05-03,5,2,Privigen,,planned\n"
        "C1,2099-01-01,5,2,Privigen,,given\n"
    ).encode()
    page = upload(client, "courses", data).get_data(as_text=True)
    assert (
        "<strong>Line 2</strong>: start_date: overlaps the course from 2024-03-01 "
        "(an existing course)" in page
    )
    assert (
        "<strong>Line 4</strong>: start_date: overlaps the course from 2024-05-01 (line 3)" in page
    )
    assert "status: a course starting after today cannot be given yet" in page
    assert count(InfusionCourse) == 1


def test_good_courses_import_keeps_lots_and_status(client, login_as):
    clinic = make.clinic()
    patient = make.patient(clinic, patient_ref="C2")
    login_as("clinician", clinic=clinic)
    data = (
        b"patient_ref,start_date,days,total_dose_g_per_kg,product,lots,status\n"
        b"c2,2024-03-03,3,2,Privigen,A1; B2 ;A1,cancelled\n"
    )
    assert "Imported 1 courses" in upload(client, "courses", data).get_data(as_text=True)
    course = db.session.scalar(
        select(InfusionCourse).where(InfusionCourse.patient_id == patient.id)
    )
    assert (course.lot_numbers, course.status, course.days) == (["A1", "B2"], "cancelled", 3)


def test_a_file_that_is_not_utf8_is_refused_with_advice(client, login_as):
    login_as("clinician")
    page = upload(client, "patients", "patient_ref,name\nÅ,Ö\n".encode("latin-1")).get_data(
        as_text=True
    )
    assert "not UTF-8 text" in page and "CSV UTF-8" in page


def test_the_upload_form_names_the_missing_file(client, login_as):
    login_as("clinician")
    page = client.post_form("/clinic/import", {"kind": "patients"}).get_data(as_text=True)
    assert "Choose a CSV file or an Excel workbook to import." in page


def test_import_page_is_for_clinicians_only(client, login_as):
    login_as("admin")
    assert client.get("/clinic/import").status_code == 404


def test_cli_import_adds_rows_then_nothing_and_exits_non_zero_on_a_bad_file(app, tmp_path):
    make.clinic("Nine Cases Clinic")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["import", "patients", str(NINE_CASES / "patients.csv")])
    assert first.exit_code == 0, first.output
    assert "Imported 9 patients row(s) of 9." in first.output
    second = runner.invoke(args=["import", "patients", str(NINE_CASES / "patients.csv")])
    assert second.exit_code == 0 and "9 already recorded" in second.output

    bad = tmp_path / "bad.csv"
    bad.write_text(f"{ASSESSMENT_HEADER}\n{assessment_row('JDM01', 'yesterday', cmas='10')}\n")
    rejected = runner.invoke(args=["import", "assessments", str(bad)])
    assert rejected.exit_code == 1
    assert "line 2: date: “yesterday” is not a date" in rejected.output
    db.session.expire_all()
    assert count(Patient) == 9 and count(Assessment) == 0


def test_cli_patients_import_needs_an_existing_clinic(app, tmp_path):
    sheet = tmp_path / "p.csv"
    sheet.write_text(
        "patient_ref,name,date_of_birth,sex,onset_date,clinic,weight_kg\n"
        "X1,Ann Ex,2015-01-01,female,,Nowhere,\n"
    )
    result = app.test_cli_runner().invoke(args=["import", "patients", str(sheet)])
    assert result.exit_code == 1
    assert "clinic: no clinic named “Nowhere”" in result.output


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("F", "female"), ("f", "female"), ("Female", "female"), ("FEMALE", "female"),
        ("M", "male"), ("m", "male"), ("Male", "male"), (" male ", "male"),
        ("O", "other"), ("Other", "other"), ("U", "other"), ("Not stated", "other"),
    ],
)  # fmt: skip
def test_patients_import_reads_the_usual_codings_of_sex_in_any_case(
    client, login_as, written, stored
):
    login_as("clinician", clinic=make.clinic("Leeds"))
    data = (
        "patient_ref,name,date_of_birth,sex,onset_date,clinic,weight_kg\n"
        f"SX1,Sam Example,2015-02-03,{written},,,30\n"
    ).encode()
    assert "Imported 1 patients" in upload(client, "patients", data).get_data(as_text=True)
    assert db.session.scalar(select(Patient.sex).where(Patient.patient_ref == "SX1")) == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Given", "given"), ("G", "given"), ("done", "given"), ("Completed", "given"),
        ("PLANNED", "planned"), ("Booked", "planned"), ("scheduled", "planned"),
        ("Cancelled", "cancelled"), ("canceled", "cancelled"), ("C", "cancelled"),
    ],
)  # fmt: skip
def test_courses_import_reads_the_usual_codings_of_status_in_any_case(
    client, login_as, written, stored
):
    clinic = make.clinic()
    patient = make.patient(clinic, patient_ref="ST1")
    login_as("clinician", clinic=clinic)
    data = (
        "patient_ref,start_date,days,total_dose_g_per_kg,product,lots,status\n"
        f"ST1,2024-03-03,5,2,Privigen,,{written}\n"
    ).encode()
    assert "Imported 1 courses" in upload(client, "courses", data).get_data(as_text=True)
    course = db.session.scalar(
        select(InfusionCourse).where(InfusionCourse.patient_id == patient.id)
    )
    assert course.status == stored


@pytest.mark.parametrize(
    ("kind", "header", "row", "reason"),
    [
        (
            "patients",
            "patient_ref,name,date_of_birth,sex,onset_date,clinic,weight_kg",
            "SX2,Sam Example,2015-02-03,Q,,,30",
            "sex: “q” must be one of female (f), male (m), other (o)",
        ),
        (
            "courses",
            "patient_ref,start_date,days,total_dose_g_per_kg,product,lots,status",
            "ST2,2024-03-03,5,2,Privigen,,maybe",
            "status: “maybe” must be one of planned (p), given (g), cancelled (c)",
        ),
    ],
)
def test_an_unknown_coding_is_still_refused_naming_line_and_column(
    client, login_as, kind, header, row, reason
):
    clinic = make.clinic()
    make.patient(clinic, patient_ref="ST2")
    login_as("clinician", clinic=clinic)
    patients_before = count(Patient)
    page = upload(client, kind, f"{header}\n{row}\n".encode()).get_data(as_text=True)
    assert f"<strong>Line 2</strong>: {reason}" in page
    assert (count(Patient), count(InfusionCourse)) == (patients_before, 0)
