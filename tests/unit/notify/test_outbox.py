"""Development's outbox: with no MAIL_SERVER a message is kept and shown at /dev/outbox;
the page exists only where MAIL_OUTBOX is on, never in tests or production."""

from __future__ import annotations

from config import DevelopmentConfig, ProductionConfig, TestingConfig
from portal import create_app
from portal.notify.email import Email, deliver


def test_production_and_tests_have_no_outbox_page(client):
    assert ProductionConfig.MAIL_OUTBOX is False and TestingConfig.MAIL_OUTBOX is False
    assert DevelopmentConfig.MAIL_OUTBOX is True
    assert client.get("/dev/outbox/").status_code == 404


def test_without_a_mail_server_development_keeps_the_message_and_shows_it(app, tmp_path, capsys):
    dev = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_SERVER=None,
        MAIL_OUTBOX=True,
    )
    dev.instance_path = str(tmp_path)
    with dev.app_context():
        deliver(
            Email(
                "parent@example.test",
                "Choose a new password",
                "Open http://127.0.0.1:5000/login/reset/abc",
            )
        )
    assert "Choose a new password" in capsys.readouterr().err
    [kept] = list((tmp_path / "outbox").glob("*.eml"))
    assert kept.stat().st_mode & 0o077 == 0

    browser = dev.test_client()
    listing = browser.get("/dev/outbox/").get_data(as_text=True)
    assert "Choose a new password" in listing and "parent@example.test" in listing
    shown = browser.get(f"/dev/outbox/{kept.name}").get_data(as_text=True)
    assert 'href="http://127.0.0.1:5000/login/reset/abc"' in shown
    assert browser.get("/dev/outbox/..%2Fportal.db").status_code == 404


def test_without_a_mail_server_production_refuses_rather_than_drop_mail(app):
    quiet = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_SERVER=None,
    )
    with quiet.app_context():
        try:
            deliver(Email("parent@example.test", "Subject", "Body"))
        except RuntimeError as error:
            assert "MAIL_SERVER is not set" in str(error)
        else:
            raise AssertionError("a message was silently dropped")
