"""What each actor gets from each route: the table the access-matrix test walks.

Every rule in app.url_map and each of its methods (GET, POST) needs a row here,
or tests/security/test_access_matrix.py fails: a new route must say who may
use it. URL parameters always name child A's objects (patient A of clinic 1,
its course and enrolment code; clinic 1; another clinic-1 staff account).
POSTs carry a valid CSRF token and no other data.

Outcomes: an HTTP status, "login" (302 to the login page) or "redirect"
(302 anywhere else).
"""

from __future__ import annotations

ANON, GA, GB, CA, C1, C2, AD = (
    "anonymous",
    "guardian_a",
    "guardian_b",
    "child_a",
    "clinician_1",
    "clinician_2",
    "admin",
)
LOGGED_IN = (GA, GB, CA, C1, C2, AD)


def row(default: int | str, anonymous: int | str = "login", **actors: int | str) -> dict:
    """Outcomes for every actor: `default` for logged-in ones unless named."""
    table = {ANON: anonymous, **dict.fromkeys(LOGGED_IN, default)}
    table.update(actors)
    return table


EVERYONE_200 = row(200, anonymous=200)
# Family pages of child A: A's guardian and A themself; everyone else 404.
FAMILY_OF_A = row(404, guardian_a=200, child_a=200)
GUARDIAN_OF_A = row(404, guardian_a=200)
ANY_GUARDIAN = row(404, guardian_a=200, guardian_b=200)
# Clinic pages of child A: clinic 1's clinician only (administrators read no records).
CLINIC_OF_A = row(404, clinician_1=200)
ANY_CLINICIAN = row(404, clinician_1=200, clinician_2=200)
STAFF = row(404, clinician_1=200, clinician_2=200, admin=200)
ADMIN_ONLY = row(404, admin=200)

MATRIX: dict[tuple[str, str], dict] = {
    # Public pages and operator endpoints.
    ("/", "GET"): row("redirect", anonymous=200),
    ("/healthz", "GET"): EVERYONE_200,
    ("/readyz", "GET"): EVERYONE_200,
    ("/static/<path:filename>", "GET"): EVERYONE_200,
    # Logging in and out.
    ("/login", "GET"): row("redirect", anonymous=200),
    ("/login", "POST"): row("redirect", anonymous=200),
    ("/login/code", "GET"): row("login", anonymous="login"),
    ("/login/code", "POST"): row("login", anonymous="login"),
    ("/logout", "POST"): row("login"),
    ("/account/password", "GET"): row(200),
    ("/account/password", "POST"): row(200),
    ("/account/two-factor/", "GET"): STAFF,
    ("/account/two-factor/", "POST"): STAFF,
    ("/account/two-factor/off", "POST"): STAFF,
    # The family side.
    ("/family", "GET"): row(404, guardian_a="redirect", guardian_b="redirect", child_a="redirect"),
    ("/family/<int:patient_id>", "GET"): FAMILY_OF_A,
    ("/family/<int:patient_id>/calendar", "GET"): FAMILY_OF_A,
    ("/family/<int:patient_id>/child-login", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/child-login", "POST"): GUARDIAN_OF_A,
    ("/enrol", "GET"): row(404, anonymous=200, guardian_a=200, guardian_b=200),
    ("/enrol", "POST"): row(404, anonymous=200, guardian_a=200, guardian_b=200),
    ("/family/<int:patient_id>/data", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/export.<fmt>", "GET"): GUARDIAN_OF_A,
    ("/account/close", "GET"): ANY_GUARDIAN,
    ("/account/close", "POST"): ANY_GUARDIAN,
    # The clinic side.
    ("/clinic/", "GET"): ANY_CLINICIAN,
    ("/clinic/patients/new", "GET"): ANY_CLINICIAN,
    ("/clinic/patients/new", "POST"): ANY_CLINICIAN,
    ("/clinic/patients/<int:patient_id>", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/edit", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/edit", "POST"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/codes", "POST"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/codes/<int:code_id>/revoke", "POST"): row(
        404, clinician_1="redirect"
    ),
    ("/clinic/patients/<int:patient_id>/courses/new", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/courses/new", "POST"): CLINIC_OF_A,
    ("/clinic/courses/<int:course_id>/edit", "GET"): CLINIC_OF_A,
    ("/clinic/courses/<int:course_id>/edit", "POST"): CLINIC_OF_A,
    ("/audit", "GET"): STAFF,
    # Administration.
    ("/admin/", "GET"): ADMIN_ONLY,
    ("/admin/clinics/new", "GET"): ADMIN_ONLY,
    ("/admin/clinics/new", "POST"): ADMIN_ONLY,
    ("/admin/clinics/<int:clinic_id>/edit", "GET"): ADMIN_ONLY,
    # An edit that sends no fields keeps the clinic as it was: saved, back to the list.
    ("/admin/clinics/<int:clinic_id>/edit", "POST"): row(404, admin="redirect"),
    ("/admin/staff/new", "GET"): ADMIN_ONLY,
    ("/admin/staff/new", "POST"): ADMIN_ONLY,
    ("/admin/staff/<int:user_id>/active", "POST"): row(404, admin="redirect"),
    ("/admin/staff/<int:user_id>/two-factor/reset", "POST"): row(404, admin="redirect"),
    # --- Issue 5 finish (branch issue5-finish): the cohort report's chart JSON. ---
    # Clinicians see their own clinic's cohort, administrators every clinic; families 404.
    ("/clinic/reports/course-response/charts.json", "GET"): STAFF,
}
