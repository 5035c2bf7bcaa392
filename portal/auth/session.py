"""Flask-Login wiring: the session id carries a version so old cookies can be ended."""

from flask import Flask
from flask_login import LoginManager

from portal.auth.models import User
from portal.extensions import db


def load_user(session_id: str) -> User | None:
    """The user for a session id 'id:version', if that version is still current."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def configure_login(app: Flask, manager: LoginManager) -> None:
    """Bind Flask-Login with the portal's loader and login page."""
    manager.init_app(app)
    manager.user_loader(load_user)
    manager.login_view = "auth.login"
    manager.login_message = "Please log in to see that page."
    manager.login_message_category = "info"
    manager.session_protection = "basic"
