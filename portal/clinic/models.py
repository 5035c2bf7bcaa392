"""Clinics: each patient and each staff account belongs to one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.database import now_utc
from portal.core.extensions import db

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.patients.models import Patient


class Clinic(db.Model):
    """A clinic with its phone number, shown to families beside every alert."""

    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    # Alert thresholds are clinic settings; the defaults are the domain brief's.
    fever_threshold_c: Mapped[float] = mapped_column(default=38.0)
    headache_alert_days: Mapped[int] = mapped_column(default=7)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    staff: Mapped[list[User]] = relationship(back_populates="clinic")
    patients: Mapped[list[Patient]] = relationship(back_populates="clinic")

    def __repr__(self) -> str:
        return f"<Clinic {self.id}>"
