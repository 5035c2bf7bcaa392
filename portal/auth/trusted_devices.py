"""Devices where an account logged in, which may still log in while strangers lock it.

An attacker who knows a parent's email can spend the account's budget of failed
tries from their own machines and lock it for everyone. A browser where the account
last logged in successfully holds a device token (in a signed cookie, see
device_cookie.py): on that browser the account's lock does not apply, only the
device's own budget and the address's. So locking the owner out costs the attacker
the owner's browser, while a new browser stays locked like any stranger.

The token is random, only its hash is kept, and it is replaced at every login on that
device (so a copy taken earlier stops working once the owner logs in). A password
change, logging out everywhere, a disable or a second-factor reset revokes them all.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from portal.auth.models import TrustedDevice, User
from portal.core.extensions import db

# Devices kept per account; the least recently used beyond this are revoked.
MAX_DEVICES = 10


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, now: datetime) -> tuple[TrustedDevice, str]:
    """A new trusted device for the account and the token its cookie will carry."""
    token = secrets.token_urlsafe(32)
    device = TrustedDevice(
        user_id=user.id, token_hash=_digest(token), created_at=now, last_used_at=now
    )
    db.session.add(device)
    db.session.flush()
    _keep_newest(user, now)
    return device, token


def find(user: User, token: str | None, now: datetime, lifetime: timedelta) -> TrustedDevice | None:
    """The live device this token names, if it is the account's own and not stale."""
    if not token:
        return None
    device = db.session.scalar(
        select(TrustedDevice).where(TrustedDevice.token_hash == _digest(token))
    )
    if device is None or device.user_id != user.id or device.revoked_at is not None:
        return None
    return device if now - device.last_used_at < lifetime else None


def rotate(device: TrustedDevice, user: User, now: datetime) -> tuple[TrustedDevice, str]:
    """A fresh token for a device after a login there; the old token stops working.

    Claimed with a conditional UPDATE so that two logins racing on copies of one
    cookie cannot both keep it: the loser gets a device of its own.
    """
    token = secrets.token_urlsafe(32)
    moved = db.session.execute(
        update(TrustedDevice)
        .where(
            TrustedDevice.id == device.id,
            TrustedDevice.token_hash == device.token_hash,
            TrustedDevice.revoked_at.is_(None),
        )
        .values(token_hash=_digest(token), last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        return issue(user, now)
    db.session.refresh(device)
    return device, token


def revoke_all(user: User, now: datetime) -> int:
    """Forget every device of the account; the number revoked."""
    db.session.flush()
    result = db.session.execute(
        update(TrustedDevice)
        .where(TrustedDevice.user_id == user.id, TrustedDevice.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _keep_newest(user: User, now: datetime) -> None:
    """Revoke the least recently used beyond MAX_DEVICES; forget rows revoked a day ago."""
    db.session.execute(
        delete(TrustedDevice).where(
            TrustedDevice.user_id == user.id, TrustedDevice.revoked_at < now - timedelta(days=1)
        )
    )
    live = db.session.scalars(
        select(TrustedDevice.id)
        .where(TrustedDevice.user_id == user.id, TrustedDevice.revoked_at.is_(None))
        .order_by(TrustedDevice.last_used_at.desc(), TrustedDevice.id.desc())
        .offset(MAX_DEVICES)
    ).all()
    if live:
        db.session.execute(
            update(TrustedDevice)
            .where(TrustedDevice.id.in_(live))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
