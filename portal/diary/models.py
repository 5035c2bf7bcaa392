"""Diary entries, their earlier versions, and the alerts they raise."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.database import now_utc
from portal.core.extensions import db

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.patients.models import Patient

GRADES = {0: "none", 1: "mild", 2: "moderate", 3: "severe"}
SYMPTOMS = {
    "headache": "Headache",
    "nausea": "Nausea",
    "vomiting": "Vomiting",
    "diarrhoea": "Diarrhoea",
    "tiredness": "Tiredness",
    "muscle_pain": "Muscle pain",
}
STRENGTH = {
    -2: "Much worse",
    -1: "A bit worse",
    0: "Same as usual",
    1: "A bit better",
    2: "Much better",
}
RASH = {0: "None", 1: "Mild", 2: "Moderate", 3: "Severe"}
RASH_CHANGE = {-1: "Worse", 0: "Same", 1: "Better"}
MOOD = {1: "Very sad", 2: "Sad", 3: "OK", 4: "Happy", 5: "Very happy"}
# API name → (column, label). The set is fixed; anything else is refused.
WARNING_SIGNS = {
    "stiff_neck": ("warn_stiff_neck", "Stiff neck or dislike of bright light, with headache"),
    "dark_urine": ("warn_dark_urine", "Dark or red urine"),
    "yellow_skin": ("warn_yellow_skin", "Yellow eyes or skin"),
    "swollen_limb": ("warn_swollen_limb", "A swollen or painful arm or leg"),
    "chest_pain": ("warn_chest_pain", "Chest pain or hard to breathe"),
    "less_urine": ("warn_less_urine", "Passing much less urine than usual"),
}


def _grade_check(name: str) -> CheckConstraint:
    return CheckConstraint(f"{name} BETWEEN 0 AND 3", name=f"{name}_grade")


class DiaryEntry(db.Model):
    """One day's home report about a child, by a guardian or by the child."""

    __tablename__ = "diary_entries"
    __table_args__ = (
        CheckConstraint("strength IS NULL OR strength BETWEEN -2 AND 2", name="strength_range"),
        CheckConstraint("rash IS NULL OR rash BETWEEN 0 AND 3", name="rash_range"),
        CheckConstraint(
            "rash_change IS NULL OR rash_change BETWEEN -1 AND 1", name="rash_change_range"
        ),
        CheckConstraint("mood IS NULL OR mood BETWEEN 1 AND 5", name="mood_range"),
        CheckConstraint(
            "temperature_c IS NULL OR temperature_c BETWEEN 34 AND 43", name="temperature_range"
        ),
        CheckConstraint("author_role IN ('guardian', 'child')", name="author_role"),
        *(_grade_check(name) for name in SYMPTOMS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    # Made by the client so a retried or duplicated post never creates a second entry.
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    entry_date: Mapped[date] = mapped_column(index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_role: Mapped[str] = mapped_column(String(10))

    strength: Mapped[int | None]
    rash: Mapped[int | None]
    rash_change: Mapped[int | None]
    mood: Mapped[int | None]
    headache: Mapped[int] = mapped_column(default=0)
    nausea: Mapped[int] = mapped_column(default=0)
    vomiting: Mapped[int] = mapped_column(default=0)
    diarrhoea: Mapped[int] = mapped_column(default=0)
    tiredness: Mapped[int] = mapped_column(default=0)
    muscle_pain: Mapped[int] = mapped_column(default=0)
    temperature_c: Mapped[float | None]
    warn_stiff_neck: Mapped[bool] = mapped_column(default=False)
    warn_dark_urine: Mapped[bool] = mapped_column(default=False)
    warn_yellow_skin: Mapped[bool] = mapped_column(default=False)
    warn_swollen_limb: Mapped[bool] = mapped_column(default=False)
    warn_chest_pain: Mapped[bool] = mapped_column(default=False)
    warn_less_urine: Mapped[bool] = mapped_column(default=False)
    walk_28ft_seconds: Mapped[float | None]
    note: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Set when a clinician has read the entry (clinic review workflow, issue 5).
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    patient: Mapped[Patient] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    versions: Mapped[list[DiaryEntryVersion]] = relationship(
        back_populates="entry", order_by="DiaryEntryVersion.id", cascade="all, delete-orphan"
    )
    alerts: Mapped[list[Alert]] = relationship(back_populates="entry", order_by="Alert.id")

    @property
    def warning_signs(self) -> list[str]:
        """API names of the warning signs ticked on this entry."""
        return [name for name, (column, _) in WARNING_SIGNS.items() if getattr(self, column)]

    def symptom_grades(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in SYMPTOMS}

    def __repr__(self) -> str:
        return f"<DiaryEntry {self.id}>"


class DiaryEntryVersion(db.Model):
    """What an entry held before an edit or a delete, who changed it and when."""

    __tablename__ = "diary_entry_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("diary_entries.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(10))  # 'edit' or 'delete'
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=now_utc)
    previous: Mapped[dict] = mapped_column(JSON)  # field → value before the change
    changed_fields: Mapped[list] = mapped_column(JSON, default=list)

    entry: Mapped[DiaryEntry] = relationship(back_populates="versions")
    changed_by: Mapped[User | None] = relationship()


class Alert(db.Model):
    """A diary entry that needs a clinician to look: on the triage list until acknowledged."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("diary_entries.id", ondelete="CASCADE"), index=True
    )
    # Machine-readable reasons, e.g. ["fever", "severe_headache_after_course", "warning:dark_urine"]
    reasons: Mapped[list] = mapped_column(JSON)
    urgency: Mapped[int] = mapped_column(default=1)  # higher is more urgent; orders the triage list
    created_at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(index=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    patient: Mapped[Patient] = relationship()
    entry: Mapped[DiaryEntry] = relationship(back_populates="alerts")
    acknowledged_by: Mapped[User | None] = relationship()
