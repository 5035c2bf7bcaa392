"""Who may download a patient's FHIR Bundle, and that each download and refusal is audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.core.extensions import db
from tests import factories as make
from tests.fhir_world import child_with_everything


def _events(patient_id: int, action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(
        AuditEvent.patient_id == patient_id, AuditEvent.action == action
    )
    return list(db.session.scalars(query))


@pytest.mark.parametrize("side", ["clinic", "family"])
def test_the_clinic_and_the_guardian_download_the_bundle_and_it_is_audited(client, login, side):
    world = child_with_everything()
    user = world.clinician if side == "clinic" else world.guardian
    login(user)
    prefix = "/clinic/patients" if side == "clinic" else "/family"
    response = client.get(f"{prefix}/{world.patient.id}/fhir.json")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="ivig-diary-fhir-{world.patient.id}.json"'
    bundle = json.loads(response.get_data())
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    [patient] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert patient["identifier"][0]["value"] == "RX-4471"
    exports = _events(world.patient.id, "export")
    assert [(e.user_id, e.fields, e.outcome) for e in exports] == [(user.id, "fhir", "success")]


@pytest.mark.parametrize("who", ["other_clinic_clinician", "other_guardian", "child", "admin"])
def test_anyone_else_gets_a_404_that_is_audited_as_a_denial(client, login, who):
    world = child_with_everything()
    if who == "child":
        user = make.user(Role.CHILD, patients=[world.patient])
    elif who == "admin":
        user = make.user(Role.ADMIN, clinic=world.patient.clinic)
    else:
        user = getattr(world, who)
    login(user)
    for url in (
        f"/clinic/patients/{world.patient.id}/fhir.json",
        f"/family/{world.patient.id}/fhir.json",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert b"RX-4471" not in response.get_data()
    assert _events(world.patient.id, "export") == []
    denied = [e for e in db.session.scalars(select(AuditEvent)) if e.outcome == "denied"]
    assert len(denied) == 2 and all(e.user_id == user.id for e in denied)


def test_the_questionnaire_and_codesystem_the_bundle_names_are_served(client):
    questionnaire = client.get("/fhir/R4/Questionnaire/home-diary").get_json(force=True)
    assert questionnaire["resourceType"] == "Questionnaire"
    assert questionnaire["version"] == "1"
    assert "strength" in {item["linkId"] for item in questionnaire["item"]}
    codesystem = client.get("/fhir/R4/CodeSystem/jdm-measures").get_json(force=True)
    assert codesystem["url"].endswith("/CodeSystem/jdm-measures")
    assert "cmas" in {c["code"] for c in codesystem["concept"]}
