"""The family's side of the clinic's replies: which are new, and marking them read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select

from portal.auth.models import User
from portal.core.extensions import db
from portal.patients.models import Patient
from portal.review.models import Reply


def unread_reply_count(patient_id: int) -> int:
    """How many clinic replies about this child the family has not opened yet."""
    query = select(func.count(Reply.id)).where(
        Reply.patient_id == patient_id, Reply.read_at.is_(None), Reply.from_family.is_(False)
    )
    return db.session.scalar(query) or 0


def replies_for_family(patient: Patient) -> list[Reply]:
    """Every clinic reply about this child, newest first, with its entry and author."""
    query = (
        select(Reply)
        .where(Reply.patient_id == patient.id)
        .order_by(Reply.created_at.desc(), Reply.id.desc())
    )
    return list(db.session.scalars(query))


def replies_of_patient(patient: Patient, reply_ids: Iterable[int]) -> list[Reply]:
    """The replies with these ids that are about this child (others are ignored)."""
    ids = list(reply_ids)
    if not ids:
        return []
    query = select(Reply).where(Reply.patient_id == patient.id, Reply.id.in_(ids))
    return list(db.session.scalars(query))


def mark_replies_read(replies: Iterable[Reply], by: User, now: datetime) -> int:
    """Record that a guardian has read these replies; the first reader is kept.

    Only a guardian's deliberate POST calls this: opening a page never marks
    anything, so a child's login, a preview or a prefetch hides no reply."""
    count = 0
    for reply in replies:
        if reply.read_at is None:
            reply.read_at = now
            reply.read_by_id = by.id
            count += 1
    db.session.flush()
    return count
