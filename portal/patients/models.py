"""Patients, the accounts linked to them, and one-time enrolment codes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.auth.models import User
from portal.clinic.models import Clinic
from portal.core.database import Base, UTCDateTime, now_utc
from portal.core.extensions import db

SEXES = {"female": "Female", "male": "Male", "other": "Other or not stated"}
SUBTYPES = {
    "": "Not recorded",
    "banker": "Banker",
    "brunsting": "Brunsting",
    "amyopathic": "Amyopathic",
    "overlap": "Overlap",
    "other": "Other",
}

patient_links = Table(
    "patient_links",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("patient_id", ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False, default=now_utc),
)


class Patient(db.Model):
    """A child enrolled by a clinic."""

    __tablename__ = "patients"
    __table_args__ = (
        CheckConstraint("sex IN ('female', 'male', 'other')", name="sex"),
        CheckConstraint("weight_kg IS NULL OR weight_kg > 0", name="weight_positive"),
        # A hospital reference is the hospital's own number: unique within a clinic only,
        # so no clinic can learn, by being refused one, which references another holds.
        UniqueConstraint("clinic_id", "patient_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_ref: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date]
    sex: Mapped[str] = mapped_column(String(8))
    onset_date: Mapped[date | None]
    subtype: Mapped[str] = mapped_column(String(20), default="")
    weight_kg: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # Set when the family closed its portal account; the clinical record is kept.
    family_closed_at: Mapped[datetime | None]

    # The other sides: Clinic.patients and User.patients (ordered by age, eldest first);
    # Patient.courses is declared by infusions.models.InfusionCourse.patient.
    clinic: Mapped[Clinic] = relationship(backref=backref("patients"))
    accounts: Mapped[list[User]] = relationship(
        secondary=patient_links,
        order_by=User.id,
        backref=backref("patients", order_by="Patient.date_of_birth"),
    )

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.name

    def age_on(self, day: date) -> int:
        """Whole years of age on a given day."""
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years

    def __repr__(self) -> str:
        return f"<Patient {self.id}>"


class EnrolmentCode(db.Model):
    """A one-time code a guardian redeems to be linked to a patient.

    Only a hash of the code is stored; the code itself is shown once.
    """

    __tablename__ = "enrolment_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(4))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]

    patient: Mapped[Patient] = relationship()
    used_by: Mapped[User | None] = relationship(foreign_keys=[used_by_id])

    def state(self, now: datetime) -> str:
        """One of 'used', 'revoked', 'expired' or 'active'."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "active"

    def __repr__(self) -> str:
        return f"<EnrolmentCode {self.id}>"


__all__ = ["EnrolmentCode", "Patient", "patient_links", "SEXES", "SUBTYPES"]
