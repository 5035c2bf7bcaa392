"""The fixed work of every request: probes touch nothing, one statement loads the user and
the device session, "last seen" is written at most once a minute, audit rows go in with one
statement per request, and a family's child is not loaded twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role, UserSession
from portal.core.clock import today
from portal.core.extensions import db
from tests import factories as make
from tests.querycount import counted_queries


def _selects_of(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT") and table in s]


def test_health_probe_of_a_logged_in_browser_runs_no_query(client, login_as):
    login_as(Role.GUARDIAN, patients=[make.patient()])
    with counted_queries() as statements:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert statements == []


def test_one_statement_loads_the_user_the_device_session_and_the_linked_children(client, login_as):
    patient = make.patient()
    login_as(Role.GUARDIAN, patients=[patient])
    url = f"/api/v1/patients/{patient.id}/diary"
    with counted_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    # The account's row is read once, the session's row in that same statement, and
    # the child the URL names comes with it: no query of its own.
    users = [s for s in _selects_of(statements, "users") if "FROM users" in s]
    assert len(users) == 1 and "user_sessions" in users[0]
    assert not [s for s in statements if "FROM user_sessions" in s and s is not users[0]]
    assert not [s for s in statements if "FROM patients" in s and s is not users[0]]


def test_an_unknown_session_token_still_logs_the_user_out(client, login_as):
    patient = make.patient()
    user = login_as(Role.GUARDIAN, patients=[patient])
    db.session.execute(UserSession.__table__.delete().where(UserSession.user_id == user.id))
    db.session.commit()
    response = client.get(f"/family/{patient.id}/diary")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_last_seen_is_written_at_most_once_a_minute(client, login_as, frozen_clock):
    patient = make.patient()
    user = login_as(Role.GUARDIAN, patients=[patient])
    url = f"/api/v1/patients/{patient.id}/diary"
    record = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    first_seen = record.last_seen_at
    with counted_queries() as statements:
        for _ in range(5):
            assert client.get(url).status_code == 200
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE user_sessions")]
    db.session.refresh(record)
    assert record.last_seen_at == first_seen
    frozen_clock.shift(timedelta(seconds=61))
    with counted_queries() as statements:
        assert client.get(url).status_code == 200
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE USER_SESSIONS")]
    assert len(updates) == 1
    db.session.refresh(record)
    assert record.last_seen_at >= first_seen + timedelta(seconds=61)


def test_every_audit_event_of_a_request_goes_in_with_one_statement(client, login_as):
    clinician = login_as(Role.CLINICIAN)
    for n in range(3):
        make.patient(clinician.clinic, name=f"Child {n}")
    before = db.session.query(AuditEvent).count()
    with counted_queries() as statements:
        response = client.get("/api/v1/patients")
    assert response.status_code == 200
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO AUDIT_EVENTS")]
    assert len(inserts) == 1
    after = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert len(after) == before + 1
    assert (after[-1].action, after[-1].user_id) == ("list", clinician.id)


def test_a_month_of_diary_costs_the_same_queries_for_5_or_27_entries_and_1_or_6_courses(
    client, login_as
):
    small, large = make.patient(), make.patient()
    make.course(small, today() - timedelta(days=20))
    for n in range(6):
        make.course(large, today() - timedelta(days=20 + 28 * n))
    for patient, count in ((small, 5), (large, 27)):
        for n in range(count):
            make.diary_row(patient, today() - timedelta(days=n + 1))
    login_as(Role.GUARDIAN, patients=[small, large])
    start = (today() - timedelta(days=30)).isoformat()
    counts = {}
    for patient, count in ((small, 5), (large, 27)):
        for name, url in (
            ("month", f"/api/v1/patients/{patient.id}/diary?from={start}"),
            ("diary page", f"/family/{patient.id}/diary"),
            ("chart json", f"/api/patients/{patient.id}/charts/diary"),
        ):
            with counted_queries() as statements:
                response = client.get(url)
            assert response.status_code == 200
            counts.setdefault(name, []).append(len(statements))
        month = client.get(f"/api/v1/patients/{patient.id}/diary?from={start}").get_json()
        assert len(month["entries"]) == count
    # user + session + children; entries; their alerts; courses; audit insert
    assert counts["month"] == [5, 5]
    # 8 before the home page said whether today is logged, the waiting notice and unread
    # messages (issue 13): 12 now, still the same for 5 or 27 entries.
    assert counts["diary page"][0] == counts["diary page"][1] <= 12
    # 4, and the clinic (its fever threshold is the line on the temperature row)
    assert counts["chart json"][0] == counts["chart json"][1] <= 5
