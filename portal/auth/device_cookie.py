"""The trusted-device cookie: signed, bound to one account, sent only to the login pages.

It carries the account's id and the device's random token, signed with the app's
secret (itsdangerous), so a forged or altered cookie is ignored before any lookup;
the token must then name a live device of that very account (trusted_devices.py).
HttpOnly, SameSite=Strict (another site can never make a browser send it), Secure
outside development, Path=/login, and Max-Age of TRUSTED_DEVICE_DAYS.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.auth import trusted_devices
from portal.auth.models import TrustedDevice, User
from portal.core.database import now_utc

COOKIE_NAME = "portal_device"
COOKIE_PATH = "/login"
SALT = "trusted-device"


def _lifetime() -> timedelta:
    return timedelta(days=current_app.config["TRUSTED_DEVICE_DAYS"])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _read() -> tuple[int, str] | None:
    raw = request.cookies.get(COOKIE_NAME)
    if not raw:
        return None
    try:
        value = _serializer().loads(raw, max_age=int(_lifetime().total_seconds()))
    except BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    user_id, token = value.get("u"), value.get("t")
    if not isinstance(user_id, int) or not isinstance(token, str):
        return None
    return user_id, token


def recognised(user: User | None) -> TrustedDevice | None:
    """The trusted device this browser is for `user`, or None (a stranger to the account)."""
    found = _read()
    if user is None or found is None or found[0] != user.id:
        return None
    return trusted_devices.find(user, found[1], now_utc(), _lifetime())


def remember(response: Response, user: User, device: TrustedDevice | None) -> Response:
    """After a login on this browser: rotate its device token, or make it a trusted device."""
    now = now_utc()
    if device is not None:
        device, token = trusted_devices.rotate(device, user, now)
    else:
        device, token = trusted_devices.issue(user, now)
    response.set_cookie(
        COOKIE_NAME,
        _serializer().dumps({"u": user.id, "t": token}),
        max_age=int(_lifetime().total_seconds()),
        path=COOKIE_PATH,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Strict",
    )
    return response


def forget(response: Response) -> Response:
    """Remove the cookie from this browser (its device was revoked)."""
    response.delete_cookie(
        COOKIE_NAME,
        path=COOKIE_PATH,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Strict",
    )
    return response
