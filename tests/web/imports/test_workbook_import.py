"""Excel workbooks on the import page and the command line: the same columns, the same
all-or-nothing rule, a report by sheet, row and column; and, in CSV and Excel alike, only
the identifying columns required."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from portal.assessments.models import Assessment
from portal.core.clock import today
from portal.core.extensions import db
from portal.imports.importer import MAX_FILE_BYTES, ImportScope, import_file
from portal.infusions.models import InfusionCourse
from tests import factories as make
from tests.nine_cases import upload


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def workbook(rows: list[list], *, title: str = "Clinic", merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def clinic_with_child(login_as):
    clinic = make.clinic("Northfield")
    make.patient(clinic, patient_ref="XL1", date_of_birth=date(2015, 3, 1))
    login_as("clinician", clinic=clinic)
    return clinic


def test_a_workbook_of_excel_dates_and_iso_text_imports_with_only_some_measures(
    client, clinic_with_child
):
    first = today() - timedelta(days=30)
    second = today() - timedelta(days=10)
    data = workbook(
        [
            ["Patient_Ref", "Date", "CMAS", "ck"],
            ["XL1", datetime.combine(first, datetime.min.time()), 40, 1250.5],
            ["xl1", second.isoformat(), 44, None],
        ]
    )
    page = upload(client, "assessments", data, "clinic.xlsx").get_data(as_text=True)
    assert "Imported 2 assessments row(s) of 2." in page
    rows = db.session.scalars(select(Assessment).order_by(Assessment.assessed_on)).all()
    assert [(a.assessed_on, a.cmas, a.ck, a.mmt8) for a in rows] == [
        (first, 40, 1250.5, None),
        (second, 44, None, None),  # columns left out and empty cells: not measured
    ]


def test_a_formula_is_refused_at_its_sheet_row_and_column_and_nothing_is_imported(
    client, clinic_with_child
):
    day = (today() - timedelta(days=5)).isoformat()
    data = workbook(
        [
            ["patient_ref", "date", "cmas", "mmt8"],
            ["XL1", day, 40, 70],
            ["XL1", (today() - timedelta(days=4)).isoformat(), "=C2+1", 71],
        ],
        title="March clinic",
    )
    page = upload(client, "assessments", data, "march.xlsx").get_data(as_text=True)
    assert "Nothing was imported" in page
    assert "Sheet “March clinic”, row 3" in page
    assert "cmas (column C): is a formula" in page
    assert count(Assessment) == 0


def test_a_bad_value_in_a_workbook_names_sheet_row_and_column(client, clinic_with_child):
    data = workbook([["patient_ref", "date", "cmas"], ["XL1", "yesterday", 99]])
    page = upload(client, "assessments", data, "a.xlsx").get_data(as_text=True)
    assert "Sheet “Clinic”, row 2" in page
    assert "date (column B): “yesterday” is not a date" in page
    assert "cmas (column C): 99 is out of range" in page
    assert count(Assessment) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"patient_ref,date\nnot really a workbook", "is not an Excel workbook (.xlsx)"),
        (b"PK\x03\x04 broken archive", "is not an Excel workbook (.xlsx)"),
        (workbook([]), "Sheet “Clinic” is empty: it needs a header row"),
        (workbook([["patient_ref", "date", "cmas"]]), "has a header row but no data rows"),
        (
            workbook([["patient_ref", "date", "cmas"], ["XL1", "2024-01-02", 3]], merge="B1:C1"),
            "row 1: the header row has merged cells (B1:C1)",
        ),
        (
            workbook([["patient_ref", "date", "cmass"], ["XL1", "2024-01-02", 3]]),
            "does not know: cmass",
        ),
        (workbook([["patient_ref", "cmas"], ["XL1", 3]]), "lacks the column(s): date"),
    ],
    ids=["text", "broken-zip", "empty", "header-only", "merged", "unknown", "missing"],
)
def test_a_workbook_that_cannot_be_read_is_refused_whole_with_a_clear_message(
    client, clinic_with_child, data, message
):
    page = upload(client, "assessments", data, "clinic.xlsx").get_data(as_text=True)
    assert "Nothing was imported" in page
    assert message in page
    assert count(Assessment) == 0


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(app):
    clinic = make.clinic()
    big = b"PK\x03\x04" + b"\0" * MAX_FILE_BYTES
    report = import_file("assessments", big, ImportScope(today=today(), clinic=clinic), "a.xlsx")
    assert report.file_problem == "The file is larger than 5 MB; split it."
    assert count(Assessment) == 0


def test_a_csv_needs_only_the_identifying_columns_and_refuses_an_unknown_one_by_name(
    client, clinic_with_child
):
    day = (today() - timedelta(days=3)).isoformat()
    page = upload(client, "assessments", f"patient_ref,date,cmas\nXL1,{day},38\n".encode())
    assert "Imported 1 assessments row(s) of 1." in page.get_data(as_text=True)
    typo = f"patient_ref,date,cmas,chaqq\nXL1,{day},38,1\n".encode()
    page = upload(client, "assessments", typo).get_data(as_text=True)
    assert "does not know: chaqq" in page
    missing = upload(client, "courses", b"patient_ref,days\nXL1,5\n").get_data(as_text=True)
    assert "lacks the column(s): start_date" in missing
    assert count(Assessment) == 1 and count(InfusionCourse) == 0


def test_the_command_line_imports_a_workbook_and_reports_by_sheet_and_row(app, tmp_path):
    clinic = make.clinic("Westgate")
    make.patient(clinic, patient_ref="XL9")
    day = today() - timedelta(days=20)
    good = tmp_path / "courses.xlsx"
    good.write_bytes(
        workbook(
            [
                ["patient_ref", "start_date", "days", "total_dose_g_per_kg", "lots", "status"],
                ["XL9", datetime.combine(day, datetime.min.time()), 2, 2, "A1;B2", "given"],
            ]
        )
    )
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "courses", str(good), "--clinic", "Westgate"])
    assert result.exit_code == 0, result.output
    assert "Imported 1 courses row(s) of 1." in result.output
    [course] = db.session.scalars(select(InfusionCourse)).all()
    assert (course.start_date, course.lot_numbers) == (day, ["A1", "B2"])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        workbook([["patient_ref", "start_date", "days", "status"], ["XL9", "soon", 2, "given"]])
    )
    result = runner.invoke(args=["import", "courses", str(bad), "--clinic", "Westgate"])
    assert result.exit_code == 1
    assert "sheet “Clinic”, row 2: start_date (column B): “soon” is not a date" in result.output
