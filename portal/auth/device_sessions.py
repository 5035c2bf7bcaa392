"""Server-side login sessions: one row per device, ended by logout, timeouts or a reset."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, false, inspect, select, update
from sqlalchemy.orm import joinedload

from portal.auth.models import User, UserSession
from portal.core.extensions import db

# last_seen_at is written at most this often, so a busy page does not write on every request.
TOUCH_INTERVAL = timedelta(seconds=60)


@dataclass(frozen=True)
class SessionLimits:
    """How long a session may sit idle (by kind of account) and live at most."""

    idle_family: timedelta
    idle_staff: timedelta
    absolute: timedelta

    def idle_for(self, user: User) -> timedelta:
        return self.idle_staff if user.role_enum.is_staff else self.idle_family


@dataclass(frozen=True)
class SessionCheck:
    """The live session, or why there is none ('unknown', 'ended', 'idle', 'absolute').

    `record` is the session the cookie named, when there is one.
    """

    record: UserSession | None
    reason: str = ""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User, now: datetime) -> tuple[UserSession, str]:
    """A new session for this device and the token its cookie will carry."""
    token = secrets.token_urlsafe(32)
    record = UserSession(user_id=user.id, token_hash=_digest(token), created_at=now)
    record.last_seen_at = now
    db.session.add(record)
    db.session.flush()
    return record, token


def _linked_children():
    """User.patients: the backref Patient.accounts declares (mappers configured first)."""
    return inspect(User).attrs["patients"].class_attribute


def load_user_and_session(
    user_id: int, token: str | None
) -> tuple[User, UserSession | None] | None:
    """The account and the session of it that `token` names (None when none), in one query.

    The children linked to the account come in the same statement, so the permission
    check of a family's own child reads them from memory.
    """
    token_matches = (
        UserSession.token_hash == _digest(token) if isinstance(token, str) and token else false()
    )
    query = (
        select(User, UserSession)
        .outerjoin(UserSession, and_(UserSession.user_id == User.id, token_matches))
        .where(User.id == user_id)
        .options(joinedload(_linked_children()))
    )
    row = db.session.execute(query).unique().first()
    return None if row is None else (row[0], row[1])


def check_loaded(
    user: User, record: UserSession | None, now: datetime, limits: SessionLimits
) -> SessionCheck:
    """Whether this session row (already loaded) is the user's and still live."""
    if record is None or record.user_id != user.id:
        return SessionCheck(None, "unknown")
    if record.ended_at is not None:
        return SessionCheck(record, "ended")
    if now - record.created_at >= limits.absolute:
        return SessionCheck(record, "absolute")
    if now - record.last_seen_at >= limits.idle_for(user):
        return SessionCheck(record, "idle")
    return SessionCheck(record)


def touch(record: UserSession, now: datetime) -> bool:
    """Note activity on a session; True when the row was written."""
    if now - record.last_seen_at < TOUCH_INTERVAL:
        return False
    record.last_seen_at = now
    db.session.flush()
    return True


def end_session(record: UserSession, now: datetime, reason: str) -> None:
    """End one session (logout, timeout)."""
    if record.ended_at is None:
        record.ended_at = now
        record.end_reason = reason
        db.session.flush()


def end_other_sessions(
    user: User, now: datetime, reason: str, keep: UserSession | None = None
) -> int:
    """End every live session of the user except `keep`; the number ended."""
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    db.session.flush()
    result = db.session.execute(query.values(ended_at=now, end_reason=reason))
    return result.rowcount


def prune_sessions(user: User, now: datetime, limits: SessionLimits) -> None:
    """Forget this user's sessions that ended or expired more than a day ago."""
    cutoff = now - limits.absolute - timedelta(days=1)
    db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.created_at < cutoff)
    )
    db.session.flush()
