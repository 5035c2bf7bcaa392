"""The diary summarised per given course, in SQL: three grouped queries whatever the clinic size.

Each course's windows (outcomes.diary_windows) are worked out once in a
materialised CTE; entries are then joined by patient and date range (served by
the (patient_id, entry_date) index) and aggregated per course, so a year of
daily entries is never loaded entry by entry.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import CTE, ColumnElement, Date, Select, and_, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from portal.infusions.models import CourseStatus, InfusionCourse
from portal.outcomes import diary_windows
from portal.outcomes.diary_windows import CourseDiary
from portal.outcomes.on_record import on_record


class date_plus_days(FunctionElement):  # noqa: N801 - reads as the SQL function it renders
    """A date column plus a whole number of days, in SQLite and PostgreSQL alike."""

    type = Date()
    inherit_cache = True
    name = "date_plus_days"


@compiles(date_plus_days)
def _date_plus_days_postgresql(element, compiler, **kw) -> str:
    day, offset = (compiler.process(c, **kw) for c in element.clauses)
    # date + integer is a date in PostgreSQL; the cast keeps a bound int8 from missing it.
    return f"({day} + CAST({offset} AS INTEGER))"


@compiles(date_plus_days, "sqlite")
def _date_plus_days_sqlite(element, compiler, **kw) -> str:
    day, offset = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({day}, printf('%+d days', {offset}))"


def _course_windows(patient_ids: Select) -> CTE:
    course = InfusionCourse
    last = course.days - 1
    windows = select(
        course.id.label("course_id"),
        course.patient_id.label("patient_id"),
        date_plus_days(course.start_date, -diary_windows.BEFORE_DAYS).label("before_from"),
        date_plus_days(course.start_date, -1).label("before_to"),
        course.start_date.label("effects_from"),
        date_plus_days(course.start_date, last + diary_windows.EFFECT_DAYS).label("effects_to"),
        date_plus_days(course.start_date, last + 1).label("after_from"),
        date_plus_days(course.start_date, last + diary_windows.AFTER_DAYS).label("after_to"),
    ).where(
        course.patient_id.in_(patient_ids),
        course.status == CourseStatus.GIVEN.value,
        on_record(course),
    )
    # Materialised so each course's window dates are worked out once, not per entry.
    return windows.cte("course_windows").prefix_with("MATERIALIZED")


def _per_course(windows: CTE, window: str, *columns: ColumnElement) -> Select:
    w, entry = windows.c, DiaryEntry
    inside = and_(
        entry.patient_id == w.patient_id,
        entry.entry_date >= w[f"{window}_from"],
        entry.entry_date <= w[f"{window}_to"],
    )
    return (
        select(w.course_id, w.patient_id, *columns)
        .select_from(windows)
        .join(entry, inside)
        .where(on_record(DiaryEntry))
        .group_by(w.course_id, w.patient_id)
    )


def _strength(windows: CTE, window: str) -> Select:
    return _per_course(
        windows, window, func.avg(DiaryEntry.strength), func.count(DiaryEntry.strength)
    )


def _effects(windows: CTE) -> Select:
    worst = [func.max(getattr(DiaryEntry, s)) for s in diary_windows.SYMPTOMS]
    return _per_course(windows, "effects", func.count(), func.max(DiaryEntry.temperature_c), *worst)


def _number(value) -> float | None:
    # PostgreSQL's avg of integers is a Decimal; SQLite's a float.
    return float(value) if value is not None else None


def course_diaries(patient_ids: Select) -> dict[int, tuple[int, CourseDiary]]:
    """Course id → (patient id, its diary summary), for the given courses of these patients."""
    windows = _course_windows(patient_ids)
    connection = db.session.connection()
    fields: dict[int, dict] = defaultdict(dict)
    owners: dict[int, int] = {}
    for side in ("before", "after"):
        for course_id, patient_id, mean, count in connection.execute(_strength(windows, side)):
            owners[course_id] = patient_id
            fields[course_id].update({f"{side}_strength": _number(mean), f"{side}_entries": count})
    for course_id, patient_id, count, hottest, *worst in connection.execute(_effects(windows)):
        owners[course_id] = patient_id
        fields[course_id].update(
            effect_entries=count,
            worst_grades=dict(zip(diary_windows.SYMPTOMS, worst, strict=True)),
            fever=hottest is not None and hottest >= diary_windows.FEVER_C,
        )
    return {cid: (owners[cid], CourseDiary(**values)) for cid, values in fields.items()}
