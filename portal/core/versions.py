"""A clinic's records never lose what they held: earlier versions and soft deletion.

`SoftDeleted` gives a model `deleted_at` and `deleted_by_id`. Every ORM query of
the session leaves such rows out (a loader criterion added to each SELECT, lazy
and eager relationship loads included), so a deleted assessment, medication
record or course is gone from every page, chart, report, export and import
comparison without any of them having to remember it. Reading them on purpose
(a record's history) takes ``execution_options(include_deleted=True)``.

`VersionColumns` are the columns of a `<record>_versions` table: what the record
held before an edit or a delete, which fields changed, who changed it and when,
as diary entries keep theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, event, inspect
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, with_loader_criteria

from portal.core.database import now_utc
from portal.core.extensions import db

INCLUDE_DELETED = "include_deleted"


class SoftDeleted:
    """Mixin: a row deleted by someone at some time, kept, and left out of every query."""

    deleted_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class VersionColumns:
    """Mixin for a versions table (the owner's foreign key is declared by each table)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(10))  # 'edit' or 'delete'
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=now_utc)
    previous: Mapped[dict] = mapped_column(JSON)  # field → value before the change
    changed_fields: Mapped[list] = mapped_column(JSON, default=list)


@event.listens_for(Session, "do_orm_execute")
def _leave_out_deleted(state: ORMExecuteState) -> None:
    """Every SELECT (relationship loads too) leaves soft-deleted rows out, unless asked."""
    if not state.is_select or state.is_column_load:
        return  # refreshing an object already loaded must still find it
    if state.execution_options.get(INCLUDE_DELETED, False):
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            SoftDeleted, lambda cls: cls.deleted_at.is_(None), include_aliases=True
        )
    )


def plain(value: Any) -> Any:
    """A value as JSON keeps it (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The fields whose value differs between two snapshots, in the snapshot's order."""
    return [name for name in before if before[name] != after.get(name)]


def _version_class(record: object) -> type:
    return inspect(type(record)).relationships["versions"].mapper.class_


def keep_edit(
    record: Any, snapshot: Callable[[Any], dict], change: Callable[[], None], by_id: int | None
) -> list[str]:
    """Apply `change` to the record; if anything changed, keep what it held as a version.

    One flush for the new values and their version: loading the versions part-way
    would autoflush, and the change would reach the audit trail as two rows.
    """
    before = snapshot(record)
    with db.session.no_autoflush:
        change()
        fields = changed_fields(before, snapshot(record))
        if fields:
            version = _version_class(record)(
                action="edit", changed_by_id=by_id, previous=before, changed_fields=fields
            )
            record.versions.append(version)
    db.session.flush()
    return fields


def soft_delete(
    record: Any, snapshot: Callable[[Any], dict], by_id: int | None, now: datetime
) -> None:
    """Mark the record deleted (who, when), keeping what it held as its last version."""
    if record.deleted_at is not None:
        return
    with db.session.no_autoflush:
        version = _version_class(record)(
            action="delete",
            changed_by_id=by_id,
            changed_at=now,
            previous=snapshot(record),
            changed_fields=["deleted"],
        )
        record.versions.append(version)
        record.deleted_at = now
        record.deleted_by_id = by_id
    db.session.flush()


@dataclass(frozen=True)
class Change:
    """One field of a version: what it held before, and what it held after (None: deleted)."""

    label: str
    before: str
    after: str | None


@dataclass(frozen=True)
class HistoryRow:
    """One edit or delete of a record, as its history page shows it."""

    at: datetime
    by: Any  # the User who made it, or None (the command line, an import)
    action: str
    changes: list[Change]


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def history_rows(
    versions: list[Any], current: Mapping[str, Any] | None, labels: Mapping[str, str]
) -> list[HistoryRow]:
    """Each version with the values it replaced (and what replaced them), newest first.

    `current` is the record's snapshot now, or None when it is deleted.
    """
    rows = []
    for index, version in enumerate(versions):
        later = versions[index + 1].previous if index + 1 < len(versions) else current
        if version.action == "delete":
            changes = [
                Change(labels.get(name, name), _shown(value), None)
                for name, value in version.previous.items()
                if _shown(value) != "–"
            ]
        else:
            changes = [
                Change(
                    labels.get(name, name),
                    _shown(version.previous.get(name)),
                    _shown((later or {}).get(name)),
                )
                for name in version.changed_fields
            ]
        rows.append(HistoryRow(version.changed_at, version.changed_by, version.action, changes))
    return rows[::-1]
