"""The hub's side: registered sites, the summaries they sent, and each summary's courses.

No row here names a patient, a clinic's reference or a date of a course: a site
summary carries none (research.site_summary), so neither do these tables.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.core.database import now_utc
from portal.core.extensions import db


class ResearchSite(db.Model):
    """A clinic whose summaries this hub accepts: its code and the public key that signs them."""

    __tablename__ = "research_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    public_key: Mapped[str] = mapped_column(String(64))  # Ed25519, 32 bytes in base64
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # SiteSummary.site gives the other side, ResearchSite.summaries.

    def __repr__(self) -> str:
        return f"<ResearchSite {self.id}>"


class SiteSummary(db.Model):
    """One summary file as loaded; a site's newest replaces its earlier one in the report."""

    __tablename__ = "site_summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(
        ForeignKey("research_sites.id", ondelete="CASCADE"), index=True
    )
    generated_on: Mapped[date]
    format_version: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the file
    lot_salt_id: Mapped[str] = mapped_column(String(16))
    course_count: Mapped[int]
    loaded_at: Mapped[datetime] = mapped_column(default=now_utc)
    loaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    superseded_at: Mapped[datetime | None]

    site: Mapped[ResearchSite] = relationship(
        backref=backref("summaries", order_by="SiteSummary.generated_on")
    )

    def __repr__(self) -> str:
        return f"<SiteSummary {self.id}>"


class SummaryCourse(db.Model):
    """One given course of a site summary: regimen, hashed lots, changes and side effects."""

    __tablename__ = "summary_courses"
    __table_args__ = (
        CheckConstraint("days BETWEEN 1 AND 5", name="days_range"),
        CheckConstraint("total_dose_g_per_kg > 0", name="dose_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(
        ForeignKey("site_summaries.id", ondelete="CASCADE"), index=True
    )
    total_dose_g_per_kg: Mapped[float]
    days: Mapped[int]
    interval_days: Mapped[int | None]
    product: Mapped[str] = mapped_column(String(80), default="")
    lots: Mapped[list] = mapped_column(JSON, default=list)  # lot hashes
    age_band: Mapped[str] = mapped_column(String(8))
    myometry_change: Mapped[float | None]
    before_day: Mapped[int | None]  # of the before assessment, from the first infusion day
    after_day: Mapped[int | None]  # of the after assessment, from the last infusion day
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # measure → change
    subjective_change: Mapped[float | None]
    diary_reported: Mapped[bool]
    side_effects: Mapped[list] = mapped_column(JSON, default=list)  # outcome names

    summary: Mapped[SiteSummary] = relationship(
        backref=backref("courses", cascade="all, delete-orphan", passive_deletes=True)
    )

    def __repr__(self) -> str:
        return f"<SummaryCourse {self.id}>"
