"""Failed-try limits hold when the tries arrive all at once, on one worker or several.

Each test starts real servers on 127.0.0.1 (a thread of this process with the memory
store; or two spawned processes sharing Redis and the database, as gunicorn workers
do), prepares every client first (its own session and CSRF token), then sends all
the tries at the same moment. The servers count the checks they make: a password
hash verified, a second-factor code or an enrolment code looked at.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections import Counter

import pytest
import redis

from config import TestingConfig
from portal.auth.models import Role
from portal.core.extensions import db, limiter
from tests import factories as make
from tests.conftest import suite_now
from tests.factories import PASSWORD, totp_code
from tests.security.live import (
    LiveClient,
    burst,
    count_checks,
    prepare,
    process_servers,
    thread_server,
)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WRONG = "wrong-password-x"
LIMIT = 10


class Servers:
    """The base URLs to spread clients over, and the number of checks they made."""

    def __init__(self, urls: list[str], counter) -> None:
        self.urls = urls
        self.counter = counter

    @property
    def checks(self) -> int:
        return self.counter.value

    def clients(self, count: int, address=lambda n: f"198.51.{n // 200}.{n % 200 + 1}"):
        """`count` fresh clients, each from its own address unless `address` says otherwise."""
        return [LiveClient(self.urls[n % len(self.urls)], address(n)) for n in range(count)]


@pytest.fixture(params=["memory", "redis"])
def servers(request, app, other_app):
    """Servers trusting one proxy (so each client can come from its own address)."""
    counter = multiprocessing.get_context("spawn").Value("i", 0)
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    if request.param == "memory":
        served = other_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, PROXY_COUNT=1)
        undo = count_checks(served, counter)
        try:
            with thread_server(served) as url:
                yield Servers([url], counter)
        finally:
            undo()
            limiter.init_app(app)
        return
    prefix = f"conc-{uuid.uuid4().hex[:8]}"
    overrides = {
        "PROXY_COUNT": 1,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    try:
        with process_servers(database_url, overrides, suite_now(), counter) as urls:
            yield Servers(urls, counter)
    finally:
        store = redis.Redis.from_url(REDIS_URL)
        keys = list(store.scan_iter(f"*{prefix}*"))
        if keys:
            store.delete(*keys)
        store.close()


def _statuses(answers) -> Counter:
    return Counter(answer.status for answer in answers)


def _login_try(password: str = WRONG):
    def send(client_and_token):
        client, token, login = client_and_token
        return client.post("/login", {"email": login, "password": password, "csrf_token": token})

    return send


@pytest.mark.slow
@pytest.mark.parametrize("tries", [40, 80])
def test_concurrent_wrong_passwords_for_one_account_make_at_most_10_password_checks(servers, tries):
    user = make.user(Role.GUARDIAN)
    clients = servers.clients(tries)
    tokens = prepare(clients, lambda c: c.token("/login"))
    answers = burst(
        [(c, t, user.email) for c, t in zip(clients, tokens, strict=True)], _login_try()
    )
    assert 1 <= servers.checks <= LIMIT
    statuses = _statuses(answers)
    assert statuses[200] == servers.checks and statuses[429] == tries - servers.checks
    # The account stays locked for a stranger, even with the right password.
    late = servers.clients(1, address=lambda n: "203.0.113.200")[0]
    answer = late.post(
        "/login", {"email": user.email, "password": PASSWORD, "csrf_token": late.token("/login")}
    )
    assert answer.status == 429


@pytest.mark.slow
def test_concurrent_wrong_passwords_from_one_address_make_at_most_10_password_checks(servers):
    accounts = [f"nobody{n}@example.test" for n in range(40)]
    clients = servers.clients(40, address=lambda n: "203.0.113.9")
    tokens = prepare(clients, lambda c: c.token("/login"))
    answers = burst(
        [(c, t, a) for c, t, a in zip(clients, tokens, accounts, strict=True)], _login_try()
    )
    assert 1 <= servers.checks <= LIMIT
    assert _statuses(answers)[429] == 40 - servers.checks


def _enrol_try(send_email: bool):
    def send(prepared):
        client, token, n = prepared
        form = {"code": f"WRONG-CODE-{n:04d}", "csrf_token": token}
        if send_email:
            form |= {
                "display_name": "Pat",
                "email": f"pat{n}@example.test",
                "password": "amber-lantern-sky",
                "confirm": "amber-lantern-sky",
            }
        return client.post("/enrol", form)

    return send


def _logged_in(client: LiveClient, login: str) -> LiveClient:
    answer = client.post(
        "/login", {"email": login, "password": PASSWORD, "csrf_token": client.token("/login")}
    )
    assert answer.status == 302, answer.status
    return client


@pytest.mark.slow
def test_concurrent_wrong_enrolment_codes_make_at_most_10_checks_per_account(servers):
    guardian = make.user(Role.GUARDIAN)
    first = _logged_in(servers.clients(1, address=lambda n: "203.0.113.50")[0], guardian.email)
    before = servers.checks  # the password check of the login
    # One session used from 40 addresses at once.
    clients = [first.copy(address=f"198.51.100.{n + 1}") for n in range(40)]
    for n, client in enumerate(clients):
        client.base = servers.urls[n % len(servers.urls)]
    tokens = prepare(clients, lambda c: c.token("/enrol"))
    answers = burst(
        [(c, t, n) for n, (c, t) in enumerate(zip(clients, tokens, strict=True))], _enrol_try(False)
    )
    assert 1 <= servers.checks - before <= LIMIT
    assert _statuses(answers)[429] == 40 - (servers.checks - before)


@pytest.mark.slow
def test_concurrent_wrong_enrolment_codes_make_at_most_10_checks_per_address(servers):
    clients = servers.clients(40, address=lambda n: "203.0.113.60")
    tokens = prepare(clients, lambda c: c.token("/enrol"))
    answers = burst(
        [(c, t, n) for n, (c, t) in enumerate(zip(clients, tokens, strict=True))], _enrol_try(True)
    )
    assert 1 <= servers.checks <= LIMIT
    assert _statuses(answers)[429] == 40 - servers.checks


def _password_step(client: LiveClient, login: str) -> LiveClient:
    answer = client.post(
        "/login", {"email": login, "password": PASSWORD, "csrf_token": client.token("/login")}
    )
    assert answer.status == 302 and "/login/code" in answer.location
    return client


@pytest.mark.slow
def test_concurrent_wrong_second_factor_codes_make_at_most_10_checks(servers):
    clinician = make.user(Role.CLINICIAN, totp=True)
    first = _password_step(servers.clients(1, address=lambda n: "203.0.113.70")[0], clinician.email)
    before = servers.checks  # the password check of the first step
    clients = [first.copy(address=f"198.51.100.{n + 1}") for n in range(40)]
    for n, client in enumerate(clients):
        client.base = servers.urls[n % len(servers.urls)]
    tokens = prepare(clients, lambda c: c.token("/login/code"))

    def send(prepared):
        client, token = prepared
        return client.post("/login/code", {"code": "000000", "csrf_token": token})

    answers = burst(list(zip(clients, tokens, strict=True)), send)
    assert 1 <= servers.checks - before <= LIMIT
    assert _statuses(answers)[429] == 40 - (servers.checks - before)


@pytest.mark.slow
def test_one_code_posted_10_times_at_once_logs_in_once(servers):
    clinician = make.user(Role.CLINICIAN, totp=True)
    clients = servers.clients(10)
    login = clinician.email
    prepare(clients, lambda c: _password_step(c, login))
    code = totp_code(clinician)
    tokens = prepare(clients, lambda c: c.token("/login/code"))

    def send(prepared):
        client, token = prepared
        return client.post("/login/code", {"code": code, "csrf_token": token})

    answers = burst(list(zip(clients, tokens, strict=True)), send)
    logged_in = [a for a in answers if a.status == 302 and a.location.endswith("/")]
    assert len(logged_in) == 1, _statuses(answers)
    assert all("already used" in a.text for a in answers if a not in logged_in)
    db.session.expire_all()


@pytest.mark.slow
def test_concurrent_wrong_current_passwords_on_a_stolen_session_make_at_most_10_checks(servers):
    guardian = make.user(Role.GUARDIAN)
    first = _logged_in(servers.clients(1, address=lambda n: "203.0.113.80")[0], guardian.email)
    before = servers.checks  # the password check of the login
    clients = [first.copy(address=f"198.51.100.{n + 1}") for n in range(40)]
    for n, client in enumerate(clients):
        client.base = servers.urls[n % len(servers.urls)]
    tokens = prepare(clients, lambda c: c.token("/account/password"))

    def send(prepared):
        client, token, n = prepared
        new = "amber-lantern-sky-9"
        form = {"current_password": f"guess-{n:03d}-x", "password": new, "confirm": new}
        return client.post("/account/password", {**form, "csrf_token": token})

    answers = burst([(c, t, n) for n, (c, t) in enumerate(zip(clients, tokens, strict=True))], send)
    assert 1 <= servers.checks - before <= LIMIT
    assert _statuses(answers)[429] == 40 - (servers.checks - before)
