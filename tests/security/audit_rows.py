"""Reading audit rows back in tests."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.core.extensions import db


def audit_events(**where) -> list[AuditEvent]:
    """Audit rows matching column == value for each keyword, oldest first."""
    query = select(AuditEvent).order_by(AuditEvent.id)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list(db.session.scalars(query))


def row_text(event: AuditEvent) -> str:
    """The row's stored values, its own timestamp aside: '…:38.9…' in a time is no fever."""
    columns = [c.key for c in AuditEvent.__table__.columns if c.key != "at"]
    return " ".join(str(getattr(event, key)) for key in columns)
