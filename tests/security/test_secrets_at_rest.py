"""Second-factor secrets are sealed in the database, and their keys can be rotated."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import text

from config import TestingConfig
from portal.auth.models import Role, User
from portal.core.crypto import new_key, parse_keys
from portal.core.database import now_utc
from portal.core.extensions import db
from tests import factories as make

RAW = "SELECT totp_secret_encrypted, totp_pending_secret FROM users WHERE id = :id"


def _stored(user_id: int) -> tuple[str | None, str | None]:
    return tuple(db.session.execute(text(RAW), {"id": user_id}).one())


def _opens(token: str, key: str) -> bool:
    try:
        Fernet(key.encode()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def test_a_totp_secret_is_stored_sealed_and_reads_back_only_through_the_key(app):
    user = make.user(Role.CLINICIAN, totp=True)
    secret = user.totp_secret
    stored, _ = _stored(user.id)
    assert secret not in stored and stored.startswith("gAAAA")  # a Fernet token
    assert Fernet(app.config["PORTAL_DATA_KEYS"].encode()).decrypt(stored.encode()) == (
        secret.encode()
    )
    assert not _opens(stored, new_key())
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret


def test_keys_rotate_reseals_every_secret_with_the_new_first_key(app, other_app):
    old = app.config["PORTAL_DATA_KEYS"]
    staff = make.user(Role.CLINICIAN, totp=True)
    admin = make.user(Role.ADMIN, totp=False)
    admin.totp_pending_secret, admin.totp_pending_at = "PENDINGSECRET234", now_utc()
    db.session.commit()
    secret, staff_id, admin_id = staff.totp_secret, staff.id, admin.id
    new = new_key()
    rotating = other_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        PORTAL_DATA_KEYS=f"{new},{old}",
    )
    with rotating.app_context():  # the command runs in the app holding both keys
        result = rotating.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "users.totp_secret_encrypted: 1 re-encrypted" in result.output
    assert "users.totp_pending_secret: 1 re-encrypted" in result.output
    db.session.expunge_all()  # this app holds the old key only: it can no longer read them
    for token in (_stored(staff_id)[0], _stored(admin_id)[1]):
        assert _opens(token, new) and not _opens(token, old)
    with rotating.app_context():
        assert db.session.get(User, staff_id).totp_secret == secret


def test_rotation_without_the_old_key_refuses_and_changes_nothing(app, other_app):
    staff = make.user(Role.CLINICIAN, totp=True)
    before = _stored(staff.id)
    wrong = other_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        PORTAL_DATA_KEYS=new_key(),
    )
    with wrong.app_context():
        result = wrong.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 1
    assert "could not be opened with any key held; nothing was changed" in result.output
    db.session.expire_all()
    assert _stored(staff.id) == before


def test_keys_generate_prints_a_key_the_portal_accepts(app):
    result = app.test_cli_runner().invoke(args=["keys", "generate"])
    assert result.exit_code == 0
    parse_keys(result.output.strip())
