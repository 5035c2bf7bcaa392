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
    # hide_parameters: no bound value (a note, a temperature) in any engine message or log.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # A CSRF token lives as long as the session, so a form left open on a phone
    # is not refused for a stale token while the login is still valid.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_CHECK_DEFAULT = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    # No remember-me: a login never outlives the absolute limit below.
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    # Sessions end after this long without a request (families are on shared
    # phones less often than staff on ward computers), and after the absolute
    # limit whatever happens.
    SESSION_IDLE_MINUTES_FAMILY = int(os.environ.get("SESSION_IDLE_MINUTES_FAMILY", "30"))
    SESSION_IDLE_MINUTES_STAFF = int(os.environ.get("SESSION_IDLE_MINUTES_STAFF", "15"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_ABSOLUTE_HOURS)
    # Strict-Transport-Security max-age; 0 sends no header (development over http).
    HSTS_SECONDS = 31536000
    # Proxies in front of the app that set X-Forwarded-For; 0 trusts no such header.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    PORTAL_TIMEZONE = os.environ.get("PORTAL_TIMEZONE", "Europe/London")
    ENROLMENT_CODE_DAYS = int(os.environ.get("ENROLMENT_CODE_DAYS", "14"))
    # Where a guardian's phone number without +country code is taken to be (ISO 3166).
    PHONE_REGION = os.environ.get("PHONE_REGION", "GB")
    MAX_COURSE_START_YEARS = 2

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Failed logins, second-factor codes and enrolment codes, per account, per trusted
    # device and per address; each try is counted before it is checked (auth/throttle.py).
    FAILED_TRIES_LIMIT = "10 per 15 minutes"
    # Wrong current passwords where a logged-in person proves it is them (password change,
    # second factor off, new recovery codes, closing the account), per account and address.
    REAUTH_LIMIT = "10 per 15 minutes"
    # Every POST to the login, code and enrolment forms per address, well-formed or not:
    # only a flood meets it (malformed posts never count against an account).
    FORM_POSTS_LIMIT = "60 per minute"
    # Writes through the JSON API, spreadsheet imports and administrators' resets of a
    # second factor: every request counts, per account and per address.
    API_WRITE_LIMIT_ACCOUNT = "60 per minute;600 per hour"
    API_WRITE_LIMIT_ADDRESS = "300 per minute"
    IMPORT_LIMIT_ACCOUNT = "20 per hour"
    IMPORT_LIMIT_ADDRESS = "60 per hour"
    RESET_LIMIT_ACCOUNT = "10 per hour"
    RESET_LIMIT_ADDRESS = "30 per hour"
    # A device where the account logged in may log in while the account is locked by
    # strangers' failed tries (auth/trusted_devices.py); it is forgotten after this long.
    TRUSTED_DEVICE_DAYS = int(os.environ.get("TRUSTED_DEVICE_DAYS", "90"))
    # Keys sealing secrets at rest (TOTP seeds): Fernet keys, comma-separated; the first
    # encrypts, all decrypt (portal/core/crypto.py). Required in production.
    PORTAL_DATA_KEYS = os.environ.get("PORTAL_DATA_KEYS")
    TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "IVIG diary")
    # pg_dump/pg_restore for backups; empty means the one matching the server's version.
    PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "")
    # Backups are encrypted with age: to these public keys (age1…, comma or space
    # separated); restored with this identity (AGE-SECRET-KEY-1…, or a file holding it).
    BACKUP_RECIPIENTS = os.environ.get("BACKUP_RECIPIENTS", "")
    BACKUP_IDENTITY = os.environ.get("BACKUP_IDENTITY", "")
    BACKUP_IDENTITY_FILE = os.environ.get("BACKUP_IDENTITY_FILE", "")
    # Without any of those, development and tests use an identity kept in instance/.
    BACKUP_DEVELOPMENT_IDENTITY = False

    ASSETS_DEBUG = False
    ASSETS_AUTO_BUILD = True

    # Site summaries for a network of clinics (portal/research): this site's Ed25519 key
    # (base64 of 32 bytes), the network's shared lot salt, and the code the hub knows it by.
    RESEARCH_SIGNING_KEY = os.environ.get("RESEARCH_SIGNING_KEY")
    RESEARCH_LOT_SALT = os.environ.get("RESEARCH_LOT_SALT")
    RESEARCH_SITE_CODE = os.environ.get("RESEARCH_SITE_CODE", "")
    # Outside production a missing key or salt is made once in instance/ (mode 0600).
    RESEARCH_DEV_KEYS = False

    # Email (Flask-Mail's names). Without MAIL_SERVER, development keeps each message in
    # the outbox (instance/outbox/, printed on the console and shown at /dev/outbox).
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes")
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "").lower() in ("1", "true", "yes")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "IVIG diary <no-reply@localhost>")
    MAIL_SUPPRESS_SEND = False
    MAIL_OUTBOX = False
    # The portal's address as families reach it, for the links in messages.
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000")
    # Password reset links: how long one lasts, and how many an account or an address
    # may ask for (a limited ask still answers alike; no email is sent).
    PASSWORD_RESET_MINUTES = 60
    PASSWORD_RESET_PER_ACCOUNT_HOUR = 3
    PASSWORD_RESET_LIMIT_ADDRESS = "10 per hour"  # noqa: S105 - a rate, not a secret

    # Jobs (portal/core/jobs.py) go to the worker's store; tests run them where enqueued.
    JOBS_IMMEDIATE = False

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


def _private_sqlite_file(url: str) -> None:
    """An SQLite database file readable by its owner only (created so, or tightened)."""
    if not url.startswith("sqlite:///") or url in ("sqlite://", "sqlite:///:memory:"):
        return
    path = Path(url.removeprefix("sqlite:///").split("?", 1)[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    path.chmod(0o600)
    # SQLite gives its -wal and -shm files the database file's mode when it makes them.
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if extra.exists():
            extra.chmod(0o600)


class DevelopmentConfig(Config):
    """Local use: the embedded SQLite database and a secret kept in instance/."""

    SESSION_COOKIE_SECURE = False
    HSTS_SECONDS = 0
    RESEARCH_DEV_KEYS = True
    BACKUP_DEVELOPMENT_IDENTITY = True
    MAIL_OUTBOX = True

    @classmethod
    def init_app(cls, app: Flask) -> None:
        """Without SECRET_KEY or PORTAL_DATA_KEYS, use (and on first run write) keys in the
        instance folder; the SQLite file is made readable by its owner only."""
        # Done here rather than in the class body so that importing config.py
        # (as production does) never writes a file.
        from portal.core.crypto import local_key

        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = _local_secret(Path(app.instance_path))
        if not app.config.get("PORTAL_DATA_KEYS"):
            app.config["PORTAL_DATA_KEYS"] = local_key(Path(app.instance_path))
        _private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])


class TestingConfig(Config):
    """The test suite: a database named by TEST_DATABASE_URL or a temporary SQLite file."""

    TESTING = True
    SECRET_KEY = "testing-only-secret"  # noqa: S105 - never used outside tests
    PORTAL_DATA_KEYS = "npx9bRBfKqKqkd3JCbb0MzIpXgeH8nIawaXcBddg4ps="  # tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or _sqlite_url(
        INSTANCE_DIR / "test.db"
    )
    # The test client speaks plain http; tests/security checks the production flags.
    SESSION_COOKIE_SECURE = False
    # Cheap password hashing keeps the suite fast; the production parameters
    # (portal.services.passwords) are checked by tests/security/test_passwords.py.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_KIB = 1024
    ARGON2_PARALLELISM = 1
    # Limits are on as in production; tests/conftest.py clears the counters per test.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    # Fixed research keys, so no test writes one into instance/ (never used outside tests).
    RESEARCH_SIGNING_KEY = "dGVzdGluZy1vbmx5LXJlc2VhcmNoLWtleS0zMmJ5dGU="
    RESEARCH_LOT_SALT = "dGVzdGluZy1vbmx5LWxvdC1zYWx0"
    RESEARCH_SITE_CODE = "test-site"
    BACKUP_DEVELOPMENT_IDENTITY = True
    JOBS_IMMEDIATE = True


class ProductionConfig(Config):
    """Deployment: a secret is required and cookies are secure."""

    # CSS and JS bundles are built once at deploy time (flask assets build).
    ASSETS_AUTO_BUILD = False

    @classmethod
    def init_app(cls, app: Flask) -> None:
        """Refuse to start without a secret key and data keys; no fallback in production."""
        secret = app.config.get("SECRET_KEY")
        if not secret or not str(secret).strip():
            raise RuntimeError("SECRET_KEY must be set in the environment for production")
        keys = app.config.get("PORTAL_DATA_KEYS")
        if not keys or not str(keys).strip():
            raise RuntimeError(
                "PORTAL_DATA_KEYS must be set in the environment for production "
                "(make a key with `python -m portal.core.crypto`)"
            )
        _private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])


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
