"""What each actor gets from each route: the table the access-matrix test walks.

Every rule in app.url_map and each of its methods (GET, POST) needs a row here,
or tests/security/test_access_matrix.py fails: a new route must say who may
use it. URL parameters always name child A's objects (patient A of clinic 1,
its course and enrolment code, a diary entry by A's guardian with its alert,
an assessment and a prednisolone record; clinic 1; another clinic-1 staff
account). POSTs carry a valid CSRF token and no other data, so a form answers
200 with its refusal and a button-only action does what it does (deleting
posts are walked last, see walk.py).

Outcomes: an HTTP status, "login" (302 to the login page) or "redirect"
(302 anywhere else). The JSON API answers 401 to anonymous callers.
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
# Done by a button (acknowledge, delete): clinic 1's clinician only, then back to a list.
CLINIC_OF_A_ACTION = row(404, clinician_1="redirect")
# Read and written by the child's own account as well as by the guardian.
CHILD_A = row(404, child_a=200)
# The JSON API: 401 for anonymous callers, JSON 404 for anything not allowed.
API_FAMILY_OF_A = row(404, anonymous=401, guardian_a=200, child_a=200)
API_CLINIC_OF_A = row(404, anonymous=401, clinician_1=200)
API_GUARDIAN_OF_A = row(404, anonymous=401, guardian_a=200)

MATRIX: dict[tuple[str, str], dict] = {
    # Public pages and operator endpoints.
    ("/", "GET"): row("redirect", anonymous=200),
    ("/healthz", "GET"): EVERYONE_200,
    ("/readyz", "GET"): EVERYONE_200,
    ("/static/<path:filename>", "GET"): EVERYONE_200,
    # Logging in and out.
    ("/login", "GET"): row("redirect", anonymous=200),
    ("/login", "POST"): row("redirect", anonymous=200),
    ("/login/forgot", "GET"): EVERYONE_200,
    ("/login/forgot", "POST"): EVERYONE_200,
    # An unknown link: the page that offers a new one; logged-in people have no use for it.
    ("/login/reset/<token>", "GET"): row(404, anonymous=410),
    ("/login/reset/<token>", "POST"): row(404, anonymous=410),
    ("/login/code", "GET"): row("login", anonymous="login"),
    ("/login/code", "POST"): row("login", anonymous="login"),
    ("/logout", "POST"): row("login"),
    ("/account/password", "GET"): row(200),
    ("/account/password", "POST"): row(200),
    # Ends every session of the walker's account: walked last (walk.py).
    ("/account/logout-everywhere", "POST"): row("login"),
    ("/account/two-factor/", "GET"): STAFF,
    ("/account/two-factor/", "POST"): STAFF,
    # Staff without a second factor (the clinicians here) are sent to set one up.
    ("/account/two-factor/off", "POST"): row(
        404, clinician_1="redirect", clinician_2="redirect", admin=200
    ),
    ("/account/two-factor/recovery-codes", "POST"): row(
        404, clinician_1="redirect", clinician_2="redirect", admin=200
    ),
    # The family side.
    ("/family", "GET"): row(404, guardian_a="redirect", guardian_b="redirect", child_a="redirect"),
    ("/family/<int:patient_id>", "GET"): FAMILY_OF_A,
    ("/family/<int:patient_id>/calendar", "GET"): FAMILY_OF_A,
    ("/family/<int:patient_id>/child-login", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/child-login", "POST"): GUARDIAN_OF_A,
    ("/enrol", "GET"): row(404, anonymous=200, guardian_a=200, guardian_b=200),
    ("/enrol", "POST"): row(404, anonymous=200, guardian_a=200, guardian_b=200),
    ("/family/contact", "GET"): ANY_GUARDIAN,
    ("/family/contact", "POST"): row(404, guardian_a="redirect", guardian_b="redirect"),
    ("/family/<int:patient_id>/data", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/export.<fmt>", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/fhir.json", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/download.zip", "GET"): GUARDIAN_OF_A,
    ("/account/close", "GET"): ANY_GUARDIAN,
    ("/account/close", "POST"): ANY_GUARDIAN,
    # The family diary: A's guardians write it; the child's account has its own page.
    ("/family/<int:patient_id>/diary", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/diary/new", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/diary/new", "POST"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/diary/<int:entry_id>", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/diary/<int:entry_id>/edit", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/diary/<int:entry_id>/edit", "POST"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/diary/<int:entry_id>/delete", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/diary/<int:entry_id>/delete", "POST"): row(
        404, guardian_a="redirect"
    ),
    ("/family/<int:patient_id>/my-day", "GET"): CHILD_A,
    ("/family/<int:patient_id>/my-day", "POST"): CHILD_A,
    # The clinic's answers to the guardians' entries: a child's login reads none of them.
    ("/family/<int:patient_id>/messages", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/messages/read", "POST"): GUARDIAN_OF_A,
    # Charts: the guardians' diary chart, the child's own progress page.
    ("/family/<int:patient_id>/chart", "GET"): GUARDIAN_OF_A,
    ("/family/<int:patient_id>/progress", "GET"): FAMILY_OF_A,
    ("/api/patients/<int:patient_id>/charts/diary", "GET"): API_GUARDIAN_OF_A,
    ("/api/patients/<int:patient_id>/charts/progress", "GET"): API_FAMILY_OF_A,
    ("/api/patients/<int:patient_id>/charts/clinic", "GET"): API_CLINIC_OF_A,
    # The JSON API of the diary (administrators read no diaries).
    ("/api/v1/patients", "GET"): row(200, anonymous=401, admin=404),
    ("/api/v1/patients/<int:patient_id>/diary", "GET"): row(
        404, anonymous=401, guardian_a=200, child_a=200, clinician_1=200
    ),
    # A body that is not a JSON entry is refused, naming the body.
    ("/api/v1/patients/<int:patient_id>/diary", "POST"): row(
        404, anonymous=401, guardian_a=400, child_a=400
    ),
    # The clinic side.
    ("/clinic/", "GET"): ANY_CLINICIAN,
    ("/clinic/", "POST"): ANY_CLINICIAN,
    ("/clinic/dashboard", "GET"): ANY_CLINICIAN,
    ("/clinic/dashboard", "POST"): ANY_CLINICIAN,  # the patient search
    ("/clinic/triage", "GET"): ANY_CLINICIAN,
    ("/clinic/alerts/<int:alert_id>/acknowledge", "POST"): CLINIC_OF_A_ACTION,
    ("/clinic/import", "GET"): ANY_CLINICIAN,
    ("/clinic/import", "POST"): ANY_CLINICIAN,
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
    ("/clinic/courses/<int:course_id>/history", "GET"): CLINIC_OF_A,
    ("/clinic/courses/<int:course_id>/delete", "GET"): CLINIC_OF_A,
    ("/clinic/courses/<int:course_id>/delete", "POST"): CLINIC_OF_A_ACTION,
    # A's home reports as the clinic reads, reviews and answers them.
    ("/clinic/patients/<int:patient_id>/diary", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/review", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/review", "POST"): CLINIC_OF_A,
    ("/clinic/entries/<int:entry_id>/reply", "GET"): CLINIC_OF_A,
    ("/clinic/entries/<int:entry_id>/reply", "POST"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/chart", "GET"): CLINIC_OF_A,
    # A's formal assessments, medicines and weights.
    ("/clinic/patients/<int:patient_id>/assessments", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/assessments/new", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/assessments/new", "POST"): CLINIC_OF_A,
    ("/clinic/assessments/<int:assessment_id>/edit", "GET"): CLINIC_OF_A,
    ("/clinic/assessments/<int:assessment_id>/edit", "POST"): CLINIC_OF_A,
    ("/clinic/assessments/<int:assessment_id>/delete", "GET"): CLINIC_OF_A,
    ("/clinic/assessments/<int:assessment_id>/delete", "POST"): CLINIC_OF_A_ACTION,
    ("/clinic/assessments/<int:assessment_id>/history", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/medications", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/medications/prednisolone/new", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/medications/prednisolone/new", "POST"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/medications/other/new", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/medications/other/new", "POST"): CLINIC_OF_A,
    ("/clinic/medications/<int:record_id>/edit", "GET"): CLINIC_OF_A,
    ("/clinic/medications/<int:record_id>/edit", "POST"): CLINIC_OF_A,
    ("/clinic/medications/<int:record_id>/delete", "GET"): CLINIC_OF_A,
    ("/clinic/medications/<int:record_id>/delete", "POST"): CLINIC_OF_A_ACTION,
    ("/clinic/medications/<int:record_id>/history", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/weights/new", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/weights/new", "POST"): CLINIC_OF_A,
    # Course response: one patient's for its clinic; the cohort's aggregates for staff
    # (administrators see no per-patient rows).
    ("/clinic/patients/<int:patient_id>/course-response", "GET"): CLINIC_OF_A,
    ("/clinic/reports/course-response", "GET"): STAFF,
    ("/clinic/reports/course-response.csv", "GET"): STAFF,
    ("/clinic/reports/course-response.json", "GET"): STAFF,
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
    ("/clinic/patients/<int:patient_id>/summary", "GET"): CLINIC_OF_A,
    ("/clinic/patients/<int:patient_id>/summary.pdf", "GET"): row(404, clinician_1=400),
    ("/clinic/patients/<int:patient_id>/fhir.json", "GET"): CLINIC_OF_A,
    # What the FHIR bundles name: published definitions, no patient data.
    ("/fhir/R4/Questionnaire/home-diary", "GET"): EVERYONE_200,
    ("/fhir/R4/CodeSystem/jdm-measures", "GET"): EVERYONE_200,
    ("/admin/staff/<int:user_id>/edit", "GET"): ADMIN_ONLY,
    ("/admin/staff/<int:user_id>/edit", "POST"): row(404, admin="redirect"),
    ("/admin/staff/<int:user_id>/active", "POST"): row(404, admin="redirect"),
    ("/admin/staff/<int:user_id>/two-factor/reset", "POST"): row(404, admin="redirect"),
    # --- Issue 5 finish (branch issue5-finish): the cohort report's chart JSON. ---
    # Clinicians see their own clinic's cohort, administrators every clinic; families 404.
    ("/clinic/reports/course-response/charts.json", "GET"): STAFF,
    # --- Issue 17: the clinic's further questions, over the clinician's own clinic; and the
    # hub of several clinics, for administrators (aggregates of de-identified summaries).
    ("/clinic/reports/lots", "GET"): ANY_CLINICIAN,
    ("/clinic/reports/lots.<any(csv, json):fmt>", "GET"): ANY_CLINICIAN,
    ("/clinic/reports/regimens", "GET"): ANY_CLINICIAN,
    ("/clinic/reports/regimens.<any(csv, json):fmt>", "GET"): ANY_CLINICIAN,
    ("/clinic/reports/interval", "GET"): ANY_CLINICIAN,
    ("/clinic/reports/interval.<any(csv, json):fmt>", "GET"): ANY_CLINICIAN,
    ("/clinic/reports/interval/charts.json", "GET"): ANY_CLINICIAN,
    ("/admin/research/", "GET"): ADMIN_ONLY,
    ("/admin/research/report.<any(csv, json):fmt>", "GET"): ADMIN_ONLY,
    ("/admin/research/sites/new", "GET"): ADMIN_ONLY,
    ("/admin/research/sites/new", "POST"): ADMIN_ONLY,
    ("/admin/research/summaries/new", "GET"): ADMIN_ONLY,
    ("/admin/research/summaries/new", "POST"): ADMIN_ONLY,
}
