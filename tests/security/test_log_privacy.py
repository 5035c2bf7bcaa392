"""No health value reaches a log: engines hide parameters and every record is scrubbed."""

from __future__ import annotations

import io
import logging
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import create_engine

from config import CONFIGS, TestingConfig
from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from portal.core.log_privacy import scrub
from portal.diary import validation
from tests import factories as make
from tests.security.conftest import log_in

NOTE = "Secret worry 4711"
# Above the database's own CHECK (34–43 °C): the insert itself fails, as any database
# error would, once the form's range has been widened for the test.
TEMPERATURE = "45.3"


@pytest.fixture
def all_loggers_at_debug(caplog):
    """caplog at DEBUG on the root and on every logger that exists, and a full-text copy."""
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logging.getLogger().addHandler(handler)
    yield caplog, stream
    logging.getLogger().removeHandler(handler)


def _everything_logged(caplog, stream) -> str:
    parts = [caplog.text, stream.getvalue()]
    for record in caplog.records:
        parts += [record.getMessage(), record.exc_text or "", record.stack_info or ""]
    return "\n".join(parts)


@pytest.fixture
def failing_app(app, other_app, monkeypatch):
    """The app as in production (errors logged, not raised) with a diary the database refuses."""
    monkeypatch.setattr(validation, "TEMPERATURE_RANGE", (34.0, 50.0))
    return other_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        PROPAGATE_EXCEPTIONS=False,
    )


def test_a_database_error_during_a_diary_post_logs_neither_the_note_nor_the_temperature(
    failing_app, all_loggers_at_debug
):
    caplog, stream = all_loggers_at_debug
    patient = make.patient()
    guardian = make.user(Role.GUARDIAN, patients=[patient])
    family = log_in(failing_app, guardian)
    day = (today() - timedelta(days=1)).isoformat()
    form = {"date": day, "strength": "0", "mood": "3", "temperature_c": TEMPERATURE, "note": NOTE}
    page = family.post_form(f"/family/{patient.id}/diary/new", form)
    api = family.post_json(
        f"/api/v1/patients/{patient.id}/diary",
        {"client_id": str(uuid.uuid4()), "date": day, "temperature_c": 45.3, "note": NOTE},
    )
    assert page.status_code == 500 and api.status_code == 500  # the database said no
    logged = _everything_logged(caplog, stream)
    assert "IntegrityError" in logged or "CheckViolation" in logged  # the error itself is there
    assert NOTE not in logged and "4711" not in logged
    assert TEMPERATURE not in logged


def test_every_engine_hides_its_parameters(app, tmp_path):
    assert db.engine.hide_parameters is True
    for config in CONFIGS.values():
        assert config.SQLALCHEMY_ENGINE_OPTIONS["hide_parameters"] is True, config
    # A deployment that sets its own engine options still gets hidden parameters.
    from portal import create_app

    custom = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": False},
    )
    with custom.app_context():
        assert db.engine.hide_parameters is True
        db.engine.dispose()


def test_backups_open_their_engine_with_hidden_parameters(monkeypatch):
    from portal.ops import backup

    made = []

    def recording_engine(*args, **kwargs):
        made.append(kwargs)
        return create_engine("sqlite://", **kwargs)

    monkeypatch.setattr(backup, "create_engine", recording_engine)
    with pytest.raises(Exception):  # noqa: B017 - SQLite has no server_version_num
        backup._server_major(backup.make_url("postgresql://nobody@127.0.0.1:1/none"))
    assert made and all(kwargs.get("hide_parameters") is True for kwargs in made)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # PostgreSQL quotes the failing row and the duplicate key.
        (
            'new row violates check constraint "t"\nDETAIL:  Failing row contains '
            "(7, Secret worry 4711, 45.3).\n"
            "[SQL: INSERT INTO diary_entries (note) VALUES (%(note)s)]",
            "4711",
        ),
        ("Key (patient_ref)=(OTH-001) already exists.", "OTH-001"),
        # SQLAlchemy's own dump, when some engine forgot hide_parameters.
        ("[SQL: INSERT INTO t (a) VALUES (?)]\n[parameters: ('Secret worry 4711', 45.3)]", "4711"),
        # A statement compiled with its literals (literal_binds, or a hand-written one).
        ("UPDATE diary_entries SET note='Secret worry 4711', temperature_c=45.3 WHERE id=3", "45"),
        ("SELECT id FROM diary_entries WHERE note = 'Secret worry 4711'", "4711"),
    ],
)
def test_the_scrubber_removes_parameter_dumps_and_literals(text, secret):
    assert secret not in scrub(text)


def test_the_scrubber_leaves_ordinary_messages_alone():
    message = 'Imported 20 patient row(s) of 20; "GET /clinic/import HTTP/1.1" 200 -'
    assert scrub(message) == message


def test_engine_debug_lines_show_no_rows_or_parameters_even_from_a_loud_engine(
    all_loggers_at_debug,
):
    caplog, stream = all_loggers_at_debug
    loud = create_engine("sqlite://", echo="debug")  # echo on, parameters shown: the worst case
    with loud.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE t (note TEXT, temperature REAL)")
        connection.exec_driver_sql("INSERT INTO t VALUES (?, ?)", (NOTE, 45.3))
        assert connection.exec_driver_sql("SELECT note, temperature FROM t").all()
    loud.dispose()
    logged = _everything_logged(caplog, stream)
    assert "CREATE TABLE t" in logged  # statements still reach the log, without values
    assert "4711" not in logged and "45.3" not in logged
