"""The audit trail: one append-only row per access, change, export, login or denial."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from portal.core.database import now_utc
from portal.core.extensions import db


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when anything tries to change or remove an audit row."""


class AuditEvent(db.Model):
    """Who did what to which object, when, from where, and how it ended.

    Never a health value: objects are named by table and id, changed fields by
    column name only. No foreign keys, so the log outlives what it describes
    and no cascade can ever touch it.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_patient_at", "patient_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    user_id: Mapped[int | None] = mapped_column(index=True)
    role: Mapped[str] = mapped_column(String(16), default="")
    action: Mapped[str] = mapped_column(String(24))
    outcome: Mapped[str] = mapped_column(String(12))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None]
    patient_id: Mapped[int | None]
    fields: Mapped[str] = mapped_column(String(400), default="")
    endpoint: Mapped[str] = mapped_column(String(80), default="")
    method: Mapped[str] = mapped_column(String(8), default="")
    remote_addr: Mapped[str] = mapped_column(String(45), default="")

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} {self.outcome}>"


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("audit events cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("audit events cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    """Bulk UPDATE/DELETE statements bypass the mapper events above; stop them here."""
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is AuditEvent for mapper in state.all_mappers
    ):
        raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")
