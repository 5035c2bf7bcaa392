"""Time-based one-time codes (RFC 6238) as a second factor for staff accounts.

A code is accepted for its own 30-second step or one step either side (a phone
clock half a minute out), and only for a step later than the last one accepted:
the step is claimed with a conditional UPDATE, so ten posts of one code at once
log in once. The secret is sealed at rest (core/crypto.py); while it is being set
up it waits on the account, sealed too, never in the session cookie.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import or_, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.auth import recovery_codes, trusted_devices
from portal.auth.device_sessions import end_other_sessions
from portal.auth.models import Role, User
from portal.core.errors import FieldError
from portal.core.extensions import db

STEP_SECONDS = 30
# One step either side forgives a phone clock that is half a minute out.
DRIFT_STEPS = 1
# How long a secret shown at set-up waits for its first code before a new one is made.
PENDING_SETUP = timedelta(minutes=30)


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, login: str, issuer: str) -> str:
    """The otpauth:// link an authenticator app understands."""
    return pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=issuer)


def qr_svg(uri: str) -> Markup:
    """The link as a QR code, an inline SVG drawn here (no image fetched from anywhere)."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", omitsize=False
    )
    label = 'role="img" aria-label="QR code to scan with your authenticator app"'
    return Markup(svg.replace("<svg ", f"<svg {label} ", 1))  # noqa: S704 - segno's own SVG


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _clean(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def looks_like_code(text: str) -> bool:
    """Six digits (spaces allowed): an app's code rather than a recovery code."""
    code = _clean(text)
    return len(code) == 6 and code.isdigit()


def matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step whose code this is (within the drift window, later than `after`)."""
    code = _clean(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _claim_step(user: User, step: int) -> bool:
    """Move the account's last accepted step on to `step`, unless another request did."""
    claimed = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def verify(user: User, code: str, now: datetime) -> bool:
    """True for a current code not used before; its step is claimed so it cannot be replayed."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code, now, user.totp_last_step)
    return step is not None and _claim_step(user, step)


def pending_secret(user: User, now: datetime) -> str:
    """The secret being set up: the one shown before if still fresh, else a new one."""
    fresh = user.totp_pending_at is not None and now - user.totp_pending_at < PENDING_SETUP
    if not (fresh and user.totp_pending_secret):
        user.totp_pending_secret = new_secret()
        user.totp_pending_at = now
        db.session.flush()
    return user.totp_pending_secret


def enable(user: User, code: str, now: datetime) -> list[str]:
    """Turn the factor on once the app shows the right code; the new recovery codes."""
    if not user.role_enum.is_staff:
        raise FieldError("code", "A second factor is for staff accounts.")
    secret = user.totp_pending_secret
    stale = user.totp_pending_at is None or now - user.totp_pending_at >= PENDING_SETUP
    step = None if not secret or stale else matching_step(secret, code, now, None)
    if step is None:
        raise FieldError(
            "code", "That code does not match. Check the time on your phone and retry."
        )
    user.totp_secret = secret
    user.totp_last_step = step
    user.totp_pending_secret = None
    user.totp_pending_at = None
    db.session.flush()
    return recovery_codes.replace(user, now)


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    user.totp_pending_secret = None
    user.totp_pending_at = None
    recovery_codes.remove(user)


def disable(user: User) -> None:
    """Turn the second factor off; administrators must keep it."""
    if user.role_enum is Role.ADMIN:
        raise FieldError("password", "Administrators must keep a second factor.")
    _clear(user)
    db.session.flush()


def reset(user: User, now: datetime) -> None:
    """An administrator clears a lost factor: it must be set up again, old sessions and
    trusted devices end (the lost phone may be one)."""
    _clear(user)
    user.session_version += 1
    end_other_sessions(user, now, "2fa-reset")
    trusted_devices.revoke_all(user, now)
    db.session.flush()


def required(user: User) -> bool:
    """True when the account may do nothing until a second factor is set up."""
    return user.role_enum is Role.ADMIN and not user.has_totp
