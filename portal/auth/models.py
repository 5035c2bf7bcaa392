"""User accounts and roles."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.clinic.models import Clinic
from portal.core.crypto import EncryptedText
from portal.core.database import now_utc
from portal.core.extensions import db


class Role(enum.StrEnum):
    """What an account is for; each view checks it before anything else."""

    GUARDIAN = "guardian"
    CHILD = "child"
    CLINICIAN = "clinician"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"guardian": "Parent or guardian", "child": "Child"}.get(self.value, self.title())

    @property
    def is_staff(self) -> bool:
        return self in (Role.CLINICIAN, Role.ADMIN)

    @property
    def is_family(self) -> bool:
        return self in (Role.GUARDIAN, Role.CHILD)


class User(UserMixin, db.Model):
    """A login. `email` holds the login name: an address, or a username for a child."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('guardian', 'child', 'clinician', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    # A guardian's phone number in E.164 (+447911123456), shown to the child's clinic.
    phone: Mapped[str] = mapped_column(String(16), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinics.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout-everywhere, password change and disable; part of the
    # session id so an old cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_login_at: Mapped[datetime | None]
    # Second factor for staff: a base32 TOTP secret, sealed at rest (the column holds a
    # Fernet token under PORTAL_DATA_KEYS), and the last 30-second step accepted, moved
    # on by a conditional UPDATE so that a code works once even when posted at once.
    totp_secret: Mapped[str | None] = mapped_column("totp_secret_encrypted", EncryptedText())
    totp_last_step: Mapped[int | None]
    # The secret being set up, kept here (sealed) rather than in the readable session
    # cookie until the first code confirms it; stale after second_factor.PENDING_SETUP.
    totp_pending_secret: Mapped[str | None] = mapped_column(EncryptedText())
    totp_pending_at: Mapped[datetime | None]

    # Clinic.staff is this relationship's other side; User.patients (the children an
    # account is linked to) is declared by patients.models.Patient.accounts.
    clinic: Mapped[Clinic | None] = relationship(backref=backref("staff"))

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def name(self) -> str:
        return self.display_name or self.email

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class UserSession(db.Model):
    """One login on one device. The cookie holds a random token; only its hash is kept.

    Logging out ends this row, so a copied cookie is worthless afterwards, while
    the account's other devices stay logged in.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_seen_at: Mapped[datetime] = mapped_column(default=now_utc)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str] = mapped_column(String(16), default="")

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id}>"


class RecoveryCode(db.Model):
    """One of the ten single-use codes that stand in for the authenticator app.

    Only a SHA-256 digest is kept: each code holds 16 characters from a 31-letter
    alphabet (79 bits), far beyond guessing, so a slow hash adds nothing.
    """

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    used_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id}>"


class TrustedDevice(db.Model):
    """A browser where the account logged in: it may still log in while strangers' failed
    tries have locked the account. Its cookie holds a random token; only the hash is kept,
    replaced at each login there (rotation) and revoked by a password change, logging out
    everywhere, a disable or a second-factor reset.
    """

    __tablename__ = "trusted_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_used_at: Mapped[datetime] = mapped_column(default=now_utc)
    revoked_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<TrustedDevice {self.id}>"


class PasswordReset(db.Model):
    """A link sent to an account's address to choose a new password.

    Only a SHA-256 digest of the link's token is kept (32 random bytes, beyond guessing);
    `used_at` is set by a conditional UPDATE so the link works once even when it is
    opened many times at once, and never after `expires_at`.
    """

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<PasswordReset {self.id}>"
