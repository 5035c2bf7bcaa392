"""The landing redirect by role, and health endpoints for operators."""

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from portal.auth.models import Role
from portal.core.extensions import db, limiter

bp = Blueprint("main", __name__)

HOME_BY_ROLE = {
    Role.GUARDIAN: "patients.family_home",
    Role.CHILD: "patients.family_home",
    Role.CLINICIAN: "review.dashboard",
    Role.ADMIN: "admin.index",
}


@bp.get("/")
def index():
    """Send each user to the home page of their role."""
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    return redirect(url_for(HOME_BY_ROLE[current_user.role_enum]))


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers. No login, no data."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Readiness: the database answers and its schema is at the newest migration."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception:  # noqa: BLE001 - any database failure means not ready
        current_app.logger.warning("readiness check: database unreachable")
        return {"status": "unavailable", "database": "unreachable"}, 503
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    heads = set(script.get_heads())
    if current != heads:
        return {"status": "unavailable", "database": "ok", "migrations": "behind"}, 503
    # Logins fail closed without the rate-limit store (Redis when several workers share it).
    if limiter.enabled and not limiter.storage.check():
        return {"status": "unavailable", "database": "ok", "rate_limits": "unreachable"}, 503
    return {"status": "ok", "database": "ok", "migrations": "current"}
