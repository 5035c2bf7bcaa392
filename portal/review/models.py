"""Replies from the clinic to a diary entry, and the indexes the review queries use."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, false
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.core.database import now_utc
from portal.core.extensions import db
from portal.diary.models import DiaryEntry
from portal.infusions.models import InfusionCourse

if TYPE_CHECKING:
    from portal.auth.models import User

REPLY_MAX_CHARS = 1000


class Reply(db.Model):
    """A short message about one diary entry: from a clinician, or a guardian's answer."""

    __tablename__ = "replies"
    __table_args__ = (
        CheckConstraint(f"length(text) BETWEEN 1 AND {REPLY_MAX_CHARS}", name="text_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("diary_entries.id", ondelete="CASCADE"), index=True
    )
    # Kept beside the entry's own patient so the family's unread count is one indexed query.
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    read_at: Mapped[datetime | None]
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # True for a guardian's answer in the same thread; read_at/read_by then record the
    # clinic's reading of it, and the family's unread count leaves it out.
    from_family: Mapped[bool] = mapped_column(default=False, server_default=false())

    # A backref keeps the diary model free of review code; entry.replies is oldest first.
    entry: Mapped[DiaryEntry] = relationship(
        backref=backref("replies", order_by="Reply.id", cascade="all, delete-orphan")
    )
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    read_by: Mapped[User | None] = relationship(foreign_keys=[read_by_id])

    def __repr__(self) -> str:
        return f"<Reply {self.id}>"


# The dashboard asks "last entry per patient" and charts read one patient's date range, both
# of entries not deleted: with deleted_at in the middle, either is a single index range.
Index(
    "ix_diary_entries_patient_live_date",
    DiaryEntry.patient_id,
    DiaryEntry.deleted_at,
    DiaryEntry.entry_date,
)
# "Latest given course" and "next planned course" per patient on the dashboard.
Index(
    "ix_infusion_courses_patient_status_start",
    InfusionCourse.patient_id,
    InfusionCourse.status,
    InfusionCourse.start_date,
)
# "Unreviewed entries per patient" reads only the (few) rows not yet reviewed.
Index("ix_diary_entries_review_queue", DiaryEntry.reviewed_at, DiaryEntry.patient_id)
