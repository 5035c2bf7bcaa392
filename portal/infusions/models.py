"""IVIG infusion courses and the product lots each used."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.auth.models import User
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.versions import SoftDeleted, VersionColumns
from portal.patients.models import Patient


class CourseStatus(enum.StrEnum):
    PLANNED = "planned"
    GIVEN = "given"
    CANCELLED = "cancelled"


# No course runs longer than this many consecutive days (docs/clinical-rules.md, "Courses").
MAX_COURSE_DAYS = 5

INDICATIONS = {
    "relapse": "Relapse",
    "weakness": "Weakness despite treatment",
    "steroid_dependence": "Steroid dependence",
    "other": "Other",
}


def daily_dose_mg_per_kg(total_g_per_kg: float, days: int) -> float:
    """The daily dose in mg/kg of a course: the total in g/kg spread evenly over its days."""
    return round(float(total_g_per_kg) * 1000 / days, 1)


class InfusionCourse(SoftDeleted, db.Model):
    """One IVIG course: a total dose in g/kg spread over 1 to MAX_COURSE_DAYS consecutive days.

    Edits keep the earlier values as versions; a delete (a course recorded in error) is
    soft. Cancelling is not deleting: a cancelled course is a fact of the record.
    """

    __tablename__ = "infusion_courses"
    __table_args__ = (
        CheckConstraint(f"days BETWEEN 1 AND {MAX_COURSE_DAYS}", name="days_range"),
        CheckConstraint(
            "total_dose_g_per_kg >= 0.1 AND total_dose_g_per_kg <= 3", name="dose_range"
        ),
        CheckConstraint("status IN ('planned', 'given', 'cancelled')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date] = mapped_column(index=True)
    days: Mapped[int]
    total_dose_g_per_kg: Mapped[float]
    product: Mapped[str] = mapped_column(String(80), default="")
    indication: Mapped[str] = mapped_column(String(24), default="")
    status: Mapped[str] = mapped_column(String(12), default=CourseStatus.PLANNED.value)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # Patient.courses, oldest first, is this relationship's other side.
    patient: Mapped[Patient] = relationship(
        backref=backref("courses", order_by="InfusionCourse.start_date")
    )
    lots: Mapped[list[CourseLot]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="CourseLot.id"
    )
    versions: Mapped[list[CourseVersion]] = relationship(
        back_populates="course", order_by="CourseVersion.id", cascade="all, delete-orphan"
    )

    @property
    def end_date(self) -> date:
        """The last infusion day."""
        return self.start_date + timedelta(days=self.days - 1)

    @property
    def daily_mg_per_kg(self) -> float:
        """The daily dose in mg/kg, derived from the total and the number of days."""
        return daily_dose_mg_per_kg(self.total_dose_g_per_kg, self.days)

    @property
    def regimen(self) -> str:
        """How the clinic names the regimen, e.g. '2 g/kg over 5 days'."""
        dose = f"{self.total_dose_g_per_kg:g}"
        unit = "day" if self.days == 1 else "days"
        return f"{dose} g/kg over {self.days} {unit}"

    @property
    def history_title(self) -> str:
        return f"Course of {self.start_date:%-d %b %Y} ({self.regimen})"

    @property
    def lot_numbers(self) -> list[str]:
        return [lot.lot_number for lot in self.lots]

    def __repr__(self) -> str:
        return f"<InfusionCourse {self.id}>"


class CourseLot(db.Model):
    """A product lot used in a course; a course can use several."""

    __tablename__ = "course_lots"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("infusion_courses.id", ondelete="CASCADE"), index=True
    )
    lot_number: Mapped[str] = mapped_column(String(40))

    course: Mapped[InfusionCourse] = relationship(back_populates="lots")


class CourseVersion(VersionColumns, db.Model):
    """What a course held (its lots included) before an edit or its deletion."""

    __tablename__ = "course_versions"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("infusion_courses.id", ondelete="CASCADE"), index=True
    )

    course: Mapped[InfusionCourse] = relationship(back_populates="versions")
    changed_by: Mapped[User | None] = relationship()
