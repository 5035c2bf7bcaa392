"""The audit trail: recording events and reading them back within a viewer's scope."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, false, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.core.extensions import db
from portal.patients.models import Patient

# What happened. Reads and denials come from the permission helpers, changes from
# the ORM flush, the rest from the views that log in, export and close accounts.
ACTIONS = {
    "read": "Viewed",
    "list": "Listed patients",
    "create": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "link": "Linked account",
    "unlink": "Unlinked account",
    "export": "Exported",
    "access": "Tried to open",
    "login": "Logged in",
    "login_code": "Second-factor code",
    "logout": "Logged out",
    "session_end": "Session ended",
    "password": "Password changed",
    "two_factor": "Second factor changed",
    "account": "Account changed",
    "enrol": "Redeemed a code",
    "csrf": "Form refused (CSRF)",
    "rate_limit": "Too many tries",
}
OUTCOMES = {"success": "Success", "failure": "Failed", "denied": "Denied"}


@dataclass(frozen=True)
class AuditContext:
    """Who is acting and from where; empty for the command line."""

    user_id: int | None = None
    role: str = ""
    endpoint: str = ""
    method: str = ""
    remote_addr: str = ""


@dataclass(frozen=True)
class AuditFilters:
    """What the audit page was asked to show."""

    patient_id: int | None = None
    user_id: int | None = None
    action: str = ""
    outcome: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class EventData:
    """One event before it is written."""

    action: str
    outcome: str
    object_type: str = ""
    object_id: int | None = None
    patient_id: int | None = None
    fields: tuple[str, ...] = field(default_factory=tuple)


def event_values(context: AuditContext, data: EventData, at: datetime) -> dict:
    """The column values of one audit row."""
    return {
        "at": at,
        "user_id": context.user_id,
        "role": context.role,
        "action": data.action,
        "outcome": data.outcome,
        "object_type": data.object_type,
        "object_id": data.object_id,
        "patient_id": data.patient_id,
        "fields": ",".join(data.fields)[:400],
        "endpoint": context.endpoint[:80],
        "method": context.method[:8],
        "remote_addr": (context.remote_addr or "")[:45],
    }


def build_event(context: AuditContext, data: EventData, at: datetime) -> AuditEvent:
    """An AuditEvent row for this context and event (not yet added to the session)."""
    return AuditEvent(**event_values(context, data, at))


def record(context: AuditContext, events: Iterable[EventData], at: datetime) -> list[AuditEvent]:
    """Add events to the current transaction."""
    rows = [build_event(context, data, at) for data in events]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def visible_events(viewer: User) -> Select[tuple[AuditEvent]]:
    """Administrators see every event; clinicians those about their clinic's patients."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if viewer.role_enum is Role.ADMIN:
        return query
    if viewer.role_enum is Role.CLINICIAN and viewer.clinic_id is not None:
        clinic_patients = select(Patient.id).where(Patient.clinic_id == viewer.clinic_id)
        return query.where(AuditEvent.patient_id.in_(clinic_patients))
    return query.where(false())


def _local_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def filter_events(
    query: Select[tuple[AuditEvent]], filters: AuditFilters, zone: ZoneInfo
) -> Select[tuple[AuditEvent]]:
    """Narrow a query by patient, user, action, outcome and local dates (both inclusive)."""
    if filters.patient_id is not None:
        query = query.where(AuditEvent.patient_id == filters.patient_id)
    if filters.user_id is not None:
        query = query.where(AuditEvent.user_id == filters.user_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.outcome:
        query = query.where(AuditEvent.outcome == filters.outcome)
    if filters.date_from:
        query = query.where(AuditEvent.at >= _local_start(filters.date_from, zone))
    if filters.date_to:
        query = query.where(AuditEvent.at < _local_start(filters.date_to + timedelta(1), zone))
    return query
