"""Limits on tries at a secret, counted before the secret is checked, so they hold under load.

A view takes a try from every budget that applies (the address, and the account or
the trusted device) *before* it checks a password or a code: each take is one
atomic increment in the rate-limit store (Redis INCRBY in one Lua call, or the
memory store's lock), and a budget already spent refuses the request with 429
before any check is made. So however many tries arrive at once, at most the limit
are checked. A try that turns out right is given back, so successful logins never
use up the budget; a wrong one stays counted for the rest of the window.

Plain request limits (API writes, imports, resets, floods of form posts) count every
request with Flask-Limiter, which hits its counter when the request starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, request
from flask_login import current_user
from limits import RateLimitItem, parse
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from portal.audit.trail import audit
from portal.auth.accounts import normalise_login
from portal.core.extensions import limiter

FAILED_TRIES_MESSAGE = (
    "Too many failed tries in a short time, so this is paused for now. "
    "Please wait 15 minutes and try again, or call the clinic."
)
REQUESTS_MESSAGE = "Too many requests in a short time. Please wait a few minutes and try again."


class TooManyTries(TooManyRequests):
    """429 with the portal's words and a Retry-After."""

    def __init__(self, retry_after: int, message: str = FAILED_TRIES_MESSAGE) -> None:
        super().__init__(retry_after=retry_after)
        self.portal_message = message


@dataclass(frozen=True)
class Budget:
    """One limit on one key: `scope` names what is limited, `key` whose tries these are."""

    scope: str
    key: str
    limit: str

    @property
    def item(self) -> RateLimitItem:
        return parse(self.limit)

    def identifiers(self) -> tuple[str, ...]:
        prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
        return (prefix, "tries", self.scope, self.key)


def _strategy() -> FixedWindowRateLimiter:
    # Fixed windows over the shared store: a take is one increment, a give-back one decrement.
    return FixedWindowRateLimiter(limiter.storage)


def _give_back(budget: Budget) -> None:
    item = budget.item
    limiter.storage.incr(item.key_for(*budget.identifiers()), item.get_expiry(), amount=-1)


@dataclass
class Tries:
    """The tries taken for one attempt; given back if the attempt proves right."""

    taken: list[Budget] = field(default_factory=list)

    def succeeded(self) -> None:
        """The secret was right: this attempt does not count against anyone."""
        for budget in self.taken:
            _give_back(budget)
        self.taken = []


def _retry_after(budget: Budget) -> int:
    stats = _strategy().get_window_stats(budget.item, *budget.identifiers())
    return max(1, int(stats.reset_time - time.time()))


def take(*budgets: Budget) -> Tries:
    """One try from every budget, before the check; TooManyTries (429) when one is spent."""
    tries = Tries()
    if not limiter.enabled:
        return tries
    strategy = _strategy()
    for budget in budgets:
        if not strategy.hit(budget.item, *budget.identifiers()):
            _give_back(budget)
            tries.succeeded()  # nothing will be checked: hand the others back too
            audit(
                "rate_limit", "denied", object_type=request.endpoint or "", fields=(budget.scope,)
            )
            raise TooManyTries(_retry_after(budget))
        tries.taken.append(budget)
    return tries


def address() -> str:
    """The caller's address: the peer, or what ProxyFix derived from PROXY_COUNT proxies."""
    return request.remote_addr or "unknown"


def _failed(scope: str, key: str) -> Budget:
    return Budget(scope, key, current_app.config["FAILED_TRIES_LIMIT"])


def address_budget() -> Budget:
    return _failed("failed-address", f"addr:{address()}")


def account_budget(key: str) -> Budget:
    """Failed tries of one account: 'login:<name>' as typed in a form, or 'user:<id>'."""
    return _failed("failed-account", key)


def login_budget(login: str) -> Budget:
    """The account named in a login form (known or not, so unknown names cost the same)."""
    return account_budget(f"login:{normalise_login(login)}")


def user_budget(user_id: int) -> Budget:
    return account_budget(f"user:{user_id}")


def device_budget(device_id: int) -> Budget:
    """A trusted device's own budget, used instead of its account's while that is locked."""
    return _failed("failed-device", f"device:{device_id}")


def reauth_budgets(user_id: int) -> tuple[Budget, Budget]:
    """Wrong current passwords of a logged-in account, per account and per address."""
    limit = current_app.config["REAUTH_LIMIT"]
    return Budget("reauth-address", f"addr:{address()}", limit), Budget(
        "reauth-account", f"user:{user_id}", limit
    )


def _on_breach(request_limit) -> None:
    audit("rate_limit", "denied", object_type=request.endpoint or "")


def _account_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"anonymous:{address()}"


def _address_key() -> str:
    return f"addr:{address()}"


def limit_requests(setting: str) -> Callable:
    """Decorate a view (or a blueprint): its POSTs limited per account and per address,
    every request counting.

    The limits are the settings `<setting>_ACCOUNT` and `<setting>_ADDRESS`.
    """

    def decorator(view: Callable) -> Callable:
        for kind, key in (("ACCOUNT", _account_key), ("ADDRESS", _address_key)):
            limited = limiter.limit(
                lambda kind=kind: current_app.config[f"{setting}_{kind}"],
                key_func=key,
                methods=["POST"],
                scope=f"{setting.lower()}-{kind.lower()}",
                on_breach=_on_breach,
                error_message=REQUESTS_MESSAGE,
            )(view)
            view = limited or view  # a blueprint is limited in place
        return view

    return decorator


def limit_form_posts(view: Callable) -> Callable:
    """Every POST to a login or enrolment form, well-formed or not, per address (floods only)."""
    return limiter.limit(
        lambda: current_app.config["FORM_POSTS_LIMIT"],
        key_func=_address_key,
        methods=["POST"],
        scope="form-posts",
        on_breach=_on_breach,
        error_message=REQUESTS_MESSAGE,
    )(view)
