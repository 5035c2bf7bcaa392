"""Development's outbox: each message kept as a file in instance/outbox/ and echoed on
the console, so a newcomer reads reset links without a mail server. Never in production
(only `MAIL_OUTBOX`, set by DevelopmentConfig, turns it on)."""

from __future__ import annotations

import re
import secrets
import sys
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from flask_mail import Message

from portal.core.database import now_utc

NAME = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9a-f]{12}\.eml$")


@dataclass(frozen=True)
class Kept:
    name: str
    to: str
    subject: str
    date: str


def folder(instance_path: str) -> Path:
    return Path(instance_path) / "outbox"


def keep(message: Message, instance_path: str) -> Path:
    place = folder(instance_path)
    place.mkdir(parents=True, exist_ok=True)
    data = message.as_bytes()
    stamp = now_utc().strftime("%Y%m%dT%H%M%S")
    path = place / f"{stamp}-{secrets.token_hex(6)}.eml"
    path.write_bytes(data)
    path.chmod(0o600)
    sys.stderr.write(f"--- email kept in {path} ---\n{data.decode(errors='replace')}\n---\n")
    return path


def parse(path: Path) -> EmailMessage:
    return message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[return-value]


def kept_messages(instance_path: str) -> list[Kept]:
    place = folder(instance_path)
    if not place.is_dir():
        return []
    found = []
    for path in sorted(place.glob("*.eml"), reverse=True):
        parsed = parse(path)
        found.append(Kept(path.name, parsed["To"], parsed["Subject"], parsed["Date"]))
    return found


def read_kept(instance_path: str, name: str) -> EmailMessage | None:
    if not NAME.match(name):
        return None
    path = folder(instance_path) / name
    return parse(path) if path.is_file() else None
