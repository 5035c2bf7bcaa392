"""Which rows the analyses read: those still on the record, never a soft-deleted one.

Diary entries are deleted softly (``deleted_at``); assessments, medication records
and courses gain the same column with their version history. Every loader of
portal/outcomes asks this one function, so a model that gains ``deleted_at`` is
filtered everywhere the moment its column exists, with nothing else to change.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, true


def on_record(model: type) -> ColumnElement[bool]:
    """A WHERE clause keeping the rows of `model` that were not deleted."""
    deleted_at = getattr(model, "deleted_at", None)
    if deleted_at is None:
        return true()
    return deleted_at.is_(None)
