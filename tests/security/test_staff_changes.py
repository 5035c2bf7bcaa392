"""SECURITY.md: a clinician moved to another clinic loses the first clinic's patients at
once, on every route; a change of role ends the account's sessions."""

from __future__ import annotations

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.core.extensions import db
from tests.security.access_matrix import MATRIX
from tests.security.conftest import log_in
from tests.security.walk import outcome, walk


def _move(admin_client, user, clinic_id: int, role: str = "clinician"):
    form = {"display_name": user.display_name, "role": role, "clinic_id": str(clinic_id)}
    response = admin_client.post_form(f"/admin/staff/{user.id}/edit", form)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_clinician_moved_to_another_clinic_gets_the_other_clinics_outcomes_on_every_route(
    app, world, actor_clients
):
    clinician = world.users["clinician_1"]
    client = actor_clients["clinician_1"]
    patient_a = world.patient_a
    assert client.get(f"/clinic/patients/{patient_a.id}").status_code == 200

    _move(actor_clients["admin"], clinician, world.patient_b.clinic_id)

    # The same session, the very next requests: exactly what clinic 2's clinician gets.
    failures = []
    for rule, method, response in walk(app, client, world.url_values()):
        expected = MATRIX[(rule.rule, method)]["clinician_2"]
        got = outcome(response)
        if got != expected:
            failures.append(f"{method:4} {rule.rule}: expected {expected}, got {got}")
    assert not failures, "\n" + "\n".join(failures)


def test_the_moved_clinician_sees_the_new_clinics_patients_and_the_move_is_audited(
    app, world, actor_clients
):
    clinician = world.users["clinician_1"]
    client = actor_clients["clinician_1"]
    _move(actor_clients["admin"], clinician, world.patient_b.clinic_id)
    assert client.get(f"/clinic/patients/{world.patient_b.id}").status_code == 200
    assert client.get(f"/clinic/patients/{world.patient_a.id}").status_code == 404
    dashboard = client.get("/clinic/dashboard").get_data(as_text=True)
    assert "Bobby Example" in dashboard and "Alice Example" not in dashboard

    _move(actor_clients["admin"], clinician, world.patient_a.clinic_id)
    assert client.get(f"/clinic/patients/{world.patient_a.id}").status_code == 200
    assert client.get(f"/clinic/patients/{world.patient_b.id}").status_code == 404
    rows = db.session.scalars(
        db.select(AuditEvent).where(
            AuditEvent.object_type == "users",
            AuditEvent.object_id == clinician.id,
            AuditEvent.action == "update",
        )
    ).all()
    assert [row.fields for row in rows] == ["clinic", "clinic"]


def test_a_clinician_made_administrator_is_logged_out_and_then_reads_no_patient(
    app, world, actor_clients
):
    clinician = world.users["clinician_1"]
    client = actor_clients["clinician_1"]
    _move(actor_clients["admin"], clinician, 0, role="admin")
    response = client.get(f"/clinic/patients/{world.patient_a.id}")
    assert outcome(response) == "login"
    db.session.refresh(clinician)
    assert clinician.role == Role.ADMIN.value and clinician.clinic_id is None
    again = log_in(app, clinician)
    for url in (f"/clinic/patients/{world.patient_a.id}", "/clinic/dashboard"):
        response = again.get(url)  # an administrator without a second factor sets one up first
        assert response.status_code == 404 or "two-factor" in response.headers["Location"]
