"""Configuration: chosen by PORTAL_CONFIG; production refuses to start without a secret."""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import flask_assets
import pytest
from flask import Flask

import config
from config import (
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    _local_secret,
    config_from_env,
)
from portal import create_app
from portal.core.crypto import DEV_KEY_FILE, DataKeyError, parse_keys

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("secret", [None, "", "   "])
def test_production_app_refuses_to_start_without_secret_key(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app(ProductionConfig, SECRET_KEY=secret)


@pytest.mark.parametrize("keys", [None, "", "  ,  "])
def test_production_app_refuses_to_start_without_data_keys(keys, tmp_path):
    with pytest.raises(RuntimeError, match="PORTAL_DATA_KEYS must"):
        create_app(
            ProductionConfig,
            SECRET_KEY="a-real-secret-from-the-environment",
            PORTAL_DATA_KEYS=keys,
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}",
        )


def test_production_refuses_a_malformed_data_key(tmp_path):
    with pytest.raises(DataKeyError, match="Fernet keys"):
        create_app(
            ProductionConfig,
            SECRET_KEY="a-real-secret-from-the-environment",
            PORTAL_DATA_KEYS="not-a-key",
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}",
        )


def _development_app(tmp_path: Path, database: Path) -> Flask:
    """What create_app does with DevelopmentConfig, with the instance folder in tmp_path."""
    app = Flask("portal", instance_path=str(tmp_path / "instance"))
    app.config.from_object(DevelopmentConfig)
    app.config.update(
        SECRET_KEY=None, PORTAL_DATA_KEYS=None, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}"
    )
    DevelopmentConfig.init_app(app)
    return app


def test_development_keeps_a_data_key_and_the_database_readable_by_the_owner_only(tmp_path):
    database = tmp_path / "dev.db"
    app = _development_app(tmp_path, database)
    key_file = tmp_path / "instance" / DEV_KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert app.config["PORTAL_DATA_KEYS"] == key_file.read_text().strip()
    parse_keys(app.config["PORTAL_DATA_KEYS"])  # a usable key
    assert database.stat().st_mode & 0o777 == 0o600
    database.chmod(0o644)  # a file made before this rule is tightened at the next start
    again = _development_app(tmp_path, database)
    assert again.config["PORTAL_DATA_KEYS"] == app.config["PORTAL_DATA_KEYS"]
    assert database.stat().st_mode & 0o777 == 0o600


def test_production_command_line_refuses_to_start_without_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(PORTAL_CONFIG="production", DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}")
    flask = Path(sys.executable).with_name("flask")
    result = subprocess.run(
        [str(flask), "--app", "portal", "routes"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_app_with_secret_key_has_secure_cookies(tmp_path):
    app = create_app(
        ProductionConfig,
        SECRET_KEY="a-real-secret-from-the-environment",
        PORTAL_DATA_KEYS=TestingConfig.PORTAL_DATA_KEYS,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}",
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert not app.testing and not app.debug


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (None, DevelopmentConfig),
        ("development", DevelopmentConfig),
        ("production", ProductionConfig),
        (" Testing ", TestingConfig),
    ],
)
def test_portal_config_chooses_the_class(monkeypatch, name, expected):
    if name is None:
        monkeypatch.delenv("PORTAL_CONFIG", raising=False)
    else:
        monkeypatch.setenv("PORTAL_CONFIG", name)
    assert config_from_env() is expected


def test_unknown_portal_config_is_an_error(monkeypatch):
    monkeypatch.setenv("PORTAL_CONFIG", "staging")
    with pytest.raises(RuntimeError, match="development, testing, production"):
        config_from_env()


def test_csrf_token_lives_as_long_as_the_session_in_every_configuration():
    for cls in config.CONFIGS.values():
        assert cls.WTF_CSRF_TIME_LIMIT is None


def test_development_secret_is_kept_in_the_instance_folder_and_reused(tmp_path):
    first = _local_secret(tmp_path / "instance")
    second = _local_secret(tmp_path / "instance")
    assert first == second and len(first) == 64
    assert (tmp_path / "instance" / "dev-secret-key").stat().st_mode & 0o777 == 0o600


def test_production_serves_the_bundles_built_by_flask_assets_build(tmp_path):
    app = create_app(
        ProductionConfig,
        SECRET_KEY="a-real-secret-from-the-environment",
        PORTAL_DATA_KEYS=TestingConfig.PORTAL_DATA_KEYS,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}",
    )
    assert app.config["ASSETS_AUTO_BUILD"] is False
    # `flask assets` comes from Flask-Assets' entry point, not from app.cli.
    webassets_log = logging.getLogger("webassets")
    handlers = list(webassets_log.handlers)
    result = app.test_cli_runner().invoke(flask_assets.assets, ["build"])
    webassets_log.handlers[:] = handlers  # the command adds a handler on the runner's stderr
    assert result.exit_code == 0, result.output
    page = app.test_client().get("/login", base_url="https://localhost").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/static/gen/[^"]+)"', page)
    assert {link.rsplit(".", 1)[-1] for link in links} == {"css", "js"}
    for link in links:
        served = app.test_client().get(link, base_url="https://localhost")
        assert served.status_code == 200 and served.data
        served.close()
