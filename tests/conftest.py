"""Fixtures: one schema per run, clean tables per test, a form-posting client, factories."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import flask_migrate
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from portal import create_app
from portal.auth.models import Role, User
from portal.core.extensions import db, limiter
from tests import factories, mail_sink

META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')

# Every test starts at this instant (UTC) and the clock ticks on from it, so no
# result depends on the day the suite runs. .ci/run replays the date-sensitive
# tests with PORTAL_TEST_NOW set to the hard dates listed in tests/clock_dates.txt.
DEFAULT_TEST_NOW = "2026-12-02T10:30:00+00:00"  # a Wednesday, mid-morning in London


def suite_now() -> datetime:
    """The instant the tests start from: PORTAL_TEST_NOW, or the fixed default."""
    moment = datetime.fromisoformat(os.environ.get("PORTAL_TEST_NOW") or DEFAULT_TEST_NOW)
    if moment.tzinfo is None:
        raise ValueError("PORTAL_TEST_NOW needs a UTC offset, e.g. 2027-03-28T01:30:00+00:00")
    return moment


def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """TEST_DATABASE_URL (PostgreSQL in CI's second run) or a fresh SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[mail_sink.Sink]:
    """A real SMTP server (aiosmtpd) on a free local port; the app sends all its mail there."""
    controller, sink = mail_sink.start()
    yield sink
    controller.stop()


@pytest.fixture
def outbox(smtp_server: mail_sink.Sink) -> mail_sink.Sink:
    """The SMTP server's messages, starting empty for this test."""
    smtp_server.clear()
    return smtp_server


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, smtp_server: mail_sink.Sink) -> Iterator[Flask]:
    """The app on a schema made once per run (the fast path; migrations are tested apart)."""
    application = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url(tmp_path_factory),
        MAIL_SERVER=smtp_server.host,
        MAIL_PORT=smtp_server.port,
    )
    with application.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        flask_migrate.stamp()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database of the kind the suite runs on (dropped afterwards)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    url = make_url(base)
    name = f"fresh_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def _push_request_context() -> None:
    """Replaces pytest-flask's per-test request context.

    A context held open for the whole test would be shared by every request the
    test client makes (Flask reuses an active app context), leaking `g` and the
    logged-in user between clients. Tests get a plain app context instead.
    """


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[time_machine.Coordinates]:
    """The clock of this process (app, live server thread, tests) set to the test instant.

    It ticks, so timeouts and token ages still move forward within a test; each
    test starts again from the same instant. Tests that need another moment
    travel from here with `frozen_clock.move_to(...)`.
    """
    with time_machine.travel(suite_now(), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def app_context(app: Flask, frozen_clock) -> Iterator[None]:
    """An app context for the test body; afterwards every table is emptied."""
    with app.app_context():
        limiter.reset()  # failed-try counters start at zero for every test
        yield
        db.session.rollback()
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        # DELETE, children first, on both databases: on PostgreSQL it is several
        # times faster than TRUNCATE for the handful of rows a test leaves.
        with db.engine.begin() as connection:
            for table in tables:
                connection.execute(table.delete())


class PortalClient(FlaskClient):
    """A test client that fills in the CSRF token of the current session for form posts.

    Each request runs in its own app context, as in production, so requests share
    no `g` and no database session with the test body or with other clients; the
    test's own session is expired afterwards so it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        page = self.get("/", follow_redirects=True)
        match = META_CSRF.search(page.get_data(as_text=True))
        assert match, "no csrf-token meta tag on the landing page"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def post_json(self, url: str, payload: object, **kwargs):
        headers = {"X-CSRFToken": self.csrf_token(), **kwargs.pop("headers", {})}
        return self.post(url, json=payload, headers=headers, **kwargs)


@pytest.fixture
def client(app: Flask) -> PortalClient:
    app.test_client_class = PortalClient
    return app.test_client()


@pytest.fixture
def login(client: PortalClient) -> Callable[[User], PortalClient]:
    """Log a user in through the real login form."""

    def do_login(user: User, password: str = factories.PASSWORD) -> PortalClient:
        response = client.post_form("/login", {"email": user.email, "password": password})
        assert response.status_code == 302, "login failed"
        if "/login/code" in response.headers["Location"]:
            db.session.refresh(user)
            code = factories.totp_code(user)
            response = client.post_form(response.headers["Location"], {"code": code})
            assert response.status_code == 302, "second-factor code refused"
        return client

    return do_login


@pytest.fixture
def login_as(login) -> Callable[..., User]:
    """Create a user of a role (with any factory options), log in, return the user."""

    def do(role: Role | str, **options) -> User:
        user = factories.user(role, **options)
        login(user)
        return user

    return do


@pytest.fixture
def job_store(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """Jobs queued to a real SQLite store (as the worker reads it) instead of run at once."""
    from portal.core import jobs

    path = tmp_path / "jobs.sqlite3"
    jobs.use_sqlite_store(path, app)
    yield path
    jobs.init_jobs(app)


@pytest.fixture(autouse=True)
def jobs_run_at_once(app: Flask) -> None:
    """Jobs run where they are queued, as the test app says: any app another test built
    (development, production) re-set the one queue when it was created."""
    from portal.core import jobs

    jobs.init_jobs(app)
