"""One-time enrolment codes that link a guardian to a patient."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from portal.auth.accounts import link_patient
from portal.auth.models import User
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.patients.models import EnrolmentCode, Patient

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


@dataclass(frozen=True)
class IssuedCode:
    record: EnrolmentCode
    code: str  # shown once, never stored


def normalise_code(code: str) -> str:
    """Codes compare without spaces, dashes or case."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(raw: str) -> str:
    """Groups of four for reading aloud: ABCD-EFGH-JKMN."""
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_code(patient: Patient, issued_by: User, now: datetime, valid_days: int) -> IssuedCode:
    """Create a fresh code for a patient, valid for `valid_days`."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    record = EnrolmentCode(
        patient=patient,
        code_hash=_digest(raw),
        hint=raw[-4:],
        created_by_id=issued_by.id,
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    db.session.add(record)
    db.session.flush()
    return IssuedCode(record=record, code=format_code(raw))


def find_redeemable(code: str, now: datetime) -> EnrolmentCode:
    """The active code matching what was typed, or FieldError saying why not."""
    raw = normalise_code(code)
    record = None
    if raw:
        record = db.session.scalar(
            select(EnrolmentCode).where(EnrolmentCode.code_hash == _digest(raw))
        )
    if record is None:
        raise FieldError("code", "That code was not recognised. Check it with the clinic.")
    state = record.state(now)
    if state == "used":
        raise FieldError("code", "That code has already been used. Ask the clinic for a new one.")
    if state == "revoked":
        raise FieldError("code", "That code was withdrawn by the clinic. Ask them for a new one.")
    if state == "expired":
        raise FieldError("code", "That code has expired. Ask the clinic for a new one.")
    return record


def redeem(record: EnrolmentCode, guardian: User, now: datetime) -> Patient:
    """Use the code up and link the guardian to its patient.

    The code is claimed with a conditional UPDATE so that two people redeeming
    the same code at once cannot both succeed. A guardian already linked to the
    child keeps the code unused, so it can still go to another guardian.
    """
    if any(patient.id == record.patient_id for patient in guardian.patients):
        raise FieldError(
            "code",
            f"Your account is already linked to {record.patient.first_name}. "
            "Keep the code for another guardian.",
        )
    claimed = db.session.execute(
        update(EnrolmentCode)
        .where(
            EnrolmentCode.id == record.id,
            EnrolmentCode.used_at.is_(None),
            EnrolmentCode.revoked_at.is_(None),
            EnrolmentCode.expires_at > now,
        )
        .values(used_at=now, used_by_id=guardian.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise FieldError("code", "That code can no longer be used. Ask the clinic for a new one.")
    db.session.refresh(record)
    link_patient(guardian, record.patient)
    record.patient.family_closed_at = None  # a family is back on the portal
    db.session.flush()
    return record.patient


def revoke(record: EnrolmentCode, now: datetime) -> None:
    """Withdraw an unused code."""
    if record.used_at is None and record.revoked_at is None:
        record.revoked_at = now
        db.session.flush()
