"""The schema comes from migrations: upgrade, downgrade and upgrade again, with no drift."""

from __future__ import annotations

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from config import TestingConfig
from portal import create_app
from portal.core.extensions import db


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
