"""At most 10 failed tries per 15 minutes per account and per address, then 429."""

from __future__ import annotations

import io
import multiprocessing
import os
import uuid

import pytest
import redis
from sqlalchemy import select

from config import TestingConfig
from portal.audit.models import AuditEvent
from portal.auth import throttle
from portal.auth.models import Role
from portal.core.database import now_utc
from portal.core.extensions import db, limiter
from portal.patients.enrolment import issue_code
from tests import factories as make
from tests.conftest import PortalClient
from tests.factories import PASSWORD
from tests.security.conftest import log_in
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


# Re-authentication: the current password asked before a sensitive change.
REAUTH_FORMS = {
    "password change": (
        Role.GUARDIAN,
        "/account/password",
        lambda password: {
            "current_password": password,
            "password": "amber-lantern-sky-9",
            "confirm": "amber-lantern-sky-9",
        },
    ),
    "second factor off": (
        Role.CLINICIAN,
        "/account/two-factor/off",
        lambda password: {"password": password},
    ),
    "new recovery codes": (
        Role.CLINICIAN,
        "/account/two-factor/recovery-codes",
        lambda password: {"password": password},
    ),
    "account closure": (
        Role.GUARDIAN,
        "/account/close",
        lambda password: {"understood": "y", "password": password},
    ),
}


@pytest.mark.parametrize("name", REAUTH_FORMS)
def test_wrong_current_passwords_are_limited_like_login(app, name):
    role, path, form = REAUTH_FORMS[name]
    user = make.user(role, totp=role is Role.CLINICIAN)
    stolen = log_in(app, user)
    for _ in range(10):
        refused = stolen.post_form(path, form("not-the-password"))
        assert refused.status_code == 200 and "not your" in refused.get_data(as_text=True)
    blocked = stolen.post_form(path, form(PASSWORD))
    assert blocked.status_code == 429 and LIMIT_MESSAGE in blocked.get_data(as_text=True)
    # From another address the account's own budget is spent too.
    other = log_in(app, user)
    other.environ_base["REMOTE_ADDR"] = "10.0.8.2"
    assert other.post_form(path, form(PASSWORD)).status_code == 429
    failures = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "reauth", AuditEvent.outcome == "failure")
    ).all()
    assert len(failures) == 10


def test_a_right_current_password_gives_its_try_back(app):
    user = make.user(Role.CLINICIAN, totp=True)
    desk = log_in(app, user)
    for _ in range(12):
        answer = desk.post_form("/account/two-factor/recovery-codes", {"password": PASSWORD})
        assert answer.status_code == 200 and "Your recovery codes" in answer.get_data(as_text=True)


def _limited_app(other_app, app, **limits):
    return other_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], **limits
    )


def test_api_writes_are_limited_per_account_and_per_address(app, other_app):
    limited = _limited_app(
        other_app,
        app,
        API_WRITE_LIMIT_ACCOUNT="3 per minute",
        API_WRITE_LIMIT_ADDRESS="5 per minute",
    )
    patient = make.patient()
    first = make.user(Role.GUARDIAN, patients=[patient])
    second = make.user(Role.GUARDIAN, patients=[patient])
    url = f"/api/v1/patients/{patient.id}/diary"

    def post(client):
        return client.post_json(url, {"client_id": str(uuid.uuid4()), "date": "2026-12-01"})

    phone = log_in(limited, first)
    assert [post(phone).status_code for _ in range(4)] == [201, 201, 201, 429]
    assert post(phone).get_json() == {"error": throttle.REQUESTS_MESSAGE}
    tablet = log_in(limited, second)  # same address (the test client's)
    assert [post(tablet).status_code for _ in range(3)] == [201, 201, 429]
    elsewhere = log_in(limited, make.user(Role.GUARDIAN, patients=[patient]))
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.9.9"
    assert post(elsewhere).status_code == 201
    assert limited.test_client().get("/healthz").status_code == 200


def test_imports_are_limited_per_account_and_per_address(app, other_app):
    limited = _limited_app(
        other_app, app, IMPORT_LIMIT_ACCOUNT="2 per hour", IMPORT_LIMIT_ADDRESS="3 per hour"
    )
    clinic = make.clinic()
    desk = log_in(limited, make.user(Role.CLINICIAN, clinic=clinic))
    header = "patient_ref,name,date_of_birth,sex\n"

    def upload(client):
        body = {"kind": "patients", "file": (io.BytesIO(header.encode()), "p.csv")}
        return client.post("/clinic/import", data={**body, "csrf_token": client.csrf_token()})

    assert [upload(desk).status_code for _ in range(3)] == [200, 200, 429]
    colleague = log_in(limited, make.user(Role.CLINICIAN, clinic=clinic))
    assert [upload(colleague).status_code for _ in range(2)] == [200, 429]  # the address's 3rd


def test_an_administrators_resets_of_second_factors_are_limited(app, other_app):
    limited = _limited_app(other_app, app, RESET_LIMIT_ACCOUNT="2 per hour")
    admin = log_in(limited, make.user(Role.ADMIN))
    staff = [make.user(Role.CLINICIAN, totp=True) for _ in range(3)]
    statuses = [
        admin.post_form(f"/admin/staff/{member.id}/two-factor/reset").status_code
        for member in staff
    ]
    assert statuses == [302, 302, 429]
    db.session.refresh(staff[2])
    assert staff[2].totp_secret is not None
