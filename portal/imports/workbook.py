"""Reading a clinic workbook (.xlsx, openpyxl) into the same rows as a CSV file.

The first worksheet is read; its first non-empty row is the header. Cells come as the
text a CSV would hold: a date cell (an Excel date) as YYYY-MM-DD, a number as written,
so the kinds' planners check a workbook exactly as they check a CSV file. A formula is
refused at its cell (the import stores values, not what a formula would compute).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from portal.imports.rows import MAX_ROWS, FileProblem, Row, check_header

# What the parts of a workbook may add up to once unpacked: a small file that unpacks to
# gigabytes is refused before any of it is read.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
NOT_A_WORKBOOK = (
    "The file is not an Excel workbook (.xlsx). Save it from Excel as “Excel Workbook”."
)
FORMULA = "is a formula; paste its value instead (Paste special → Values)"


def is_workbook(data: bytes, filename: str = "") -> bool:
    """True for a file to be read as a workbook: named .xlsx, or a zip archive."""
    return filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileProblem(NOT_A_WORKBOOK) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem("The workbook is too large once unpacked; split it.")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f"


def read_workbook(
    data: bytes, columns: Sequence[str], required: Sequence[str] | None = None
) -> tuple[str, list[Row]]:
    """The first worksheet's name and its data rows, each at its row number in the sheet."""
    _check_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), data_only=False)
    except (InvalidFileException, KeyError, ValueError, OSError, zipfile.BadZipFile):
        raise FileProblem(NOT_A_WORKBOOK) from None
    try:
        sheet = book.worksheets[0]
    except IndexError:
        raise FileProblem("The workbook has no worksheet.") from None
    name = sheet.title
    header: list[str] | None = None
    letters: dict[str, str] = {}
    rows: list[Row] = []
    for cells in sheet.iter_rows():
        values = [_text(c.value) for c in cells]
        if not any(values):
            continue
        number = cells[0].row
        if header is None:
            _refuse_merged_header(sheet, number)
            if any(_is_formula(c) for c in cells):
                raise FileProblem(f"Sheet “{name}”, row {number}: the header row holds a formula.")
            header = check_header(values, columns, required)
            letters = {col: get_column_letter(i + 1) for i, col in enumerate(header)}
            continue
        rows.append(_row(number, header, letters, cells, values))
        if len(rows) > MAX_ROWS:
            raise FileProblem(f"The workbook has more than {MAX_ROWS} rows; split it.")
    if header is None:
        raise FileProblem(f"Sheet “{name}” is empty: it needs a header row and at least one row.")
    if not rows:
        raise FileProblem(f"Sheet “{name}” has a header row but no data rows.")
    return name, rows


def _refuse_merged_header(sheet, number: int) -> None:
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= number <= merged.max_row:
            raise FileProblem(
                f"Sheet “{sheet.title}”, row {number}: the header row has merged cells "
                f"({merged.coord}); give each column its own header cell."
            )


def _row(number: int, header: list[str], letters: dict, cells, values: list[str]) -> Row:
    width = len(header)
    extra = [v for v in values[width:] if v]
    cells_by_name = dict(zip(header, values[:width] + [""] * (width - len(values)), strict=False))
    problems = []
    if extra:
        problems.append(
            f"has {len(header) + len(extra)} cells but the header names {width} columns"
        )
    for column, cell in zip(header, cells, strict=False):
        if _is_formula(cell):
            problems.append(f"{column} (column {letters[column]}): {FORMULA}")
            cells_by_name[column] = ""
    return Row(number, cells_by_name, "; ".join(problems) or None, letters)
