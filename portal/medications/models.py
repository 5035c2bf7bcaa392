"""Medication history (prednisolone and other agents) and the weights doses are read against."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.versions import SoftDeleted, VersionColumns

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.patients.models import Patient


class Agent(enum.StrEnum):
    PREDNISOLONE = "prednisolone"
    AZATHIOPRINE = "azathioprine"
    CICLOSPORIN = "ciclosporin"
    METHOTREXATE = "methotrexate"
    CYCLOPHOSPHAMIDE = "cyclophosphamide"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()


DOSE_UNITS = {
    "mg/day": "mg/day",
    "mg/kg/day": "mg/kg/day",
    "mg/week": "mg/week",
    "mg/m2/week": "mg/m² per week",
    "mg/m2": "mg/m² per pulse",
    "mg/kg": "mg/kg per pulse",
}
PREDNISOLONE_UNIT = "mg/day"
_AGENTS_SQL = ", ".join(f"'{a.value}'" for a in Agent)


class MedicationRecord(SoftDeleted, db.Model):
    """A medication with its start, stop and dose.

    For prednisolone each record is a dose in mg/day taking effect on its start
    date, until the next record or its stop date; mg/kg/day is derived from the
    weight in force on that date. Edits keep the earlier values as versions; a
    delete is soft.
    """

    __tablename__ = "medication_records"
    __table_args__ = (
        CheckConstraint(f"agent IN ({_AGENTS_SQL})", name="agent"),
        CheckConstraint("dose IS NULL OR dose >= 0", name="dose_not_negative"),
        CheckConstraint("stop_date IS NULL OR stop_date >= start_date", name="stop_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    agent: Mapped[str] = mapped_column(String(20), index=True)
    other_name: Mapped[str] = mapped_column(String(80), default="")
    start_date: Mapped[date]
    stop_date: Mapped[date | None]
    dose: Mapped[float | None]
    dose_unit: Mapped[str] = mapped_column(String(20), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    patient: Mapped[Patient] = relationship()
    versions: Mapped[list[MedicationRecordVersion]] = relationship(
        back_populates="record",
        order_by="MedicationRecordVersion.id",
        cascade="all, delete-orphan",
    )

    @property
    def name(self) -> str:
        """The agent as the clinic names it."""
        if self.agent == Agent.OTHER and self.other_name:
            return self.other_name
        return Agent(self.agent).label

    @property
    def history_title(self) -> str:
        return f"{self.name} from {self.start_date:%-d %b %Y}"

    @property
    def dose_text(self) -> str:
        if self.dose is None:
            return ""
        return f"{self.dose:g} {DOSE_UNITS.get(self.dose_unit, self.dose_unit)}".strip()

    def __repr__(self) -> str:
        return f"<MedicationRecord {self.id}>"


class MedicationRecordVersion(VersionColumns, db.Model):
    """What a medication record held before an edit or its deletion."""

    __tablename__ = "medication_record_versions"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("medication_records.id", ondelete="CASCADE"), index=True
    )

    record: Mapped[MedicationRecord] = relationship(back_populates="versions")
    changed_by: Mapped[User | None] = relationship()


class WeightRecord(db.Model):
    """A weight measured on a date; doses in mg/kg use the latest one on or before their date."""

    __tablename__ = "weight_records"
    __table_args__ = (
        UniqueConstraint("patient_id", "measured_on"),
        CheckConstraint("weight_kg > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    measured_on: Mapped[date]
    weight_kg: Mapped[float]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    # A second weighing on the same day replaces the value; the earlier one is kept here.
    versions: Mapped[list[WeightRecordVersion]] = relationship(
        back_populates="weight", order_by="WeightRecordVersion.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<WeightRecord {self.id}>"


class WeightRecordVersion(VersionColumns, db.Model):
    """A weight as it was before a later weighing on the same day replaced it."""

    __tablename__ = "weight_record_versions"

    weight_id: Mapped[int] = mapped_column(
        ForeignKey("weight_records.id", ondelete="CASCADE"), index=True
    )

    weight: Mapped[WeightRecord] = relationship(back_populates="versions")
