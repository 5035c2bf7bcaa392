"""Forgotten passwords: a single-use link by email, valid for a limited time.

The request side is answered alike for every address (the view enqueues
`auth.tasks.send_reset_link` whatever was typed; the job alone looks the account up),
and an account gets at most `PASSWORD_RESET_PER_ACCOUNT_HOUR` links an hour. Using a
link sets the password, ends every session of the account and forgets its trusted
devices (`accounts.change_password`), and voids the account's other links.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from portal.auth.accounts import change_password, check_new_password, find_user
from portal.auth.models import PasswordReset, User
from portal.core.extensions import db


class LinkNotValid(Exception):
    """The link is unknown, used already, or expired."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def account_for_address(address: str) -> User | None:
    """An active account whose login is this email address (a child's username is not)."""
    user = find_user(address)
    if user is None or not user.active or "@" not in user.email:
        return None
    return user


def links_since(user: User, since: datetime) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.created_at >= since)
    )


def issue(user: User, now: datetime, minutes: int) -> str:
    """A new link's token (only its digest is stored)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=_digest(token),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    db.session.flush()
    return token


def live_link(token: str, now: datetime) -> PasswordReset | None:
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == _digest(token))
    )
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    return link


def redeem(token: str, new_password: str, now: datetime) -> User:
    """Use the link: once only (a conditional UPDATE), then set the password.

    LinkNotValid when the link is unknown, used or expired; FieldError on `password`
    when the new password breaks a rule (and the link stays usable).
    """
    link = live_link(token, now)
    if link is None:
        raise LinkNotValid
    user = db.session.get(User, link.user_id)
    # The rules first, so a refused password does not spend the link.
    check_new_password(new_password, user.email)
    taken = db.session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.id == link.id,
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise LinkNotValid
    # Every other link of the account stops working too.
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    change_password(user, new_password, now)
    return user
