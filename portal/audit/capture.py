"""Changes to patient data are audited from the ORM flush, so no view can forget them.

Every created, changed or deleted object that belongs to a patient (the Patient
itself, or any model with a patient_id column) and every account linked to or
unlinked from a patient becomes an audit row in the same transaction as the
change. Only table names, ids and changed column names are stored.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement, Table, event, insert, inspect, literal, select
from sqlalchemy.orm import Session

from portal.audit.events import EventData, event_values
from portal.audit.models import AuditEvent
from portal.audit.trail import current_context, note_changed_patients
from portal.auth.models import User
from portal.core.database import now_utc
from portal.patients.models import Patient


def _patient_id(obj: object) -> int | None:
    if isinstance(obj, AuditEvent):
        return None
    if isinstance(obj, Patient):
        return obj.id
    if "patient_id" in inspect(type(obj)).columns:
        return obj.patient_id
    return None


def _changed_fields(obj: object) -> tuple[str, ...]:
    """Columns whose value changed, and owned child collections (e.g. a course's lots)."""
    state = inspect(obj)
    mapper = state.mapper
    names = [c.key for c in mapper.column_attrs if state.attrs[c.key].history.has_changes()]
    names += [
        r.key
        for r in mapper.relationships
        if r.cascade.delete_orphan and state.attrs[r.key].history.has_changes()
    ]
    return tuple(names)


def _object_events(session: Session) -> Iterator[EventData]:
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            patient_id = _patient_id(obj)
            if patient_id is None:
                continue
            fields = _changed_fields(obj) if action == "update" else ()
            if action == "update" and not fields:
                continue
            table = type(obj).__tablename__
            yield EventData(action, "success", table, obj.id, patient_id, fields)


def _links_of(obj: object) -> Iterator[tuple[str, int, int]]:
    """(action, user id, patient id) for the links this object changed."""
    if isinstance(obj, User):
        history = inspect(obj).attrs.patients.history
        pairs = [(p, obj.id, p.id) for p in (*history.added, *history.deleted)]
    elif isinstance(obj, Patient):
        history = inspect(obj).attrs.accounts.history
        pairs = [(u, u.id, obj.id) for u in (*history.added, *history.deleted)]
    else:
        return
    for other, user_id, patient_id in pairs:
        yield ("link" if other in history.added else "unlink"), user_id, patient_id


def _link_pairs(session: Session) -> set[tuple[str, int, int]]:
    """Links changed from either side of patient_links, each once."""
    return {pair for obj in (*session.new, *session.dirty) for pair in _links_of(obj)}


def _link_events(session: Session) -> Iterator[EventData]:
    for action, user_id, patient_id in sorted(_link_pairs(session)):
        yield EventData(action, "success", "users", user_id, patient_id)


@event.listens_for(Session, "after_flush")
def _audit_flush(session: Session, flush_context) -> None:
    events = [*_object_events(session), *_link_events(session)]
    if not events:
        return
    context = current_context()
    at = now_utc()
    session.connection().execute(
        insert(AuditEvent), [event_values(context, data, at) for data in events]
    )
    note_changed_patients({data.patient_id for data in events if data.patient_id})


def audit_bulk_created(session: Session, table: Table, condition: ColumnElement[bool]) -> None:
    """A 'create' event for every row of `table` that `condition` picks: one INSERT … SELECT.

    A bulk import (a clinic's spreadsheet) goes past the ORM flush for speed; the
    importer names its new rows here and the database writes one audit row each, in
    the same transaction, without a round trip per row.
    """
    values = event_values(current_context(), EventData("create", "success", table.name), now_utc())
    owner = table.c.id if table.name == Patient.__tablename__ else table.c.patient_id
    audit_columns = AuditEvent.__table__.c
    picked = {"object_id": table.c.id, "patient_id": owner}
    selected = [
        picked.get(name, literal(value, audit_columns[name].type)) for name, value in values.items()
    ]
    session.execute(
        insert(AuditEvent).from_select(list(values), select(*selected).where(condition))
    )
