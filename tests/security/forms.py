"""Every form of the portal, who fills it in, and a valid value for each of its fields."""

from __future__ import annotations

from datetime import date

from portal.auth import password_reset
from portal.auth.models import Role
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.patients.enrolment import issue_code
from tests import factories as make
from tests.factories import PASSWORD
from tests.security.feature_forms import FEATURE_BUTTONS, FEATURE_FORMS
from tests.security.form_spec import FormSpec

__all__ = ["BUTTON_ONLY", "FORMS", "FormSpec"]


def _fresh_guardian(world):
    return make.user(Role.GUARDIAN, patients=[world.patient_b])


def _fresh_clinician_with_code(world):
    return make.user(Role.CLINICIAN, clinic=world.patient_a.clinic, totp=True)


def _fresh_family(world):
    """A guardian of a new child, whose child login is still to be made."""
    return make.user(Role.GUARDIAN, patients=[make.patient(world.patient_a.clinic)])


def _reset_url(world) -> str:
    """A live password-reset link for a new guardian (a link works once)."""
    token = password_reset.issue(_fresh_guardian(world), now_utc(), 60)
    db.session.commit()
    return f"/login/reset/{token}"


def _new_code(world) -> str:
    code = issue_code(world.patient_a, world.users["clinician_1"], now_utc(), 14).code
    db.session.commit()
    return code


PATIENT = {
    "patient_ref": "HOSP-77",
    "name": "Robin Hostile",
    "date_of_birth": "2016-04-01",
    "sex": "female",
    "onset_date": "2023-01-01",
    "subtype": "banker",
    "weight_kg": "28.5",
}
COURSE = {
    "start_date": date.today().isoformat(),
    "days": "5",
    "total_dose_g_per_kg": "2",
    "product": "Privigen",
    "lots": "P1\nP2",
    "indication": "relapse",
    "status": "planned",
    "notes": "Given on the ward.",
}
NEW_PASSWORD = {"password": "amber-lantern-sky", "confirm": "amber-lantern-sky"}

FORMS = [
    FormSpec(
        "login",
        "anonymous",
        lambda w, a: "/login",
        lambda w: {"email": w.users["guardian_a"].email, "password": PASSWORD},
    ),
    FormSpec(
        "forgot_password",
        "anonymous",
        lambda w, a: "/login/forgot",
        lambda w: {"email": w.users["guardian_a"].email},
        accepted_text="Check your email",
    ),
    FormSpec(
        "reset_password",
        "anonymous",
        lambda w, a: _reset_url(w),
        lambda w: NEW_PASSWORD,
    ),
    FormSpec(
        "enrol_new_account",
        "anonymous",
        lambda w, a: "/enrol",
        lambda w: {
            "code": _new_code(w),
            "display_name": "Pat",
            "email": "pat@example.test",
            "phone": "07911 123456",
            **NEW_PASSWORD,
        },
    ),
    FormSpec(
        "enrol_another_child", "guardian_b", lambda w, a: "/enrol", lambda w: {"code": _new_code(w)}
    ),
    FormSpec(
        "guardian_contact",
        "guardian_a",
        lambda w, a: "/family/contact",
        lambda w: {"phone": "+44 7911 123456"},
    ),
    FormSpec(
        "child_login",
        "guardian",
        lambda w, a: f"/family/{a.patients[0].id}/child-login",
        lambda w: {"username": "robin.child", **NEW_PASSWORD},
        fresh_account=_fresh_family,
    ),
    FormSpec(
        "change_password",
        "guardian_a",
        lambda w, a: "/account/password",
        lambda w: {"current_password": PASSWORD, **NEW_PASSWORD},
        fresh_account=_fresh_guardian,
    ),
    FormSpec(
        "close_account",
        "guardian_b",
        lambda w, a: "/account/close",
        lambda w: {"understood": "y", "password": PASSWORD},
        fresh_account=_fresh_guardian,
    ),
    FormSpec(
        "two_factor_setup",
        "clinician_2",
        lambda w, a: "/account/two-factor/",
        lambda w: {"code": "123456"},
    ),
    FormSpec(
        "two_factor_off",
        "clinician",
        lambda w, a: "/account/two-factor/off",
        lambda w: {"password": PASSWORD},
        fresh_account=_fresh_clinician_with_code,
    ),
    FormSpec(
        "new_recovery_codes",
        "clinician",
        lambda w, a: "/account/two-factor/recovery-codes",
        lambda w: {"password": PASSWORD},
        fresh_account=_fresh_clinician_with_code,
        accepted_text="Your recovery codes",
    ),
    FormSpec(
        "login_code",
        "clinician",
        lambda w, a: "/login/code",
        lambda w: {"code": "000000", "recovery_code": ""},
        fresh_account=_fresh_clinician_with_code,
        password_step_only=True,
    ),
    FormSpec("new_patient", "clinician_1", lambda w, a: "/clinic/patients/new", lambda w: PATIENT),
    FormSpec(
        "edit_patient",
        "clinician_1",
        lambda w, a: f"/clinic/patients/{w.patient_a.id}/edit",
        lambda w: {**PATIENT, "patient_ref": w.patient_a.patient_ref},
    ),
    FormSpec(
        "new_course",
        "clinician_1",
        lambda w, a: f"/clinic/patients/{w.patient_a.id}/courses/new",
        lambda w: COURSE,
    ),
    FormSpec(
        "edit_course",
        "clinician_1",
        lambda w, a: f"/clinic/courses/{w.course_a.id}/edit",
        lambda w: COURSE,
    ),
    FormSpec(
        "new_clinic",
        "admin",
        lambda w, a: "/admin/clinics/new",
        lambda w: {"name": "Hostile Clinic", "phone": "0161 496 0000"},
    ),
    FormSpec(
        "edit_clinic",
        "admin",
        lambda w, a: f"/admin/clinics/{w.patient_a.clinic_id}/edit",
        lambda w: {"name": "Clinic One", "phone": "0161 496 0001"},
    ),
    FormSpec(
        "new_staff",
        "admin",
        lambda w, a: "/admin/staff/new",
        lambda w: {
            "display_name": "Dr New",
            "email": "dr.new@example.test",
            "role": "clinician",
            "clinic_id": str(w.patient_a.clinic_id),
            "password": "amber-lantern-sky",
        },
    ),
    FormSpec(
        "edit_staff",
        "admin",
        lambda w, a: f"/admin/staff/{w.other_staff.id}/edit",
        lambda w: {
            "display_name": "Dr Moved",
            "role": "clinician",
            "clinic_id": str(w.patient_b.clinic_id),
        },
    ),
    FormSpec(
        "patient_search",
        "clinician_1",
        lambda w, a: "/clinic/",
        lambda w: {"q": "Alice"},
        search=True,
    ),
    FormSpec(
        "audit_filters",
        "admin",
        lambda w, a: "/audit",
        lambda w: {
            "patient": str(w.patient_a.id),
            "user": w.users["admin"].email,
            "action": "read",
            "outcome": "success",
            "date_from": "2025-01-01",
            "date_to": "2025-12-31",
        },
        method="GET",
    ),
    FormSpec(
        "clinic_summary_dates",
        "clinician_1",
        lambda w, a: f"/clinic/patients/{w.patient_a.id}/summary",
        lambda w: {"start": "2025-01-01", "end": "2025-06-30"},
        method="GET",
    ),
    FormSpec(
        "dashboard_filters",
        "clinician_1",
        lambda w, a: "/clinic/dashboard",
        lambda w: {"unreviewed": "y", "in_window": "y", "next_course": "y", "quiet_days": "7"},
        method="GET",
    ),
    *FEATURE_FORMS,
]

# POST routes that take no typed input (a button and its CSRF token): nothing to fuzz.
BUTTON_ONLY = {
    "/logout",
    "/account/logout-everywhere",
    "/clinic/patients/<int:patient_id>/codes",
    "/clinic/patients/<int:patient_id>/codes/<int:code_id>/revoke",
    "/admin/staff/<int:user_id>/active",
    "/admin/staff/<int:user_id>/two-factor/reset",
    *FEATURE_BUTTONS,
}
