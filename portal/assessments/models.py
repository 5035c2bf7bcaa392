"""Formal assessments the clinic records: myometry, function scores and muscle enzymes."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.assessments import measures
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.versions import SoftDeleted, VersionColumns

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.patients.models import Patient


def _range_check(measure: measures.Measure) -> CheckConstraint:
    low, high = measure.minimum, measure.maximum
    return CheckConstraint(
        f"{measure.name} IS NULL OR {measure.name} BETWEEN {low:g} AND {high:g}",
        name=f"{measure.name}_range",
    )


LIVE = text("deleted_at IS NULL")


class Assessment(SoftDeleted, db.Model):
    """One formal assessment on a date: any subset of the measures, at most one a day.

    Edits keep the earlier values as versions; a delete is soft (SoftDeleted).
    """

    __tablename__ = "assessments"
    __table_args__ = (
        # One live assessment a day; a deleted one does not hold its date.
        Index(
            "uq_assessments_patient_id_assessed_on_live",
            "patient_id",
            "assessed_on",
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        ),
        *(_range_check(m) for m in measures.RECORDED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    assessed_on: Mapped[date]

    # Myometry, best of three readings per muscle group; the mean is derived.
    myometry_neck_flexors: Mapped[float | None]
    myometry_knee_extension_right: Mapped[float | None]
    myometry_knee_extension_left: Mapped[float | None]
    myometry_shoulder_abduction: Mapped[float | None]
    myometry_hip_flexion: Mapped[float | None]
    myometry_hip_abduction: Mapped[float | None]

    motor_ability_score: Mapped[int | None]
    # The 20 functions scored 0/1/2 when the clinic entered them; the total is above.
    motor_ability_items: Mapped[list | None] = mapped_column(JSON)
    walk_28ft_seconds: Mapped[float | None]
    cmas: Mapped[int | None]
    mmt8: Mapped[int | None]
    chaq: Mapped[float | None]
    physician_global: Mapped[float | None]
    parent_global: Mapped[float | None]

    ck: Mapped[float | None]
    ldh: Mapped[float | None]
    ast: Mapped[float | None]
    alt: Mapped[float | None]
    aldolase: Mapped[float | None]

    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    patient: Mapped[Patient] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    versions: Mapped[list[AssessmentVersion]] = relationship(
        back_populates="assessment",
        order_by="AssessmentVersion.id",
        cascade="all, delete-orphan",
    )

    def values(self) -> dict[str, float | None]:
        """Measure name → value for every recorded measure."""
        return {m.name: getattr(self, m.name) for m in measures.RECORDED}

    @property
    def history_title(self) -> str:
        return f"Assessment of {self.assessed_on:%-d %b %Y}"

    @property
    def mean_myometry(self) -> float | None:
        """The derived mean myometry score (see assessments.measures.mean_myometry)."""
        return measures.mean_myometry(self.values())

    def __repr__(self) -> str:
        return f"<Assessment {self.id}>"


class AssessmentVersion(VersionColumns, db.Model):
    """What an assessment held before an edit or its deletion."""

    __tablename__ = "assessment_versions"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )

    assessment: Mapped[Assessment] = relationship(back_populates="versions")
    changed_by: Mapped[User | None] = relationship()
