"""Out-of-range input: impossible ids (0, −1, past the column, past 64 bits) are 404s, not 500s.

SQLite cannot bind an int past 2^63 − 1 and PostgreSQL's INTEGER ends at 2^31 − 1;
every id from a URL, a form or a query string is range-checked before a query.
"""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import Rule

from portal.auth.models import Role
from portal.core.extensions import db
from portal.core.ids import MAX_ID, IdConverter
from portal.diary.models import DiaryEntry
from tests import factories as make
from tests.security.conftest import log_in

IMPOSSIBLE = ["0", "-1", str(MAX_ID + 1), str(2**63), str(10**23)]
ID_PART = re.compile(r"<int:([a-z_]+)>")


def id_routes(app) -> list[Rule]:
    """Every route with an id in its path."""
    rules = [rule for rule in app.url_map.iter_rules() if ID_PART.search(rule.rule)]
    assert all(app.url_map.converters["int"] is IdConverter for _ in rules)
    assert len(rules) > 30, "the walk should cover every route that takes an id"
    return rules


@pytest.fixture
def clients(app):
    clinic = make.clinic("Range Clinic")
    patient = make.patient(clinic, name="Rae Range")
    make.diary_row(patient)
    return {
        Role.GUARDIAN: log_in(app, make.user(Role.GUARDIAN, patients=[patient])),
        Role.CLINICIAN: log_in(app, make.user(Role.CLINICIAN, clinic=clinic)),
        Role.ADMIN: log_in(app, make.user(Role.ADMIN)),
    }, patient


@pytest.mark.parametrize("value", IMPOSSIBLE)
def test_every_route_answers_an_impossible_id_with_404_for_every_role(app, clients, value):
    by_role, _ = clients
    for rule in id_routes(app):
        path = ID_PART.sub(value, rule.rule)
        for role, client in by_role.items():
            send = client.get if "GET" in rule.methods else client.post_form
            response = send(path)
            assert response.status_code == 404, (rule.rule, role, value, response.status_code)
            if path.startswith("/api/") or path.endswith(".json"):
                assert response.get_json()["error"] == "Page not found", path


@pytest.mark.parametrize("value", IMPOSSIBLE)
def test_the_diary_api_answers_404_json_to_an_impossible_patient_for_reads_and_writes(
    clients, value
):
    family = clients[0][Role.GUARDIAN]
    read = family.get(f"/api/v1/patients/{value}/diary")
    write = family.post_json(f"/api/v1/patients/{value}/diary", {"mood": 3})
    for response in (read, write):
        assert response.status_code == 404
        assert response.get_json() == {"error": "Page not found"}


@pytest.mark.parametrize("value", IMPOSSIBLE)
def test_marking_reports_reviewed_with_an_impossible_id_names_the_field_and_marks_nothing(
    clients, value
):
    by_role, patient = clients
    response = by_role[Role.CLINICIAN].post_form(
        f"/clinic/patients/{patient.id}/review", {"entry_ids": [value]}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Tick reports shown on this page only." in page or "Tick at least one" in page
    assert db.session.query(DiaryEntry).filter(DiaryEntry.reviewed_at.isnot(None)).count() == 0


@pytest.mark.parametrize("value", [*IMPOSSIBLE, "1e21", "²", "9" * 40])
def test_page_and_filter_numbers_out_of_range_fall_back_or_find_nothing(clients, value):
    by_role, patient = clients
    family, clinic, admin = by_role[Role.GUARDIAN], by_role[Role.CLINICIAN], by_role[Role.ADMIN]
    assert family.get(f"/family/{patient.id}/diary?page={value}").status_code == 200
    assert clinic.get(f"/clinic/patients/{patient.id}/diary?page={value}").status_code == 200
    assert admin.get(f"/audit?page={value}").status_code == 200
    assert admin.get(f"/audit?patient={value}").status_code == 200
    assert admin.get(f"/clinic/reports/course-response?clinic={value}").status_code == 404


@pytest.mark.parametrize("end", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_the_review_window_at_the_ends_of_the_calendar_is_a_page_not_a_500(clients, end):
    by_role, patient = clients
    response = by_role[Role.CLINICIAN].get(f"/clinic/patients/{patient.id}/review?end={end}")
    assert response.status_code == 200
