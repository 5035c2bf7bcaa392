"""Demo home diary: months of entries around the demo courses, a few alerts and replies.

Deterministic (a seeded generator) so every demo looks the same, and idempotent: a patient
who already has diary entries is left alone.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from portal.auth.models import User
from portal.core.extensions import db
from portal.diary import alerts
from portal.diary.models import Alert, DiaryEntry
from portal.infusions.models import CourseStatus
from portal.infusions.placement import place
from portal.patients.models import Patient
from portal.review.models import Reply

DEMO_NAMESPACE = uuid.UUID("6f1d8a52-3c7e-4c1b-9a57-2f3d1e0b9c11")
REPLIES = [
    "Thank you for the detailed diary. The headache after a 3-day course is a known effect; "
    "plenty of fluids helps. Call us if it is severe or comes with a stiff neck.",
    "Lovely to see the strength picking up after this course. Keep the diary going.",
    "Thanks for keeping the diary going through this course. We will go through it together "
    "at the next infusion.",
]


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _last_course(courses, day: date):
    given = [c for c in courses if c.status == CourseStatus.GIVEN and c.start_date <= day]
    return given[-1] if given else None


def _entry_for(patient: Patient, day: date, course, rng: random.Random) -> DiaryEntry:
    """A plausible day: weaker before a course, better in the weeks after it."""
    since = (day - course.end_date).days if course else 60
    trend = 1 if 3 <= since <= 24 else (-1 if since >= 35 else 0)
    strength = max(-2, min(2, trend + rng.choice((-1, 0, 0, 1))))
    after_three_day = course is not None and course.days == 3 and 0 <= since <= 3
    headache = rng.choice((2, 3, 3)) if after_three_day else rng.choice((0,) * 12 + (1,))
    return DiaryEntry(
        patient=patient,
        client_id=str(uuid.uuid5(DEMO_NAMESPACE, f"{patient.patient_ref}:{day}")),
        entry_date=day,
        author_role="guardian",
        strength=strength,
        rash=max(0, min(3, 1 - trend + rng.choice((0, 0, 1)))),
        rash_change=rng.choice((-1, 0, 0, 1)),
        mood=max(1, min(5, 3 + strength + rng.choice((-1, 0, 1)))),
        headache=headache,
        nausea=rng.choice((1, 2)) if after_three_day else 0,
        tiredness=rng.choice((0, 0, 1, 1, 2)),
        muscle_pain=rng.choice((0,) * 6 + (1,)),
        temperature_c=round(rng.uniform(36.4, 37.3), 1),
        note="",
        created_at=_moment(day, 19),
    )


def _alert_for(entry: DiaryEntry, courses) -> Alert | None:
    """The clinic's own alert rules, dated when the entry was written."""
    assessment = alerts.assess(entry, entry.patient.clinic, place(entry.entry_date, courses))
    alert = alerts.record_alert(entry, assessment)
    if alert is not None:
        alert.created_at = entry.created_at
    return alert


def _child_report(patient: Patient, child: User, day: date, rng: random.Random) -> DiaryEntry:
    """The child's own faces-scale report: mood and strength only."""
    return DiaryEntry(
        patient=patient,
        client_id=str(uuid.uuid5(DEMO_NAMESPACE, f"{patient.patient_ref}:{day}:child")),
        entry_date=day,
        author_id=child.id,
        author_role="child",
        mood=rng.choice((3, 4, 4, 5)),
        strength=rng.choice((0, 0, 1)),
        created_at=_moment(day, 17),
    )


def add_demo_diary(
    patient: Patient,
    guardian: User,
    clinician: User,
    today: date,
    days: int,
    child: User | None = None,
) -> None:
    """Daily entries for the last `days` days (a few skipped), alerts, reviews and replies.

    With a child account, the child adds their own faces-scale report twice a week.
    """
    existing = select(func.count(DiaryEntry.id)).where(DiaryEntry.patient_id == patient.id)
    if db.session.scalar(existing):
        return
    rng = random.Random(patient.patient_ref)  # noqa: S311 - demo data, not security
    courses = sorted(patient.courses, key=lambda c: c.start_date)
    entries = []
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        if rng.random() < 0.12:
            continue  # families miss a day now and then
        course = _last_course(courses, day)
        entry = _entry_for(patient, day, course, rng)
        entry.author_id = guardian.id
        if offset == 2:
            entry.temperature_c = 38.4  # a recent fever: one alert left for the clinic
            entry.note = "Warm and tired after school, gave paracetamol."
        db.session.add(entry)
        db.session.flush()
        entries.append((entry, _alert_for(entry, courses), offset))
        if child is not None and day.weekday() in (2, 5):
            db.session.add(_child_report(patient, child, day, rng))
    _review_history(entries, clinician, rng)
    db.session.flush()


def _review_history(entries, clinician: User, rng: random.Random) -> None:
    """The clinic has read everything older than ten days and answered a few entries."""
    replied = 0
    for entry, alert, offset in entries:
        if offset <= 10:
            continue
        reviewed = entry.created_at + timedelta(hours=15)
        entry.reviewed_at, entry.reviewed_by_id = reviewed, clinician.id
        if alert is not None:
            alert.acknowledged_at, alert.acknowledged_by_id = reviewed, clinician.id
        if (alert is not None or rng.random() < 0.03) and replied < len(REPLIES) - 1:
            text = REPLIES[replied]
            read = reviewed + timedelta(hours=3)
            db.session.add(_reply(entry, clinician, text, reviewed, read))
            replied += 1
    # One reply the family has not opened yet, so the home page shows its marker.
    latest = next((e for e, _, offset in reversed(entries) if offset > 10), None)
    if latest is not None:
        db.session.add(_reply(latest, clinician, REPLIES[-1], latest.reviewed_at, None))


def _reply(entry: DiaryEntry, clinician: User, text: str, sent: datetime, read) -> Reply:
    return Reply(entry=entry, patient_id=entry.patient.id, author_id=clinician.id, text=text,
                 created_at=sent, read_at=read)  # fmt: skip
