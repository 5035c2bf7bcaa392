"""Staff accounts changed by an administrator: name, role and clinic.

Access follows the account on every request (portal/patients/permissions.py reads the
clinic and role each time), so a clinician moved to another clinic stops seeing the
first clinic's patients with the very next page. A change of role also ends the
account's sessions: what it may do, and whether it needs a second factor, changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.auth.device_sessions import end_other_sessions
from portal.auth.models import Role, User
from portal.clinic.models import Clinic
from portal.core.errors import FieldError
from portal.core.extensions import db


@dataclass(frozen=True)
class StaffChanges:
    display_name: str
    role: Role
    clinic: Clinic | None


def update_staff(user: User, changes: StaffChanges, by: User, now: datetime) -> tuple[str, ...]:
    """Apply an administrator's changes; the names of the fields that changed."""
    if not user.role_enum.is_staff or not changes.role.is_staff:
        raise FieldError("role", "Choose clinician or administrator.")
    name = changes.display_name.strip()
    if not name:
        raise FieldError("display_name", "Enter a name.")
    if user.id == by.id and changes.role is not user.role_enum:
        raise FieldError("role", "You cannot change your own role; ask another administrator.")
    if changes.role is Role.CLINICIAN and changes.clinic is None:
        raise FieldError("clinic_id", "A clinician must belong to a clinic.")
    clinic_id = changes.clinic.id if changes.clinic else None
    changed = []
    if name != user.display_name:
        user.display_name = name
        changed.append("display_name")
    if changes.role.value != user.role:
        user.role = changes.role.value
        user.session_version += 1
        end_other_sessions(user, now, "role")
        changed.append("role")
    if clinic_id != user.clinic_id:
        user.clinic = changes.clinic
        changed.append("clinic")
    db.session.flush()
    return tuple(changed)
