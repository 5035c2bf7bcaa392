"""The one validation of a diary entry, shared by the HTML forms and the JSON API.

Input is a mapping in the API's names (`date`, `strength`, `warning_signs` …).
Form posts arrive as strings and JSON as numbers; both are read here, so the
two ways in accept and refuse exactly the same entries.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.core.errors import FieldError
from portal.core.text_rules import has_control_characters
from portal.diary.models import SYMPTOMS, WARNING_SIGNS

NOTE_MAX = 2000
TEMPERATURE_RANGE = (34.0, 43.0)
WALK_RANGE = (1.0, 600.0)

GUARDIAN_FIELDS = frozenset(
    {
        "client_id",
        "date",
        "strength",
        "rash",
        "rash_change",
        "mood",
        *SYMPTOMS,
        "temperature_c",
        "warning_signs",
        "walk_28ft_seconds",
        "note",
    }
)
# A child's own report: how they feel and how strong they feel, nothing clinical.
CHILD_FIELDS = frozenset({"client_id", "date", "strength", "mood"})

MESSAGES = {
    "strength": "Choose one answer from much worse (−2) to much better (2).",
    "rash": "Choose none, mild, moderate or severe (0 to 3).",
    "rash_change": "Choose better (1), same (0) or worse (−1).",
    "mood": "Choose one of the five faces (1 to 5).",
    "grade": "Choose none, mild, moderate or severe (0 to 3).",
    "temperature_c": "Enter a temperature between 34 and 43 °C, like 38.2.",
    "walk_28ft_seconds": "Enter the time in seconds, between 1 and 600.",
}
RANGES = {"strength": (-2, 2), "rash": (0, 3), "rash_change": (-1, 1), "mood": (1, 5)}


@dataclass(frozen=True)
class EntryValues:
    """A checked entry: the client's id and the column values to store."""

    client_id: str | None
    columns: dict[str, Any]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _whole(value: object) -> int:
    """An integer from JSON or a form; booleans and fractions are refused."""
    if isinstance(value, bool):
        raise ValueError("boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValueError("not a whole number")


def _number(value: object) -> float:
    """A finite number from JSON or a form ('38,6' as typed on many phones)."""
    if isinstance(value, bool):
        raise ValueError("boolean")
    try:
        if isinstance(value, int | float):
            number = float(value)  # an int of 401 digits has no float: OverflowError
        elif isinstance(value, str):
            number = float(value.strip().replace(",", "."))
        else:
            raise ValueError("not a number")
    except OverflowError:
        raise ValueError("out of range") from None
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


class _Checker:
    """Collects one message per bad field while reading the payload."""

    def __init__(self, payload: Mapping[str, Any]) -> None:
        self.payload = payload
        self.errors: dict[str, str] = {}

    def read(self, name: str, parse: Callable[[object], Any], default: Any = None) -> Any:
        value = self.payload.get(name)
        if _blank(value):
            return default
        try:
            return parse(value)
        except (TypeError, ValueError) as error:
            self.errors[name] = str(error.args[0]) if error.args else "Check this answer."
            return default


def _ranged(name: str, message: str) -> Callable[[object], int]:
    low, high = RANGES.get(name, (0, 3))

    def parse(value: object) -> int:
        try:
            number = _whole(value)
        except ValueError:
            raise ValueError(message) from None
        if not low <= number <= high:
            raise ValueError(message)
        return number

    return parse


def _bounded(name: str, low: float, high: float) -> Callable[[object], float]:
    def parse(value: object) -> float:
        try:
            number = _number(value)
        except ValueError:
            raise ValueError(MESSAGES[name]) from None
        if not low <= number <= high:
            raise ValueError(MESSAGES[name])
        return number

    return parse


def _entry_date(today: date, born: date | None) -> Callable[[object], date]:
    def parse(value: object) -> date:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError("Enter the date as YYYY-MM-DD, for example 2025-03-14.") from None
        if day > today:
            raise ValueError("The date cannot be in the future.")
        if born is not None and day < born:
            raise ValueError("The date is before the child was born; check the year.")
        return day

    return parse


def _client_id(value: object) -> str:
    try:
        return str(uuid.UUID(str(value).strip()))
    except ValueError:
        raise ValueError("Send a UUID made by the client, like 3f2b…-….") from None


def _warning_signs(value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError("Send a list of warning-sign names.")
    unknown = [name for name in value if name not in WARNING_SIGNS]
    if unknown:
        raise ValueError(f"Unknown warning sign: {unknown[0][:40]}.")
    return list(dict.fromkeys(value))


def _note(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("Send the note as text.")
    if len(value) > NOTE_MAX:
        raise ValueError(f"Keep the note to 2,000 characters (it has {len(value):,}).")
    if has_control_characters(value):
        raise ValueError("Remove the invisible control characters from the note.")
    return value


def _columns(check: _Checker, today: date, born: date | None) -> dict[str, Any]:
    columns: dict[str, Any] = {
        "entry_date": check.read("date", _entry_date(today, born)),
        "temperature_c": check.read("temperature_c", _bounded("temperature_c", *TEMPERATURE_RANGE)),
        "walk_28ft_seconds": check.read(
            "walk_28ft_seconds", _bounded("walk_28ft_seconds", *WALK_RANGE)
        ),
        "note": check.read("note", _note, default=""),
    }
    for name in ("strength", "rash", "rash_change", "mood"):
        columns[name] = check.read(name, _ranged(name, MESSAGES[name]))
    for name in SYMPTOMS:
        columns[name] = check.read(name, _ranged(name, MESSAGES["grade"]), default=0)
    signs = check.read("warning_signs", _warning_signs, default=[])
    for name, (column, _label) in WARNING_SIGNS.items():
        columns[column] = name in signs
    return columns


def validate_entry(
    payload: Mapping[str, Any],
    *,
    today: date,
    author_role: str,
    born: date | None = None,
    require_client_id: bool = True,
) -> EntryValues:
    """Check a whole entry and return what to store, or raise FieldError naming each field."""
    allowed = CHILD_FIELDS if author_role == "child" else GUARDIAN_FIELDS
    check = _Checker(payload)
    for name in payload:
        if name not in allowed:
            known = name in GUARDIAN_FIELDS
            check.errors[str(name)[:40]] = (
                "A child's own report holds only mood and strength." if known else "Unknown field."
            )
    if _blank(payload.get("date")):
        check.errors.setdefault("date", "Enter the date.")
    client_id = check.read("client_id", _client_id)
    if require_client_id and client_id is None and "client_id" not in check.errors:
        check.errors["client_id"] = "Send a UUID made by the client."
    columns = _columns(check, today, born)
    if author_role == "child" and columns["mood"] is None and columns["strength"] is None:
        check.errors.setdefault("mood", "Choose a face, or how strong you feel.")
    if check.errors:
        raise FieldError(check.errors)
    return EntryValues(client_id, columns)
