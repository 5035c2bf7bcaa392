"""What the route fuzzer sends: each route's query parameters and the API's JSON fields.

QUERY_PARAMETERS names, per GET route, every parameter its view reads from the
query string. test_route_fuzzing.py discovers what each view really reads (by
walking every GET route with a request whose query string records each lookup)
and fails when a route reads a parameter missing here: a new parameter is fuzzed
from the day it is added.
"""

from __future__ import annotations

from portal.diary.validation import GUARDIAN_FIELDS

QUERY_PARAMETERS: dict[str, tuple[str, ...]] = {
    "/login": ("next",),
    "/login/code": ("next",),
    "/family/<int:patient_id>/diary": ("page",),
    "/family/<int:patient_id>/diary/new": ("another",),
    "/clinic/patients/<int:patient_id>/diary": ("page",),
    "/clinic/patients/<int:patient_id>/review": ("end",),
    "/audit": ("patient", "user", "action", "outcome", "date_from", "date_to", "page"),
    "/api/v1/patients/<int:patient_id>/diary": ("from", "to"),
    "/clinic/reports/course-response": ("clinic",),
    "/clinic/reports/course-response.csv": ("clinic",),
    "/clinic/reports/course-response.json": ("clinic",),
    "/clinic/reports/course-response/charts.json": ("clinic",),
    "/family/<int:patient_id>/chart": ("start", "end", "submit"),
    "/api/patients/<int:patient_id>/charts/diary": ("start", "end", "submit"),
    "/clinic/patients/<int:patient_id>/chart": ("start", "end", "submit"),
    "/api/patients/<int:patient_id>/charts/clinic": ("start", "end", "submit"),
    "/clinic/dashboard": ("in_window", "next_course", "page", "quiet_days", "unreviewed"),
    "/clinic/reports/regimens": ("a", "b", "by", "submit"),
    "/clinic/reports/regimens.<any(csv, json):fmt>": ("a", "b", "by", "submit"),
    "/admin/research/": ("a", "b", "submit"),
    "/admin/research/report.<any(csv, json):fmt>": ("a", "b", "submit"),
    "/clinic/patients/<int:patient_id>/summary": ("start", "end"),
    "/clinic/patients/<int:patient_id>/summary.pdf": ("start", "end"),
}
# Read before every view by one hook (portal.core.security.refuse_unsafe_next), the same
# code on every route: fuzzed on the routes whose views follow it (the login steps).
APP_WIDE_PARAMETERS = ("next",)

# The JSON API's writes, with the fields their bodies may hold.
JSON_FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("/api/v1/patients/<int:patient_id>/diary", "POST"): GUARDIAN_FIELDS,
}
