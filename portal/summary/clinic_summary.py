"""The clinic summary of one patient over a date range: what a clinic letter attaches.

Courses with doses and lots, the paired assessments of each given course, what the family
reported after each course, the alerts and the clinic's replies, and prednisolone. Every
figure comes from the same services as the pages (charts.sources, outcomes, the alert
labels), so the summary cannot disagree with the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.assessments.measures import REPORTED_BY_NAME
from portal.charts import sources
from portal.charts.svg import SvgSeries, time_chart
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.diary.alerts import reason_label
from portal.diary.models import GRADES, SYMPTOMS, Alert, DiaryEntry
from portal.infusions.calendar import number_courses
from portal.infusions.models import CourseStatus, InfusionCourse
from portal.medications.models import Agent, MedicationRecord
from portal.outcomes.cohort_data import load_records
from portal.outcomes.course_response import CourseResponse, course_responses
from portal.outcomes.diary_windows import CourseDiary
from portal.patients.models import Patient
from portal.review.models import Reply

MAX_RANGE_DAYS = 3 * 366  # three years: a summary, not an archive


@dataclass(frozen=True)
class CourseLine:
    course: InfusionCourse
    number: int | None


@dataclass(frozen=True)
class PairedLine:
    number: int | None
    response: CourseResponse

    def changes(self) -> list[tuple[str, float, float, float, bool]]:
        """(measure, before, after, change, improved) for each measure present on both days."""
        return [
            (REPORTED_BY_NAME[name].label, c.before, c.after, c.change, c.improved)
            for name, c in self.response.changes.items()
        ]


@dataclass(frozen=True)
class SymptomLine:
    """What the family reported from a course's first infusion day to 7 days after it."""

    number: int | None
    course: InfusionCourse
    diary: CourseDiary | None

    @property
    def reported(self) -> list[str]:
        if self.diary is None:
            return []
        worst = self.diary.worst_grades
        words = [f"{SYMPTOMS[s]} ({GRADES[g]})" for s, g in worst.items() if g]
        return words + (["Fever (38.0 °C or more)"] if self.diary.fever else [])


@dataclass(frozen=True)
class AlertLine:
    day: date
    reasons: list[str]
    urgency: int
    acknowledged_at: datetime | None
    acknowledged_by: str


@dataclass(frozen=True)
class ReplyLine:
    entry_day: date
    sent_at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class ClinicSummary:
    patient: Patient
    start: date
    end: date
    courses: list[CourseLine]
    paired: list[PairedLine]
    symptoms: list[SymptomLine]
    alerts: list[AlertLine]
    replies: list[ReplyLine]
    prednisolone: list[MedicationRecord]
    charts: dict[str, str]  # title → SVG


def check_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The dates asked for, or FieldError naming the one at fault."""
    if start is None:
        raise FieldError("start", "Enter the first date of the summary.")
    if end is None:
        raise FieldError("end", "Enter the last date of the summary.")
    if end < start:
        raise FieldError("end", "The last date is before the first.")
    if end > today:
        raise FieldError("end", "The last date cannot be after today.")
    if (end - start).days > MAX_RANGE_DAYS:
        raise FieldError("start", "Choose at most three years.")
    return start, end


def _courses(patient: Patient, start: date, end: date) -> list[CourseLine]:
    numbers = number_courses(patient.courses)
    return [
        CourseLine(c, numbers.get(c.id))
        for c in patient.courses
        if c.start_date <= end and c.end_date >= start
    ]


def _alerts(patient: Patient, start: date, end: date) -> list[AlertLine]:
    query = (
        select(Alert)
        .join(DiaryEntry, Alert.entry_id == DiaryEntry.id)
        .where(Alert.patient_id == patient.id, DiaryEntry.entry_date.between(start, end))
        .order_by(DiaryEntry.entry_date, Alert.id)
        .options(selectinload(Alert.entry), selectinload(Alert.acknowledged_by))
    )
    return [
        AlertLine(
            a.entry.entry_date,
            [reason_label(r, a.entry) for r in a.reasons],
            a.urgency,
            a.acknowledged_at,
            a.acknowledged_by.name if a.acknowledged_by else "",
        )
        for a in db.session.scalars(query)
    ]


def _replies(patient: Patient, start: date, end: date) -> list[ReplyLine]:
    query = (
        select(Reply, DiaryEntry.entry_date)
        .join(DiaryEntry, Reply.entry_id == DiaryEntry.id)
        .where(Reply.patient_id == patient.id, DiaryEntry.entry_date.between(start, end))
        .order_by(Reply.created_at, Reply.id)
        .options(selectinload(Reply.author))
    )
    return [
        ReplyLine(day, r.created_at, r.author.name if r.author else "The clinic", r.text)
        for r, day in db.session.execute(query)
    ]


def _prednisolone(patient: Patient, start: date, end: date) -> list[MedicationRecord]:
    """Records in force at some time in the range: started by its end, not stopped before."""
    query = (
        select(MedicationRecord)
        .where(
            MedicationRecord.patient_id == patient.id,
            MedicationRecord.agent == Agent.PREDNISOLONE.value,
            MedicationRecord.start_date <= end,
        )
        .order_by(MedicationRecord.start_date, MedicationRecord.id)
    )
    records = list(db.session.scalars(query))
    # The dose in force on the first day is the latest record on or before it (unless stopped).
    at_start = [r for r in records if r.start_date <= start][-1:]
    at_start = [r for r in at_start if r.stop_date is None or r.stop_date >= start]
    return at_start + [r for r in records if r.start_date > start]


def _charts(patient: Patient, start: date, end: date) -> dict[str, str]:
    spans = sources.course_spans(patient.courses)
    weekly = _weekly_strength(sources.diary_reports(patient.id, start, end))
    made = {
        "Mean myometry at each assessment": time_chart(
            "Mean myometry at each assessment",
            SvgSeries("Mean myometry", sources.mean_myometry_points(patient.id, start, end),
                      places=1),
            start, end, spans,
        ),
        "Prednisolone": time_chart(
            "Prednisolone dose",
            SvgSeries("Prednisolone", sources.prednisolone_points(patient.id, start, end),
                      "mg/kg/day", places=2, step=True),
            start, end, spans,
        ),
        "Home-reported strength": time_chart(
            "Home-reported strength, weekly mean (−2 much worse … +2 much better)",
            SvgSeries("Strength, weekly mean", weekly, places=1),
            start, end, spans,
        ),
    }  # fmt: skip
    return {title: svg for title, svg in made.items() if svg}


def _weekly_strength(reports: list[sources.DayReport]) -> list[sources.Point]:
    weeks: dict[date, list[float]] = {}
    for report in reports:
        if report.strength is not None:
            monday = report.day - timedelta(days=report.day.weekday())
            weeks.setdefault(monday, []).append(report.strength)
    return [(day, round(sum(v) / len(v), 2)) for day, v in sorted(weeks.items())]


def clinic_summary(patient: Patient, start: date, end: date) -> ClinicSummary:
    """Everything the clinic summary shows of one patient between two dates (inclusive)."""
    courses = _courses(patient, start, end)
    numbers = {line.course.id: line.number for line in courses}
    records = load_records(Patient.id == patient.id)
    record = records[0] if records else None
    responses = course_responses(record) if record else []
    in_range = [r for r in responses if r.course.id in numbers]
    given = [line for line in courses if line.course.status == CourseStatus.GIVEN]
    diaries = record.diary if record else {}
    return ClinicSummary(
        patient=patient,
        start=start,
        end=end,
        courses=courses,
        paired=[PairedLine(numbers[r.course.id], r) for r in in_range if r.changes],
        symptoms=[SymptomLine(g.number, g.course, diaries.get(g.course.id)) for g in given],
        alerts=_alerts(patient, start, end),
        replies=_replies(patient, start, end),
        prednisolone=_prednisolone(patient, start, end),
        charts=_charts(patient, start, end),
    )
