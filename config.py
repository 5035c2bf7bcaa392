"""Configuration classes; the environment chooses one through PORTAL_CONFIG."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _sqlite_url(
        INSTANCE_DIR / "portal.db"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # A CSRF token lives as long as the session, so a form left open on a phone
    # is not refused for a stale token while the login is still valid.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_CHECK_DEFAULT = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    PORTAL_TIMEZONE = os.environ.get("PORTAL_TIMEZONE", "Europe/London")
    ENROLMENT_CODE_DAYS = int(os.environ.get("ENROLMENT_CODE_DAYS", "14"))
    MAX_COURSE_START_YEARS = 2

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True

    # How many reverse proxies in front of the app set X-Forwarded-* (0: trust none).
    # Needed behind TLS so links given to families read https://<public host>/…
    # and so rate limits see each client's address rather than the proxy's.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    ASSETS_DEBUG = False
    ASSETS_AUTO_BUILD = True

    @classmethod
    def init_app(cls, app: Flask) -> None:
        """Last step once the app's settings are final (overrides included)."""


def _local_secret(instance_dir: Path) -> str:
    """A secret kept in instance/ so local logins survive a restart; never for production."""
    path = instance_dir / "dev-secret-key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(os.urandom(32).hex())
        path.chmod(0o600)
    return path.read_text().strip()


class DevelopmentConfig(Config):
    """Local use: the embedded SQLite database and a secret kept in instance/."""

    SESSION_COOKIE_SECURE = False

    @classmethod
    def init_app(cls, app: Flask) -> None:
        """Without SECRET_KEY, use (and on first run write) a key in the instance folder."""
        # Done here rather than in the class body so that importing config.py
        # (as production does) never writes a file.
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = _local_secret(Path(app.instance_path))


class TestingConfig(Config):
    """The test suite: a database named by TEST_DATABASE_URL or a temporary SQLite file."""

    TESTING = True
    SECRET_KEY = "testing-only-secret"  # noqa: S105 - never used outside tests
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or _sqlite_url(
        INSTANCE_DIR / "test.db"
    )
    SESSION_COOKIE_SECURE = False
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = False


class ProductionConfig(Config):
    """Deployment: a secret is required and cookies are secure."""

    # CSS and JS bundles are built once at deploy time (flask assets build).
    ASSETS_AUTO_BUILD = False

    @classmethod
    def init_app(cls, app: Flask) -> None:
        """Refuse to start without a secret key; there is no fallback in production."""
        secret = app.config.get("SECRET_KEY")
        if not secret or not str(secret).strip():
            raise RuntimeError("SECRET_KEY must be set in the environment for production")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The configuration class named by PORTAL_CONFIG (development by default)."""
    name = os.environ.get("PORTAL_CONFIG", "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"PORTAL_CONFIG must be one of {', '.join(CONFIGS)}") from None
