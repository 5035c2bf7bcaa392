"""Time-based one-time codes (RFC 6238) as a second factor for staff accounts."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

from portal.auth.device_sessions import end_other_sessions
from portal.auth.models import Role, User
from portal.core.errors import FieldError
from portal.core.extensions import db

STEP_SECONDS = 30
# One step either side forgives a phone clock that is half a minute out.
DRIFT_STEPS = 1


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, login: str, issuer: str) -> str:
    """The otpauth:// link an authenticator app understands."""
    return pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=issuer)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _clean(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


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


def verify(user: User, code: str, now: datetime) -> bool:
    """True for a current code not used before; remembers its step so it cannot be replayed."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code, now, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    db.session.flush()
    return True


def enable(user: User, secret: str, code: str, now: datetime) -> None:
    """Turn the second factor on once the user proves their app shows the right code."""
    if not user.role_enum.is_staff:
        raise FieldError("code", "A second factor is for staff accounts.")
    step = matching_step(secret, code, now, None)
    if step is None:
        raise FieldError(
            "code", "That code does not match. Check the time on your phone and retry."
        )
    user.totp_secret = secret
    user.totp_last_step = step
    db.session.flush()


def disable(user: User) -> None:
    """Turn the second factor off; administrators must keep it."""
    if user.role_enum is Role.ADMIN:
        raise FieldError("password", "Administrators must keep a second factor.")
    user.totp_secret = None
    user.totp_last_step = None
    db.session.flush()


def reset(user: User, now: datetime) -> None:
    """An administrator clears a lost factor: it must be set up again, old sessions end."""
    user.totp_secret = None
    user.totp_last_step = None
    user.session_version += 1
    end_other_sessions(user, now, "2fa-reset")
    db.session.flush()


def required(user: User) -> bool:
    """True when the account may do nothing until a second factor is set up."""
    return user.role_enum is Role.ADMIN and not user.has_totp
