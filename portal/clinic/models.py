"""Clinics: each patient and each staff account belongs to one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.database import now_utc
from portal.core.extensions import db


class Clinic(db.Model):
    """A clinic with its phone number, shown to families beside every alert.

    Its `staff` and `patients` collections are declared by the models that point here
    (auth.models.User.clinic, patients.models.Patient.clinic), so that this model,
    the lowest of all, imports none of them.
    """

    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    # Alert thresholds are clinic settings; the defaults are those of docs/clinical-rules.md.
    fever_threshold_c: Mapped[float] = mapped_column(default=38.0)
    headache_alert_days: Mapped[int] = mapped_column(default=7)
    # Headache with fever soon after an infusion (the aseptic meningitis picture): the
    # hours after an infusion day it counts, and the least headache grade (1 = mild).
    meningism_window_hours: Mapped[int] = mapped_column(default=72)
    meningism_headache_grade: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    def __repr__(self) -> str:
        return f"<Clinic {self.id}>"
