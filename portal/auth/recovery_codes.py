"""Ten single-use recovery codes that stand in for a lost authenticator app.

Shown once when made (at set-up, or when the person asks for a new set, which
voids the old); only SHA-256 digests are kept. Each code is 16 characters from an
alphabet without look-alikes (about 79 bits), so a digest cannot be reversed by
guessing. A code is used up with a conditional UPDATE, so it works once even when
sent twice at the same moment.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import delete, func, select, update

from portal.auth.models import RecoveryCode, User
from portal.core.extensions import db

COUNT = 10
LENGTH = 16
# No 0/O, 1/I/L: codes are read from paper and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def normalise(code: str) -> str:
    """Codes compare without spaces, dashes or case."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def formatted(raw: str) -> str:
    """Groups of four: ABCD-EFGH-JKMN-PQRS."""
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def remove(user: User) -> None:
    """Forget every recovery code of the account."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def replace(user: User, now: datetime) -> list[str]:
    """A new set of codes for the account (the old ones stop working), to be shown once."""
    remove(user)
    codes = ["".join(secrets.choice(ALPHABET) for _ in range(LENGTH)) for _ in range(COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_digest(code), created_at=now) for code in codes
    )
    db.session.flush()
    return [formatted(code) for code in codes]


def use(user: User, code: str, now: datetime) -> bool:
    """True when the code is one of the account's unused codes; it is then used up."""
    raw = normalise(code)
    if len(raw) != LENGTH:
        return False
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(raw),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return used.rowcount == 1


def remaining(user: User) -> int:
    """How many unused codes the account has left."""
    query = select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return db.session.scalar(query) or 0
