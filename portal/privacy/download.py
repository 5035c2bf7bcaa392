"""The family's download they can read: one CSV per kind of record with plain column
headers (one row per entry), the diary grouped by course for the summary, and the
summary's dates. The zip itself is put together in the view (it renders templates).

Everything comes through the ORM, so soft-deleted records are left out; diary entries a
family deleted are left out here, with the replies about them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from portal.assessments import measures
from portal.diary.models import MOOD, RASH, RASH_CHANGE, STRENGTH, SYMPTOMS, WARNING_SIGNS
from portal.fhir.patient_bundle import Record
from portal.infusions.calendar import number_courses
from portal.infusions.models import INDICATIONS, InfusionCourse
from portal.privacy.export import FORMULA_STARTS
from portal.summary.clinic_summary import MAX_RANGE_DAYS

DEFAULT_DAYS = 183


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    # A spreadsheet runs a cell starting with one of these as a formula.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _table(header: Sequence[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue()


def _label(labels: dict[int, str]) -> Callable[[int | None], str]:
    return lambda value: "" if value is None else f"{value} ({labels.get(value, '')})"


def diary_csv(record: Record) -> str:
    strength, rash, change, mood = _label(STRENGTH), _label(RASH), _label(RASH_CHANGE), _label(MOOD)
    header = [
        "Date",
        "Written by",
        "Strength",
        "Rash",
        "Rash change",
        "Mood",
        "Temperature (°C)",
        *(f"{label} (0-3)" for label in SYMPTOMS.values()),
        *(label for _, label in WARNING_SIGNS.values()),
        "Walk 28 ft (s)",
        "Note",
    ]
    rows = [
        [
            e.entry_date.isoformat(),
            e.author_role,
            strength(e.strength),
            rash(e.rash),
            change(e.rash_change),
            mood(e.mood),
            e.temperature_c,
            *(getattr(e, name) for name in SYMPTOMS),
            *(getattr(e, column) for column, _ in WARNING_SIGNS.values()),
            e.walk_28ft_seconds,
            e.note,
        ]
        for e in record.entries
    ]
    return _table(header, rows)


def courses_csv(record: Record) -> str:
    numbers = number_courses(record.courses)
    header = ["Course", "First day", "Last day", "Days", "Total dose (g/kg)",
              "Daily dose (mg/kg)", "Product", "Lots", "Indication", "Status"]  # fmt: skip
    rows = [
        [
            numbers.get(c.id),
            c.start_date.isoformat(),
            c.end_date.isoformat(),
            c.days,
            c.total_dose_g_per_kg,
            c.daily_mg_per_kg,
            c.product,
            "; ".join(c.lot_numbers),
            INDICATIONS.get(c.indication, ""),
            c.status,
        ]  # fmt: skip
        for c in record.courses
    ]
    return _table(header, rows)


def assessments_csv(record: Record) -> str:
    header = ["Date", *(_with_unit(m) for m in measures.RECORDED), "Mean myometry"]
    rows = [
        [
            a.assessed_on.isoformat(),
            *(getattr(a, m.name) for m in measures.RECORDED),
            a.mean_myometry,
        ]  # fmt: skip
        for a in record.assessments
    ]
    return _table(header, rows)


def _with_unit(measure: measures.Measure) -> str:
    return f"{measure.label} ({measure.unit})" if measure.unit else measure.label


def medicines_csv(record: Record) -> str:
    header = ["Medicine", "From", "Until", "Dose", "Notes"]
    rows = [
        [
            m.name,
            m.start_date.isoformat(),
            m.stop_date.isoformat() if m.stop_date else "",
            m.dose_text,
            m.notes,
        ]  # fmt: skip
        for m in record.medications
    ]
    return _table(header, rows)


def weights_csv(record: Record) -> str:
    rows = [[w.measured_on.isoformat(), w.weight_kg] for w in record.weights]
    return _table(["Date", "Weight (kg)"], rows)


def replies_csv(record: Record) -> str:
    days = {e.id: e.entry_date for e in record.entries}
    rows = [
        [days[r.entry_id].isoformat(), r.created_at.isoformat(timespec="minutes"), r.text]
        for r in record.replies
    ]
    return _table(["About the diary of", "Sent (UTC)", "Message from the clinic"], rows)


def record_csvs(record: Record) -> dict[str, str]:
    """File name → CSV text, one file per kind of record."""
    return {
        "diary.csv": diary_csv(record),
        "courses.csv": courses_csv(record),
        "assessments.csv": assessments_csv(record),
        "medicines.csv": medicines_csv(record),
        "weights.csv": weights_csv(record),
        "clinic-replies.csv": replies_csv(record),
    }


@dataclass(frozen=True)
class CourseDiary:
    """The diary entries from one course's first day until the next course (or the end)."""

    number: int | None
    course: InfusionCourse | None  # None: entries before the first course
    entries: list


def diary_by_course(record: Record) -> list[CourseDiary]:
    """The diary grouped under the course each entry follows, oldest first."""
    numbers = number_courses(record.courses)
    given = [c for c in record.courses if c.status == "given"]
    groups: dict[int | None, list] = {}
    for entry in record.entries:
        course = None
        for candidate in given:
            if candidate.start_date <= entry.entry_date:
                course = candidate
        groups.setdefault(course.id if course else None, []).append(entry)
    by_id = {c.id: c for c in given}
    return [
        CourseDiary(numbers.get(key) if key else None, by_id.get(key), entries)
        for key, entries in groups.items()
    ]


def summary_start(record: Record, today: date) -> date:
    """The first day the summary covers: the earliest record, at most three years back."""
    days = [e.entry_date for e in record.entries]
    days += [c.start_date for c in record.courses] + [a.assessed_on for a in record.assessments]
    earliest = min(days, default=today - timedelta(days=DEFAULT_DAYS))
    return max(min(earliest, today), today - timedelta(days=MAX_RANGE_DAYS - 1))
