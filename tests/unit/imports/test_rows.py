"""Reading a clinic CSV: header checks, line numbers and cell values with reasons."""

import pytest

from portal.imports.courses import STATUS_SPELLINGS
from portal.imports.patients import SEX_SPELLINGS
from portal.imports.rows import CellReader, FileProblem, read_rows
from portal.infusions.models import CourseStatus
from portal.patients.models import SEXES

COLUMNS = ("patient_ref", "date", "cmas")


def test_rows_carry_their_line_number_in_the_file():
    data = b"patient_ref,date,cmas\nA1,2024-01-02,40\n\nA2,2024-01-03,41\n"
    rows = read_rows(data, COLUMNS)
    assert [r.line for r in rows] == [2, 4]
    assert rows[1].cells == {"patient_ref": "A2", "date": "2024-01-03", "cmas": "41"}


def test_header_may_come_in_any_order_with_an_excel_byte_order_mark():
    data = "\ufeffCMAS, Date ,patient_ref\n40,2024-01-02,A1\n".encode()
    assert read_rows(data, COLUMNS)[0].cells["cmas"] == "40"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"patient_ref,date\nA1,2024-01-02\n", "lacks the column(s): cmas"),
        (b"patient_ref,date,cmas,colour\nA1,2024-01-02,1,red\n", "does not know: colour"),
        (b"patient_ref,date,cmas,cmas\n", "names a column twice: cmas"),
        (b"", "The file is empty"),
        (b"patient_ref,date,cmas\n", "no data rows"),
        ("patient_ref,date,cmas\nÅ1,2024-01-02,1\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(data, message):
    with pytest.raises(FileProblem) as problem:
        read_rows(data, COLUMNS)
    assert message in problem.value.message


def test_a_row_with_more_cells_than_the_header_is_a_problem_of_that_row():
    rows = read_rows(b"patient_ref,date,cmas\nA1,2024-01-02,40,oops\n", COLUMNS)
    assert "has 4 cells" in CellReader(rows[0]).reasons[0]


def test_cells_are_read_with_a_reason_naming_the_column_for_each_bad_one():
    row = read_rows(b"patient_ref,date,cmas\nA 1,2024-02-30,60\n", COLUMNS)[0]
    reader = CellReader(row)
    assert reader.patient_ref() is None
    assert reader.day("date") is None
    assert reader.number("cmas", 0, 52, whole=True) is None
    assert reader.reasons[0].startswith("patient_ref:")
    assert reader.reasons[1].startswith("date: “2024-02-30” is not a date")
    assert reader.reasons[2] == "cmas: 60 is out of range (must be between 0 and 52)"


def test_day_month_year_dates_are_read_the_british_way():
    row = read_rows(b"patient_ref,date,cmas\nA1,03/04/2024,\n", COLUMNS)[0]
    assert CellReader(row).day("date").isoformat() == "2024-04-03"


def test_whole_number_scores_accept_a_trailing_point_zero_from_spreadsheets():
    row = read_rows(b"patient_ref,date,cmas\nA1,2024-01-01,40.0\n", COLUMNS)[0]
    reader = CellReader(row)
    assert reader.number("cmas", 0, 52, whole=True) == 40
    assert reader.reasons == []


def test_every_stored_choice_has_a_spelling_and_no_spelling_names_two_values():
    assert set(SEX_SPELLINGS.values()) == set(SEXES)
    assert set(STATUS_SPELLINGS.values()) == {s.value for s in CourseStatus}
    assert all(
        spelling == spelling.lower().strip() for spelling in [*SEX_SPELLINGS, *STATUS_SPELLINGS]
    )
