"""Secrets at rest: Fernet (AES-128-CBC with HMAC-SHA256) under keys from the environment.

PORTAL_DATA_KEYS holds one or more Fernet keys, comma-separated. The first one
encrypts; every one decrypts, so a key can be replaced without downtime: put the
new key first, run `flask --app portal keys rotate` (which re-encrypts every
sealed value with it), then drop the old key. A column holding a secret is typed
`EncryptedText`: the ORM seals on the way in and opens on the way out, so the
database (and its backups) never see the plain value.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

KEYS_EXTENSION = "data_keys"
DEV_KEY_FILE = "dev-data-key"


class DataKeyError(RuntimeError):
    """The keys are missing or malformed, or a value was sealed under a key no longer held."""


def new_key() -> str:
    """A fresh random Fernet key (32 bytes, URL-safe base64), for PORTAL_DATA_KEYS."""
    return Fernet.generate_key().decode()


def parse_keys(text: str | None) -> MultiFernet:
    """The key ring from 'key1,key2,…' (first encrypts, all decrypt); DataKeyError if unusable."""
    keys = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not keys:
        raise DataKeyError("PORTAL_DATA_KEYS must hold at least one key")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise DataKeyError(
            "PORTAL_DATA_KEYS must be Fernet keys (32 bytes, URL-safe base64), comma-separated; "
            "make one with `python -m portal.core.crypto`"
        ) from None


def local_key(instance_dir: Path) -> str:
    """A key kept in instance/ (mode 0600) so development data stays readable across restarts."""
    path = instance_dir / DEV_KEY_FILE
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_key())
    return path.read_text().strip()


def install_keys(app: Flask) -> None:
    """Parse the app's PORTAL_DATA_KEYS once; every later seal and open uses this ring."""
    app.extensions[KEYS_EXTENSION] = parse_keys(app.config.get("PORTAL_DATA_KEYS"))


def _ring(ring: MultiFernet | None = None) -> MultiFernet:
    return ring or current_app.extensions[KEYS_EXTENSION]


def seal(value: str | bytes, ring: MultiFernet | None = None) -> str:
    """The value encrypted under the first key, as text (a Fernet token)."""
    data = value.encode() if isinstance(value, str) else value
    return _ring(ring).encrypt(data).decode()


def open_sealed(token: str, ring: MultiFernet | None = None) -> str:
    """The text a token holds; DataKeyError when no key held can open it."""
    return open_sealed_bytes(token, ring).decode()


def open_sealed_bytes(token: str | bytes, ring: MultiFernet | None = None) -> bytes:
    """The bytes a token holds; DataKeyError when no key held can open it."""
    data = token.encode() if isinstance(token, str) else token
    try:
        return _ring(ring).decrypt(data)
    except InvalidToken:
        raise DataKeyError("a sealed value could not be opened with any key held") from None


def reseal(token: str, ring: MultiFernet | None = None) -> str:
    """The same value sealed again under the first key (for key rotation)."""
    try:
        return _ring(ring).rotate(token.encode()).decode()
    except InvalidToken:
        raise DataKeyError("a sealed value could not be opened with any key held") from None


class EncryptedText(TypeDecorator):
    """A text column stored sealed: the plain value exists only in the application's memory."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else seal(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else open_sealed(value)


def sealed_columns(tables: Iterable) -> list[tuple]:
    """(table, column) for every EncryptedText column of these tables."""
    return [
        (table, column)
        for table in tables
        for column in table.columns
        if isinstance(column.type, EncryptedText)
    ]


if __name__ == "__main__":  # python -m portal.core.crypto: print a new key
    print(new_key())
