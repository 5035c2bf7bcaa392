"""The schema comes from migrations: upgrade, downgrade and upgrade again, with no drift."""

from __future__ import annotations

from datetime import UTC, datetime

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from cryptography.fernet import Fernet
from sqlalchemy import inspect, text

from config import TestingConfig
from portal import create_app
from portal.auth.models import User
from portal.core.extensions import db

# The last revision whose users table held TOTP secrets in the clear.
BEFORE_SEALED_SECRETS = "f03250851580"


@pytest.fixture
def migration_app(fresh_database_url):
    application = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=fresh_database_url)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def _drift() -> list:
    with db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), db.metadata)


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade_leaves_schema_matching_models(migration_app):
    flask_migrate.upgrade()
    assert _tables() == set(db.metadata.tables)
    assert _drift() == []
    flask_migrate.downgrade(revision="base")
    assert _tables() == set()
    flask_migrate.upgrade()
    assert _drift() == []


def test_readyz_reports_migrations_behind_then_current(migration_app):
    client = migration_app.test_client()
    behind = client.get("/readyz")
    assert behind.status_code == 503
    assert behind.json["migrations"] == "behind"
    flask_migrate.upgrade()
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json == {"status": "ok", "database": "ok", "migrations": "current"}


def test_healthz_needs_no_login_and_shows_no_data(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def _seed_columns(user_id: int) -> dict:
    with db.engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM users WHERE id = :id"), {"id": user_id})
        return dict(row.mappings().one())


def test_the_upgrade_seals_existing_second_factor_secrets_and_the_downgrade_opens_them(
    migration_app,
):
    flask_migrate.upgrade(revision=BEFORE_SEALED_SECRETS)
    seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, display_name, password_hash, role, active, "
                "session_version, created_at, totp_secret) VALUES (7, 'dr@example.test', '', "
                "'x', 'clinician', :yes, 1, :now, :seed)"
            ),
            {"yes": True, "now": datetime(2026, 1, 1, tzinfo=UTC), "seed": seed},
        )
    flask_migrate.upgrade()
    sealed = _seed_columns(7)
    assert "totp_secret" not in sealed and seed not in sealed["totp_secret_encrypted"]
    key = migration_app.config["PORTAL_DATA_KEYS"].encode()
    assert Fernet(key).decrypt(sealed["totp_secret_encrypted"].encode()) == seed.encode()
    assert db.session.get(User, 7).totp_secret == seed
    db.session.remove()
    flask_migrate.downgrade(revision=BEFORE_SEALED_SECRETS)
    assert _seed_columns(7)["totp_secret"] == seed
