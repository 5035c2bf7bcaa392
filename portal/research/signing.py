"""The site's Ed25519 signing key and the network's lot salt, and signatures over summaries.

* RESEARCH_SIGNING_KEY: the site's private key, 32 bytes in base64 (`flask --app portal
  research new-key` prints one). Only the site holds it; the hub registers its public
  half and accepts no summary it does not verify.
* RESEARCH_LOT_SALT: a secret shared by every site of the network, so that one lot has
  one hash everywhere and no hash can be turned back into a lot number by guessing.

Outside production a missing key or salt is made once in instance/ (mode 0600), as
the development secret key is; production refuses to sign without them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from portal.core.errors import FieldError

KEY_FILE = "research-signing-key"
SALT_FILE = "research-lot-salt"


class KeyMissing(RuntimeError):
    """Production without a research key or salt in the environment."""


def _decode(text: str, what: str, length: int | None = None) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{what} is not base64") from None
    if length is not None and len(raw) != length:
        raise ValueError(f"{what} must be {length} bytes, not {len(raw)}")
    return raw


def _instance_secret(instance_path: str, name: str, make: bytes) -> str:
    path = Path(instance_path) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created readable by its owner only, before the secret is written into it.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(base64.b64encode(make).decode())
    return path.read_text().strip()


def _setting(config: Mapping, instance_path: str, name: str, file: str, size: int) -> str:
    value = config.get(name)
    if value:
        return str(value)
    if not config.get("RESEARCH_DEV_KEYS"):
        raise KeyMissing(f"{name} must be set in the environment to write a site summary")
    return _instance_secret(instance_path, file, secrets.token_bytes(size))


def signing_key(config: Mapping, instance_path: str) -> Ed25519PrivateKey:
    """This site's private key: RESEARCH_SIGNING_KEY, or the development key in instance/."""
    text = _setting(config, instance_path, "RESEARCH_SIGNING_KEY", KEY_FILE, 32)
    return Ed25519PrivateKey.from_private_bytes(_decode(text, "RESEARCH_SIGNING_KEY", 32))


def lot_salt(config: Mapping, instance_path: str) -> bytes:
    """The network's shared salt for lot hashes."""
    text = _setting(config, instance_path, "RESEARCH_LOT_SALT", SALT_FILE, 32)
    return _decode(text, "RESEARCH_LOT_SALT")


def new_private_key() -> str:
    """A fresh private key in the form RESEARCH_SIGNING_KEY takes."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def public_key_text(key: Ed25519PrivateKey) -> str:
    """The public half, as a hub registers it (32 bytes in base64)."""
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def fingerprint(public_key: str) -> str:
    """A short name for a public key, to compare by eye: 'a1b2 c3d4 e5f6 a7b8'."""
    digest = hashlib.sha256(_decode(public_key, "The public key")).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def salt_id(salt: bytes) -> str:
    """Which salt a summary's lots were hashed with, without giving the salt away."""
    return hashlib.sha256(b"ivig-lot-salt\x00" + salt).hexdigest()[:16]


def parse_public_key(text: str, field: str = "public_key") -> str:
    """The public key as typed, checked: 32 bytes of base64 (FieldError otherwise)."""
    try:
        raw = _decode(text, "The public key", 32)
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise FieldError(field, "Paste the site's public key: 44 characters of base64.") from None
    return base64.b64encode(raw).decode()


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message)).decode()


def verify(public_key: str, message: bytes, signature: str) -> bool:
    """True when `signature` is `public_key`'s over `message`."""
    try:
        raw = _decode(signature, "The signature", 64)
        Ed25519PublicKey.from_public_bytes(_decode(public_key, "The key", 32)).verify(raw, message)
    except (ValueError, InvalidSignature):
        return False
    return True
