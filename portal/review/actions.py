"""The clinic's review of home reports: marking entries reviewed and replying to them.

The family's side of the replies (reading them) is diary/replies.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select

from portal.auth.models import User
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from portal.patients.models import Patient
from portal.review.models import REPLY_MAX_CHARS, Reply


def mark_reviewed(entries: Iterable[DiaryEntry], by: User, now: datetime) -> int:
    """Mark entries as read by a clinician; entries already reviewed keep their first review."""
    count = 0
    for entry in entries:
        if entry.reviewed_at is None:
            entry.reviewed_at = now
            entry.reviewed_by_id = by.id
            count += 1
    db.session.flush()
    return count


def entries_of_patient(patient: Patient, entry_ids: Sequence[int]) -> list[DiaryEntry]:
    """The patient's entries among these ids; ids of other patients are ignored."""
    if not entry_ids:
        return []
    query = select(DiaryEntry).where(
        DiaryEntry.patient_id == patient.id, DiaryEntry.id.in_(list(entry_ids))
    )
    return list(db.session.scalars(query))


def reply_to_entry(entry: DiaryEntry, by: User, text: str, now: datetime) -> Reply:
    """A short message to the family about one entry; replying also marks the entry reviewed."""
    text = (text or "").strip()
    if not text:
        raise FieldError("text", "Write a message before sending.")
    if len(text) > REPLY_MAX_CHARS:
        raise FieldError("text", f"Keep the message to {REPLY_MAX_CHARS} characters or fewer.")
    reply = Reply(
        entry=entry, patient_id=entry.patient_id, author_id=by.id, text=text, created_at=now
    )
    db.session.add(reply)
    mark_reviewed([entry], by, now)
    return reply
