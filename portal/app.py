"""create_app: config, extensions, blueprints, hooks and error pages, one register step each."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy.engine import make_url

from config import Config, config_from_env
from portal import models  # noqa: F401  (every table known before migrations run)
from portal.admin.views import bp as admin_bp
from portal.api.views import bp as api_bp
from portal.assessments.views import bp as assessments_bp
from portal.audit import capture  # noqa: F401  (patient-data changes audited at flush)
from portal.audit.trail import audit, register_audit
from portal.audit.views import bp as audit_bp
from portal.auth.login import configure_login
from portal.auth.passwords import HASHER_KEY, hasher_from_config
from portal.auth.reset_views import bp as auth_reset_bp
from portal.auth.two_factor_views import bp as two_factor_bp
from portal.auth.views import bp as auth_bp
from portal.charts.views import bp as charts_bp
from portal.clinic.views import bp as clinic_bp
from portal.core.api_errors import wants_json
from portal.core.assets import register_bundles
from portal.core.crypto import install_keys
from portal.core.database import secure_sqlite_file
from portal.core.extensions import assets, csrf, db, limiter, login_manager, mail, migrate
from portal.core.ids import IdConverter
from portal.core.jobs import init_jobs
from portal.core.json_provider import PortalJSONProvider
from portal.core.log_privacy import install_log_privacy
from portal.core.security import apply_security_headers, refuse_unsafe_next, trust_proxies
from portal.diary.clinic_views import bp as clinic_diary_bp
from portal.diary.views import bp as diary_bp
from portal.fhir.views import bp as fhir_bp
from portal.imports.views import bp as imports_bp
from portal.infusions.views import bp as infusions_bp
from portal.main.filters import register_filters
from portal.main.views import bp as main_bp
from portal.medications.views import bp as medications_bp
from portal.ops.cli import register_commands
from portal.patients.contact_views import bp as contact_bp
from portal.patients.views import bp as patients_bp
from portal.privacy.views import bp as privacy_bp
from portal.reports.analysis_views import bp as analyses_bp
from portal.reports.views import bp as reports_bp
from portal.research.views import bp as research_bp
from portal.review.views import bp as review_bp
from portal.summary.views import bp as summary_bp

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

ERROR_TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed",
    413: "Too large",
    429: "Too many tries",
    500: "Something went wrong",
}


def create_app(config_class: type[Config] | None = None, **overrides: object) -> Flask:
    """Build the application from a configuration class (PORTAL_CONFIG by default)."""
    config_class = config_class or config_from_env()
    app = Flask(__name__, instance_relative_config=True)
    app.json = PortalJSONProvider(app)
    app.config.from_object(config_class)
    app.config.update(overrides)
    config_class.init_app(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    install_log_privacy(app.logger)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_dev_outbox(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    install_keys(app)
    # Whatever the settings say, bound values never appear in an engine's messages.
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "hide_parameters": True}
    secure_sqlite_file(make_url(app.config["SQLALCHEMY_DATABASE_URI"]))
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    limiter.init_app(app)
    assets.init_app(app)
    mail.init_app(app)
    register_bundles(assets)
    configure_login(app, login_manager)
    app.extensions[HASHER_KEY] = hasher_from_config(app.config)
    init_jobs(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature."""
    # Every <int:…> in a route is an id: bounded, so an impossible one is a 404, not a 500.
    app.url_map.converters["int"] = IdConverter
    for blueprint in (
        main_bp,
        auth_bp,
        auth_reset_bp,
        two_factor_bp,
        patients_bp,
        contact_bp,
        infusions_bp,
        clinic_bp,
        admin_bp,
        diary_bp,
        clinic_diary_bp,
        api_bp,
        review_bp,
        charts_bp,
        audit_bp,
        privacy_bp,
    ):
        app.register_blueprint(blueprint)
    for blueprint in (
        assessments_bp,
        medications_bp,
        reports_bp,
        analyses_bp,
        imports_bp,
        research_bp,
        summary_bp,
        fhir_bp,
    ):
        app.register_blueprint(blueprint)


def register_dev_outbox(app: Flask) -> None:
    """The development outbox page, only where MAIL_OUTBOX is on (never in production)."""
    if app.config.get("MAIL_OUTBOX"):
        from portal.notify.outbox_views import bp as outbox_bp

        app.register_blueprint(outbox_bp)


def register_request_hooks(app: Flask) -> None:
    """CSRF for the JSON API, and response headers for health data."""

    @app.before_request
    def protect_api_writes() -> tuple[dict, int] | None:
        if not request.path.startswith("/api/"):
            return None
        # The API answers a missing login with 401, never a redirect to the login
        # page, and before the CSRF check so an expired session reads as what it is.
        if not current_user.is_authenticated:
            return {"error": "Log in first."}, 401
        # HTML forms are checked by FlaskForm so that a refused form can be shown
        # again with what was typed; JSON writes carry the token in X-CSRFToken.
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            csrf.protect()
        return None

    app.before_request(refuse_unsafe_next)
    app.after_request(apply_security_headers)
    register_audit(app)


def register_errorhandlers(app: Flask) -> None:
    """Plain error pages that never echo the request."""

    def render_error(error):
        code = getattr(error, "code", 500) or 500
        title = ERROR_TITLES.get(code, "Error")
        # Only a refusal of too many tries carries its own words (the portal's, never the
        # request's) and when to come back.
        message = None
        if code == 429:
            message = getattr(error, "portal_message", None)
            if isinstance(error, RateLimitExceeded):
                message = error.description
        headers = {}
        if code == 429 and getattr(error, "retry_after", None):
            headers["Retry-After"] = str(int(error.retry_after))
        if wants_json():
            return {"error": message or title}, code, headers
        page = render_template("errors/error.html", code=code, title=title, message=message)
        return page, code, headers

    for code in ERROR_TITLES:
        app.register_error_handler(code, render_error)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        audit("csrf", "denied")
        if wants_json():
            return {"error": "Missing or invalid CSRF token.", "fields": {}}, 400
        return render_template("errors/error.html", code=400, title="Please try again"), 400


def register_template_helpers(app: Flask) -> None:
    """Globals and filters every template may use."""
    app.jinja_env.globals["csrf_token_value"] = generate_csrf
    register_filters(app)
