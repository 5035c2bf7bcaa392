"""Saving diary entries: one function for the HTML forms and the API, edits kept as versions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.auth.models import Role, User
from portal.core.errors import FieldError
from portal.core.extensions import db
from portal.diary import alerts
from portal.diary.models import SYMPTOMS, Alert, DiaryEntry, DiaryEntryVersion
from portal.diary.validation import validate_entry
from portal.patients.models import Patient

__all__ = ["FieldError", "SavedEntry", "delete_entry", "save_entry"]
from portal.infusions.placement import Placement, place

SAME_DAY_MESSAGE = (
    "You already saved an entry for this day. Change that entry, "
    "or tick “This is another entry for the same day” to add a second one."
)


@dataclass(frozen=True)
class SavedEntry:
    """What saving produced: the entry, where it sits, any alert, and whether it is new."""

    entry: DiaryEntry
    placement: Placement
    alert: Alert | None
    created: bool


def entry_payload(entry: DiaryEntry) -> dict[str, Any]:
    """An entry's content in the API's names (also what a version keeps)."""
    return {
        "date": entry.entry_date.isoformat(),
        "strength": entry.strength,
        "rash": entry.rash,
        "rash_change": entry.rash_change,
        "mood": entry.mood,
        **{name: getattr(entry, name) for name in SYMPTOMS},
        "temperature_c": entry.temperature_c,
        "warning_signs": entry.warning_signs,
        "walk_28ft_seconds": entry.walk_28ft_seconds,
        "note": entry.note,
    }


def author_role_of(user: User) -> str:
    """'child' for a child's own account, 'guardian' for everyone else who may write."""
    return "child" if user.role_enum is Role.CHILD else "guardian"


def find_by_client_id(client_id: str) -> DiaryEntry | None:
    """The entry a client already sent under this id, if any."""
    return db.session.scalar(select(DiaryEntry).where(DiaryEntry.client_id == client_id))


def save_entry(
    patient: Patient,
    author: User,
    payload: Mapping[str, Any],
    *,
    today: date,
    entry: DiaryEntry | None = None,
    another_same_day: bool = True,
) -> SavedEntry:
    """Validate and store a new entry (idempotent by client_id) or an edit of `entry`.

    With `another_same_day` false, a new entry for a day this author has already
    logged is refused at its date (one entry a day per author, unless on purpose);
    a replay of the same client_id is still handed back, never refused.
    Raises FieldError naming each bad field; nothing is stored then.
    """
    values = validate_entry(
        payload,
        today=today,
        author_role=author_role_of(author) if entry is None else entry.author_role,
        born=patient.date_of_birth,
        require_client_id=entry is None,
    )
    if entry is None:
        if not another_same_day and find_by_client_id(values.client_id) is None:
            day = values.columns["entry_date"]
            if entries_by_author_on(patient, author, day):
                raise FieldError({"date": SAME_DAY_MESSAGE})
        return _create(patient, author, values.client_id, values.columns)
    return _edit(entry, author, values.columns)


def _result(entry: DiaryEntry, created: bool) -> SavedEntry:
    placement = place(entry.entry_date, entry.patient.courses)
    assessment = alerts.assess(entry, entry.patient.clinic, placement)
    alert = alerts.record_alert(entry, assessment) or latest_alert(entry)
    return SavedEntry(entry, placement, alert, created)


def latest_alert(entry: DiaryEntry) -> Alert | None:
    """The entry's most recent alert, acknowledged or not."""
    return entry.alerts[-1] if entry.alerts else None


def _existing(patient: Patient, client_id: str) -> SavedEntry:
    entry = find_by_client_id(client_id)
    if entry is None or entry.patient_id != patient.id:
        raise FieldError({"client_id": "This client_id was already used for another entry."})
    placement = place(entry.entry_date, patient.courses)
    return SavedEntry(entry, placement, latest_alert(entry), False)


def _create(patient: Patient, author: User, client_id: str, columns: dict) -> SavedEntry:
    if find_by_client_id(client_id) is not None:
        return _existing(patient, client_id)
    entry = DiaryEntry(
        patient=patient,
        client_id=client_id,
        author_id=author.id,
        author_role=author_role_of(author),
        **columns,
    )
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError:
        # Another copy of the same post won the race; the unique client_id
        # constraint kept it single. Start over and hand back the winner.
        db.session.rollback()
        if find_by_client_id(client_id) is None:
            raise
        return _existing(patient, client_id)
    return _result(entry, created=True)


def _edit(entry: DiaryEntry, by: User, columns: dict) -> SavedEntry:
    before = entry_payload(entry)
    # One flush for the new values and their version: loading the versions part-way
    # would autoflush, and the change would reach the audit trail as two.
    with db.session.no_autoflush:
        for name, value in columns.items():
            setattr(entry, name, value)
        after = entry_payload(entry)
        changed = [name for name in before if before[name] != after[name]]
        if changed:
            entry.versions.append(
                DiaryEntryVersion(
                    action="edit", changed_by_id=by.id, previous=before, changed_fields=changed
                )
            )
    db.session.flush()
    return _result(entry, created=False)


def delete_entry(entry: DiaryEntry, by: User, now: datetime) -> None:
    """Soft-delete an entry; the version records who deleted it and what it held."""
    if entry.deleted_at is not None:
        return
    entry.versions.append(
        DiaryEntryVersion(
            action="delete",
            changed_by_id=by.id,
            changed_at=now,
            previous=entry_payload(entry),
            changed_fields=["deleted"],
        )
    )
    entry.deleted_at = now
    entry.deleted_by_id = by.id
    db.session.flush()


def patient_entries(
    patient: Patient, *, start: date | None = None, end: date | None = None
) -> Select[tuple[DiaryEntry]]:
    """A patient's entries that are not deleted, newest first, authors loaded."""
    query = (
        select(DiaryEntry)
        .where(DiaryEntry.patient_id == patient.id, DiaryEntry.deleted_at.is_(None))
        .options(selectinload(DiaryEntry.author), selectinload(DiaryEntry.alerts))
        .order_by(DiaryEntry.entry_date.desc(), DiaryEntry.created_at.desc(), DiaryEntry.id.desc())
    )
    if start is not None:
        query = query.where(DiaryEntry.entry_date >= start)
    if end is not None:
        query = query.where(DiaryEntry.entry_date <= end)
    return query


def open_alerts_of(patient: Patient) -> list[Alert]:
    """The patient's alerts the clinic has not yet acknowledged, oldest first."""
    return list(
        db.session.scalars(
            select(Alert)
            .where(Alert.patient_id == patient.id, Alert.acknowledged_at.is_(None))
            .order_by(Alert.created_at, Alert.id)
        )
    )


def guardian_entry_on(patient: Patient, day: date) -> DiaryEntry | None:
    """A guardian's entry for this day, if one was made."""
    return db.session.scalar(
        select(DiaryEntry).where(
            DiaryEntry.patient_id == patient.id,
            DiaryEntry.entry_date == day,
            DiaryEntry.author_role == "guardian",
            DiaryEntry.deleted_at.is_(None),
        )
    )


def entries_by_author_on(patient: Patient, author: User, day: date) -> list[DiaryEntry]:
    """This author's entries for this child on this day, oldest first."""
    return list(
        db.session.scalars(
            select(DiaryEntry)
            .where(
                DiaryEntry.patient_id == patient.id,
                DiaryEntry.entry_date == day,
                DiaryEntry.author_id == author.id,
                DiaryEntry.deleted_at.is_(None),
            )
            .order_by(DiaryEntry.created_at, DiaryEntry.id)
        )
    )


def group_by_day(items: list[DiaryEntry]) -> list[tuple[date, list[DiaryEntry]]]:
    """Entries (newest first) gathered by day, keeping their order: one group a day."""
    groups: list[tuple[date, list[DiaryEntry]]] = []
    for item in items:
        if groups and groups[-1][0] == item.entry_date:
            groups[-1][1].append(item)
        else:
            groups.append((item.entry_date, [item]))
    return groups


def last_rash(patient: Patient) -> int | None:
    """The rash grade of the latest guardian entry: the form's starting answer."""
    return db.session.scalar(
        select(DiaryEntry.rash)
        .where(
            DiaryEntry.patient_id == patient.id,
            DiaryEntry.author_role == "guardian",
            DiaryEntry.deleted_at.is_(None),
            DiaryEntry.rash.is_not(None),
        )
        .order_by(DiaryEntry.entry_date.desc(), DiaryEntry.id.desc())
        .limit(1)
    )
