"""Code run in separate processes (spawned, so nothing is shared but the database and Redis)."""

from __future__ import annotations


def failed_logins(database_url: str, redis_url: str, prefix: str, login: str, tries: int):
    """One 'gunicorn worker': its own app on shared Redis; the status of each failed login."""
    from config import TestingConfig
    from portal import create_app

    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_STORAGE_URI=redis_url,
        RATELIMIT_KEY_PREFIX=prefix,
    )
    client = app.test_client()
    with app.app_context():
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        statuses = [
            client.post(
                "/login", data={"email": login, "password": "wrong-password-x", "csrf_token": token}
            ).status_code
            for _ in range(tries)
        ]
        from portal.extensions import db

        db.engine.dispose()
    return statuses
