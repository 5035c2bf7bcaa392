"""A patient's FHIR Bundle: every kind of record as the resource a clinic's EHR expects,
codes and units right, nothing deleted, every resource round-tripped and checked twice."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from portal.core.clock import today
from portal.core.database import now_utc
from portal.fhir import codes
from portal.fhir.patient_bundle import bundle_json, patient_bundle
from portal.fhir.questionnaire import diary_questionnaire, measures_codesystem
from tests.fhir_world import child_with_everything

CHECKER = Path(__file__).resolve().parents[2] / "fhir_check"


def _bundle(patient):
    return patient_bundle(patient, now_utc(), today())


def _resources(bundle) -> list[dict]:
    return [e["resource"] for e in json.loads(bundle_json(bundle))["entry"]]


def _of(resources, kind):
    return [r for r in resources if r["resourceType"] == kind]


def _codes(resource) -> set[tuple[str, str]]:
    concept = resource.get("code") or resource.get("medicationCodeableConcept") or {}
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def _observation(resources, system, code):
    return [r for r in _of(resources, "Observation") if (system, code) in _codes(r)]


def test_the_bundle_is_a_collection_holding_every_kind_of_record():
    world = child_with_everything()
    bundle = _bundle(world.patient)
    assert bundle.type == "collection"
    kinds = {r["resourceType"] for r in _resources(bundle)}
    assert kinds == {
        "Organization",
        "Patient",
        "Condition",
        "Observation",
        "QuestionnaireResponse",
        "MedicationAdministration",
        "MedicationStatement",
        "Flag",
        "DetectedIssue",
        "Communication",
    }


def test_patient_condition_and_clinic_measures_carry_the_standard_codes():
    world = child_with_everything()
    resources = _resources(_bundle(world.patient))
    [patient] = _of(resources, "Patient")
    assert patient["birthDate"] == world.patient.date_of_birth.isoformat()
    assert patient["identifier"][0]["value"] == "RX-4471"
    assert patient["name"][0]["family"] == "Okafor"
    assert patient["name"][0]["given"] == ["Maya", "Jane"]
    [condition] = _of(resources, "Condition")
    assert _codes(condition) == {(codes.ICD10, "M33.0")}
    assert condition["onsetDateTime"] == world.patient.onset_date.isoformat()
    [ck] = _observation(resources, codes.LOINC, "2157-6")
    assert ck["valueQuantity"] == {
        "value": 2450.0,
        "unit": "U/L",
        "system": codes.UCUM,
        "code": "U/L",
    }
    [cmas] = _observation(resources, codes.LOCAL_SYSTEM, "cmas")
    assert cmas["valueInteger"] == 34
    [mean] = _observation(resources, codes.LOCAL_SYSTEM, "mean_myometry")
    assert mean["valueQuantity"]["value"] == 30.0
    # Derived from the six muscle-group readings, each its own Observation in the bundle.
    urls = {e["fullUrl"] for e in json.loads(bundle_json(_bundle(world.patient)))["entry"]}
    assert len(mean["derivedFrom"]) == 6
    assert {ref["reference"] for ref in mean["derivedFrom"]} <= urls
    [weight] = _observation(resources, codes.LOINC, "29463-7")
    assert weight["valueQuantity"]["code"] == "kg"


def test_each_infusion_day_is_an_administration_with_its_lots_dose_and_day():
    world = child_with_everything()
    given = world.patient.courses[0]  # the planned one gave nothing; the deleted one is gone
    resources = _resources(_bundle(world.patient))
    days = _of(resources, "MedicationAdministration")
    assert [d["effectivePeriod"]["start"] for d in days] == [
        given.start_date.isoformat(),
        (given.start_date + timedelta(days=1)).isoformat(),
    ]
    for day in days:
        [medication] = day["contained"]
        assert day["medicationReference"] == {"reference": "#" + medication["id"]}
        assert (codes.ATC, "J06BA02") in _codes(medication)
        assert medication["batch"] == {"lotNumber": "P100234, P7"}
        # 2 g/kg over 2 days: 1 g/kg a day; 32.5 kg was the weight in force at the start.
        assert day["dosage"]["dose"] == {
            "value": 32.5,
            "unit": "g",
            "system": codes.UCUM,
            "code": "g",
        }
        assert "1 g/kg (1000 mg/kg)" in day["dosage"]["text"]
    statements = _of(resources, "MedicationStatement")
    assert {c for s in statements for c in _codes(s)} == {
        (codes.ATC, "H02AB06"),
        (codes.ATC, "L04AX03"),
    }


def test_a_diary_entry_is_a_questionnaire_response_with_observations_derived_from_it():
    world = child_with_everything()
    entries = json.loads(bundle_json(_bundle(world.patient)))["entry"]
    resources = [e["resource"] for e in entries]
    [response] = _of(resources, "QuestionnaireResponse")  # the deleted entry is not here
    response_url = next(e["fullUrl"] for e in entries if e["resource"] is response)
    assert response["questionnaire"] == f"{codes.QUESTIONNAIRE_URL}|{codes.QUESTIONNAIRE_VERSION}"
    answers = {
        item["linkId"]: item["answer"][0]
        for item in response["item"]
        for item in item.get("item", [item])
    }
    assert answers["temperature"] == {"valueDecimal": 38.6}
    assert answers["strength"] == {"valueInteger": -1}
    assert answers["symptom-headache"] == {"valueInteger": 2}
    assert answers["warning-stiff-neck"] == {"valueBoolean": True}
    assert answers["note"] == {"valueString": "Sore at bedtime"}
    [temperature] = _observation(resources, codes.LOINC, "8310-5")
    assert temperature["valueQuantity"]["code"] == "Cel"
    assert temperature["derivedFrom"] == [{"reference": response_url}]
    symptoms = [
        r
        for r in _of(resources, "Observation")
        if r["category"][0]["coding"][0]["code"] == "survey"
    ]
    assert {next(iter(_codes(s)))[1]: s["valueInteger"] for s in symptoms} == {
        "symptom-headache": 2,
        "symptom-nausea": 1,
    }
    assert all(s["derivedFrom"] == [{"reference": response_url}] for s in symptoms)
    [flag] = _of(resources, "Flag")
    assert flag["status"] == "active"
    [issue] = _of(resources, "DetectedIssue")
    assert issue["evidence"][0]["detail"] == [{"reference": response_url}]
    [reply] = _of(resources, "Communication")
    assert reply["payload"] == [{"contentString": "Please call us today."}]
    assert reply["about"] == [{"reference": response_url}]


def test_every_linkid_and_local_code_is_published_by_the_portal():
    world = child_with_everything()
    resources = _resources(_bundle(world.patient))

    def link_ids(items):
        for item in items:
            yield item["linkId"]
            yield from link_ids(item.get("item", []))

    questionnaire = diary_questionnaire().model_dump(mode="json", exclude_none=True)
    published = set(link_ids(questionnaire["item"]))
    used = {i for r in _of(resources, "QuestionnaireResponse") for i in link_ids(r["item"])}
    assert used and used <= published
    concepts = {c.code for c in measures_codesystem().concept}
    local = {
        c["code"]
        for r in resources
        for c in (r.get("code") or {}).get("coding", [])
        if c["system"] == codes.LOCAL_SYSTEM
    }
    assert local and local <= concepts


def test_nothing_deleted_leaves_in_the_bundle():
    world = child_with_everything()
    text = bundle_json(_bundle(world.patient))
    assert "Deleted-note-8812" not in text
    assert "GONE-LOT" not in text
    resources = _resources(_bundle(world.patient))
    cmas = _observation(resources, codes.LOCAL_SYSTEM, "cmas")
    assert [r["valueInteger"] for r in cmas] == [34]


def test_every_resource_round_trips_through_its_r4b_model():
    world = child_with_everything()
    bundle = _bundle(world.patient)
    resources = _resources(bundle)
    assert len(resources) > 20
    for data in resources:
        model = get_fhir_model_class(data["resourceType"])
        again = model.model_validate_json(json.dumps(data))
        assert again.model_dump(mode="json", exclude_none=True) == data
    text = bundle_json(bundle)
    assert bundle_json(Bundle.model_validate_json(text)) == text


def test_the_same_record_gets_the_same_full_urls_at_every_export():
    world = child_with_everything()
    first = [e["fullUrl"] for e in json.loads(bundle_json(_bundle(world.patient)))["entry"]]
    second = [e["fullUrl"] for e in json.loads(bundle_json(_bundle(world.patient)))["entry"]]
    assert first == second
    assert len(set(first)) == len(first)


def _medplum(tmp_path, document: dict) -> dict:
    if not (CHECKER / "node_modules" / "@medplum" / "core").is_dir():
        pytest.fail("the FHIR checker is not installed: run `make fhir-check`")
    path = tmp_path / "resource.json"
    path.write_text(json.dumps(document))
    run = subprocess.run(
        ["node", str(CHECKER / "validate.mjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=CHECKER,
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result["exit"] = run.returncode
    return result


def test_medplums_validator_finds_no_error_in_the_bundle_or_the_published_resources(tmp_path):
    world = child_with_everything()
    bundle = json.loads(bundle_json(_bundle(world.patient)))
    result = _medplum(tmp_path, bundle)
    assert result["errors"] == []
    assert result["checked"] == len(bundle["entry"]) + 1
    assert result["exit"] == 0
    for published in (diary_questionnaire(), measures_codesystem()):
        document = published.model_dump(mode="json", exclude_none=True)
        assert _medplum(tmp_path, document)["errors"] == []


def test_medplums_validator_would_catch_a_broken_resource(tmp_path):
    world = child_with_everything()
    bundle = json.loads(bundle_json(_bundle(world.patient)))
    broken = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
    broken["resource"]["valueQuantity"] = {"value": "a lot"}
    del broken["resource"]["status"]
    result = _medplum(tmp_path, bundle)
    assert result["exit"] == 1
    found = [e for e in result["errors"] if e["resourceType"] == "Observation"]
    paths = {p for e in found for p in e["issue"].get("expression", [])}
    assert "Observation.status" in paths
    assert any(p.startswith("Observation.value") for p in paths)
