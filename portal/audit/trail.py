"""The web side of the audit trail: who is acting, and when events reach the database.

Reads, denials, logins and exports are queued during the request and written
in their own transaction after it, so a view that rolls back (or a 404 that
never commits) still leaves its trace. Changes to patient data are captured
from the ORM flush (portal.audit.capture) and commit with the change itself.
"""

from __future__ import annotations

from flask import Flask, Response, g, has_request_context, request
from sqlalchemy import insert

from portal.audit.events import AuditContext, EventData, event_values
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.signals import csrf_refused


def set_actor(user: User | None) -> None:
    """Remember who acts in this request (plain values, safe to read during a flush)."""
    if user is None or not getattr(user, "is_authenticated", False):
        g.audit_actor = None
    else:
        g.audit_actor = (user.id, user.role)


def current_context() -> AuditContext:
    """The acting user and the request's endpoint, method and address."""
    if not has_request_context():
        return AuditContext(endpoint="system")
    actor = g.get("audit_actor")
    user_id, role = actor if actor else (None, "")
    return AuditContext(
        user_id=user_id,
        role=role,
        endpoint=request.endpoint or "",
        method=request.method,
        remote_addr=request.remote_addr or "",
    )


def queue(data: EventData) -> None:
    """Write this event after the request, whatever the view does with its transaction."""
    g.setdefault("audit_queue", []).append(data)


def note_changed_patients(patient_ids: set[int]) -> None:
    """A change to these patients was recorded; their read events would only repeat it."""
    if has_request_context():
        g.setdefault("audit_changed", set()).update(patient_ids)


def audit_read(object_type: str, object_id: int | None, patient_id: int | None) -> None:
    """Someone was shown this object of a patient."""
    queue(EventData("read", "success", object_type, object_id, patient_id))


def audit_denied(object_type: str, object_id: int | None, patient_id: int | None = None) -> None:
    """Someone was refused this object (answered 404)."""
    queue(EventData("access", "denied", object_type, object_id, patient_id))


def audit(action: str, outcome: str = "success", **details) -> None:
    """Any other event: logins, exports, account changes."""
    queue(EventData(action, outcome, **details))


def _pending() -> list[EventData]:
    events = g.pop("audit_queue", [])
    changed = g.get("audit_changed", set())
    return [
        event for event in events if not (event.action == "read" and event.patient_id in changed)
    ]


def write_queued(response: Response) -> Response:
    """after_request: commit the queued events in a transaction of their own."""
    events = _pending()
    if not events:
        return response
    context = current_context()
    # Anything the view left uncommitted is discarded at teardown anyway; it must
    # not ride along with the audit rows.
    db.session.rollback()
    at = now_utc()
    # One INSERT for all of them (Core, no ORM objects), then the commit.
    rows = [event_values(context, event, at) for event in events]
    db.session.execute(insert(AuditEvent), rows)
    db.session.commit()
    return response


def _record_csrf_refusal(sender: object, form_name: str) -> None:
    audit("csrf", "denied", object_type=form_name)


def register_audit(app: Flask) -> None:
    """Write queued audit events after every request; record forms refused for CSRF."""
    app.after_request(write_queued)
    csrf_refused.connect(_record_csrf_refusal)
