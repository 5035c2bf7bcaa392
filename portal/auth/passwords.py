"""Password hashing with argon2id, and the rules a new password must meet."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 512

# argon2id, RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes), which
# is above OWASP's minimum (19 MiB, 2 passes). The app's config may choose others
# (the test suite uses cheap ones); a hash made with other parameters than the
# current ones is replaced at the next successful login.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 65536
ARGON2_PARALLELISM = 4
HASHER_KEY = "password_hasher"

COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
# Digits and symbols people add around a common word ("Dragon2024!", "123monkey").
_DECORATION = re.compile(r"^[\d\W_]+|[\d\W_]+$")
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "3": "e", "$": "s", "5": "s", "1": "i"})


class Hasher(PasswordHasher):
    """argon2id with fixed lengths, and a dummy hash to verify against for unknown logins."""

    def __init__(self, time_cost: int, memory_kib: int, parallelism: int) -> None:
        super().__init__(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=parallelism,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )
        # Verified when a login names no account, so that a wrong email costs
        # the same time as a wrong password.
        self.dummy_hash = self.hash("no-such-account-placeholder")


_DEFAULT = Hasher(ARGON2_TIME_COST, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM)


def hasher_from_config(config) -> Hasher:
    """The hasher for an app's ARGON2_* settings (the defaults above when unset)."""
    params = (
        config.get("ARGON2_TIME_COST", ARGON2_TIME_COST),
        config.get("ARGON2_MEMORY_KIB", ARGON2_MEMORY_KIB),
        config.get("ARGON2_PARALLELISM", ARGON2_PARALLELISM),
    )
    if params == (ARGON2_TIME_COST, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM):
        return _DEFAULT
    return Hasher(*params)


def _hasher() -> Hasher:
    if has_app_context():
        return current_app.extensions.get(HASHER_KEY, _DEFAULT)
    return _DEFAULT


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; spends the same effort when there is no hash."""
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or hasher.dummy_hash, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the current ones."""
    return _hasher().check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords too common to allow, lower-cased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def is_common(password: str) -> bool:
    """True for a listed password, also in l33t spelling or wrapped in digits and symbols."""
    listed = common_passwords()
    plain = password.strip().lower()
    squashed = re.sub(r"[\s._-]+", "", plain)
    bare = {plain, squashed} | {_DECORATION.sub("", c) for c in (plain, squashed)}
    candidates = bare | {c.translate(_LEET) for c in bare}
    return any(c in listed for c in candidates if c) or len(set(squashed)) <= 2


def password_problem(password: str, login: str = "") -> str | None:
    """Why this password may not be used, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if is_common(password):
        return "This password is too common and easy to guess. Try a few unrelated words."
    name = login.strip().lower().split("@")[0]
    if len(name) >= 4 and name in password.lower():
        return "Do not use your email address or username in the password."
    return None
