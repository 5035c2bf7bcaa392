"""flask --app portal keys …: make a data key, and re-encrypt every sealed value with the newest.

Rotation: put the new key first in PORTAL_DATA_KEYS (keeping the old one after it),
restart, run `flask --app portal keys rotate`, then remove the old key. Every column
typed EncryptedText is found from the models, so a secret added later rotates too.
"""

from __future__ import annotations

import click
from cryptography.fernet import MultiFernet
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import Text, select, type_coerce

from portal.core.crypto import KEYS_EXTENSION, DataKeyError, new_key, reseal, sealed_columns
from portal.core.extensions import db

keys_cli = AppGroup("keys", help="Keys that seal secrets at rest (PORTAL_DATA_KEYS).")


@keys_cli.command("generate")
def generate_command() -> None:
    """Print a new random key to put in PORTAL_DATA_KEYS."""
    click.echo(new_key())


def rotate_all(ring: MultiFernet) -> dict[str, int]:
    """Seal every stored secret again under the first key; values re-sealed per column."""
    counts: dict[str, int] = {}
    for table, column in sealed_columns(db.metadata.sorted_tables):
        (key,) = table.primary_key.columns
        stored = type_coerce(column, Text)  # the token itself, not the opened value
        rows = db.session.execute(select(key, stored).where(column.is_not(None))).all()
        for row_id, token in rows:
            db.session.execute(
                table.update()
                .where(key == row_id)
                .values({column.name: type_coerce(reseal(token, ring), Text)})
            )
        counts[f"{table.name}.{column.name}"] = len(rows)
    return counts


@keys_cli.command("rotate")
def rotate_command() -> None:
    """Re-encrypt every sealed value with the first key of PORTAL_DATA_KEYS (all or nothing)."""
    try:
        counts = rotate_all(current_app.extensions[KEYS_EXTENSION])
    except DataKeyError as error:
        db.session.rollback()
        raise click.ClickException(f"{error}; nothing was changed") from None
    db.session.commit()
    for name, count in counts.items():
        click.echo(f"{name}: {count} re-encrypted")
