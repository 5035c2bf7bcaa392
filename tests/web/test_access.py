"""Who reaches which patient, course and code URL: anything not allowed is a 404.

The world: clinic North has patients A and B, clinic South has patient C.
A has a course, an enrolment code, a guardian and a child account; B has its
own guardian. Every URL below is about patient A (or its course or code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.core.clock import today
from portal.core.extensions import db
from tests import factories as make

ACTORS = [
    "anonymous",
    "guardian_a",
    "guardian_b",
    "child_a",
    "clinician_north",
    "clinician_south",
    "admin",
]


@pytest.fixture
def world():
    north, south = make.clinic("North"), make.clinic("South")
    a, b = make.patient(north, name="Ada Able"), make.patient(north, name="Ben Baker")
    c = make.patient(south, name="Cat Cole")
    clinician = make.user(Role.CLINICIAN, clinic=north)
    return {
        "a": a,
        "b": b,
        "c": c,
        "course": make.course(a, today() - timedelta(days=30), days=3),
        "code": make.code(a, issued_by=clinician).record,
        "guardian_a": make.user(Role.GUARDIAN, patients=[a]),
        "guardian_b": make.user(Role.GUARDIAN, patients=[b]),
        "child_a": make.user(Role.CHILD, patients=[a]),
        "clinician_north": clinician,
        "clinician_south": make.user(Role.CLINICIAN, clinic=south),
        "admin": make.user(Role.ADMIN, clinic=north),
    }


def _patient_form(w) -> dict:
    a = w["a"]
    return {
        "patient_ref": a.patient_ref,
        "name": "Renamed Child",
        "date_of_birth": a.date_of_birth.isoformat(),
        "sex": a.sex,
        "weight_kg": "35",
    }


def _course_form(w) -> dict:
    return {
        "start_date": w["course"].start_date.isoformat(),
        "days": "5",
        "total_dose_g_per_kg": "2",
        "status": "given",
        "lots": "NEW-LOT",
    }


def _child_form(w) -> dict:
    return {"username": "new.kid", "password": "purple-rocket-7", "confirm": "purple-rocket-7"}


@dataclass(frozen=True)
class Req:
    method: str
    url: str  # formatted with a, b, course and code ids
    allowed: frozenset[str]
    data: object = field(default=None)  # world -> form data for a POST

    def path(self, w, **ids) -> str:
        values = {"a": w["a"].id, "course": w["course"].id, "code": w["code"].id, **ids}
        return self.url.format(**values)


FAMILY_A = frozenset({"guardian_a", "child_a"})
GUARDIAN_A = frozenset({"guardian_a"})
CLINIC_A = frozenset({"clinician_north"})

REQUESTS = [
    Req("GET", "/family/{a}", FAMILY_A),
    Req("GET", "/family/{a}/calendar", FAMILY_A),
    Req("GET", "/family/{a}/child-login", GUARDIAN_A),
    Req("POST", "/family/{a}/child-login", GUARDIAN_A, _child_form),
    Req("GET", "/clinic/patients/{a}", CLINIC_A),
    Req("GET", "/clinic/patients/{a}/edit", CLINIC_A),
    Req("POST", "/clinic/patients/{a}/edit", CLINIC_A, _patient_form),
    Req("POST", "/clinic/patients/{a}/codes", CLINIC_A, dict),
    Req("POST", "/clinic/patients/{a}/codes/{code}/revoke", CLINIC_A, dict),
    Req("GET", "/clinic/patients/{a}/courses/new", CLINIC_A),
    Req("POST", "/clinic/patients/{a}/courses/new", CLINIC_A, _course_form),
    Req("GET", "/clinic/courses/{course}/edit", CLINIC_A),
    Req("POST", "/clinic/courses/{course}/edit", CLINIC_A, _course_form),
]

ROLE_PAGES = [
    Req("GET", "/family", frozenset({"guardian_a", "guardian_b", "child_a"})),
    Req("GET", "/enrol", frozenset({"anonymous", "guardian_a", "guardian_b"})),
    Req("GET", "/clinic/", frozenset({"clinician_north", "clinician_south"})),
    Req("GET", "/clinic/patients/new", frozenset({"clinician_north", "clinician_south"})),
    Req("GET", "/admin/", frozenset({"admin"})),
    Req("GET", "/admin/clinics/new", frozenset({"admin"})),
    Req("GET", "/admin/staff/new", frozenset({"admin"})),
]


# The audit trail records the refusal itself, and the device session its last request.
RECORDS_OF_THE_ATTEMPT = {"audit_events", "user_sessions"}


def snapshot() -> dict[str, list]:
    """Every row of every table, to prove a refused request changed nothing."""
    db.session.expire_all()
    return {
        table.name: sorted(map(repr, db.session.execute(select(table)).all()))
        for table in db.metadata.sorted_tables
        if table.name not in RECORDS_OF_THE_ATTEMPT
    }


def denials() -> int:
    """Refusals recorded in the audit trail so far."""
    query = select(func.count()).where(AuditEvent.outcome == "denied")
    return db.session.scalar(query)


def act(client, login, w, actor: str, req: Req, **ids):
    if actor != "anonymous":
        login(w[actor])
    path = req.path(w, **ids)
    if req.method == "GET":
        return client.get(path)
    return client.post_form(path, req.data(w))


def _ids(req: Req) -> str:
    return f"{req.method} {req.url}"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("req", REQUESTS, ids=_ids)
def test_patient_course_and_code_urls_answer_only_the_right_people(
    client, login, world, actor, req
):
    if actor != "anonymous":
        login(world[actor])
    before = snapshot()
    path = req.path(world)
    response = client.get(path) if req.method == "GET" else client.post_form(path, req.data(world))
    if actor == "anonymous":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    elif actor in req.allowed:
        assert response.status_code in (200, 302)
        return
    else:
        assert response.status_code == 404
        assert world["a"].name not in response.get_data(as_text=True)
        assert denials() >= 1, "the refusal was not recorded in the audit trail"
    assert snapshot() == before


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("req", ROLE_PAGES, ids=_ids)
def test_each_role_reaches_only_its_own_pages(client, login, world, actor, req):
    response = act(client, login, world, actor, req)
    if actor in req.allowed:
        assert response.status_code in (200, 302)
        assert "/login" not in response.headers.get("Location", "")
    elif actor == "anonymous":
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("req", REQUESTS, ids=_ids)
def test_unknown_ids_are_404_even_for_the_allowed_role(client, login, world, req):
    actor = sorted(req.allowed)[0]
    login(world[actor])
    missing = 987_654
    path = req.path(world, a=missing, course=missing, code=missing)
    response = client.get(path) if req.method == "GET" else client.post_form(path, req.data(world))
    assert response.status_code == 404


def test_a_code_cannot_be_revoked_through_another_patients_url(client, login, world):
    login(world["clinician_north"])
    before = snapshot()
    url = f"/clinic/patients/{world['b'].id}/codes/{world['code'].id}/revoke"
    assert client.post_form(url).status_code == 404
    assert snapshot() == before
    refused = db.session.scalars(select(AuditEvent).where(AuditEvent.outcome == "denied")).all()
    assert [(e.object_type, e.object_id, e.patient_id) for e in refused] == [
        ("enrolment_codes", world["code"].id, world["a"].id)
    ]


def test_patients_of_other_clinics_and_families_are_404_by_id(client, login, world):
    login(world["clinician_north"])
    assert client.get(f"/clinic/patients/{world['c'].id}").status_code == 404
    client.post_form("/logout")
    login(world["guardian_a"])
    assert client.get(f"/family/{world['b'].id}").status_code == 404
    assert client.get(f"/family/{world['c'].id}/calendar").status_code == 404


PUBLIC_ENDPOINTS = {
    "static",
    "main.index",
    "main.healthz",
    "main.readyz",
    "auth.login",
    "auth.login_code",  # the second step of a login begun with a password
    "auth.logout",  # any logged-in user
    "auth.password",  # any logged-in user
    "auth.logout_everywhere",  # any logged-in user
    "patients.enrol",  # new guardians; logged-in guardians checked inside
    "fhir.questionnaire",  # the diary's published Questionnaire: no patient data
    "fhir.codesystem",  # the portal's published CodeSystem: no patient data
    "auth_reset.forgot_password",  # anyone may ask; the answer is the same for every address
    "auth_reset.reset_password",  # the link is the proof; logged-in users get 404
}


def test_every_other_view_has_a_role_check(app):
    unchecked = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in PUBLIC_ENDPOINTS and not getattr(view, "allowed_roles", None)
    ]
    assert unchecked == []
