"""At most 10 failed tries per 15 minutes per account and per address, then 429."""

from __future__ import annotations

import multiprocessing
import os
import uuid

import redis
from sqlalchemy import select

from config import TestingConfig
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.core.database import now_utc
from portal.core.extensions import db, limiter
from portal.patients.enrolment import issue_code
from tests import factories as make
from tests.conftest import PortalClient
from tests.factories import PASSWORD
from tests.security.workers import failed_logins

LIMIT_MESSAGE = "Too many failed tries"


def _client(app, address: str) -> PortalClient:
    app.test_client_class = PortalClient
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _try(client, login: str, password: str = "wrong-password-x"):  # noqa: S107
    return client.post_form("/login", {"email": login, "password": password})


def test_an_account_is_locked_after_10_failed_tries_from_any_addresses(app):
    user = make.user(Role.GUARDIAN)
    for n in range(10):
        assert _try(_client(app, f"10.0.1.{n}"), user.email).status_code == 200
    blocked = _try(_client(app, "10.0.1.99"), user.email, PASSWORD)
    assert blocked.status_code == 429
    assert LIMIT_MESSAGE in blocked.get_data(as_text=True)
    other = make.user(Role.GUARDIAN)
    assert _try(_client(app, "10.0.1.98"), other.email, PASSWORD).status_code == 302


def test_an_address_is_locked_after_10_failed_tries_on_any_accounts(app):
    address = _client(app, "10.0.2.1")
    for n in range(10):
        assert _try(address, f"someone{n}@example.test").status_code == 200
    user = make.user(Role.GUARDIAN)
    assert _try(address, user.email, PASSWORD).status_code == 429
    assert _try(_client(app, "10.0.2.2"), user.email, PASSWORD).status_code == 302


def test_successful_logins_do_not_count_against_the_limit(app):
    user = make.user(Role.GUARDIAN)
    for _ in range(12):
        client = _client(app, "10.0.3.1")
        assert _try(client, user.email, PASSWORD).status_code == 302


def test_the_refusal_is_a_plain_429_page_and_is_audited(app):
    client = _client(app, "10.0.4.1")
    for _ in range(11):
        response = _try(client, "nobody@example.test")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "<h1>Too many tries</h1>" in page and "wait 15 minutes" in page
    assert "Retry-After" in response.headers
    refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "rate_limit"))
    assert [(e.outcome, e.remote_addr) for e in refused] == [("denied", "10.0.4.1")]


def test_wrong_enrolment_codes_are_limited_too(app):
    patient = make.patient()
    code = issue_code(patient, make.user(Role.CLINICIAN), now_utc(), 14).code
    db.session.commit()
    client = _client(app, "10.0.5.1")
    form = {
        "display_name": "Pat",
        "email": "pat@example.test",
        "password": "amber-lantern-sky",
        "confirm": "amber-lantern-sky",
    }
    for n in range(10):
        response = client.post_form("/enrol", {**form, "code": f"WRONG-CODE-{n:02d}"})
        assert "not recognised" in response.get_data(as_text=True)
    assert client.post_form("/enrol", {**form, "code": code}).status_code == 429


def test_x_forwarded_for_is_ignored_unless_a_proxy_count_is_set(app, other_app):
    spoofing = _client(app, "10.0.6.1")
    for n in range(11):
        response = spoofing.post_form(
            "/login",
            {"email": f"x{n}@example.test", "password": "wrong-password-x"},
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        )
    assert response.status_code == 429  # all counted against the real peer

    proxied = other_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], PROXY_COUNT=1
    )
    behind_proxy = _client(proxied, "10.0.6.2")
    behind_proxy.post_form(
        "/login",
        {"email": "y@example.test", "password": "wrong-password-x"},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    addresses = db.session.scalars(
        select(AuditEvent.remote_addr).where(AuditEvent.action == "login")
    ).all()
    assert "198.51.100.7" in addresses
    assert not any(a.startswith("192.0.2.") for a in addresses)


def test_limits_held_in_redis_are_shared_by_separate_worker_processes(app):
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    user = make.user(Role.GUARDIAN)
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    context = multiprocessing.get_context("spawn")
    try:
        with context.Pool(1) as pool:
            first = pool.apply(failed_logins, (database_url, redis_url, prefix, user.email, 6))
        with context.Pool(1) as pool:
            second = pool.apply(failed_logins, (database_url, redis_url, prefix, user.email, 6))
    finally:
        store = redis.Redis.from_url(redis_url)
        keys = list(store.scan_iter(f"*{prefix}*"))
        assert keys, "nothing was stored in Redis"
        store.delete(*keys)
        store.close()
    assert first == [200] * 6
    assert second == [200] * 4 + [429] * 2


def test_readiness_fails_when_the_rate_limit_store_is_unreachable(app, other_app):
    # A port nothing listens on: the store is down, so logins could not be limited.
    unreachable = other_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
    )
    try:
        response = unreachable.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.json["rate_limits"] == "unreachable"
    finally:
        # Flask-Limiter keeps one store per process: point it back at the suite's memory store.
        limiter.init_app(app)
