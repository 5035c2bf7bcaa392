"""Reading a clinic spreadsheet (CSV, UTF-8, header row) into rows, and cells into values.

Only the columns a kind cannot do without (its `required`) must be in the header; a
column left out reads as empty cells (not measured), and a column the import does not
know is refused by name, so that a typo never vanishes silently.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from portal.core.text_rules import CONTROL_CHARACTERS, first_control_character

MAX_ROWS = 20_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
DATE_HINT = "use YYYY-MM-DD, e.g. 2024-03-31 (or 31/03/2024)"
PATIENT_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/._-]{0,39}$")


class FileProblem(Exception):
    """The file as a whole cannot be read; nothing in it is looked at further."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    line: int  # the line in the file where the row ends, the header being line 1
    cells: dict[str, str]
    problem: str | None = None
    # A workbook's column letters by column name, so a reason names the cell exactly.
    letters: Mapping[str, str] = field(default_factory=dict)


def _decode(data: bytes) -> str:
    try:
        # utf-8-sig drops the byte-order mark Excel writes at the start of "CSV UTF-8".
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            "The file is not UTF-8 text. In your spreadsheet choose Save as → “CSV UTF-8”."
        ) from None


def shown(text: str, limit: int = 40) -> str:
    """A cell as a message may quote it: refused characters as '?', cut short."""
    return CONTROL_CHARACTERS.sub("?", text)[:limit]


def check_header(
    names: Sequence[str], columns: Sequence[str], required: Sequence[str] | None = None
) -> list[str]:
    """The header's column names, lower case, once each known, every required one there."""
    header = [name.strip().lower() for name in names]
    while header and header[-1] == "":
        header.pop()  # spreadsheets often leave empty columns at the end
    missing = [c for c in (columns if required is None else required) if c not in header]
    unknown = [h for h in header if h not in columns]
    repeated = sorted({h for h in header if header.count(h) > 1})
    if missing:
        raise FileProblem(f"The header row lacks the column(s): {', '.join(missing)}.")
    if unknown:
        names = ", ".join(shown(name) for name in unknown)
        raise FileProblem(f"The header row has column(s) this import does not know: {names}.")
    if repeated:
        raise FileProblem(f"The header row names a column twice: {', '.join(repeated)}.")
    return header


def _row(line: int, header: list[str], values: list[str]) -> Row:
    values = [v.strip() for v in values]
    extra = values[len(header) :]
    cells = dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))
    problem = None
    if any(extra):
        problem = f"has {len(values)} cells but the header names {len(header)} columns"
    return Row(line, cells, problem)


def read_rows(
    data: bytes, columns: Sequence[str], required: Sequence[str] | None = None
) -> list[Row]:
    """The data rows of a CSV file whose header names these columns (in any order): all of
    them, or at least the `required` ones and no other."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    rows: list[Row] = []
    header: list[str] | None = None
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if header is None:
                header = check_header(values, columns, required)
                continue
            rows.append(_row(reader.line_num, header, values))
            if len(rows) > MAX_ROWS:
                raise FileProblem(f"The file has more than {MAX_ROWS} rows; split it.")
    except csv.Error as error:
        raise FileProblem(f"Line {reader.line_num}: the file is not valid CSV ({error}).") from None
    if header is None:
        raise FileProblem("The file is empty: it needs a header row and at least one row.")
    if not rows:
        raise FileProblem("The file has a header row but no data rows.")
    return rows


@dataclass
class CellReader:
    """Reads one row's cells into values, collecting a reason for each bad cell."""

    row: Row
    reasons: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        if self.row.problem:
            self.reasons.append(self.row.problem)
        # The text rule of every form holds for every cell, whatever its column: a
        # control character (NUL, BEL, ESC …) or half a character refuses the row,
        # named by line (the row's) and column, and is never quoted back.
        self.cells = {}
        for column, value in self.row.cells.items():
            position = first_control_character(value)
            if position is not None:
                self.fail(
                    column,
                    f"has an invisible control character (character {position}); remove it",
                )
                value = CONTROL_CHARACTERS.sub("?", value)
            self.cells[column] = value

    def fail(self, column: str, reason: str) -> None:
        letter = self.row.letters.get(column)
        self.reasons.append(
            f"{column} (column {letter}): {reason}" if letter else f"{column}: {reason}"
        )

    def text(self, column: str, *, required: bool = False, max_length: int = 120) -> str:
        value = self.cells.get(column, "")
        if required and not value:
            self.fail(column, "is empty")
        elif len(value) > max_length:
            self.fail(column, f"is longer than {max_length} characters")
        return value

    def patient_ref(self, column: str = "patient_ref") -> str | None:
        value = self.text(column, required=True, max_length=40)
        if value and not PATIENT_REF.match(value):
            self.fail(column, "use letters, digits, / . _ or - (starting with a letter or digit)")
            return None
        return value.upper() or None

    def day(self, column: str, *, required: bool = False) -> date | None:
        value = self.cells.get(column, "")
        if not value:
            if required:
                self.fail(column, f"is empty ({DATE_HINT})")
            return None
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        self.fail(column, f"“{value[:20]}” is not a date ({DATE_HINT})")
        return None

    def number(
        self,
        column: str,
        minimum: float,
        maximum: float,
        *,
        whole: bool = False,
        required: bool = False,
    ) -> float | None:
        value = self.cells.get(column, "")
        if not value:
            if required:
                self.fail(column, "is empty")
            return None
        try:
            number = float(value)
        except ValueError:
            self.fail(column, f"“{value[:20]}” is not a number")
            return None
        if number != number or not minimum <= number <= maximum:  # number != number: NaN
            self.fail(
                column,
                f"{value[:20]} is out of range (must be between {minimum:,g} and {maximum:,g})",
            )
            return None
        if whole and number != int(number):
            self.fail(column, f"{value[:20]} must be a whole number")
            return None
        return int(number) if whole else number

    def choice(self, column: str, spellings: Mapping[str, str]) -> str | None:
        """The stored value a cell names, by any of its usual spellings in any case."""
        value = " ".join(self.cells.get(column, "").split()).lower()
        if value not in spellings:
            quoted = value[:20] or "empty"
            self.fail(column, f"“{quoted}” must be one of {_spelling_hint(spellings)}")
            return None
        return spellings[value]


def choice_spellings(codings: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Spelling → stored value, from each stored value's other spellings (all lower case)."""
    spellings = {value: value for value in codings}
    for value, others in codings.items():
        spellings.update(dict.fromkeys(others, value))
    return spellings


def _spelling_hint(spellings: Mapping[str, str]) -> str:
    """'female (f), male (m), other (o)': each stored value with its shortest spelling."""
    parts = []
    for value in dict.fromkeys(spellings.values()):
        shortest = min((s for s, v in spellings.items() if v == value), key=len)
        parts.append(f"{value} ({shortest})" if shortest != value else value)
    return ", ".join(parts)
