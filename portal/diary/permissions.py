"""Who may write, read, change and delete diary entries. Anything not allowed is a 404."""

from __future__ import annotations

from portal.auth.models import Role, User
from portal.diary.models import DiaryEntry
from portal.patients.models import Patient
from portal.patients.permissions import can_view_patient, get_patient_object_or_404


def can_write_diary(user: User, patient: Patient) -> bool:
    """Guardians of the child and the child's own account write; staff only read."""
    return user.role_enum.is_family and can_view_patient(user, patient)


def can_change_entry(user: User, entry: DiaryEntry) -> bool:
    """A guardian of the child may correct a guardian's entry.

    A child's own report stays the child's words: a guardian may delete it (a
    mis-tap) but not rewrite it.
    """
    return (
        user.role_enum is Role.GUARDIAN
        and entry.author_role == "guardian"
        and can_view_patient(user, entry.patient)
    )


def can_delete_entry(user: User, entry: DiaryEntry) -> bool:
    """Any guardian of the child may delete an entry of the child (softly, recorded)."""
    return user.role_enum is Role.GUARDIAN and can_view_patient(user, entry.patient)


def get_entry_or_404(
    patient: Patient, entry_id: int, user: User, *, change: bool = False, delete: bool = False
) -> DiaryEntry:
    """A live entry of this (already permitted) patient that the user may see or act on;
    anything else is a 404, recorded in the audit trail."""

    def allowed(entry: DiaryEntry) -> bool:
        if entry.patient_id != patient.id or entry.deleted_at is not None:
            return False
        if change and not can_change_entry(user, entry):
            return False
        return not (delete and not can_delete_entry(user, entry))

    return get_patient_object_or_404(DiaryEntry, entry_id, user, check=allowed)
