"""Accounts: creation, lookup, login and password changes."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select

from portal.auth import trusted_devices
from portal.auth.device_sessions import end_other_sessions
from portal.auth.models import Role, User, UserSession
from portal.auth.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from portal.clinic.models import Clinic
from portal.core.database import now_utc
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.patients.models import Patient

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")


def normalise_login(login: str) -> str:
    """Logins compare without case or surrounding spaces."""
    return login.strip().lower()


def find_user(login: str) -> User | None:
    """The account with this login name, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_login(login)))


def authenticate(login: str, password: str) -> User | None:
    """The active account matching login and password, rehashing an outdated hash."""
    user = find_user(login)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now_utc()
    db.session.flush()
    return user


def get_or_create_clinic(name: str) -> Clinic:
    """The clinic with this name, created when there is none."""
    clinic = db.session.scalar(select(Clinic).where(func.lower(Clinic.name) == name.lower()))
    if clinic is None:
        clinic = Clinic(name=name.strip())
        db.session.add(clinic)
        db.session.flush()
    return clinic


def create_user(
    login: str,
    password: str,
    role: Role,
    *,
    clinic: Clinic | None = None,
    display_name: str = "",
    created_by: User | None = None,
) -> User:
    """A new account; staff need a clinic, logins are unique."""
    login = normalise_login(login)
    if role.is_staff and role is Role.CLINICIAN and clinic is None:
        raise FieldError("clinic", "A clinician must belong to a clinic.")
    if role is not Role.CHILD and "@" not in login:
        raise FieldError("email", "Enter an email address.")
    if "@" not in login and not USERNAME_RE.match(login):
        raise FieldError(
            "email", "A username has 3 to 40 letters, digits, dots, dashes or underscores."
        )
    if find_user(login) is not None:
        raise FieldError("email", "That login is already in use.")
    check_new_password(password, login)
    user = User(
        email=login,
        password_hash=hash_password(password),
        role=role.value,
        clinic=clinic if role.is_staff else None,
        display_name=display_name.strip(),
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def link_patient(user: User, patient: Patient) -> None:
    """Give a family account access to a patient (idempotent)."""
    if not user.role_enum.is_family:
        raise FieldError("role", "Only guardian and child accounts are linked to patients.")
    if user.role_enum is Role.CHILD and user.patients and patient not in user.patients:
        raise FieldError("patient", "A child account belongs to one child only.")
    if patient not in user.patients:
        user.patients.append(patient)
        db.session.flush()


def check_new_password(password: str, login: str) -> None:
    """FieldError on the password field when the password breaks a rule."""
    problem = password_problem(password, login)
    if problem:
        raise FieldError("password", problem)


def change_password(
    user: User, new_password: str, now: datetime, keep: UserSession | None = None
) -> None:
    """Set a new password, end the account's other sessions (all but `keep`) and revoke
    its trusted devices (the view trusts this one again)."""
    check_new_password(new_password, user.email)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    end_other_sessions(user, now, "password", keep=keep)
    trusted_devices.revoke_all(user, now)
    db.session.flush()


def log_out_everywhere(user: User, now: datetime) -> None:
    """End every session of the account, this one too, and forget its trusted devices."""
    user.session_version += 1
    end_other_sessions(user, now, "everywhere")
    trusted_devices.revoke_all(user, now)
    db.session.flush()


def set_active(user: User, active: bool, now: datetime) -> None:
    """Enable or disable an account; disabling ends every session it has."""
    if user.active and not active:
        user.session_version += 1
        end_other_sessions(user, now, "disabled")
        trusted_devices.revoke_all(user, now)
    user.active = active
    db.session.flush()


def _has_other_guardian(patient: Patient, leaving: User) -> bool:
    return any(
        a.role == Role.GUARDIAN.value and a.active and a.id != leaving.id for a in patient.accounts
    )


def close_family_account(guardian: User, now: datetime) -> list[Patient]:
    """A guardian leaves the portal: login disabled, links removed, the clinic's record kept.

    A child left with no active guardian loses its own login too, and the
    patient is marked so the clinic knows the family closed its account.
    """
    if guardian.role_enum is not Role.GUARDIAN:
        raise FieldError("role", "Only a guardian account can be closed here.")
    patients = list(guardian.patients)
    for patient in patients:
        if not _has_other_guardian(patient, guardian):
            for child in [a for a in patient.accounts if a.role == Role.CHILD.value]:
                set_active(child, False, now)
                child.patients.remove(patient)
            patient.family_closed_at = now
        guardian.patients.remove(patient)
    set_active(guardian, False, now)
    db.session.flush()
    return patients
