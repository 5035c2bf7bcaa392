"""At most N failed tries per window, per account and per address (Flask-Limiter).

Only failures count: a view calls note_failure() when a password, code or
enrolment code was wrong, and the limiter deducts a try after the response.
Once either counter is full, the endpoint answers 429 before doing any work.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g, request
from flask_login import current_user

from portal.audit.trail import audit
from portal.auth.accounts import normalise_login
from portal.core.extensions import limiter


def note_failure() -> None:
    """This request was a failed try; it counts against the account and the address."""
    g.failed_try = True


def _failed(response) -> bool:
    return bool(g.get("failed_try"))


def _limit() -> str:
    return current_app.config["FAILED_TRIES_LIMIT"]


def _address_key() -> str:
    # remote_addr is the peer, or what ProxyFix derived from PROXY_COUNT trusted proxies.
    return f"addr:{request.remote_addr or 'unknown'}"


def form_login_key() -> str:
    """The account named in the form's email field."""
    return f"login:{normalise_login(request.form.get('email', ''))}"


def user_or_form_key() -> str:
    """The logged-in account, else the account named in the form."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return form_login_key()


def _on_breach(request_limit) -> None:
    audit("rate_limit", "denied", object_type=request.endpoint or "")


def limit_failures(account_key: Callable[[], str]) -> Callable:
    """Decorate a view: POSTs refused with 429 after too many failed tries."""

    def decorator(view: Callable) -> Callable:
        for scope, key in (("failed-address", _address_key), ("failed-account", account_key)):
            view = limiter.limit(
                _limit,
                key_func=key,
                methods=["POST"],
                deduct_when=_failed,
                scope=scope,
                on_breach=_on_breach,
                error_message="Too many failed tries. Please wait 15 minutes and try again.",
            )(view)
        return view

    return decorator
