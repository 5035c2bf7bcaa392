"""Clinics in databases of their own, each writing its site summary, for the hub's tests."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

from flask import Flask

from config import TestingConfig
from portal import create_app
from portal.core.extensions import db
from portal.research import signing
from portal.research.site_summary import canonical
from tests import factories as make

SALT = "c2hhcmVkLW5ldHdvcmstc2FsdC1mb3ItdGVzdHM="  # the network's one salt
FIRST = date(2025, 1, 6)


@contextmanager
def site_database(path: Path, code: str) -> Iterator[Flask]:
    """A portal of its own on its own SQLite file, with its own signing key."""
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{path / f'{code}.db'}",
        RESEARCH_SIGNING_KEY=signing.new_private_key(),
        RESEARCH_LOT_SALT=SALT,
        RESEARCH_SITE_CODE=code,
    )
    with app.app_context():
        db.create_all()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def public_key(app: Flask) -> str:
    return signing.public_key_text(signing.signing_key(app.config, app.instance_path))


def add_courses(clinic, days: int, changes: Sequence[float], headaches: int = 0, diary=True):
    """One child per course: paired assessments giving `changes`; a diary after each if asked."""
    for n, change in enumerate(changes):
        patient = make.patient(clinic, name=f"Secret Name{n}", date_of_birth=date(2016, 3, 9))
        start = FIRST + timedelta(days=7 * n)
        course = make.course(patient, start, days=days, lots=(f"LOT-{days}",))
        make.assessment(patient, start - timedelta(days=1), myometry=30.0)
        make.assessment(patient, course.end_date + timedelta(days=10), myometry=30.0 + change)
        if diary:
            make.diary_row(
                patient, course.end_date + timedelta(days=1), headache=int(n < headaches)
            )


def write_summary(app: Flask, out: Path) -> bytes:
    """The site's summary through its own command line (in its own app context: a command
    run while another app's context is active would run in that app)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["research", "summary", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def resign(app: Flask, data: bytes, change) -> bytes:
    """The file with its payload changed by `change(payload)`, signed again by the site."""
    document = json.loads(data)
    change(document["payload"])
    key = signing.signing_key(app.config, app.instance_path)
    document["signature"] = signing.sign(key, canonical(document["payload"]))
    return json.dumps(document).encode()


def register(client, code: str, key: str, name: str = ""):
    return client.post_form(
        "/admin/research/sites/new",
        {"code": code, "name": name or code.title(), "public_key": key},
    )


def upload(client, data: bytes, name: str = "summary.json"):
    return client.post_form(
        "/admin/research/summaries/new",
        {"file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )
